// The runtime the compiled templates of one environment call (jinja-compiler.ts emits the
// calls): Nunjucks' own runtime with Jinja's lookups, Python's operators, macro returns and
// Python methods on strings, lists and dicts. Only templates compiled here see it; the
// Nunjucks module and the built-in prototypes stay as they are.

import nunjucks from 'nunjucks';
import { CompileError } from '../errors.js';
import { MacroReturn } from './macro-return.js';
import { pyAdd, pySub } from './python-datetime.js';
import { pyFormat } from './python-format.js';
import { pythonMethod } from './python-methods.js';
import { pyStr } from './python-repr.js';

interface Frame {
  lookup(name: string): unknown;
  parent: Frame | null;
  variables: Record<string, unknown>;
}

interface Context {
  ctx: Record<string, unknown>;
  env: { globals: Record<string, unknown> };
}

type Runtime = Record<string, unknown> & {
  memberLookup(obj: unknown, name: unknown): unknown;
  makeMacro(argNames: string[], kwargNames: string[], fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown;
  SafeString: new (value: string) => object;
};

const base = (nunjucks as unknown as { runtime: Runtime }).runtime;

/** A name that was looked up and holds nothing anywhere: Jinja's StrictUndefined, as dbt reports it. */
function strictLookup(context: Context, frame: Frame, name: string): unknown {
  const value = frame.lookup(name);
  if (value !== undefined) return value;
  for (let scope: Frame | null = frame; scope; scope = scope.parent) if (Object.hasOwn(scope.variables, name)) return undefined;
  if (Object.hasOwn(context.ctx, name)) return context.ctx[name];
  if (name in context.env.globals) return context.env.globals[name];
  throw new CompileError(`'${name}' is undefined`);
}

function memberLookup(obj: unknown, name: unknown): unknown {
  if (obj !== null && obj !== undefined && typeof name === 'string') {
    const method = pythonMethod(obj, name);
    if (method) return method;
    // A function carrying functions of its own (modules.datetime.datetime.now) stays itself:
    // Nunjucks would hand back a wrapper without them.
    const own = Object.hasOwn(obj, name) ? (obj as Record<string, unknown>)[name] : undefined;
    if (typeof own === 'function' && Object.keys(own).length > 0) return own;
  }
  return base.memberLookup(obj, name);
}

function makeMacro(argNames: string[], kwargNames: string[], fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const macro = base.makeMacro(argNames, kwargNames, fn);
  // dbt's return(): the call yields the value instead of the macro's text.
  return function returning(this: unknown, ...args: unknown[]): unknown {
    try {
      return macro.apply(this, args);
    } catch (error) {
      if (error instanceof MacroReturn) return error.value;
      throw error;
    }
  };
}

/** Lists and dicts render as Python prints them; everything else as before (None as nothing). */
function suppressValue(value: unknown, autoescape: boolean): unknown {
  if (Array.isArray(value) || isPlainObject(value)) return pyStr(value);
  // Output appends with `+`, which would take a date's valueOf (its epoch) over its text.
  if (typeof value === 'object' && value !== null) return String(value);
  return (base.suppressValue as (value: unknown, autoescape: boolean) => unknown)(value, autoescape);
}

function pyMod(left: unknown, right: unknown): unknown {
  if (typeof left === 'string') return pyFormat(left, right);
  if (typeof left === 'number' && typeof right === 'number') return ((left % right) + right) % right;
  return (left as number) % (right as number);
}

/** `~` joins the text of both sides; an absent value adds nothing, as Jinja's Undefined. */
function pyConcat(left: unknown, right: unknown): string {
  const text = (value: unknown): string => (value === undefined || value === null ? '' : pyStr(value));
  return text(left) + text(right);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export const jinjaRuntime: Runtime = Object.freeze({
  ...base,
  strictLookup,
  memberLookup,
  makeMacro,
  suppressValue,
  pyMod,
  pyAdd,
  pySub,
  pyConcat,
}) as Runtime;
