// `pgshift run-operation <macro> --args '{…}'`: dbt's run-operation
// (https://docs.getdbt.com/reference/commands/run-operation). The project compiles, then the
// macro (the project's, a built-in, or `package.macro`) is called once with the arguments as
// keywords and execute true: what it runs through run_query(), statement blocks or
// `{% do … %}` runs in the warehouse, under the run lock as every writing command.

import { pyStr } from '../compile/python-repr.js';
import { readYaml } from '../config/read-yaml.js';
import { ConfigError } from '../errors.js';
import { logger } from '../log/logger.js';
import { renderOperationWithIntrospection } from '../manifest/index.js';
import { introspectionAnswers } from '../run/introspection-answers.js';
import { isRecord } from '../util/zod-issue.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { compileFor } from './compile-stage.js';
import { withRunLock } from './hold-run-lock.js';
import { type GlobalOptions, openRuntime } from './runtime.js';

export interface RunOperationOptions {
  /** --args, parsed: the macro's keyword arguments. */
  readonly args?: Readonly<Record<string, unknown>>;
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly lockTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface RunOperationResult {
  /** What the macro handed to return(), as text (lists and dicts as Python prints them); absent when it returned nothing. */
  readonly returned?: string;
}

export async function runOperation(globals: GlobalOptions, macro: string, options: RunOperationOptions = {}): Promise<RunOperationResult> {
  const runtime = await openRuntime(globals);
  try {
    const runStartedAt = new Date().toISOString();
    const facts = { vars: options.vars ?? {}, env: process.env, runStartedAt };
    const compiled = await compileFor(runtime.project, runtime.targetSpec(), facts);
    // An unknown macro is found before any connection opens.
    compiled.requireMacro(macro);
    const target = runtime.target();
    const warehouse = await openWarehouse(target, () => runtime.s3(), 1);
    try {
      return await withRunLock(target, warehouse, options.lockTimeoutMs, options.signal, async () => {
        const rendered = await renderOperationWithIntrospection(
          compiled,
          { kind: 'macro', name: macro, args: options.args ?? {} },
          `run-operation ${macro}`,
          { ...facts, onLog: (message) => logger.info(message) },
          introspectionAnswers(warehouse, options.signal),
        );
        const value = rendered.returned;
        if (value === undefined || value === null) return {};
        return { returned: typeof value === 'string' ? value : pyStr(value) };
      });
    } finally {
      await warehouse.close();
    }
  } finally {
    await runtime.close();
  }
}

/** `--args '{role: reporter}'`: a YAML (or JSON) mapping, as dbt takes it. */
export function parseOperationArgs(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = readYaml(text, '--args');
  } catch (error) {
    throw new ConfigError(
      `--args: cannot parse ${JSON.stringify(text)} as YAML: ${error instanceof Error ? error.message : String(error)}`,
      {},
      { cause: error },
    );
  }
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw new ConfigError(`--args must be a mapping of the macro's arguments, such as '{role: reporter}', got ${JSON.stringify(text)}`);
  return value;
}
