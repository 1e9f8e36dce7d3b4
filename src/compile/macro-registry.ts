// Every `{% macro %}` of macros/**/*.sql (plus the built-in generic tests), compiled once per
// compilation and callable from any model or macro; and adapter dispatch: `x` resolves to
// `<target>__x`, then (on Redshift) `postgres__x`, then `default__x`, like dbt-redshift, which
// inherits from dbt-postgres.

import { CompileError } from '../errors.js';
import { checksumOf } from './checksum.js';
import type { MacroEntry } from '../manifest/manifest.js';
import { compileTracedTemplate, rewriteTestBlocks, toCompileError, type Environment } from './nunjucks-env.js';
import type { TextFile } from './project-files.js';

export type MacroFunction = (...args: unknown[]) => unknown;

export interface MacroDefinition {
  readonly name: string;
  readonly uniqueId: string;
  readonly file: string;
  /** 1-based line of its `{% macro %}` (or `{% test %}`) tag, for messages. */
  readonly line: number | undefined;
  /** The line its file's code last reached: inside this macro when a call to it has just failed. */
  readonly lastLine: () => number | undefined;
  readonly fn: MacroFunction;
  readonly builtin: boolean;
}

type TargetType = 'postgres' | 'redshift';

interface ExportingTemplate {
  getExported(ctx: object, parentFrame: null, cb: (error: unknown, exported: Record<string, unknown>) => void): void;
}

export class MacroRegistry {
  private readonly macros = new Map<string, MacroDefinition>();

  /** Builtins load first so that a project macro of the same name replaces them, as in dbt. */
  constructor(
    env: Environment,
    builtins: readonly TextFile[],
    files: readonly TextFile[],
    private readonly projectName: string,
  ) {
    for (const file of builtins) this.load(env, file, true);
    for (const file of files) this.load(env, file, false);
  }

  get(name: string): MacroDefinition | undefined {
    return this.macros.get(name);
  }

  names(): string[] {
    return [...this.macros.keys()].sort();
  }

  /** The names `name` can dispatch to for a target, most specific first. */
  static dispatchCandidates(name: string, targetType: TargetType): string[] {
    const adapters = targetType === 'redshift' ? ['redshift', 'postgres'] : ['postgres'];
    return [...adapters.map((adapter) => `${adapter}__${name}`), `default__${name}`];
  }

  resolveDispatch(name: string, targetType: TargetType): MacroDefinition | undefined {
    for (const candidate of MacroRegistry.dispatchCandidates(name, targetType)) {
      const macro = this.macros.get(candidate);
      if (macro) return macro;
    }
    return undefined;
  }

  /** Names that only exist as `<adapter>__x` / `default__x`: plain `x()` dispatches. */
  dispatchOnlyNames(): string[] {
    const names = new Set<string>();
    for (const macroName of this.macros.keys()) {
      const match = /^(?:default|postgres|redshift)__(.+)$/.exec(macroName);
      if (match && !this.macros.has(match[1]!)) names.add(match[1]!);
    }
    return [...names].sort();
  }

  manifestEntries(): Record<string, MacroEntry> {
    const entries: Record<string, MacroEntry> = {};
    for (const macro of this.macros.values()) {
      if (macro.builtin) continue;
      entries[macro.uniqueId] = {
        unique_id: macro.uniqueId,
        name: macro.name,
        original_file_path: macro.file,
        checksum: this.checksums.get(macro.file)!,
        macro_sql: macroBlock(this.texts.get(macro.file) ?? '', macro.name),
      };
    }
    return entries;
  }

  private readonly checksums = new Map<string, MacroEntry['checksum']>();
  private readonly texts = new Map<string, string>();

  private load(env: Environment, file: TextFile, builtin: boolean): void {
    const traced = compileTracedTemplate(env, rewriteTestBlocks(file.text), file.path);
    const template = traced.template as unknown as ExportingTemplate;
    this.checksums.set(file.path, checksumOf(file.text));
    this.texts.set(file.path, file.text);
    let exported: Record<string, unknown> = {};
    template.getExported({}, null, (error, result) => {
      if (error) throw toCompileError(error, file.path, 'render');
      exported = result;
    });
    for (const [name, value] of Object.entries(exported)) {
      if (typeof value !== 'function') continue;
      const existing = this.macros.get(name);
      if (existing && !existing.builtin) {
        throw new CompileError(`two macros are named '${name}': ${existing.file} and ${file.path}; macro names must be unique`, {
          file: file.path,
          macro: name,
        });
      }
      const line = definitionLine(file.text, name);
      this.macros.set(name, {
        name,
        uniqueId: `macro.${this.projectName}.${name}`,
        file: file.path,
        line,
        lastLine: traced.lastLine,
        fn: value as MacroFunction,
        builtin,
      });
    }
  }
}

/** Where `{% macro name(` (or dbt's `{% test x(` for `test_x`) opens; macro names are identifiers. */
function definitionLine(text: string, name: string): number | undefined {
  const tag = name.startsWith('test_') ? `(?:macro\\s+${name}|test\\s+${name.slice(5)})` : `macro\\s+${name}`;
  const match = new RegExp(`\\{%-?\\s*${tag}\\s*\\(`).exec(text);
  return match ? text.slice(0, match.index).split('\n').length : undefined;
}

/**
 * The `{% macro name(...) %}…{% endmacro %}` block of one macro (a generic test's
 * `{% test x(...) %}…{% endtest %}` for `test_x`), as dbt's manifest keeps it (macro_sql); the file when none matches.
 */
function macroBlock(text: string, name: string): string {
  const escapeRegExp = (value: string) => value.replace(/[^\w]/g, '\\$&');
  const test = name.startsWith('test_') ? `|test\\s+${escapeRegExp(name.slice('test_'.length))}` : '';
  const start = new RegExp(`\\{%-?\\s*(?:macro\\s+${escapeRegExp(name)}${test})\\s*\\(`).exec(text);
  if (!start) return text;
  const end = /\{%-?\s*end(?:macro|test)\s*-?%\}/.exec(text.slice(start.index));
  return end ? text.slice(start.index, start.index + end.index + end[0].length) : text.slice(start.index);
}
