// The dependency graph over every node (sources, seeds, models, tests): parent and child
// lists, a deterministic topological order, cycle detection with the offending path, and
// bounded ancestor/descendant walks for the selector operators.

import { MinHeap } from './min-heap.js';

export interface Dag {
  /** Every node id, sorted. */
  readonly nodes: readonly string[];
  readonly parents: ReadonlyMap<string, readonly string[]>;
  readonly children: ReadonlyMap<string, readonly string[]>;
}

/**
 * Builds the graph from `node → parents`. Parents that are not nodes themselves are ignored,
 * so a dangling edge cannot invent a node; callers report unknown references before this.
 */
export function buildDag(parentsOf: Iterable<readonly [string, readonly string[]]>): Dag {
  const parents = new Map<string, string[]>();
  for (const [node, nodeParents] of parentsOf) parents.set(node, [...new Set(nodeParents)].sort());
  const children = new Map<string, string[]>();
  for (const node of parents.keys()) children.set(node, []);
  for (const [node, nodeParents] of parents) {
    const known = nodeParents.filter((parent) => parents.has(parent));
    parents.set(node, known);
    for (const parent of known) children.get(parent)!.push(node);
  }
  for (const list of children.values()) list.sort();
  return { nodes: [...parents.keys()].sort(), parents, children };
}

/** A cycle as a closed path (`[a, b, c, a]`, each node a parent of the next), or undefined. */
export function findCycle(dag: Dag): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  // Iterative DFS: a chain of thousands of models must not overflow the call stack.
  for (const root of dag.nodes) {
    if (state.has(root)) continue;
    const stack: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const children = dag.children.get(frame.node) ?? [];
      if (frame.next >= children.length) {
        state.set(frame.node, 'done');
        stack.pop();
        continue;
      }
      const child = children[frame.next++]!;
      const seen = state.get(child);
      if (seen === 'open') {
        const start = stack.findIndex((entry) => entry.node === child);
        return [...stack.slice(start).map((entry) => entry.node), child];
      }
      if (seen === undefined) {
        state.set(child, 'open');
        stack.push({ node: child, next: 0 });
      }
    }
  }
  return undefined;
}

/** Every node, parents before children, ties broken by id. Throws on a cycle. */
export function topologicalOrder(dag: Dag): string[] {
  const waiting = new Map<string, number>();
  const ready = new MinHeap();
  for (const node of dag.nodes) {
    const count = dag.parents.get(node)?.length ?? 0;
    waiting.set(node, count);
    if (count === 0) ready.push(node);
  }
  const order: string[] = [];
  while (ready.size > 0) {
    const node = ready.pop()!;
    order.push(node);
    for (const child of dag.children.get(node) ?? []) {
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (order.length !== dag.nodes.length) {
    const cycle = findCycle(dag);
    throw new Error(`the graph has a cycle: ${(cycle ?? []).join(' -> ')}`);
  }
  return order;
}

/** Nodes reachable upwards from `start` (not including `start` itself), within `depth` steps. */
export function ancestors(dag: Dag, start: Iterable<string>, depth = Infinity): Set<string> {
  return walk(dag.parents, start, depth);
}

/** Nodes reachable downwards from `start` (not including `start` itself), within `depth` steps. */
export function descendants(dag: Dag, start: Iterable<string>, depth = Infinity): Set<string> {
  return walk(dag.children, start, depth);
}

function walk(edges: ReadonlyMap<string, readonly string[]>, start: Iterable<string>, depth: number): Set<string> {
  const found = new Set<string>();
  let frontier = [...new Set(start)];
  const visited = new Set(frontier);
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const neighbour of edges.get(node) ?? []) {
        found.add(neighbour);
        if (!visited.has(neighbour)) {
          visited.add(neighbour);
          next.push(neighbour);
        }
      }
    }
    frontier = next;
  }
  return found;
}
