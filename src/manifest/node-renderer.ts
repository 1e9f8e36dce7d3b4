// The run-time half of compilation as the runner sees it: render one node again with facts
// known only when it runs (is_incremental, the real interval), without importing the compiler.

import type { IntrospectionFacts } from './introspection.js';

/** Facts a render can override; compile/'s CompileContext is these plus the target. */
export interface RunTimeFacts {
  /** --vars, parsed; they override pgshift.yml `vars:`. */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** What env_var() reads; the CLI passes process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The run's interval as ISO strings; defaults to the UTC day before runStartedAt. */
  readonly interval?: { readonly start: string; readonly end: string };
  /** ISO timestamp; defaults to now. */
  readonly runStartedAt?: string;
  readonly fullRefresh?: boolean;
  /** Relations present in the warehouse, as relationKey(schema, identifier). */
  readonly existingRelations?: ReadonlySet<string>;
  /** Alternative to existingRelations, asked lazily. */
  readonly relationExists?: (schema: string, identifier: string) => boolean;
  /**
   * ref() of these nodes renders this relation instead of the node's own: a model's tests run
   * against its new version before it is published (write, audit, publish).
   */
  readonly relationOverrides?: Readonly<Record<string, { readonly schema: string; readonly identifier: string }>>;
  /**
   * A unit test's given rows: ref(), source() and `this` of these nodes read a CTE of this
   * query instead, prepended to the rendered SQL as dbt does.
   */
  readonly givenInputs?: Readonly<Record<string, string>>;
  /** --empty: ref() and source() read no rows (dbt's `where false limit 0` subquery); `this` reads its relation. */
  readonly empty?: boolean;
  /** A unit test's `overrides: macros: is_incremental`: what is_incremental() answers. */
  readonly isIncremental?: boolean;
  /**
   * Present when the node renders to run: what run_query(), statement blocks and adapter's
   * relation calls have been answered so far. Absent while compiling, where they return none
   * or empty, as in dbt while `execute` is false.
   */
  readonly introspection?: IntrospectionFacts;
  /** Receives log() calls from templates. */
  readonly onLog?: (message: string, node: string) => void;
}

/** A node rendered for execution, with run-time facts (is_incremental) known. */
export interface RenderedNode {
  readonly unique_id: string;
  readonly compiled_code: string;
  readonly is_incremental: boolean;
  readonly pre_hook: string[];
  readonly post_hook: string[];
}

export interface NodeRenderer {
  render(uniqueId: string, facts?: RunTimeFacts): RenderedNode;
}
