// The documentation site as one HTML page: the lineage graph (SVG), a panel per node with its
// description, columns, tests, PII classes and compiled SQL, and a search box. Everything is
// inline and a Content-Security-Policy allows only the page's own script, so the file works
// offline and can fetch nothing.

import { createHash } from 'node:crypto';
import { html, type SafeHtml, trustedHtml } from '../report/html/safe-html.js';
import { SITE_SCRIPT } from './site-script.js';
import type { SiteModel, SiteNode } from './site-model.js';
import { SITE_STYLES } from './site-styles.js';

const NODE_WIDTH = 190;
const NODE_HEIGHT = 34;
const COLUMN_GAP = 70;
const ROW_GAP = 14;
const MARGIN = 16;
const LABEL_CHARS = 26;

export function renderSite(model: SiteModel): string {
  const scriptHash = createHash('sha256').update(SITE_SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="pgshift">
<title>${model.projectName} · documentation</title>
<style>${trustedHtml(SITE_STYLES)}</style>
</head>
<body>
<header>
  <h1>${model.projectName}</h1>
  <div class="search" role="search">
    <input id="search" type="search" placeholder="Find a model, seed, snapshot, source or exposure" aria-label="Find a node by name" autocomplete="off">
    <ul id="search-results" aria-label="Search results"></ul>
  </div>
  <p class="meta">Generated ${model.generatedAt}</p>
</header>
<main>
  <section class="graph" aria-label="Lineage graph">${graphSvg(model.nodes)}</section>
  <section class="details" aria-live="polite">
    <div id="intro"><h2>Lineage</h2><p>${model.nodes.length} node(s): sources on the left, then seeds and models, then exposures. Click a node, or search for one by name, to read its documentation.</p></div>
    ${model.nodes.map((node) => nodeDoc(node, model))}
  </section>
</main>
<script>${trustedHtml(SITE_SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}

function position(node: SiteNode): { x: number; y: number } {
  return { x: MARGIN + node.depth * (NODE_WIDTH + COLUMN_GAP), y: MARGIN + node.row * (NODE_HEIGHT + ROW_GAP) };
}

function graphSvg(nodes: readonly SiteNode[]): SafeHtml {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const width = MARGIN * 2 + (Math.max(0, ...nodes.map((node) => node.depth)) + 1) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP;
  const height = MARGIN * 2 + Math.max(1, ...nodes.map((node) => node.row + 1)) * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
  const edges = nodes.flatMap((node) =>
    node.parents.map((parentId) => {
      const parent = position(byId.get(parentId)!);
      const child = position(node);
      const x1 = parent.x + NODE_WIDTH;
      const y1 = parent.y + NODE_HEIGHT / 2;
      const x2 = child.x;
      const y2 = child.y + NODE_HEIGHT / 2;
      const bend = (x2 - x1) / 2;
      return html`<path class="edge" data-from="${parentId}" data-to="${node.id}" d="M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}"/>`;
    }),
  );
  const boxes = nodes.map((node) => {
    const { x, y } = position(node);
    const label = node.name.length > LABEL_CHARS ? `${node.name.slice(0, LABEL_CHARS - 1)}…` : node.name;
    return html`<g class="graph-node kind-${node.kind}" data-node-id="${node.id}" data-name="${node.name}" data-kind="${node.kind}" tabindex="0" role="button" aria-pressed="false" aria-label="${node.kind} ${node.name}"><title>${node.kind} ${node.name}</title><rect x="${x}" y="${y}" width="${NODE_WIDTH}" height="${NODE_HEIGHT}"/><text x="${x + 10}" y="${y + NODE_HEIGHT / 2 + 4}">${label}</text></g>`;
  });
  return html`<svg id="lineage" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-label="Lineage: sources, models and exposures">${edges}${boxes}</svg>`;
}

function nodeDoc(node: SiteNode, model: SiteModel): SafeHtml {
  const nameOf = new Map(model.nodes.map((other) => [other.id, other.name]));
  const links = (ids: readonly string[]): SafeHtml =>
    ids.length === 0
      ? html`<p class="empty">none</p>`
      : html`<ul class="links">${ids.map((id) => html`<li><a href="#${id}" data-show="${id}">${nameOf.get(id) ?? id}</a></li>`)}</ul>`;
  const facts = [node.kind, node.materialized, node.relation, node.rowCount === null ? null : `≈ ${node.rowCount} rows`, node.path].filter(
    (fact): fact is string => fact !== null && fact !== '',
  );
  return html`<article class="node-doc" data-node-id="${node.id}" hidden>
  <h2>${node.name}</h2>
  <p class="meta">${facts.join(' · ')}</p>
  ${node.description === '' ? html`<p class="description empty">No description.</p>` : html`<p class="description">${node.description}</p>`}
  ${node.tests.length > 0 ? html`<h3>Tests</h3><p>${node.tests.map((test) => html`<span class="test">${test}</span>`)}</p>` : ''}
  ${node.kind === 'exposure' ? '' : columnsTable(node)}
  <h3>Depends on</h3>${links(node.parents)}
  <h3>Used by</h3>${links(node.children)}
  ${node.compiledSql === null ? '' : html`<h3>Compiled SQL</h3><pre><code>${node.compiledSql.trim()}</code></pre>`}
</article>
`;
}

function columnsTable(node: SiteNode): SafeHtml {
  if (node.columns.length === 0) return html`<h3>Columns</h3><p class="empty">No columns known: run pgshift docs generate after the relation is built.</p>`;
  return html`<h3>Columns</h3>
  <table class="columns">
    <thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Tests</th><th>PII</th></tr></thead>
    <tbody>${node.columns.map(
      (column) =>
        html`<tr data-column="${column.name}"><td>${column.name}</td><td>${column.type ?? ''}</td><td class="column-description">${column.description}</td><td>${column.tests.map((test) => html`<span class="test">${test}</span>`)}</td><td>${column.pii === null ? '' : html`<span class="pii">${column.pii}</span>`}</td></tr>`,
    )}</tbody>
  </table>`;
}
