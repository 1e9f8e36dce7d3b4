// Compile bench: generates a 1,000-model project (chains and fan-ins, macros, schema.yml
// tests, the real cross-database macros) in a temp dir and times loading + compiling it,
// median of 3; then the same kind of project at 1,000 and 10,000 models through the CLI:
// `pgshift compile`, and `pgshift ls --select` after it. `npx tsx bench/compile-bench.ts`
// prints a table and one line of JSON (the CLI figures need dist/: `npm run build`).

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileProject } from '../src/compile/index.js';
import { loadProjectFiles } from '../src/project-files/load-project-files.js';
import { loadProject } from '../src/config/load-project.js';
import { type CliFigures, measureCli } from './support/cli-compile.js';

const MODELS = 1_000;
const SOURCES = 40;
const FOLDERS = 10;
const RUNS = 3;
const TARGET_SECONDS = 2;
const CLI_MODELS = [1_000, 10_000];
const CLI_TARGETS = { compile_10000_wall_s: 5, ls_10000_wall_s: 1 };

export async function runCompileBench(log: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pgshift-compile-bench-'));
  try {
    await generateProject(dir);
    const runs: Array<{ load: number; compile: number; total: number; cpu: number; nodes: number }> = [];
    for (let run = 0; run < RUNS; run++) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const project = await loadProject(dir);
      const files = await loadProjectFiles(project);
      const loaded = performance.now();
      const { manifest } = compileProject(files, { target: { name: 'dev', type: 'postgres', schema: 'analytics' }, runStartedAt: '2024-03-02T06:00:00.000Z' });
      const done = performance.now();
      const cpu = process.cpuUsage(cpuBefore);
      runs.push({
        // CPU time next to wall time: on a busy machine the wall clock also counts waiting.
        cpu: (cpu.user + cpu.system) / 1e6,
        load: (loaded - started) / 1000,
        compile: (done - loaded) / 1000,
        total: (done - started) / 1000,
        nodes: Object.keys(manifest.nodes).length + Object.keys(manifest.sources).length,
      });
    }
    const median = [...runs].sort((a, b) => a.total - b.total)[Math.floor(RUNS / 2)]!;
    log('');
    log(`compile, ${MODELS} models (${median.nodes} nodes with sources, seeds and tests)`);
    log('  run    load s   compile s   total s     cpu s');
    for (const [index, run] of runs.entries()) log(`  ${String(index + 1).padStart(3)} ${fmt(run.load)} ${fmt(run.compile)} ${fmt(run.total)} ${fmt(run.cpu)}`);
    log(`  median total ${median.total.toFixed(3)} s (target < ${TARGET_SECONDS} s)`);
    const cli: Record<string, CliCase> = {};
    for (const models of CLI_MODELS) cli[String(models)] = await cliCase(models, log);
    // The target is for a compile from scratch: the first one, writing a new target/.
    const compile10k = cli['10000']!.compile_first.wall_s;
    const ls10k = cli['10000']!.ls.wall_s;
    const cliPass = compile10k < CLI_TARGETS.compile_10000_wall_s && ls10k < CLI_TARGETS.ls_10000_wall_s;
    log(`  10,000 models: compile ${compile10k} s (target < ${CLI_TARGETS.compile_10000_wall_s} s), ls ${ls10k} s (target < ${CLI_TARGETS.ls_10000_wall_s} s)`);
    return {
      bench: 'compile',
      models: MODELS,
      nodes: median.nodes,
      seconds_median: round(median.total),
      load_seconds_median: round(median.load),
      compile_seconds_median: round(median.compile),
      cpu_seconds_median: round(median.cpu),
      target_seconds: TARGET_SECONDS,
      cli,
      cli_targets: CLI_TARGETS,
      pass_in_process: median.total < TARGET_SECONDS,
      pass_cli: cliPass,
      pass: median.total < TARGET_SECONDS && cliPass,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface CliCase {
  readonly compile_first: CliFigures;
  readonly compile: CliFigures;
  readonly ls: CliFigures;
  readonly ls_selected: number;
}

/**
 * One generated project of `models` models through the CLI: `pgshift compile` (median of 3,
 * each writing target/ again), then `pgshift ls --select +model_<half>` (median of 3), which
 * reads the selection cache compile stored.
 */
async function cliCase(models: number, log: (line: string) => void): Promise<CliCase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `pgshift-compile-bench-${models}-`));
  try {
    await generateProject(dir, models);
    // The first compile writes a new target/; the later ones find most of it already written.
    const compileFirst = await measureCli(['compile', '--project-dir', dir], 1, false);
    const compile = await measureCli(['compile', '--project-dir', dir], RUNS);
    const select = `+model_${pad(models / 2, 4)}`;
    const lsArgs = ['ls', '--project-dir', dir, '--select', select];
    const ls = await measureCli(lsArgs, RUNS);
    log(`cli, ${models} models`);
    log('  command                    wall s     cpu s  peak RSS MB  GC share');
    for (const [name, figures] of [
      ['compile, new target/', compileFirst],
      ['compile again', compile],
      [`ls --select ${select}`, ls],
    ] as const) {
      const gc = figures.gc_share === null ? '-' : figures.gc_share.toFixed(3);
      log(`  ${name.padEnd(24)} ${fmt(figures.wall_s)} ${fmt(figures.cpu_s)} ${figures.peak_rss_mb.toFixed(1).padStart(12)} ${gc.padStart(9)}`);
    }
    return { compile_first: compileFirst, compile, ls, ls_selected: ls.output_lines };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the generated project; deterministic, so every run compiles the same thing. */
export async function generateProject(dir: string, models: number = MODELS): Promise<void> {
  const random = seededRandom(42);
  const tables = Array.from({ length: SOURCES }, (_, index) => `table_${pad(index, 2)}`);
  await writeFile(
    path.join(dir, 'pgshift.yml'),
    [
      'name: bench',
      'sources:',
      '  app:',
      '    tables:',
      ...tables.map((table) => `      ${table}: { primary_key: id, cursor: updated_at }`),
      'staging: { bucket: bench }',
      'targets:',
      '  dev: { type: postgres }',
      'vars:',
      '  lookback_hours: 3',
      'models:',
      '  folder_00: { +materialized: view, +schema: staging }',
      '  folder_09: { +materialized: table, +tags: [reports] }',
      '',
    ].join('\n'),
  );
  await mkdir(path.join(dir, 'macros'), { recursive: true });
  await writeFile(
    path.join(dir, 'macros', 'money.sql'),
    '{% macro cents_to_dollars(column) -%}\n    round(cast({{ column }} as numeric) / 100, 2)\n{%- endmacro %}\n',
  );
  const perFolder = models / FOLDERS;
  for (let folder = 0; folder < FOLDERS; folder++) {
    const folderDir = path.join(dir, 'models', `folder_${pad(folder, 2)}`);
    await mkdir(folderDir, { recursive: true });
    const schemaEntries: string[] = ['version: 2', 'models:'];
    for (let slot = 0; slot < perFolder; slot++) {
      const index = folder * perFolder + slot;
      const name = `model_${pad(index, 4)}`;
      const parents = index < SOURCES ? [] : pickParents(index, random);
      await writeFile(path.join(folderDir, `${name}.sql`), modelSql(index, parents, tables));
      schemaEntries.push(...schemaEntry(name, parents));
    }
    await writeFile(path.join(folderDir, 'schema.yml'), `${schemaEntries.join('\n')}\n`);
  }
}

/** A chain (the previous model) plus up to three fan-in parents from anywhere upstream. */
function pickParents(index: number, random: () => number): number[] {
  const parents = new Set([index - 1]);
  const fanIn = Math.floor(random() * 4);
  for (let i = 0; i < fanIn; i++) parents.add(Math.floor(random() * index));
  return [...parents].sort((a, b) => a - b);
}

function modelSql(index: number, parents: number[], tables: string[]): string {
  const incremental = index % 7 === 3;
  const config = incremental ? "{{ config(materialized='incremental', unique_key='id') }}\n\n" : index % 11 === 5 ? "{{ config(tags=['hourly']) }}\n\n" : '';
  if (parents.length === 0) {
    return `${config}with source as (
    select * from {{ source('app', '${tables[index % tables.length]}') }}
),

renamed as (
    select
        id,
        {{ safe_cast('amount', 'numeric(12, 2)') }} as amount,
        {{ cents_to_dollars('amount_cents') }} as amount_dollars,
        {{ date_trunc('day', 'created_at') }} as created_on,
        status,
        updated_at
    from source
)

select * from renamed
`;
  }
  const ctes = parents.map((parent, i) => `p${i} as (\n    select * from {{ ref('model_${pad(parent, 4)}') }}\n)`).join(',\n\n');
  const joins = parents
    .slice(1)
    .map((_, i) => `left join p${i + 1} using (id)`)
    .join('\n');
  const filter = incremental
    ? `\n{% if is_incremental() %}\nwhere p0.updated_at > (select {{ dateadd('hour', -var('lookback_hours'), 'max(updated_at)') }} from {{ this }})\n{% endif %}`
    : '';
  return `${config}with ${ctes}

select
    p0.id,
    p0.status,
    {{ cents_to_dollars('p0.amount') }} as amount,
    {{ datediff('day', 'p0.created_on', current_timestamp_utc()) }} as age_days,
    p0.updated_at
from p0
${joins}${filter}
`;
}

function schemaEntry(name: string, parents: number[]): string[] {
  const lines = [
    `  - name: ${name}`,
    `    description: Generated model ${name}.`,
    '    columns:',
    '      - name: id',
    '        data_tests: [unique, not_null]',
    '      - name: status',
    '        data_tests:',
    '          - accepted_values:',
    '              values: [new, paid, shipped]',
  ];
  if (parents.length > 0) {
    lines.push(
      '      - name: parent_id',
      '        data_tests:',
      '          - relationships:',
      `              to: ref('model_${pad(parents[0]!, 4)}')`,
      '              field: id',
    );
  }
  return lines;
}

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function fmt(value: number): string {
  return value.toFixed(3).padStart(9);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await runCompileBench();
  console.log(JSON.stringify(result));
}
