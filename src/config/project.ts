// Typed view of a validated project: what the rest of pgshift reads instead of raw YAML.

import type { DbtProjectFile } from './dbt-project-schema.js';
import type { PiiClass, ProjectFile, ReportPanel } from './project-schema.js';

export interface SourceTable {
  /** `shop.orders`: the name selectors and logs use. */
  readonly id: string;
  readonly source: string;
  readonly sourceSchema: string;
  readonly name: string;
  readonly connectionEnv: string;
  /** Empty for a mode append table, which has no key. */
  readonly primaryKey: readonly string[];
  /** `append`: keyless and cursor-driven like incremental; each interval's batch replaces itself, nothing deduplicates. */
  readonly mode: 'incremental' | 'full' | 'append';
  readonly cursor?: string;
  readonly cursorUnit?: 'seconds' | 'milliseconds';
  readonly lookbackMs: number;
  readonly columns?: readonly string[];
  readonly exclude?: readonly string[];
  readonly pii: Readonly<Record<string, PiiClass>>;
  /** What an extract for Redshift does with a value Redshift cannot hold: fail, null or truncate. */
  readonly valuePolicy?: 'fail' | 'truncate' | 'null';
  /** Hard-delete detection: `detect` compares the source's keys with raw's live keys every run. */
  readonly deletes: 'detect' | 'ignore';
  /** Share of raw's live keys above which detected deletes need --accept-deletes. */
  readonly maxDeleteRatio: number;
  /** The source column the application sets when it soft-deletes a row. */
  readonly softDeleteColumn?: string;
  /** Ranges read at once under one snapshot; `auto` picks from the table's size and the machine's cores. */
  readonly slices: number | 'auto';
}

export interface StagingSettings {
  readonly bucket: string;
  readonly prefix: string;
  readonly gzipLevel: number;
  readonly partSizeBytes: number;
  readonly uploadPartSizeBytes: number;
  readonly uploadQueueSize: number;
  /** The warehouse's slice count: a sliced batch's part files come in a multiple of it. */
  readonly warehouseSlices: number;
  /** Upload buffers the ranges of one table fill at once: their memory, and how many stream together. */
  readonly rangeUploadBuffers: number;
  /** The S3 client's retries and timeouts (connections.ts getS3Conn); its defaults when absent. */
  readonly client?: { readonly maxAttempts: number; readonly connectTimeoutMs: number; readonly requestTimeoutMs: number };
}

/** How long pgshift waits on a server, in milliseconds (pgshift.yml `timeouts:`). */
export interface TimeoutSettings {
  readonly connectMs: number;
  readonly queryMs: number;
  readonly idleMs: number;
  readonly requestMs: number;
}

export interface GovernanceRole {
  /** The name declared in pgshift.yml; the warehouse role is `rolePrefix + name`. */
  readonly name: string;
  readonly description?: string;
  /** Schema names as written (`raw`, `default`, `marts`); src/governance resolves them. */
  readonly read: readonly string[];
  readonly write: readonly string[];
  /** May read PII (unmasked classified columns, models that failed a governance test). */
  readonly pii?: boolean;
}

export interface GovernanceSettings {
  readonly rolePrefix: string;
  readonly roles: readonly GovernanceRole[];
  /** Test a model's new version before readers see it (write, audit, publish). */
  readonly auditBeforePublish: boolean;
}

export interface ReportModel {
  /** The model's name. */
  readonly model: string;
  /** Panel column → the model's column, where they differ. */
  readonly columns: Readonly<Record<string, string>>;
}

export interface ReportSettings {
  /** The model each panel of the dashboard reads. */
  readonly models: Readonly<Record<ReportPanel, ReportModel>>;
}

export interface Project {
  readonly rootDir: string;
  readonly file: string;
  readonly name: string;
  readonly defaultTarget: string;
  readonly threads: number;
  readonly rawSchema: string;
  readonly tables: readonly SourceTable[];
  readonly staging: StagingSettings;
  readonly timeouts: TimeoutSettings;
  readonly governance: GovernanceSettings;
  /** Absent when pgshift.yml has no `report:`: runs then write no report. */
  readonly report?: ReportSettings;
  readonly raw: ProjectFile;
  /** The project's folders; absent means dbt's defaults (`defaultProjectPaths`). */
  readonly paths?: ProjectPaths;
  /** dbt_project.yml, when the project has one. */
  readonly dbt?: DbtProjectSettings;
  /** The profiles.yml profile dbt_project.yml names, when one was found. */
  readonly profile?: DbtProfile;
  /** Findings of loading worth a line in the log (require-dbt-version not checked). */
  readonly warnings?: readonly string[];
}

/** Project-relative folders, dbt's `*-paths` keys. */
export interface ProjectPaths {
  readonly models: readonly string[];
  readonly seeds: readonly string[];
  readonly macros: readonly string[];
  readonly snapshots: readonly string[];
  readonly tests: readonly string[];
  readonly analyses: readonly string[];
  readonly target: string;
  readonly cleanTargets: readonly string[];
}

export const defaultProjectPaths: ProjectPaths = {
  models: ['models'],
  seeds: ['seeds'],
  macros: ['macros'],
  snapshots: ['snapshots'],
  tests: ['tests'],
  analyses: ['analyses'],
  target: 'target',
  cleanTargets: ['target'],
};

export function projectPaths(project: Pick<Project, 'paths'>): ProjectPaths {
  return project.paths ?? defaultProjectPaths;
}

/** What pgshift keeps of dbt_project.yml; config trees unrendered (their Jinja is rendered at compile). */
export interface DbtProjectSettings {
  readonly file: string;
  readonly name: string;
  readonly profile?: string;
  readonly version?: string | number;
  readonly paths: ProjectPaths;
  /** Global vars with those scoped to this project on top. */
  readonly vars: Readonly<Record<string, unknown>>;
  readonly models: Readonly<Record<string, unknown>>;
  readonly seeds: Readonly<Record<string, unknown>>;
  readonly snapshots: Readonly<Record<string, unknown>>;
  /** `data_tests:` (or its older name `tests:`). */
  readonly tests: Readonly<Record<string, unknown>>;
  readonly onRunStart: readonly string[];
  readonly onRunEnd: readonly string[];
  readonly dispatch: readonly { macro_namespace: string; search_order: string[] }[];
  readonly flags: Readonly<Record<string, unknown>>;
  readonly quoting: Readonly<{ database?: boolean; schema?: boolean; identifier?: boolean }>;
  readonly requireDbtVersion?: string | string[];
  readonly warnings: readonly string[];
  readonly raw: DbtProjectFile;
}

/** One output of a profiles.yml profile, values unrendered: secrets are rendered only when a connection opens. */
export type DbtProfileOutput = Readonly<Record<string, unknown>> & { readonly type: 'postgres' | 'redshift' };

export interface DbtProfile {
  /** The profiles.yml file it came from, absolute. */
  readonly file: string;
  readonly name: string;
  /** The profile's `target:`, unrendered. */
  readonly target: string;
  readonly outputs: Readonly<Record<string, DbtProfileOutput>>;
}
