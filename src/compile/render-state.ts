// What one render of a model or test records: the refs and sources it called (its
// dependencies), the config() it set, the macros it used, and the values it read that could
// still change before compilation ends (a relation's schema, is_incremental()).

import type { ConfigLayer } from '../manifest/node-config.js';

/** `operation`: a run hook or a run-operation macro, which has no relation of its own. */
export type RenderKind = 'model' | 'test' | 'snapshot' | 'operation';

/** Whether `this` and config() read the node's own relation and model config. */
export function hasRelation(kind: RenderKind): boolean {
  return kind === 'model' || kind === 'snapshot';
}

export interface RenderState {
  readonly uniqueId: string;
  readonly name: string;
  readonly kind: RenderKind;
  /** Project-relative file, for messages. */
  readonly file: string;
  /** Run-time re-render: config() is ignored and nothing needs re-checking. */
  readonly frozen: boolean;
  inFile: ConfigLayer;
  /** Unique ids of ref() targets, in first-call order. */
  readonly refs: string[];
  readonly refNames: string[];
  readonly sources: Array<[string, string]>;
  readonly sourceIds: string[];
  readonly macros: Set<string>;
  /** Each returns false when a value read during the render has changed since. */
  readonly reads: Array<() => boolean>;
}

export interface RenderRecord {
  readonly state: RenderState;
  /** Rendered SQL; relations still appear as tokens (see relation.ts). */
  readonly output: string;
}

export function newRenderState(uniqueId: string, name: string, kind: RenderKind, file: string, frozen: boolean): RenderState {
  return { uniqueId, name, kind, file, frozen, inFile: {}, refs: [], refNames: [], sources: [], sourceIds: [], macros: new Set(), reads: [] };
}

export function addRef(state: RenderState, uniqueId: string, name: string): void {
  if (!state.refs.includes(uniqueId)) {
    state.refs.push(uniqueId);
    state.refNames.push(name);
  }
}

export function addSource(state: RenderState, uniqueId: string, sourceName: string, tableName: string): void {
  if (!state.sourceIds.includes(uniqueId)) {
    state.sourceIds.push(uniqueId);
    state.sources.push([sourceName, tableName]);
  }
}
