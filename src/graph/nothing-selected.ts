// What a command says when its selection leaves it no node: dbt's own lines (its NothingToDo
// and NoNodesSelected events), so a log watcher written for dbt finds them, followed by the
// flags as written when someone typed a selection.

export const NOTHING_TO_DO = 'Nothing to do. Try checking your model configs and model specification args';
export const NO_NODES_SELECTED = 'No nodes selected!';

/** The warning of run, build, seed, snapshot and test when their plan is empty. */
export function nothingToDo(describedAs?: string): string {
  return withFlags(NOTHING_TO_DO, describedAs);
}

/** The warning of ls when it lists nothing. */
export function noNodesSelected(describedAs?: string): string {
  return withFlags(NO_NODES_SELECTED, describedAs);
}

function withFlags(line: string, describedAs: string | undefined): string {
  return describedAs ? `${line} (${describedAs})` : line;
}
