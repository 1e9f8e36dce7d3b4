import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML of unknown shape, probed key by key
const read = (file: string) => load(readFileSync(path.resolve(file), 'utf8'), { schema: CORE_SCHEMA }) as Record<string, any>;
const commands = buildProgram().commands.map((command) => command.name());

describe('files that run pgshift elsewhere', () => {
  it('docker-compose.yml builds an Airflow image that exists and mounts the DAG folder it names', () => {
    const compose = read('docker-compose.yml');
    const airflow = compose['x-airflow'];
    expect(existsSync(path.resolve(airflow.build.context, airflow.build.dockerfile))).toBe(true);
    const dagsFolder: string = airflow.environment.AIRFLOW__CORE__DAGS_FOLDER;
    expect(airflow.volumes).toContain('.:/opt/pgshift');
    expect(existsSync(path.resolve(dagsFolder.replace('/opt/pgshift/', ''), 'etl_pipeline.py'))).toBe(true);
    expect(airflow.depends_on['airflow-db'].condition).toBe('service_healthy');
  });

  it('the Airflow DAG and the GitHub workflow call commands the CLI has', () => {
    const plan = readFileSync(path.resolve('airflow/dags/pgshift_tasks.py'), 'utf8');
    const workflow = read('.github/workflows/daily.yml');
    const steps: string[] = workflow.jobs.run.steps.map((step: { run?: string }) => step.run ?? '');
    const used = [...plan.matchAll(/\("(\w+)", "--/g), ...steps.join('\n').matchAll(/--log-format json (\w+)\)/g)].map((match) => match[1]!);
    expect(new Set(used)).toEqual(new Set(['extract', 'load', 'test', 'build', 'report', 'run']));
    for (const command of used) expect(commands).toContain(command);
    expect(workflow.on.schedule[0].cron).toBe('30 2 * * *');
  });

  it('run on Node 24, the current LTS, in the workflows and the Airflow image', () => {
    for (const file of ['.github/workflows/ci.yml', '.github/workflows/daily.yml']) {
      const steps = Object.values(read(file).jobs as Record<string, { steps: { uses?: string; with?: { 'node-version'?: unknown } }[] }>).flatMap(
        (job) => job.steps,
      );
      const versions = steps.filter((step) => step.uses?.startsWith('actions/setup-node')).map((step) => String(step.with?.['node-version']));
      expect(versions, file).toEqual(['24']);
    }
    expect(readFileSync(path.resolve('docker/airflow.Dockerfile'), 'utf8')).toMatch(/^FROM node:24-/m);
  });
});
