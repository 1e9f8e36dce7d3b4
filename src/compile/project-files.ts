// What compilation reads: the project's files, already in memory. Reading them from disk is
// project-files/load-project-files.ts's job, so everything in compile/ stays a pure function.

import type { Project } from '../config/project.js';

export interface TextFile {
  /** Project-relative, with forward slashes: `models/staging/stg_orders.sql`. */
  readonly path: string;
  readonly text: string;
}

export interface SeedFile {
  readonly path: string;
  /** First line of the CSV: seeds are typed from their header, never read in full here. */
  readonly headerLine: string;
  readonly checksum: string;
}

export interface ProjectFiles {
  readonly project: Project;
  readonly models: TextFile[];
  readonly macros: TextFile[];
  readonly schemaFiles: TextFile[];
  readonly seeds: SeedFile[];
  /** The .sql files of snapshot-paths (`{% snapshot %}` blocks); their YAML files are schemaFiles. */
  readonly snapshots?: TextFile[];
  readonly singularTests: TextFile[];
  readonly selectors: TextFile | null;
  /** Unit test fixtures: the csv and sql files under tests/fixtures/. */
  readonly fixtures?: TextFile[];
  /** The .md files under the model paths: where docs blocks live. */
  readonly docs?: TextFile[];
  /** Installed packages (`pgshift deps`), in package-lock.yml's order; absent or empty without packages.yml. */
  readonly packages?: readonly PackageFiles[];
}

/** An installed package: its macros (and generic tests), called through its name. */
export interface PackageFiles {
  /** Its dbt_project.yml `name`: the namespace of its macros (`dbt_utils.star`). */
  readonly name: string;
  /** Project-relative folder it is installed in: `dbt_packages/dbt_utils`. */
  readonly dir: string;
  readonly macros: TextFile[];
  /** Its dbt_project.yml's on-run-start and on-run-end, unrendered. */
  readonly onRunStart?: readonly string[];
  readonly onRunEnd?: readonly string[];
}
