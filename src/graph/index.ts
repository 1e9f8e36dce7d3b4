// Graph and selection: the DAG over every node and dbt's selector grammar.

export { ancestors, buildDag, descendants, findCycle, topologicalOrder, type Dag } from './dag.js';
export { NO_NODES_SELECTED, NOTHING_TO_DO, noNodesSelected, nothingToDo } from './nothing-selected.js';
export { selectNodes, type RunResults, type SelectionResult, type SelectOptions } from './select-nodes.js';
export { INDIRECT_SELECTION_MODES, parseSelectionArgs, RESOURCE_TYPES, SELECTOR_METHODS, type IndirectSelection, type SelectionSpec } from './selector-spec.js';
export { parseSelectorsFile } from './yaml-selectors.js';
