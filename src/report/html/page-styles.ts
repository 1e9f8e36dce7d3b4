// The page's only style sheet, inlined so the report opens anywhere without a network. Plain
// system fonts, one accent colour, and charts that shrink with the window down to a readable
// minimum, then scroll sideways.

export const PAGE_STYLES = `
:root { --text: #0f172a; --muted: #475569; --line: #e2e8f0; --card: #ffffff; --page: #f1f5f9; --accent: #2563eb; --accent-soft: rgba(37, 99, 235, 0.10); --average: #d97706; --up: #15803d; --down: #b91c1c; --flat: #64748b; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 28px; padding-bottom: 8px; }
h1 { margin: 0; font-size: 26px; letter-spacing: -0.01em; }
h1 .day { color: var(--accent); }
h2 { margin: 0 0 4px; font-size: 18px; }
h3 { margin: 0; font-size: 13px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
.subtitle, .note { margin: 4px 0 0; color: var(--muted); font-size: 14px; }
.note { margin-bottom: 12px; }
section { margin: 20px 0; }
.kpis { display: grid; gap: 14px; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); }
.kpi, .card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 1px 2px rgba(15, 23, 42, 0.04); }
.kpi { padding: 14px 16px; }
.kpi-value { margin: 4px 0 8px; font-size: 28px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi-compare { list-style: none; margin: 0; padding: 0; font-size: 13px; color: var(--muted); }
.kpi-compare li { margin: 2px 0; }
.kpi-compare .change { font-variant-numeric: tabular-nums; }
.change-up .arrow, .change-up .change { color: var(--up); }
.change-down .arrow, .change-down .change { color: var(--down); }
.change-flat .arrow, .change-flat .change, .change-none .arrow { color: var(--flat); }
.charts { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 560px), 1fr)); }
.card { padding: 16px 18px; margin: 0; min-width: 0; }
.card.wide { grid-column: 1 / -1; }
.chart-scroll { overflow-x: auto; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { font-size: 12px; fill: var(--muted); font-family: inherit; }
svg.chart .axis-title { font-size: 12px; font-weight: 600; fill: var(--text); }
svg.chart .grid line { stroke: var(--line); }
svg.chart .axis, svg.chart .tick-mark { stroke: #94a3b8; }
svg.chart .series-revenue { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; }
svg.chart .series-average { fill: none; stroke: var(--average); stroke-width: 2; stroke-dasharray: 6 4; }
svg.chart .area-revenue { fill: var(--accent-soft); }
svg.chart .dot { fill: var(--card); stroke: var(--accent); stroke-width: 1.5; }
svg.chart .dot-today { fill: var(--accent); }
svg.chart .legend text { fill: var(--text); }
svg.chart .bar { fill: var(--accent); }
svg.chart .bar-tail { fill: #93c5fd; }
svg.chart .bar-label { fill: var(--text); font-size: 13px; }
svg.chart .bar-value { fill: var(--text); font-variant-numeric: tabular-nums; }
svg.chart .cell text { font-size: 11.5px; font-variant-numeric: tabular-nums; }
svg.chart .cell .on-light { fill: var(--text); }
svg.chart .cell .on-dark { fill: #ffffff; }
svg.chart .cell-first rect { fill: #e2e8f0; }
svg.chart .bar-row:hover .bar, svg.chart .bar:hover { fill: #1d4ed8; }
details.data { margin-top: 10px; font-size: 13px; }
details.data summary { cursor: pointer; color: var(--accent); }
.table-scroll { overflow-x: auto; max-height: 360px; overflow-y: auto; margin-top: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; white-space: nowrap; }
th { position: sticky; top: 0; background: var(--card); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.downloads ul { margin: 8px 0 0; padding-left: 20px; }
.access td.leak, .access .leaks strong { color: var(--down); font-weight: 650; }
.access .leaks { margin: 8px 0 0; padding-left: 20px; }
.downloads li, code { overflow-wrap: anywhere; }
a { color: var(--accent); }
footer { padding-bottom: 28px; color: var(--muted); font-size: 13px; }
@media (max-width: 640px) { .kpi-value { font-size: 24px; } h1 { font-size: 22px; } }
@media print { body { background: #fff; } .card, .kpi { box-shadow: none; break-inside: avoid; } details.data { display: none; } }
`;
