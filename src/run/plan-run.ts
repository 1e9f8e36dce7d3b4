// Planning a run, a pure function of the manifest: which nodes (selection), which parents
// each waits for (effective parents, with the data tests of its parents), and which schemas
// must exist first. No warehouse, no files: the same input always gives the same plan.

import { nothingToDo, selectNodes, type IndirectSelection, type RunResults } from '../graph/index.js';
import { failuresRelationKind, type AnyNode, type Manifest, type ModelNode } from '../manifest/index.js';

export type RunCommand = 'run' | 'build' | 'seed' | 'snapshot' | 'test' | 'retry';

const RESOURCE_TYPES: Record<Exclude<RunCommand, 'retry'>, AnyNode['resource_type'][]> = {
  run: ['source', 'seed', 'model', 'test'],
  // dbt's run leaves snapshots to `snapshot` and `build` (https://docs.getdbt.com/reference/commands/snapshot).
  build: ['seed', 'snapshot', 'model', 'test', 'unit_test'],
  seed: ['seed'],
  snapshot: ['snapshot'],
  test: ['test', 'unit_test'],
};

export interface PlanOptions {
  readonly command: RunCommand;
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  readonly selector?: string;
  /** For `--state` / `state:modified`. */
  readonly state?: Manifest;
  /** For `retry` and `result:<status>` selectors. */
  readonly previousResults?: RunResults;
  /** For `retry`: exactly these nodes, in graph order. */
  readonly onlyIds?: readonly string[];
  /** --resource-type: narrows the command's own types (`run --resource-type model` builds models only). */
  readonly resourceTypes?: readonly AnyNode['resource_type'][];
  readonly excludeResourceTypes?: readonly AnyNode['resource_type'][];
  readonly indirectSelection?: IndirectSelection;
  /** The flags as written, for the warning when nothing is selected. */
  readonly describedAs?: string;
  /** --empty: no input data is read, so no source is extracted or loaded. */
  readonly empty?: boolean;
}

export interface RunPlan {
  /** Nodes to execute, in topological order. */
  readonly order: readonly string[];
  /** What each node waits for (see effectiveParents). */
  readonly parentsOf: Readonly<Record<string, readonly string[]>>;
  /** Schemas the selected models and seeds build into, created before any node runs. */
  readonly schemas: readonly string[];
  /**
   * The scheduled error-severity tests of each scheduled model that can run against its new
   * version before it is published (see auditedTests).
   */
  readonly auditsOf: Readonly<Record<string, readonly string[]>>;
  readonly warnings: readonly string[];
  /** --empty: the selected sources and snapshots left out (readsOnlyInputs). */
  readonly leftOutByEmpty?: readonly string[];
}

export function planRun(manifest: Manifest, options: PlanOptions): RunPlan {
  const onlyIds = options.onlyIds;
  const commandTypes = RESOURCE_TYPES[options.command === 'retry' ? 'run' : options.command];
  const asked = options.resourceTypes && options.resourceTypes.length > 0 ? options.resourceTypes : undefined;
  const selection = onlyIds
    ? { selected: manifest.topological_order.filter((id) => onlyIds.includes(id)), warnings: [] }
    : selectNodes(manifest, {
        select: options.select ? [...options.select] : undefined,
        exclude: options.exclude ? [...options.exclude] : undefined,
        selector: options.selector,
        state: options.state,
        previousResults: options.previousResults,
        resourceTypes: asked ? commandTypes.filter((type) => asked.includes(type)) : commandTypes,
        excludeResourceTypes: options.excludeResourceTypes,
        indirectSelection: options.indirectSelection,
      });
  // Ephemeral models have no relation: the compiler inlined them into their children. A source
  // only dbt YAML declares is loaded by something else: there is nothing to run for it.
  const order = unitTestsFirst(
    manifest,
    selection.selected.filter(
      (id) =>
        !(manifest.nodes[id]?.resource_type === 'model' && (manifest.nodes[id] as ModelNode).config.materialized === 'ephemeral') &&
        manifest.sources[id]?.extracted !== false &&
        !(options.empty && readsOnlyInputs(manifest, id)),
    ),
  );
  const parentsOf = effectiveParents(manifest, new Set(order));
  const schemas = new Set(
    order.flatMap((id) => {
      const node = manifest.nodes[id];
      return node && (node.resource_type === 'model' || node.resource_type === 'seed' || node.resource_type === 'snapshot') ? [node.schema] : [];
    }),
  );
  return {
    order,
    parentsOf: Object.fromEntries(order.map((id) => [id, parentsOf(id)])),
    schemas: [...schemas],
    auditsOf: auditedTests(manifest, order),
    ...(options.empty ? { leftOutByEmpty: selection.selected.filter((id) => readsOnlyInputs(manifest, id)) } : {}),
    // As dbt: an empty plan (a selection of nothing, or only ephemeral models) is a warning, not an error.
    warnings: order.length === 0 && !onlyIds ? [...selection.warnings, nothingToDo(options.describedAs)] : selection.warnings,
  };
}

/**
 * Under --empty, what would do nothing but read input data: a source (its extract and load) and
 * a snapshot, whose run over no rows would close every current version under hard_deletes
 * invalidate or new_record. Models read both as no rows instead.
 */
function readsOnlyInputs(manifest: Manifest, id: string): boolean {
  return (id in manifest.sources && manifest.sources[id]!.extracted !== false) || manifest.nodes[id]?.resource_type === 'snapshot';
}

/** The graph has a unit test after its model (its parent); it runs before, so it is listed before. */
function unitTestsFirst(manifest: Manifest, order: readonly string[]): string[] {
  const unitTestsOf = new Map<string, string[]>();
  const moved = new Set<string>();
  const scheduled = new Set(order);
  for (const id of order) {
    const node = manifest.nodes[id];
    if (node?.resource_type !== 'unit_test' || !scheduled.has(node.attached_node)) continue;
    unitTestsOf.set(node.attached_node, [...(unitTestsOf.get(node.attached_node) ?? []), id]);
    moved.add(id);
  }
  return order.flatMap((id) => (moved.has(id) ? [] : [...(unitTestsOf.get(id) ?? []), id]));
}

/**
 * A model's audited tests: scheduled, severity `error`, declared on the model, and reading
 * nothing else that this run builds after the model. A test whose other parent is an ancestor
 * of the model (a relationships test to a dimension it joins) reads that parent's new version,
 * already built; one whose other parent is built later (or concurrently) runs after publishing,
 * as a node of its own.
 */
function auditedTests(manifest: Manifest, order: readonly string[]): Record<string, string[]> {
  const scheduled = new Set(order);
  const audits: Record<string, string[]> = {};
  const ancestorsOf = reachable(manifest.parent_map);
  for (const id of order) {
    const test = manifest.nodes[id];
    if (test?.resource_type !== 'test' || test.config.severity !== 'error' || !test.attached_node) continue;
    // A test that stores its failures keeps the rows of the published relation, so it runs after publishing.
    if (failuresRelationKind(test) !== null) continue;
    const model = manifest.nodes[test.attached_node];
    if (model?.resource_type !== 'model' || !scheduled.has(model.unique_id)) continue;
    const others = (manifest.parent_map[id] ?? []).filter((parent) => parent !== model.unique_id);
    if (!others.every((parent) => !scheduled.has(parent) || ancestorsOf(model.unique_id).has(parent))) continue;
    audits[model.unique_id] = [...(audits[model.unique_id] ?? []), id];
  }
  return audits;
}

/**
 * Parents as the scheduler sees them: the graph's parents, plus — as in `dbt build` — the
 * data tests of those parents, so a model whose upstream fails an error-severity test is
 * skipped. A test is only added where that cannot make a cycle (a relationships test that
 * also reads the child itself, or one of its descendants, is left out).
 */
function effectiveParents(manifest: Manifest, scheduled: ReadonlySet<string>): (id: string) => string[] {
  const testsOf = new Map<string, string[]>();
  const unitTestsOf = new Map<string, string[]>();
  for (const id of scheduled) {
    const node = manifest.nodes[id];
    if (node?.resource_type === 'unit_test') unitTestsOf.set(node.attached_node, [...(unitTestsOf.get(node.attached_node) ?? []), id]);
    if (node?.resource_type !== 'test') continue;
    for (const parent of manifest.parent_map[id] ?? []) testsOf.set(parent, [...(testsOf.get(parent) ?? []), id]);
  }
  const descendantsOf = reachable(manifest.child_map);
  return (id) => {
    const node = manifest.nodes[id];
    // dbt build runs a model's unit tests before the model, and a failing one skips it: the
    // unit test waits for the model's parents, the model for its unit tests.
    // https://docs.getdbt.com/docs/build/unit-tests
    if (node?.resource_type === 'unit_test') return [...(manifest.parent_map[node.attached_node] ?? [])];
    const parents = [...(manifest.parent_map[id] ?? []), ...(unitTestsOf.get(id) ?? [])];
    if (node?.resource_type === 'test') return parents;
    const extra = parents.flatMap((parent) =>
      (testsOf.get(parent) ?? []).filter((test) =>
        (manifest.parent_map[test] ?? []).every((testParent) => testParent !== id && !descendantsOf(id).has(testParent)),
      ),
    );
    return [...new Set([...parents, ...extra])];
  };
}

/** Every node reachable from a node along `edges` (parents: ancestors; children: descendants), cached. */
function reachable(edges: Readonly<Record<string, readonly string[]>>): (id: string) => Set<string> {
  const cache = new Map<string, Set<string>>();
  return (id) => {
    let found = cache.get(id);
    if (found) return found;
    found = new Set<string>();
    const stack = [...(edges[id] ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (found.has(next)) continue;
      found.add(next);
      stack.push(...(edges[next] ?? []));
    }
    cache.set(id, found);
    return found;
  };
}
