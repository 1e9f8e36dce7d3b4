// The `dbt` global: `dbt.dateadd(...)` dispatches like dbt's own `adapter.dispatch(name, 'dbt')`:
// a project macro `<adapter>__name` / `default__name` first (the root project is searched
// before dbt's), then dbt's forms (dbt-macros.ts), then pgshift's built-in of that name.
// https://docs.getdbt.com/reference/dbt-jinja-functions/dispatch

import { CompileError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import { MacroRegistry, type MacroDefinition } from './macro-registry.js';

export interface DbtNamespaceHost {
  readonly project: MacroRegistry;
  readonly dbt: MacroRegistry;
  targetType(): 'postgres' | 'redshift';
  callMacro(macro: MacroDefinition, args: unknown[]): unknown;
}

export function dbtNamespace(host: DbtNamespaceHost): object {
  const resolve = (name: string): MacroDefinition | undefined => {
    const candidates = MacroRegistry.dispatchCandidates(name, host.targetType());
    for (const candidate of candidates) {
      const own = host.project.get(candidate);
      if (own && !own.builtin) return own;
    }
    for (const candidate of [...candidates, name]) {
      const macro = host.dbt.get(candidate);
      if (macro) return macro;
    }
    for (const candidate of candidates) {
      const builtin = host.project.get(candidate);
      if (builtin) return builtin;
    }
    return undefined;
  };
  const known = (): string[] => {
    const names = new Set<string>();
    for (const name of host.dbt.names()) names.add(name.replace(/^(?:default|postgres|redshift)__/, ''));
    return [...names].filter((name) => !name.startsWith('default_') && name !== 'negative_split_part').sort();
  };
  return new Proxy(
    {},
    {
      get(target, key) {
        if (typeof key !== 'string' || key in target) return Reflect.get(target, key);
        const macro = resolve(key);
        if (!macro) throw new CompileError(`dbt.${key} is not one of dbt's macros pgshift provides${didYouMean(key, known())}; it has ${known().join(', ')}`);
        return (...args: unknown[]) => host.callMacro(macro, args);
      },
      has: (_target, key) => typeof key === 'string' && resolve(key) !== undefined,
    },
  );
}
