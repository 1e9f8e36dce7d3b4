// What Jinja and dbt give every template beyond pgshift's own functions: return(),
// namespace(), dict(), True/False/None, tojson/fromjson/toyaml/fromyaml (as functions and
// filters), modules.datetime / modules.re, and the `{% do %}` tag. `{% set ns.x = … %}` is
// rewritten to an update of the namespace before parsing, lines kept.
// https://docs.getdbt.com/reference/dbt-jinja-functions/tojson
// https://docs.getdbt.com/reference/dbt-jinja-functions/fromyaml

import { CORE_SCHEMA, dump } from 'js-yaml';
import { readYaml } from '../config/read-yaml.js';
import { CompileError, ConfigError } from '../errors.js';
import { macroReturn } from './macro-return.js';
import { datetimeModule } from './python-datetime.js';
import { reModule } from './python-re.js';
import { isDict } from './python-repr.js';

interface Parser {
  nextToken(): { value: string; lineno: number; colno: number };
  parseExpression(): unknown;
  advanceAfterBlockEnd(name: string): void;
}

interface Nodes {
  CallExtension: new (ext: object, prop: string, args: unknown, contentArgs?: unknown) => unknown;
  NodeList: new (lineno: number, colno: number, children: unknown[]) => unknown;
}

/** `{% do expr %}` evaluates expr for its effect (jinja2.ext.do, which dbt enables). */
export class DoExtension {
  readonly tags = ['do'];
  parse(parser: Parser, nodes: Nodes): unknown {
    const tag = parser.nextToken();
    const expression = parser.parseExpression();
    parser.advanceAfterBlockEnd(tag.value);
    return new nodes.CallExtension(this, 'run', new nodes.NodeList(tag.lineno, tag.colno, [expression]));
  }
  run(): string {
    return '';
  }
  /** `{% set ns.found = true %}` assigns into a namespace; Nunjucks' set only takes names. */
  preprocess(src: string): string {
    return src.replace(/\{%(-?)\s*set\s+([A-Za-z_]\w*)\.([A-Za-z_]\w*)\s*=([\s\S]*?)(-?)%\}/g, "{%$1 do $2.update({'$3': ($4)}) $5%}");
  }
}

function withoutKeywords(value: unknown): unknown {
  if (!isDict(value) || !Object.hasOwn(value, '__keywords')) return value;
  const copy = { ...value };
  delete copy.__keywords;
  return copy;
}

/** Python's json.dumps: `{"a": 1, "b": [1, 2]}`, keys sorted on request. */
export function toJson(value: unknown, ...rest: unknown[]): string {
  const options = rest.find((arg) => isDict(arg) && Object.hasOwn(arg, '__keywords')) as Record<string, unknown> | undefined;
  const sortKeys = options?.sort_keys === true || rest[1] === true;
  const write = (item: unknown): string => {
    if (item === undefined || item === null) return 'null';
    if (Array.isArray(item)) return `[${item.map(write).join(', ')}]`;
    if (isDict(item)) {
      const keys = Object.keys(item).filter((key) => key !== '__keywords');
      if (sortKeys) keys.sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}: ${write(item[key])}`).join(', ')}}`;
    }
    if (typeof item === 'object' && typeof (item as { toString?: unknown }).toString === 'function') return JSON.stringify(String(item));
    return JSON.stringify(item) ?? 'null';
  };
  return write(value);
}

export function fromJson(text: unknown, fallback?: unknown): unknown {
  try {
    return JSON.parse(String(text));
  } catch (error) {
    if (fallback !== undefined) return fallback;
    throw new CompileError(`fromjson(): ${JSON.stringify(text)} is not JSON: ${(error as Error).message}`);
  }
}

export function fromYaml(text: unknown, fallback?: unknown): unknown {
  try {
    return readYaml(String(text), 'fromyaml()');
  } catch (error) {
    if (fallback !== undefined) return fallback;
    throw new CompileError(error instanceof ConfigError ? error.message : String(error));
  }
}

export function toYaml(value: unknown): string {
  return dump(withoutKeywords(value), { schema: CORE_SCHEMA, sortKeys: false });
}

/** The globals, for an environment whose clock is `now` (the run's start time). */
export function jinjaGlobals(now: () => string): Record<string, unknown> {
  return {
    return: macroReturn,
    namespace: (...args: unknown[]) => Object.assign({}, ...args.map(withoutKeywords)),
    dict: (...args: unknown[]) => Object.assign({}, ...args.map(withoutKeywords)),
    True: true,
    False: false,
    None: null,
    tojson: toJson,
    fromjson: fromJson,
    toyaml: toYaml,
    fromyaml: fromYaml,
    modules: { datetime: datetimeModule(now), re: reModule() },
  };
}

export const JINJA_FILTERS: Record<string, (...args: never[]) => unknown> = {
  tojson: toJson,
  fromjson: fromJson,
  toyaml: toYaml,
  fromyaml: fromYaml,
};

export const JINJA_GLOBAL_NAMES = ['return', 'namespace', 'dict', 'True', 'False', 'None', 'tojson', 'fromjson', 'toyaml', 'fromyaml', 'modules'] as const;
