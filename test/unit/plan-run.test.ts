// Planning a run is a pure function of the manifest: the same selection gives the same nodes,
// parents and schemas, with no warehouse and no files.

import { describe, expect, it } from 'vitest';
import { planRun } from '../../src/run/plan-run.js';
import { compile, fixtureFiles } from './compile-fixture.js';

describe('planRun()', () => {
  it("narrows the command's resource types with --resource-type: `run --resource-type model` is dbt's run", async () => {
    const manifest = compile(await fixtureFiles());
    const plan = planRun(manifest, { command: 'run', resourceTypes: ['model'] });
    expect(plan.order.length).toBeGreaterThan(0);
    expect(plan.order.every((id) => id.startsWith('model.'))).toBe(true);
    // A type the command never runs stays out: build does not extract sources.
    const build = planRun(manifest, { command: 'build', resourceTypes: ['source'], describedAs: '--resource-type source' });
    expect(build.order).toEqual([]);
    expect(build.warnings).toEqual(['Nothing to do. Try checking your model configs and model specification args (--resource-type source)']);
  });

  it("says dbt's 'Nothing to do' when an intersection, an exclude or the command's types leave no node", async () => {
    const manifest = compile(await fixtureFiles());
    const intersection = planRun(manifest, { command: 'run', select: ['stg_orders,dim_customers'], describedAs: '--select stg_orders,dim_customers' });
    expect(intersection.order).toEqual([]);
    expect(intersection.warnings).toEqual(['Nothing to do. Try checking your model configs and model specification args (--select stg_orders,dim_customers)']);
    const excluded = planRun(manifest, { command: 'build', select: ['stg_orders'], exclude: ['stg_orders'] });
    expect(excluded.warnings).toEqual(['Nothing to do. Try checking your model configs and model specification args']);
    // Only ephemeral models selected: nothing of theirs runs, and the plan says so.
    expect(planRun(manifest, { command: 'run', select: ['int_order_totals'], indirectSelection: 'empty' }).warnings).toEqual([
      'Nothing to do. Try checking your model configs and model specification args',
    ]);
    // A plan with nodes says nothing of the kind.
    expect(planRun(manifest, { command: 'run', select: ['stg_orders'] }).warnings).toEqual([]);
  });

  it('leaves out --exclude-resource-type and passes --indirect-selection to the selection', async () => {
    const manifest = compile(await fixtureFiles());
    const noTests = planRun(manifest, { command: 'build', excludeResourceTypes: ['test'] });
    expect(noTests.order.some((id) => id.startsWith('test.'))).toBe(false);
    const model = noTests.order.find(
      (id) => id.startsWith('model.') && planRun(manifest, { command: 'build', select: [manifest.nodes[id]!.name] }).order.length > 1,
    )!;
    const empty = planRun(manifest, { command: 'build', select: [manifest.nodes[model]!.name], indirectSelection: 'empty' });
    expect(empty.order).toEqual([model]);
  });

  it('plans in graph order without ephemeral models, and lists the schemas to create', async () => {
    const manifest = compile(await fixtureFiles());
    const plan = planRun(manifest, { command: 'build' });
    expect(plan.order).not.toContain('model.shop.int_order_totals');
    expect(plan.order.filter((id) => id.startsWith('model.'))).toEqual(
      manifest.topological_order.filter((id) => plan.order.includes(id) && id.startsWith('model.')),
    );
    const schemas = new Set(
      plan.order.flatMap((id) => {
        const node = manifest.nodes[id];
        return node && node.resource_type !== 'test' && node.resource_type !== 'unit_test' ? [node.schema] : [];
      }),
    );
    expect([...plan.schemas].sort()).toEqual([...schemas].sort());
  });

  it('makes a model wait for the data tests of its parents, as dbt build does', async () => {
    const manifest = compile(await fixtureFiles());
    const plan = planRun(manifest, { command: 'build' });
    const child = plan.order.find(
      (id) =>
        id.startsWith('model.') &&
        (manifest.parent_map[id] ?? []).some((parent) =>
          plan.order.some((test) => test.startsWith('test.') && manifest.parent_map[test]?.length === 1 && manifest.parent_map[test]![0] === parent),
        ),
    )!;
    expect(child).toBeDefined();
    const parentTests = (manifest.parent_map[child] ?? []).flatMap((parent) =>
      plan.order.filter((test) => test.startsWith('test.') && manifest.parent_map[test]?.length === 1 && manifest.parent_map[test]![0] === parent),
    );
    expect(plan.parentsOf[child]).toEqual(expect.arrayContaining(parentTests));
  });

  it('is the same for the same input, and takes exactly the ids of a retry', async () => {
    const manifest = compile(await fixtureFiles());
    expect(planRun(manifest, { command: 'run', select: ['+fct_orders'] })).toEqual(
      planRun(JSON.parse(JSON.stringify(manifest)) as typeof manifest, { command: 'run', select: ['+fct_orders'] }),
    );
    const retry = planRun(manifest, { command: 'retry', onlyIds: ['model.shop.fct_orders', 'model.shop.stg_orders'] });
    expect(retry.order).toEqual(['model.shop.stg_orders', 'model.shop.fct_orders']);
  });

  it('selects by resource type for seed and test', async () => {
    const manifest = compile(await fixtureFiles());
    expect(planRun(manifest, { command: 'seed' }).order.every((id) => id.startsWith('seed.'))).toBe(true);
    expect(planRun(manifest, { command: 'test' }).order.every((id) => id.startsWith('test.'))).toBe(true);
  });

  it("leaves a test that stores its failures out of its model's audit, so it keeps the published rows", async () => {
    const manifest = compile(await fixtureFiles());
    const plan = planRun(manifest, { command: 'build' });
    const [model, tests] = Object.entries(plan.auditsOf).find(([, ids]) => ids.length > 0)!;
    const storing = tests[0]!;
    const node = manifest.nodes[storing]!;
    // As compile names it for a test that stores its failures.
    const withStoring = {
      ...manifest,
      nodes: { ...manifest.nodes, [storing]: { ...node, config: { ...node.config, store_failures: true }, relation_name: '"audit"."x"' } },
    } as typeof manifest;
    const replanned = planRun(withStoring, { command: 'build' });
    expect(replanned.auditsOf[model] ?? []).not.toContain(storing);
    expect(replanned.order).toContain(storing);
  });
});
