// The macros of installed packages: one registry per package, each called through its
// namespace (`dbt_utils.star(...)`), so a root-project macro of the same name never shadows
// it; `adapter.dispatch('m', 'pkg')` searched in dbt's order; package generic tests found by
// `pkg.test_name` or, unqualified, after the root project's own.
// https://docs.getdbt.com/reference/dbt-jinja-functions/dispatch
// https://docs.getdbt.com/reference/project-configs/dispatch-config

import { CompileError, ConfigError } from '../errors.js';
import type { MacroEntry } from '../manifest/manifest.js';
import { didYouMean } from '../util/suggest.js';
import { MacroRegistry, type MacroDefinition } from './macro-registry.js';
import type { Environment } from './nunjucks-env.js';
import type { PackageFiles } from './project-files.js';
import { installMacro } from './render-globals.js';

type TargetType = 'postgres' | 'redshift';

export interface RootMacros {
  readonly name: string;
  readonly registry: MacroRegistry;
  /** dbt_project.yml `dispatch:`. */
  readonly dispatch: readonly { macro_namespace: string; search_order: readonly string[] }[];
}

export class PackageMacros {
  private readonly registries = new Map<string, MacroRegistry>();

  constructor(
    env: Environment,
    packages: readonly PackageFiles[],
    private readonly root: RootMacros,
  ) {
    for (const pkg of packages) {
      if (pkg.name === root.name) {
        throw new ConfigError(`package ${pkg.dir} is named ${pkg.name}, as this project is; a package needs a name of its own`, { file: pkg.dir });
      }
      this.registries.set(pkg.name, new MacroRegistry(env, [], pkg.macros, pkg.name));
    }
  }

  /** Installs each package's namespace as a global; `taken` are the names already in use. */
  install(env: Environment, taken: ReadonlySet<string>, callMacro: (macro: MacroDefinition, args: unknown[]) => unknown): void {
    for (const [name, registry] of this.registries) {
      if (taken.has(name) || this.root.registry.get(name)) {
        throw new ConfigError(
          `package ${name}: its name is also a macro or template name of this project, so ${name}.x() would be ambiguous; rename the macro`,
          {
            macro: name,
          },
        );
      }
      installMacro(env, name, namespaceOf(name, registry, callMacro) as never);
    }
  }

  names(): string[] {
    return [...this.registries.keys()];
  }

  /** `pkg.macro` of an installed package, for run-operation; undefined when there is none. */
  macro(packageName: string, macroName: string): MacroDefinition | undefined {
    return this.registries.get(packageName)?.get(macroName);
  }

  /** Every package macro as `pkg.macro`, for did-you-mean. */
  qualifiedNames(): string[] {
    return [...this.registries].flatMap(([name, registry]) => registry.names().map((macro) => `${name}.${macro}`));
  }

  manifestEntries(): Record<string, MacroEntry> {
    return Object.assign({}, ...[...this.registries.values()].map((registry) => registry.manifestEntries())) as Record<string, MacroEntry>;
  }

  /**
   * `adapter.dispatch(name, namespace)` for a package namespace: the packages of the root
   * project's `dispatch:` entry for it, else the root project and then the package, as dbt
   * searches; in each, `<adapter>__name` before `default__name`.
   */
  dispatchTarget(name: string, namespace: string, targetType: TargetType): MacroDefinition {
    const configured = this.root.dispatch.find((entry) => entry.macro_namespace === namespace)?.search_order;
    const order = configured ?? (this.registries.has(namespace) ? [this.root.name, namespace] : [namespace]);
    const candidates = MacroRegistry.dispatchCandidates(name, targetType);
    for (const packageName of order) {
      const registry = packageName === this.root.name ? this.root.registry : this.registries.get(packageName);
      if (!registry) {
        const where = configured ? `dbt_project.yml dispatch: search_order for ${namespace} names` : 'it names';
        throw new CompileError(
          `adapter.dispatch('${name}', '${namespace}'): ${where} '${packageName}', which is neither this project nor an installed package${didYouMean(packageName, [this.root.name, ...this.names()])}; run \`pgshift deps\` or fix the name`,
          { macro: name },
        );
      }
      for (const candidate of candidates) {
        const macro = registry.get(candidate);
        if (macro && !macro.builtin) return macro;
      }
    }
    throw new CompileError(
      `adapter.dispatch('${name}', '${namespace}') has no implementation for ${targetType} in ${order.join(', ')}: define one of ${candidates.join(', ')}`,
      {
        macro: name,
      },
    );
  }

  /**
   * The macro of a generic test written `pkg.name` (that package's `test_name`) or `name` (the
   * root project's own first, then the packages', then pgshift's built-in), as dbt looks them up.
   */
  testMacro(testName: string, namespace: string | null, where: string): MacroDefinition | undefined {
    const macroName = `test_${testName}`;
    if (namespace !== null && namespace !== this.root.name && namespace !== 'dbt') {
      const registry = this.registries.get(namespace);
      if (!registry) {
        throw new ConfigError(
          `${where} uses ${namespace}.${testName}, but no installed package is named ${namespace}${didYouMean(namespace, this.names())}; add it to packages.yml and run \`pgshift deps\``,
        );
      }
      const macro = registry.get(macroName);
      if (!macro) {
        const known = registry
          .names()
          .filter((name) => name.startsWith('test_'))
          .map((name) => name.slice(5));
        throw new ConfigError(`${where} uses ${namespace}.${testName}, but package ${namespace} has no test ${testName}${didYouMean(testName, known)}`);
      }
      return macro;
    }
    const own = this.root.registry.get(macroName);
    if (own && !own.builtin) return own;
    for (const registry of this.registries.values()) {
      const macro = registry.get(macroName);
      if (macro) return macro;
    }
    return own;
  }
}

/** `pkg.macro`: exactly the package's macro of that name. */
function namespaceOf(packageName: string, registry: MacroRegistry, callMacro: (macro: MacroDefinition, args: unknown[]) => unknown): object {
  return new Proxy(
    {},
    {
      get(target, key) {
        if (typeof key !== 'string' || key in target) return Reflect.get(target, key);
        const macro = registry.get(key);
        if (!macro) throw new CompileError(`${packageName}.${key} is not a macro of package ${packageName}${didYouMean(key, registry.names())}`);
        return (...args: unknown[]) => callMacro(macro, args);
      },
      has: (_target, key) => typeof key === 'string' && registry.get(key) !== undefined,
    },
  );
}
