// The etl_pipeline DAG's tasks run as Airflow would run them, without Airflow: each task's bash
// command (airflow/dags/pgshift_tasks.py on the compiled shop project), one after another in
// the plan's order, against a real PostgreSQL source filled by the compose stack's generator,
// the local S3 server and a PostgreSQL warehouse. The whole pipeline must run and write the
// report, as a triggered run in `docker compose up` should.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDatabase } from '../support/query-database.js';
import { copyShopProject, dropRoles, uniqueRolePrefix } from '../support/shop-project.js';
import { createTestBucket, createTestDatabase, testPostgresUrl, testS3Endpoint, type TestBucket, type TestDatabase } from '../support/test-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface PlannedTask {
  readonly task_id: string;
  readonly stage: string;
  readonly upstream: string[];
  readonly bash_command: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const done = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { status: done.status, stdout: done.stdout ?? '', stderr: done.stderr ?? '' };
}

describe('the etl_pipeline tasks, run in order', () => {
  let source: TestDatabase;
  let warehouse: TestDatabase;
  let bucket: TestBucket;
  let projectDir: string;
  const rolePrefix = uniqueRolePrefix();
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    [source, warehouse, bucket] = await Promise.all([createTestDatabase('airflow_src'), createTestDatabase('airflow_wh'), createTestBucket('airflow-dag')]);
    projectDir = await copyShopProject(bucket.bucket, { rolePrefix });
    env = { PGSHIFT_SOURCE_URL: source.url, PGSHIFT_WAREHOUSE_URL: warehouse.url, PGSHIFT_S3_ENDPOINT: testS3Endpoint(), PGSHIFT_TARGET: 'dev' };
    const seeded = run('npx', ['tsx', 'docker/seed-shop-source.ts', '--scale', '300', '--days', '5'], env);
    expect(seeded.stderr).toBe('');
  });

  afterAll(async () => {
    await Promise.all([source?.drop(), warehouse?.drop(), bucket?.drop()]);
    await dropRoles(testPostgresUrl(), rolePrefix);
    if (projectDir) await rm(projectDir, { recursive: true, force: true });
  });

  it('every task succeeds, the warehouse holds the report models and the report is written', async () => {
    const compiled = run(path.join(ROOT, 'bin/pgshift.js'), ['--project-dir', projectDir, 'compile'], env);
    expect(compiled.status, compiled.stderr).toBe(0);
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const prefix = `${path.join(ROOT, 'bin/pgshift.js')} --project-dir ${projectDir} --log-format json`;
    const planned = run('python3', ['airflow/dags/pgshift_tasks.py', path.join(projectDir, 'target/manifest.json'), day, prefix], env);
    expect(planned.status, planned.stderr).toBe(0);
    const tasks = planned.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as PlannedTask);
    expect(tasks.length).toBe(26);

    const done = new Set<string>();
    for (const task of tasks) {
      for (const upstream of task.upstream) expect(done, `${task.task_id} runs after ${upstream}`).toContain(upstream);
      const result = run('bash', ['-c', task.bash_command], env);
      expect(result.status, `${task.task_id}: ${result.stderr.slice(-2000)}`).toBe(0);
      // --log-format json: every line a JSON object, as an orchestrator's log parser expects.
      for (const line of result.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line), `${task.task_id}: ${line}`).not.toThrow();
      done.add(task.task_id);
    }

    expect(existsSync(path.join(projectDir, 'target/reports', day, 'index.html'))).toBe(true);
    const [sales] = await queryDatabase<{ days: string }>(warehouse.url, 'select count(*)::text as days from analytics_reports.daily_sales');
    expect(Number(sales!.days)).toBeGreaterThan(0);
    const [loaded] = await queryDatabase<{ n: string }>(warehouse.url, "select count(*)::text as n from pgshift_meta.batches where status = 'loaded'");
    expect(Number(loaded!.n)).toBe(4);
  }, 600_000);
});
