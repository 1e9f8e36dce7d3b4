// The site's style sheet, inlined in the page (the site works from a file, offline).

export const SITE_STYLES = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --accent: #2f6fde; --source: #1f9d55; --seed: #8a6d1f; --snapshot: #6b46c1; --model: #2f6fde; --exposure: #b83280; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f5f7fa; }
header { display: flex; flex-wrap: wrap; gap: 12px 24px; align-items: center; padding: 12px 20px; background: #fff; border-bottom: 1px solid var(--line); position: relative; }
header h1 { font-size: 18px; margin: 0; }
.search { position: relative; flex: 1 1 260px; max-width: 420px; }
#search { width: 100%; padding: 6px 10px; font: inherit; border: 1px solid var(--line); border-radius: 6px; }
#search-results { position: absolute; z-index: 2; left: 0; right: 0; margin: 4px 0 0; padding: 0; list-style: none; background: #fff; border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 4px 12px rgba(0,0,0,.08); }
#search-results:empty { display: none; }
#search-results button { display: block; width: 100%; text-align: left; padding: 6px 10px; border: 0; background: none; font: inherit; cursor: pointer; }
#search-results button:hover, #search-results button:focus { background: #eef4ff; }
#search-results .no-match { padding: 6px 10px; color: var(--muted); }
.kind { color: var(--muted); font-size: 12px; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); gap: 16px; padding: 16px 20px; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
.graph { overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; max-height: 80vh; }
.graph svg { display: block; }
.graph-node { cursor: pointer; }
.graph-node rect { fill: #fff; stroke-width: 1.5; rx: 6; }
.graph-node.kind-source rect { stroke: var(--source); }
.graph-node.kind-seed rect { stroke: var(--seed); }
.graph-node.kind-snapshot rect { stroke: var(--snapshot); }
.graph-node.kind-model rect { stroke: var(--model); }
.graph-node.kind-exposure rect { stroke: var(--exposure); }
.graph-node text { font-size: 12px; fill: var(--ink); pointer-events: none; }
.graph-node:hover rect, .graph-node:focus rect { fill: #eef4ff; }
.graph-node.selected rect { fill: #dbe8ff; stroke-width: 3; }
.graph-node:focus { outline: none; }
.edge { fill: none; stroke: #9aa5b1; stroke-width: 1.2; }
.details { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; min-width: 0; overflow-x: auto; }
.details h2 { margin: 0 0 4px; font-size: 18px; word-break: break-word; }
.details h3 { font-size: 14px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0 0 8px; }
.description { white-space: pre-wrap; margin: 8px 0; }
.empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 4px 6px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.column-description { white-space: pre-wrap; }
.test, .pii { display: inline-block; margin: 0 4px 2px 0; padding: 0 6px; border-radius: 10px; font-size: 12px; }
.test { background: #e3f8e8; color: #14532d; }
.pii { background: #ffe4e6; color: #9f1239; }
pre { background: #f5f7fa; border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow: auto; font-size: 12px; }
ul.links { margin: 0; padding-left: 18px; }
a { color: var(--accent); }
`;
