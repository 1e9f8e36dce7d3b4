// Exposures in the graph: `depends_on` resolved at compile, `exposure:` selection, and the graph
// operators reaching through them (https://docs.getdbt.com/reference/node-selection/methods#exposure).
// Nothing runs for an exposure; `ls` lists it.

import { describe, expect, it } from 'vitest';
import { selectNodes } from '../../src/graph/index.js';
import { bareProject, compile } from './compile-fixture.js';

const MODELS = {
  'models/stg_orders.sql': "select * from {{ source('shop', 'orders') }}",
  'models/revenue.sql': "select count(*) as n from {{ ref('stg_orders') }}",
  'models/unrelated.sql': 'select 1 as id',
};

const exposures = (dependsOn: string) => ({
  'models/exposures.yml': `exposures:\n  - name: revenue_dashboard\n    type: dashboard\n    owner: { name: Finance }\n    depends_on: ${dependsOn}\n`,
});

async function manifest(dependsOn = `["ref('revenue')"]`) {
  return compile(await bareProject(MODELS, { schemaFiles: exposures(dependsOn) }));
}

describe('an exposure', () => {
  it('has the nodes of its depends_on as parents', async () => {
    const compiled = await manifest(`["ref('revenue')", "source('shop', 'orders')"]`);
    expect(compiled.exposures?.['exposure.shop.revenue_dashboard']?.depends_on?.nodes).toEqual(['model.shop.revenue', 'source.shop.orders']);
  });

  it('is selected by exposure:, and +exposure: selects everything that feeds it', async () => {
    const compiled = await manifest();
    expect(selectNodes(compiled, { select: ['exposure:revenue_dashboard'] })).toMatchObject({
      selected: [],
      exposures: ['exposure.shop.revenue_dashboard'],
      warnings: [],
    });
    const upstream = selectNodes(compiled, { select: ['+exposure:revenue_*'] });
    expect(upstream.selected).toEqual(['source.shop.orders', 'model.shop.stg_orders', 'model.shop.revenue']);
    expect(upstream.exposures).toEqual(['exposure.shop.revenue_dashboard']);
  });

  it('is downstream of what it depends on, and listed with everything', async () => {
    const compiled = await manifest();
    expect(selectNodes(compiled, { select: ['stg_orders+'] }).exposures).toEqual(['exposure.shop.revenue_dashboard']);
    expect(selectNodes(compiled, { select: ['unrelated+'] }).exposures).toEqual([]);
    expect(selectNodes(compiled).exposures).toEqual(['exposure.shop.revenue_dashboard']);
    // --resource-type names the types that run: exposures stay out.
    expect(selectNodes(compiled, { resourceTypes: ['model'] }).exposures).toEqual([]);
  });

  it('that depends on a model nobody defines is an error naming the file and the exposure', async () => {
    await expect(manifest(`["ref('revenu')"]`)).rejects.toThrow(
      "models/exposures.yml: exposures revenue_dashboard: depends on ref('revenu'), which matches no model, seed or snapshot; did you mean 'revenue'?",
    );
  });
});
