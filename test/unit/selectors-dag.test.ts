// The graph under selection: parents and children, a stable topological order, cycles
// reported as a path, and depth-limited walks for n+x / x+n.

import { describe, expect, it } from 'vitest';
import { ancestors, buildDag, descendants, findCycle, topologicalOrder } from '../../src/graph/index.js';

const dag = buildDag([
  ['a', []],
  ['b', ['a']],
  ['c', ['a']],
  ['d', ['b', 'c', 'b']],
  ['e', ['d', 'missing']],
]);

describe('buildDag()', () => {
  it('keeps parents sorted and unique, and derives children', () => {
    expect(dag.parents.get('d')).toEqual(['b', 'c']);
    expect(dag.children.get('a')).toEqual(['b', 'c']);
  });

  it('drops edges to nodes that are not in the graph', () => {
    expect(dag.parents.get('e')).toEqual(['d']);
  });
});

describe('topologicalOrder()', () => {
  it('puts parents first and breaks ties by id', () => {
    expect(topologicalOrder(dag)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('does not depend on the order edges were given in', () => {
    const shuffled = buildDag([
      ['e', ['d']],
      ['d', ['c', 'b']],
      ['c', ['a']],
      ['b', ['a']],
      ['a', []],
    ]);
    expect(topologicalOrder(shuffled)).toEqual(topologicalOrder(dag));
  });

  it('handles a chain of 20,000 nodes without deep recursion', () => {
    const chain = buildDag(
      Array.from(
        { length: 20_000 },
        (_, index) => [`n${String(index).padStart(5, '0')}`, index === 0 ? [] : [`n${String(index - 1).padStart(5, '0')}`]] as const,
      ),
    );
    expect(topologicalOrder(chain)).toHaveLength(20_000);
    expect(findCycle(chain)).toBeUndefined();
  });
});

describe('findCycle()', () => {
  it('returns the cycle as a closed path', () => {
    const cyclic = buildDag([
      ['a', ['c']],
      ['b', ['a']],
      ['c', ['b']],
      ['x', []],
    ]);
    expect(findCycle(cyclic)).toEqual(['a', 'b', 'c', 'a']);
    expect(() => topologicalOrder(cyclic)).toThrow('the graph has a cycle: a -> b -> c -> a');
  });

  it('finds a self-reference', () => {
    expect(findCycle(buildDag([['a', ['a']]]))).toEqual(['a', 'a']);
  });
});

describe('ancestors() and descendants()', () => {
  it('walk the whole graph by default', () => {
    expect([...ancestors(dag, ['e'])].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([...descendants(dag, ['b'])].sort()).toEqual(['d', 'e']);
  });

  it('stop after n steps', () => {
    expect([...ancestors(dag, ['e'], 1)]).toEqual(['d']);
    expect([...ancestors(dag, ['e'], 2)].sort()).toEqual(['b', 'c', 'd']);
    expect([...descendants(dag, ['a'], 1)].sort()).toEqual(['b', 'c']);
  });
});
