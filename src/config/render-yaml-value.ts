// Renders the Jinja dbt allows in dbt_project.yml and profiles.yml values: `{{ env_var('X') }}`,
// `{{ env_var('X', 'default') }}`, `{{ var('x') }}` and `{{ target.name }}`, with dbt's
// as_bool / as_number / as_text / as_native filters. Nothing else of the model context exists
// here, as in dbt, which renders project config with var/env_var/target only:
// https://docs.getdbt.com/reference/dbt-jinja-functions/env_var
// https://docs.getdbt.com/reference/dbt-jinja-functions/dbt-project-yml-context

import nunjucks from 'nunjucks';
import { ConfigError } from '../errors.js';
import { registerSecret } from '../log/redact.js';
import { isRecord } from '../util/zod-issue.js';

export interface YamlValueContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly target?: object;
  /** The value is a secret (a password): whatever it renders to is masked in every log line. */
  readonly secret?: boolean;
}

const JINJA = /\{\{|\{%/;

/** Whether a YAML value needs rendering at all. */
export function hasJinja(value: unknown): value is string {
  return typeof value === 'string' && JINJA.test(value);
}

/**
 * One value rendered; a value without Jinja comes back unchanged. A whole-value template that
 * renders to true/false or a number becomes that type, as dbt's native rendering does
 * (`+enabled: "{{ var('on') }}"` is a boolean). `where` names file and key for errors.
 */
export function renderYamlValue(value: unknown, context: YamlValueContext, where: string): unknown {
  if (!hasJinja(value)) return value;
  const missing: string[] = [];
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
  env.addGlobal('env_var', (name: string, fallback?: unknown) => {
    const found = context.env[name];
    if (found !== undefined) return found;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return '';
  });
  env.addGlobal('var', (name: string, fallback?: unknown) => {
    if (context.vars && Object.hasOwn(context.vars, name)) return context.vars[name];
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`${where}: var('${name}') is not defined; set it under vars: in dbt_project.yml, pass --vars, or give a default`);
  });
  env.addFilter('as_bool', (input: unknown) => toNative(String(input)));
  env.addFilter('as_number', (input: unknown) => Number(input));
  env.addFilter('as_text', (input: unknown) => String(input));
  env.addFilter('as_native', (input: unknown) => toNative(String(input)));
  let rendered: string;
  try {
    rendered = env.renderString(value, { target: context.target ?? {} });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // The template text may hold a secret's name but never its value; the message is nunjucks'.
    const reason = error instanceof Error ? error.message.split('\n').at(-1)!.trim() : String(error);
    throw new ConfigError(`${where}: cannot render ${JSON.stringify(value)}: ${reason}`, {}, { cause: error });
  }
  if (missing.length > 0) {
    throw new ConfigError(`${where}: environment variable ${missing[0]} is not set; set it, or give env_var('${missing[0]}', 'default') a default`);
  }
  if (context.secret) {
    registerSecret(rendered);
    return rendered;
  }
  return toNative(rendered.trim());
}

// Hooks are SQL templates rendered when they run, with `this` and the rest of the model
// context; dbt leaves them unrendered in project config too.
const RENDERED_LATER = /^\+?(pre[-_]hook|post[-_]hook)$/;

/** Every string of a YAML tree rendered, hooks aside; keys stay as written. `where` is the tree's key path. */
export function renderYamlTree(tree: unknown, context: YamlValueContext, where: string): unknown {
  if (Array.isArray(tree)) return tree.map((item, index) => renderYamlTree(item, context, `${where}[${index}]`));
  if (isRecord(tree)) {
    return Object.fromEntries(
      Object.entries(tree).map(([key, value]) => [key, RENDERED_LATER.test(key) ? value : renderYamlTree(value, context, `${where}.${key}`)]),
    );
  }
  return renderYamlValue(tree, context, where);
}

function toNative(text: string): unknown {
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
