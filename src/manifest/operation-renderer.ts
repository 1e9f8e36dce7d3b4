// Rendering what is not a node, at run time: a run hook (on-run-start / on-run-end) or a macro
// called by `pgshift run-operation`. The runner and the API render through this contract, as
// nodes through NodeRenderer, without importing the compiler.

import type { RunTimeFacts } from './node-renderer.js';

export type Operation =
  /** A hook's SQL/Jinja; `context` adds names to what it sees (on-run-end's results, schemas). */
  | { readonly kind: 'hook'; readonly uniqueId: string; readonly label: string; readonly sql: string; readonly context?: Readonly<Record<string, unknown>> }
  /** A macro by name (`grant_select` or `my_package.grant_select`), with keyword arguments. */
  | { readonly kind: 'macro'; readonly name: string; readonly args: Readonly<Record<string, unknown>> };

export interface RenderedOperation {
  /** The rendered text: a hook's SQL to run; a macro's output. */
  readonly sql: string;
  /** What a macro handed to `return()`; absent when it returned nothing. */
  readonly returned?: unknown;
}

export interface OperationRenderer {
  renderOperation(operation: Operation, facts?: RunTimeFacts): RenderedOperation;
  /** Throws a one-line error, with a did-you-mean, when no macro answers to `name`. */
  requireMacro(name: string): void;
}
