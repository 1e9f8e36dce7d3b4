// The project a command works on, without any connection: compile and ls start here, and so
// load none of the database or S3 clients (their modules alone take a noticeable part of an
// ls's start-up).

import path from 'node:path';
import { loadProject } from '../config/load-project.js';
import type { Project } from '../config/project.js';
import { logger } from '../log/logger.js';

/** The options every command has (the CLI's global flags). */
export interface GlobalOptions {
  projectDir?: string;
  /** --profiles-dir: where profiles.yml is (dbt's lookup otherwise). */
  profilesDir?: string;
  target?: string;
  debug?: boolean;
  logFormat?: 'text' | 'json';
}

/** The project in --project-dir, with --profiles-dir; its load warnings logged once. */
export async function openProject(options: GlobalOptions): Promise<Project> {
  const project = await loadProject(path.resolve(options.projectDir ?? process.env.PGSHIFT_PROJECT_DIR ?? '.'), { profilesDir: options.profilesDir });
  for (const warning of project.warnings ?? []) logger.warn(warning);
  return project;
}
