// Python's re module as dbt exposes it under modules.re: match, search, fullmatch, sub,
// findall, split, compile and the I/M/S flags, on JavaScript regular expressions (Python's
// `(?P<name>…)` groups and `\1` / `\g<name>` replacements translated).
// https://docs.getdbt.com/reference/dbt-jinja-functions/modules

import { CompileError } from '../errors.js';

const IGNORECASE = 2;
const MULTILINE = 8;
const DOTALL = 16;

function regex(pattern: unknown, flags: unknown, extra = ''): RegExp {
  const source = pattern instanceof PyPattern ? pattern.pattern : String(pattern);
  const bits = Number(flags ?? 0) | (pattern instanceof PyPattern ? pattern.flags : 0);
  const js = `${bits & IGNORECASE ? 'i' : ''}${bits & MULTILINE ? 'm' : ''}${bits & DOTALL ? 's' : ''}${extra}`;
  try {
    return new RegExp(source.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), js);
  } catch (error) {
    throw new CompileError(`re: invalid pattern ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
}

export class PyMatch {
  constructor(private readonly found: RegExpExecArray) {}
  group(...which: unknown[]): unknown {
    const one = (key: unknown): string | null => (typeof key === 'string' ? (this.found.groups?.[key] ?? null) : (this.found[Number(key ?? 0)] ?? null));
    return which.length <= 1 ? one(which[0]) : which.map(one);
  }
  groups(): Array<string | null> {
    return this.found.slice(1).map((value) => value ?? null);
  }
  groupdict(): Record<string, string | null> {
    return { ...(this.found.groups ?? {}) } as Record<string, string | null>;
  }
  start(): number {
    return this.found.index;
  }
  end(): number {
    return this.found.index + this.found[0].length;
  }
  span(): number[] {
    return [this.start(), this.end()];
  }
  toString(): string {
    return `<re.Match object; span=(${this.start()}, ${this.end()}), match='${this.found[0]}'>`;
  }
}

function keywords(args: unknown[]): Record<string, unknown> {
  const last = args[args.length - 1];
  return typeof last === 'object' && last !== null && Object.hasOwn(last, '__keywords') ? (last as Record<string, unknown>) : {};
}

function at(args: unknown[], index: number, name: string): unknown {
  const kw = keywords(args);
  const positional = Object.keys(kw).length > 0 ? args.slice(0, -1) : args;
  return positional[index] ?? kw[name];
}

function match(pattern: unknown, text: unknown, flags?: unknown): PyMatch | null {
  const re = regex(pattern, flags, 'y');
  const found = re.exec(String(text));
  return found ? new PyMatch(found) : null;
}

function fullmatch(pattern: unknown, text: unknown, flags?: unknown): PyMatch | null {
  const source = pattern instanceof PyPattern ? pattern.pattern : String(pattern);
  return match(new PyPattern(`(?:${source})$`, Number(flags ?? 0) | (pattern instanceof PyPattern ? pattern.flags : 0)), text);
}

function search(pattern: unknown, text: unknown, flags?: unknown): PyMatch | null {
  const found = regex(pattern, flags).exec(String(text));
  return found ? new PyMatch(found) : null;
}

function findall(pattern: unknown, text: unknown, flags?: unknown): unknown[] {
  return [...String(text).matchAll(regex(pattern, flags, 'g'))].map((found) =>
    found.length === 1 ? found[0] : found.length === 2 ? (found[1] ?? '') : found.slice(1).map((value) => value ?? ''),
  );
}

function sub(pattern: unknown, replacement: unknown, text: unknown, count?: unknown, flags?: unknown): string {
  const limit = Number(count ?? 0);
  let done = 0;
  const re = regex(pattern, flags, 'g');
  return String(text).replace(re, (...found) => {
    if (limit > 0 && done >= limit) return found[0] as string;
    done++;
    const groups = found.filter((item) => typeof item === 'string' || item === undefined).slice(0, -1) as Array<string | undefined>;
    const named = typeof found[found.length - 1] === 'object' ? (found[found.length - 1] as Record<string, string>) : {};
    return String(replacement).replace(/\\(\d+)|\\g<(\w+)>|\\n|\\\\/g, (token, digit: string | undefined, name: string | undefined) => {
      if (digit !== undefined) return groups[Number(digit)] ?? '';
      if (name !== undefined) return /^\d+$/.test(name) ? (groups[Number(name)] ?? '') : (named[name] ?? '');
      return token === '\\n' ? '\n' : '\\';
    });
  });
}

function split(pattern: unknown, text: unknown, maxsplit?: unknown, flags?: unknown): string[] {
  const limit = Number(maxsplit ?? 0);
  const parts: string[] = [];
  let last = 0;
  for (const found of String(text).matchAll(regex(pattern, flags, 'g'))) {
    if (limit > 0 && parts.length >= limit) break;
    parts.push(String(text).slice(last, found.index));
    last = found.index + found[0].length;
  }
  parts.push(String(text).slice(last));
  return parts;
}

/** re.compile's result: the module's functions with the pattern bound. */
export class PyPattern {
  constructor(
    readonly pattern: string,
    readonly flags: number,
  ) {}
  match(text: unknown): PyMatch | null {
    return match(this, text);
  }
  fullmatch(text: unknown): PyMatch | null {
    return fullmatch(this, text);
  }
  search(text: unknown): PyMatch | null {
    return search(this, text);
  }
  findall(text: unknown): unknown[] {
    return findall(this, text);
  }
  sub(replacement: unknown, text: unknown, count?: unknown): string {
    return sub(this, replacement, text, count);
  }
  split(text: unknown, maxsplit?: unknown): string[] {
    return split(this, text, maxsplit);
  }
}

export function reModule() {
  return {
    match: (...args: unknown[]) => match(args[0], args[1], at(args, 2, 'flags')),
    fullmatch: (...args: unknown[]) => fullmatch(args[0], args[1], at(args, 2, 'flags')),
    search: (...args: unknown[]) => search(args[0], args[1], at(args, 2, 'flags')),
    findall: (...args: unknown[]) => findall(args[0], args[1], at(args, 2, 'flags')),
    sub: (...args: unknown[]) => sub(args[0], args[1], args[2], at(args, 3, 'count'), at(args, 4, 'flags')),
    split: (...args: unknown[]) => split(args[0], args[1], at(args, 2, 'maxsplit'), at(args, 3, 'flags')),
    compile: (...args: unknown[]) => new PyPattern(String(args[0]), Number(at(args, 1, 'flags') ?? 0)),
    escape: (text: unknown) => String(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    IGNORECASE,
    I: IGNORECASE,
    MULTILINE,
    M: MULTILINE,
    DOTALL,
    S: DOTALL,
  };
}
