// The options of the stages that work on the project graph (dbt's flags, where dbt has one),
// as the CLI parses them and the demo passes them.

import type { IndirectSelection } from '../graph/index.js';
import type { ResourceType } from '../manifest/index.js';

export interface GraphOptions {
  select: string[];
  exclude: string[];
  selector?: string;
  /** --resource-type: keep only these types (with the command's own: `run --resource-type model` is dbt's run). */
  resourceType?: ResourceType[];
  /** --exclude-resource-type: leave these types out. */
  excludeResourceType?: ResourceType[];
  /** --indirect-selection: which tests come along with the selected nodes (default eager, as dbt). */
  indirectSelection?: IndirectSelection;
  threads?: number;
  /** --slices: every source table's `slices:` for this run. */
  slices?: number | 'auto';
  fullRefresh?: boolean;
  /** --store-failures (run, build, test): tests whose config says nothing of it store their failing rows. */
  storeFailures?: boolean;
  /** --empty (run, build): models built from ref() and source() read as no rows; sources not extracted. */
  empty?: boolean;
  vars?: Record<string, unknown>;
  failFast?: boolean;
  state?: string;
  /** --defer: refs to nodes neither built nor in the target read --state's relations. */
  defer?: boolean;
  targetPath?: string;
  date?: string;
  start?: string;
  end?: string;
  /** Accept an interval that has not ended yet (`--allow-open-interval`). */
  allowOpenInterval?: boolean;
  /** Over several days, go on after a failed day (`--continue-after-failed-day`). */
  continueAfterFailedDay?: boolean;
  /** --accept-deletes: table ids (or `all`) whose detected deletes may exceed max_delete_ratio this run. */
  acceptDeletes?: string[];
  /** --lock-timeout in milliseconds (the CLI's; runGraph takes it through RunGraphOptions). */
  lockTimeout?: number;
}

/** `--vars '{country: DE}'` as the compiler reads it; the CLI parses the flag with it. */
export { parseCliVars } from '../compile/compile-context.js';

export { INDIRECT_SELECTION_MODES, RESOURCE_TYPES, type IndirectSelection } from '../graph/index.js';

/** The selection flags as a user wrote them, for the warning when they select nothing. */
export function describeSelection(options: GraphOptions): string {
  const parts: string[] = [];
  if (options.select.length > 0) parts.push(`--select ${options.select.join(' ')}`);
  if (options.selector !== undefined) parts.push(`--selector ${options.selector}`);
  if (options.exclude.length > 0) parts.push(`--exclude ${options.exclude.join(' ')}`);
  if (options.resourceType?.length) parts.push(`--resource-type ${options.resourceType.join(' ')}`);
  if (options.excludeResourceType?.length) parts.push(`--exclude-resource-type ${options.excludeResourceType.join(' ')}`);
  return parts.join(' ');
}
