// Selection for run/build/test/ls: --select, --exclude, --selector, state: and result:
// methods, graph operators, and dbt's indirect selection of tests. Pure: the CLI reads the
// previous manifest and run_results.json and passes them in.

import { ConfigError } from '../errors.js';
import { allNodes, type AnyNode, type Manifest } from '../manifest/manifest.js';
import { ancestors, buildDag, descendants, type Dag } from './dag.js';
import { matchesCriterion, type MethodContext } from './selector-methods.js';
import { parseSelectionArgs, type Criterion, type IndirectSelection, type SelectionSpec } from './selector-spec.js';
import { selectorSpec } from './yaml-selectors.js';
import { globMatch } from './glob.js';
import { exactSourceSelector } from '../util/quoted-names.js';

export interface RunResults {
  readonly results: ReadonlyArray<{ readonly unique_id: string; readonly status: string }>;
}

export interface SelectOptions {
  readonly select?: readonly string[];
  readonly exclude?: readonly string[];
  /** A selector from selectors.yml; cannot be combined with select. */
  readonly selector?: string;
  /** The manifest of an earlier compilation, for state:modified / state:new. */
  readonly state?: Manifest;
  /** An earlier run_results.json, for result:<status>. */
  readonly previousResults?: RunResults;
  /**
   * Which tests come along with selected nodes (dbt's --indirect-selection). eager (default):
   * tests with any parent selected; cautious: all parents selected; buildable: all parents
   * selected or upstream of the selection; empty: none.
   */
  readonly indirectSelection?: IndirectSelection;
  /** Keep only these resource types (after everything else). */
  readonly resourceTypes?: readonly AnyNode['resource_type'][];
  /** Leave these resource types out (dbt's --exclude-resource-type). */
  readonly excludeResourceTypes?: readonly AnyNode['resource_type'][];
}

export interface SelectionResult {
  /** Selected unique ids, parents before children. */
  readonly selected: string[];
  /** Exposures the selection picks (`exposure:dashboard`): nothing runs for them; ls lists them. */
  readonly exposures: string[];
  readonly warnings: string[];
}

interface Selected {
  readonly direct: Set<string>;
  readonly indirect: Set<string>;
}

export function selectNodes(manifest: Manifest, options: SelectOptions = {}): SelectionResult {
  if (options.selector !== undefined && (options.select?.length ?? 0) > 0) {
    throw new ConfigError('--select and --selector cannot be combined; put the selection in the selector or drop --selector');
  }
  const evaluator = new Evaluator(manifest, options);
  const selectSpec = selectionSpec(manifest, options);
  const selected = selectSpec ? evaluator.evaluate(selectSpec, true) : evaluator.everything();
  const excludeSpec = parseSelectionArgs(exactSourceValues(manifest, options.exclude ?? []), '--exclude');
  const excluded = new Set<string>();
  if (excludeSpec) {
    const result = evaluator.evaluate(excludeSpec, false);
    for (const id of result.direct) excluded.add(id);
    for (const id of evaluator.testsOf(result.direct, 'eager')) excluded.add(id);
  }
  const chosen = new Set([...selected.direct, ...selected.indirect].filter((id) => !excluded.has(id)));
  const types = options.resourceTypes ? new Set(options.resourceTypes) : undefined;
  const leftOut = new Set(options.excludeResourceTypes ?? []);
  const ordered = manifest.topological_order.filter((id) => {
    const type = evaluator.node(id).resource_type;
    return chosen.has(id) && (!types || types.has(type)) && !leftOut.has(type);
  });
  // --resource-type names only the types that run; asking for one leaves exposures out.
  const exposures = types ? [] : Object.keys(manifest.exposures ?? {}).filter((id) => chosen.has(id));
  // An empty result is no error: the command says so in its own words (nothing-selected.ts).
  return { selected: ordered, exposures, warnings: evaluator.warnings };
}

function selectionSpec(manifest: Manifest, options: SelectOptions): SelectionSpec | undefined {
  if (options.selector !== undefined) return selectorSpec(manifest.selectors, options.selector);
  const fromFlags = parseSelectionArgs(exactSourceValues(manifest, options.select ?? []));
  if (fromFlags) return fromFlags;
  // Like dbt, a default selector stands in only when no selection flag was given at all.
  if ((options.exclude?.length ?? 0) > 0) return undefined;
  const fallback = Object.values(manifest.selectors).find((entry) => entry.default);
  return fallback ? selectorSpec(manifest.selectors, fallback.name) : undefined;
}

/**
 * A whole --select (or --exclude) value that is exactly a source table's id (`app.Order Lines`, also with
 * `source:` before it) selects that table, before the value is split on spaces: a name with a
 * space or a dot is selectable as it is written in pgshift.yml.
 */
function exactSourceValues(manifest: Manifest, values: readonly string[]): string[] {
  const byId = new Map(Object.values(manifest.sources).map((source) => [source.table_id, source]));
  return values.map((value) => {
    const text = value.trim();
    // Without a space or `source:`, the value already means what it says (an fqn, which may also
    // reach models), so it keeps its usual meaning.
    if (!/\s/.test(text) && !text.startsWith('source:')) return value;
    const source = byId.get(text.replace(/^source:/, ''));
    return source ? exactSourceSelector(source.source_name, source.table_name) : value;
  });
}

class Evaluator {
  readonly warnings: string[] = [];
  private readonly nodes = new Map<string, AnyNode>();
  private readonly dag: Dag;
  private readonly tests: AnyNode[];
  private readonly context: MethodContext;
  private readonly mode: IndirectSelection;
  private selectorDepth = 0;
  private readonly needs: { state: boolean; results: boolean };

  constructor(
    private readonly manifest: Manifest,
    options: SelectOptions,
  ) {
    for (const node of allNodes(manifest)) this.nodes.set(node.unique_id, node);
    // Exposures join the graph as leaves, so `+exposure:dashboard` reaches what feeds it.
    const exposureEdges = Object.values(manifest.exposures ?? {}).map((exposure) => [exposure.unique_id, exposure.depends_on?.nodes ?? []] as const);
    this.dag = buildDag([...Object.entries(manifest.parent_map), ...exposureEdges]);
    // Unit tests are picked up with their model like data tests: `--select orders` runs both.
    this.tests = [...this.nodes.values()].filter((node) => node.resource_type === 'test' || node.resource_type === 'unit_test');
    this.mode = options.indirectSelection ?? 'eager';
    this.context = {
      manifest,
      state: options.state,
      results: options.previousResults ? new Map(options.previousResults.results.map((result) => [result.unique_id, result.status])) : undefined,
    };
    this.needs = { state: options.state !== undefined, results: options.previousResults !== undefined };
  }

  node(id: string): AnyNode {
    return this.nodes.get(id)!;
  }

  everything(): Selected {
    return { direct: new Set([...this.nodes.keys(), ...Object.keys(this.manifest.exposures ?? {})]), indirect: new Set() };
  }

  evaluate(spec: SelectionSpec, warn: boolean): Selected {
    switch (spec.kind) {
      case 'criterion':
        return this.criterion(spec.criterion, warn);
      case 'union': {
        const parts = spec.items.map((item) => this.evaluate(item, warn));
        return { direct: union(parts.map((part) => part.direct)), indirect: union(parts.map((part) => part.indirect)) };
      }
      case 'intersection': {
        const parts = spec.items.map((item) => this.evaluate(item, warn));
        const direct = intersection(parts.map((part) => part.direct));
        return { direct, indirect: this.testsOf(direct, this.mode) };
      }
      case 'difference': {
        const include = this.evaluate(spec.include, warn);
        const exclude = this.evaluate(spec.exclude, false);
        const removed = new Set([...exclude.direct, ...this.testsOf(exclude.direct, 'eager')]);
        return {
          direct: new Set([...include.direct].filter((id) => !removed.has(id))),
          indirect: new Set([...include.indirect].filter((id) => !removed.has(id))),
        };
      }
    }
  }

  /** Tests to add for a selection, by mode; tests already in `selection` are not repeated. */
  testsOf(selection: ReadonlySet<string>, mode: IndirectSelection): Set<string> {
    const found = new Set<string>();
    if (mode === 'empty' || selection.size === 0) return found;
    const upstream = mode === 'buildable' ? new Set([...selection, ...ancestors(this.dag, selection)]) : undefined;
    for (const test of this.tests) {
      if (selection.has(test.unique_id)) continue;
      const parents = this.dag.parents.get(test.unique_id) ?? [];
      if (parents.length === 0) continue;
      // Only tests hanging off the selection are candidates, whatever the mode.
      if (!parents.some((parent) => selection.has(parent))) continue;
      const keep =
        mode === 'eager' ? true : mode === 'cautious' ? parents.every((parent) => selection.has(parent)) : parents.every((parent) => upstream!.has(parent));
      if (keep) found.add(test.unique_id);
    }
    return found;
  }

  private criterion(criterion: Criterion, warn: boolean): Selected {
    if (criterion.method === 'selector') {
      if (++this.selectorDepth > 20) throw new ConfigError(`selector '${criterion.value}' refers to itself through selector: criteria`);
      try {
        return this.evaluate(selectorSpec(this.manifest.selectors, criterion.value), warn);
      } finally {
        this.selectorDepth--;
      }
    }
    if (criterion.method === 'state' && !this.needs.state) {
      throw new ConfigError(`'${criterion.raw}' compares against a previous manifest; pass --state <dir holding manifest.json>`);
    }
    if (criterion.method === 'result' && !this.needs.results) {
      throw new ConfigError(`'${criterion.raw}' reads a previous run_results.json; pass --state <dir holding run_results.json>`);
    }
    const matched = new Set<string>();
    if (criterion.method === 'exposure') {
      for (const exposure of Object.values(this.manifest.exposures ?? {})) if (globMatch(criterion.value, exposure.name)) matched.add(exposure.unique_id);
    } else {
      for (const node of this.nodes.values()) if (matchesCriterion(node, criterion, this.context)) matched.add(node.unique_id);
    }
    if (matched.size === 0 && warn) this.warnings.push(`The selection criterion '${criterion.raw}' does not match any enabled nodes`);
    const direct = new Set(matched);
    if (criterion.childrensParents) {
      const downstream = new Set([...matched, ...descendants(this.dag, matched)]);
      for (const id of downstream) direct.add(id);
      for (const id of ancestors(this.dag, downstream)) direct.add(id);
    } else {
      if (criterion.parents) for (const id of ancestors(this.dag, matched, criterion.parentsDepth)) direct.add(id);
      if (criterion.children) for (const id of descendants(this.dag, matched, criterion.childrenDepth)) direct.add(id);
    }
    return { direct, indirect: this.testsOf(direct, criterion.indirectSelection ?? this.mode) };
  }
}

function union(sets: ReadonlyArray<ReadonlySet<string>>): Set<string> {
  const result = new Set<string>();
  for (const set of sets) for (const id of set) result.add(id);
  return result;
}

function intersection(sets: ReadonlyArray<ReadonlySet<string>>): Set<string> {
  if (sets.length === 0) return new Set();
  const [first, ...rest] = sets;
  return new Set([...first!].filter((id) => rest.every((set) => set.has(id))));
}
