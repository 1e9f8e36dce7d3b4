// The Nunjucks environment models and macros render in, and the mapping of Nunjucks errors
// to CompileErrors that start with `file:line` (Nunjucks counts runtime lines from 0 and
// parse lines from 1; both come out 1-based here).

import nunjucks from 'nunjucks';
import { CompileError, PgshiftError } from '../errors.js';
import { DoExtension, JINJA_FILTERS } from './jinja-builtins.js';
import { compileJinjaSource } from './jinja-compiler.js';
import { jinjaRuntime } from './jinja-runtime.js';
import { describeSyntaxError } from './template-syntax-error.js';

export type Template = nunjucks.Template;
export type Environment = nunjucks.Environment;

export function createEnvironment(): Environment {
  // autoescape off: this is SQL, not HTML. dev keeps the original error as `cause`.
  const env = new nunjucks.Environment(null, { autoescape: false, dev: true, throwOnUndefined: false });
  env.addExtension('do', new DoExtension());
  for (const [name, filter] of Object.entries(JINJA_FILTERS)) env.addFilter(name, filter as (...args: unknown[]) => unknown);
  return env;
}

/** Compiles a template eagerly so syntax errors surface with their line now. */
export function compileTemplate(env: Environment, text: string, file: string): Template {
  return compileTracedTemplate(env, text, file).template;
}

function syntaxError(error: unknown, text: string, file: string): CompileError {
  const located = toCompileError(lib._prettifyError(file, true, error), file, 'parse');
  // A pgshift error raised while parsing (rare: an import) already says what is wrong.
  if (located.cause instanceof PgshiftError) return located;
  const problem = describeSyntaxError(stripNunjucksPrefix(errorText(located.cause)), located.context.line as number | undefined, text);
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  return new CompileError(`${where}: ${problem.message}`, { file, line: problem.line }, { cause: error });
}

/** A template and the 1-based line its code last reached, read when a call into it fails. */
export interface TracedTemplate {
  readonly template: Template;
  lastLine(): number | undefined;
}

interface EnvironmentInternals {
  asyncFilters: unknown;
  extensionsList: Array<{ preprocess?: (src: string) => string }>;
  opts: unknown;
}

const lib = (nunjucks as unknown as { lib: { _prettifyError(path: string, withInternals: boolean, error: unknown): unknown } }).lib;

type RootFunction = (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: unknown) => unknown;

// Nunjucks keeps the line being run in a variable of the template's root function, which its
// macros share; it reads it only for errors of the root render itself. A macro runs long after
// that render, so the source gets one line that hands the variable out.
const ROOT_POSITION = 'var lineno = 0;\nvar colno = 0;';

/**
 * Compiles a template with pgshift's Jinja code generator and runtime (jinja-compiler.ts,
 * jinja-runtime.ts), so that an error inside one of its macros can also name the line it was on.
 */
export function compileTracedTemplate(env: Environment, text: string, file: string): TracedTemplate {
  const internals = env as unknown as EnvironmentInternals;
  let source: string;
  try {
    source = compileJinjaSource(text, file, internals.extensionsList, internals.asyncFilters, internals.opts);
  } catch (error) {
    throw syntaxError(error, text, file);
  }
  const tracker: { read?: () => number } = {};
  // The same evaluation of compiled template code Nunjucks itself does (new Function(source)).
  const props = new Function('pgshiftLine', source.replace(ROOT_POSITION, `${ROOT_POSITION}\npgshiftLine.read = function () { return lineno + 1; };`))(
    tracker,
  ) as Record<string, RootFunction>;
  // The root and every block run with the Jinja runtime instead of the one Nunjucks hands them.
  const wrapped = Object.fromEntries(
    Object.entries(props).map(([name, fn]) => [name, (e: unknown, c: unknown, f: unknown, _runtime: unknown, cb: unknown) => fn(e, c, f, jinjaRuntime, cb)]),
  );
  const template = new nunjucks.Template({ type: 'code', obj: wrapped } as unknown as string, env, file, true);
  return { template, lastLine: () => tracker.read?.() };
}

/** `context` adds names only this render sees (on-run-end's `results`). */
export function renderTemplate(template: Template, file: string, context: Readonly<Record<string, unknown>> = {}): string {
  try {
    return template.render({ ...context });
  } catch (error) {
    throw toCompileError(error, file, 'render');
  }
}

/**
 * dbt's `{% test name(model, column_name) %}` blocks become `test_name` macros, so generic
 * tests written for dbt work unchanged. Lines are preserved.
 */
export function rewriteTestBlocks(text: string): string {
  return text.replace(/\{%(-?)\s*test\s+([A-Za-z_]\w*)\s*\(/g, '{%$1 macro test_$2(').replace(/\{%(-?)\s*endtest\s*(-?)%\}/g, '{%$1 endmacro $2%}');
}

interface NunjucksError extends Error {
  lineno?: number;
  cause?: unknown;
}

export function toCompileError(error: unknown, file: string, phase: 'parse' | 'render'): CompileError {
  const nunjucksError = error as NunjucksError;
  const cause = nunjucksError.cause;
  // A CompileError raised while rendering a nested template already says where it happened.
  if (cause instanceof CompileError && cause.context.file !== undefined) return cause;
  if (error instanceof CompileError && error.context.file !== undefined) return error;
  const raw = typeof nunjucksError.lineno === 'number' ? nunjucksError.lineno : undefined;
  const line = raw === undefined ? undefined : phase === 'render' ? raw + 1 : raw > 0 ? raw : undefined;
  const where = line === undefined ? file : `${file}:${line}`;
  const message = cause instanceof Error ? cause.message : stripNunjucksPrefix(nunjucksError.message ?? String(error));
  const context = cause instanceof PgshiftError ? { ...cause.context, file, line } : { file, line };
  return new CompileError(`${where}: ${message}`, context, { cause: cause ?? error });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stripNunjucksPrefix(message: string): string {
  return message
    .replace(/^\([^)]*\)(?: \[Line \d+(?:, Column \d+)?\])?\s*/, '')
    .replace(/^(?:Template render error|Error): /, '')
    .trim();
}
