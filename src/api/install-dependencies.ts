// `deps`: installs the project's packages (packages.yml or dependencies.yml) and says what it
// installed; unpinned git packages are warned about. https://docs.getdbt.com/reference/commands/deps

import { logger } from '../log/logger.js';
import { installPackages, type DepsOptions, type DepsResult } from '../project-files/install-packages.js';
import { openProject, type GlobalOptions } from './open-project.js';

export type { DepsOptions, DepsResult };

export async function installDependencies(options: GlobalOptions, deps: DepsOptions = {}): Promise<DepsResult> {
  const project = await openProject(options);
  const result = await installPackages(project, deps);
  for (const warning of result.warnings) logger.warn(warning);
  return result;
}
