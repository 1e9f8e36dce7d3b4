// What a run does after its nodes is registered by the project: the report step exists only
// when pgshift.yml has `report:`, and reads the models it names, wherever they build.

import { describe, expect, it } from 'vitest';
import { afterRunSteps } from '../../src/api/after-run-steps.js';
import { reportTablesOf } from '../../src/api/report-tables-of.js';
import { parseProject } from '../../src/config/load-project.js';
import { selectList } from '../../src/report/report-sql.js';
import type { Target } from '../../src/config/target.js';
import type { AfterRunContext } from '../../src/run/after-run-step.js';
import type { NodeResult } from '../../src/run/node-status.js';
import { bareProject, compile, pgshiftYml } from './compile-fixture.js';

const TARGET: Target = { name: 'dev', type: 'postgres', schema: 'analytics', connectionString: 'postgres://unused' };
const PANELS = ['daily_sales', 'product_performance', 'customer_lifetime_value', 'new_vs_returning_customers', 'cohort_retention'] as const;
const REPORT_YML = `report:\n  models:\n${PANELS.map((panel) => `    ${panel}: ${panel === 'customer_lifetime_value' ? 'customer_ltv' : panel}`).join('\n')}\n`;

async function reportProject(yml: string) {
  const models = Object.fromEntries(
    PANELS.map((panel) =>
      panel === 'customer_lifetime_value'
        ? ['models/customer_ltv.sql', "{{ config(schema='reports', alias='customer_lifetime_value') }} select 1 as x"]
        : [`models/${panel}.sql`, "{{ config(schema='reports') }} select 1 as x"],
    ),
  );
  const files = await bareProject(models, { pgshiftYml: yml });
  return { manifest: compile(files), project: parseProject(yml, '/project/pgshift.yml') };
}

function succeeded(ids: readonly string[]): NodeResult[] {
  return ids.map((uniqueId) => ({ uniqueId, status: 'success', startedAt: '', completedAt: '', executionTime: 0 }));
}

describe('after-run steps', () => {
  it('registers no report step for a project without report:', async () => {
    const { project } = await reportProject(pgshiftYml());
    expect(project.report).toBeUndefined();
    expect(afterRunSteps(project, TARGET).map((step) => step.label)).toEqual(['grants']);
  });

  it('registers the report step when pgshift.yml names the report models, and runs it only when the run built them all', async () => {
    const { project, manifest } = await reportProject(pgshiftYml(REPORT_YML));
    const steps = afterRunSteps(project, TARGET);
    expect(steps.map((step) => step.label)).toEqual(['grants', 'report']);
    const report = steps[1]!;
    const allModels = Object.keys(manifest.nodes);
    const context = (results: NodeResult[]): AfterRunContext => ({
      command: 'run',
      manifest,
      warehouse: undefined as never,
      interval: { start: new Date(0), end: new Date(86_400_000) },
      targetDir: '/tmp',
      results,
    });
    expect(report.appliesTo(context(succeeded(allModels)))).toBe(true);
    expect(report.appliesTo(context(succeeded(allModels.slice(1))))).toBe(false);
    expect(report.appliesTo({ ...context(succeeded(allModels)), command: 'build' })).toBe(false);
  });

  it('reads each panel from the relation of the model named for it', async () => {
    const { project, manifest } = await reportProject(pgshiftYml(REPORT_YML));
    const bound = reportTablesOf({ ...project, report: project.report! }, manifest);
    expect(bound.schema).toBe('analytics_reports');
    expect(bound.tables.customer_lifetime_value.name).toBe('customer_lifetime_value');
    expect(bound.tables.daily_sales).toMatchObject({ panel: 'daily_sales', name: 'daily_sales', key: ['order_date'] });
  });

  it('names the key when a report model does not exist', async () => {
    const { project, manifest } = await reportProject(pgshiftYml(REPORT_YML.replace('daily_sales: daily_sales', 'daily_sales: daily_salez')));
    expect(() => reportTablesOf({ ...project, report: project.report! }, manifest)).toThrow(
      '/project/pgshift.yml: report.models.daily_sales: no model named daily_salez (or it is disabled)',
    );
  });

  it('reads a panel column from the model column pgshift.yml maps it to', async () => {
    const yml = REPORT_YML.replace(
      'customer_lifetime_value: customer_ltv',
      'customer_lifetime_value: { model: customer_ltv, columns: { lifetime_value: ltv_eur } }',
    );
    const { project, manifest } = await reportProject(pgshiftYml(yml));
    const table = reportTablesOf({ ...project, report: project.report! }, manifest).tables.customer_lifetime_value;
    expect(selectList(table, ['customer_id', 'first_order_date', 'lifetime_value'])).toBe(
      `"customer_id", to_char("first_order_date", 'YYYY-MM-DD') as "first_order_date", "ltv_eur" as "lifetime_value"`,
    );
  });

  it('names a mapped column the panel does not read', async () => {
    const yml = REPORT_YML.replace(
      'customer_lifetime_value: customer_ltv',
      'customer_lifetime_value: { model: customer_ltv, columns: { lifetime_valu: ltv_eur } }',
    );
    const { project, manifest } = await reportProject(pgshiftYml(yml));
    expect(() => reportTablesOf({ ...project, report: project.report! }, manifest)).toThrow(
      "/project/pgshift.yml: report.models.customer_lifetime_value.columns.lifetime_valu: not a column of the customer_lifetime_value panel (did you mean 'lifetime_value'?)",
    );
  });

  it('validates report: in pgshift.yml', () => {
    expect(() => parseProject(pgshiftYml('report:\n  models:\n    daily_sales: daily_sales\n'), 'pgshift.yml')).toThrow(/report\.models\.product_performance/);
  });
});
