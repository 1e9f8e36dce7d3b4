// Where packages are installed: dbt_project.yml's packages-install-path, dbt_packages/ by default.
// https://docs.getdbt.com/reference/project-configs/packages-install-path

import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Project } from '../config/project.js';

export const DEFAULT_PACKAGES_INSTALL_PATH = 'dbt_packages';

/** Project-relative, forward slashes, no trailing slash. */
export function packagesInstallPath(project: Pick<Project, 'dbt'>): string {
  const written = project.dbt?.raw['packages-install-path'] ?? DEFAULT_PACKAGES_INSTALL_PATH;
  const normal = path.posix.normalize(written.replace(/\\/g, '/')).replace(/\/+$/, '');
  // deps replaces folders in it: it stays inside the project, as clean's folders do.
  if (path.posix.isAbsolute(normal) || normal === '.' || normal.startsWith('../') || normal === '..') {
    throw new ConfigError(`dbt_project.yml: packages-install-path ${written} must be a folder inside the project directory, such as dbt_packages`, {
      file: 'dbt_project.yml',
    });
  }
  return normal;
}
