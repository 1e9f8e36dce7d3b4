// dbt's `graph` context variable: the manifest's nodes and sources as plain dicts
// (`graph.nodes.values()`, each with unique_id, resource_type, name, config, tags,
// depends_on …). It is filled once the manifest exists, i.e. when nodes render to run;
// while the manifest is being compiled it is empty, as dbt's graph is at parse time.
// https://docs.getdbt.com/reference/dbt-jinja-functions/graph

import type { Manifest } from '../manifest/manifest.js';

export interface GraphContext {
  readonly nodes: Record<string, unknown>;
  readonly sources: Record<string, unknown>;
  readonly macros: Record<string, unknown>;
  readonly exposures: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
}

const copies = new WeakMap<Manifest, GraphContext>();

/** A copy, so a template that changes it (`.update()`, `.pop()`) cannot change the manifest. */
export function graphContext(manifest: Manifest | undefined): GraphContext {
  if (!manifest) return { nodes: {}, sources: {}, macros: {}, exposures: {}, metrics: {} };
  let graph = copies.get(manifest);
  if (!graph) {
    graph = structuredClone({ nodes: manifest.nodes, sources: manifest.sources, macros: manifest.macros, exposures: {}, metrics: {} }) as GraphContext;
    copies.set(manifest, graph);
  }
  return graph;
}
