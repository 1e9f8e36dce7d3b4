// Assembles the one self-contained report page: KPI strip, four charts with their data tables,
// and links to the CSV files. A Content-Security-Policy forbids scripts and every network
// request, so even a mistake elsewhere could not make the page run code or fetch anything.

import { bandLabel, ltvHistogramChart } from '../charts/ltv-histogram-chart.js';
import { cohortHeatMap } from '../charts/cohort-heat-map.js';
import { revenueTrendChart } from '../charts/revenue-trend-chart.js';
import { topProductsChart } from '../charts/top-products-chart.js';
import type { ReportData } from '../data/read-report-data.js';
import { AVERAGE_DAYS, TREND_DAYS } from '../data/read-report-data.js';
import type { Kpi } from '../kpis.js';
import { addDays, longDay, monthLabel, shortDay } from '../report-date.js';
import type { TrendPoint } from '../revenue-trend.js';
import { accessSection, type AccessSectionInput } from './access-section.js';
import { formatCount, formatMoney, formatShare } from './format.js';
import { dataTable } from './data-table.js';
import { kpiCards } from './kpi-cards.js';
import { PAGE_STYLES } from './page-styles.js';
import { html, trustedHtml, type SafeHtml } from './safe-html.js';

export interface CsvFile {
  readonly file: string;
  readonly table: string;
  readonly rows: number;
}

export interface PageInput {
  readonly data: ReportData;
  readonly kpis: readonly Kpi[];
  readonly trend: readonly TrendPoint[];
  readonly csvFiles: readonly CsvFile[];
  readonly generatedAt: Date;
  /** The Access section's matrix; null leaves the section out (a report written without it). */
  readonly access?: AccessSectionInput | null;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderPage(input: PageInput): string {
  const { data, kpis, trend, csvFiles, generatedAt } = input;
  const day = longDay(data.date);
  const generated = `${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="pgshift">
<link rel="icon" href="data:,">
<title>Sales report · ${day}</title>
<style>${trustedHtml(PAGE_STYLES)}</style>
</head>
<body>
<header>
  <h1>Sales report · <span class="day">${day}</span></h1>
  <p class="subtitle">Orders placed on the UTC day, compared with the day before and with the average of the ${AVERAGE_DAYS} days before. Generated ${generated} from <code>${data.schema}</code>.</p>
</header>
<main>
  ${kpiCards(kpis, data.date, addDays(data.date, -1))}
  <section class="charts" aria-label="Charts">
    ${card(
      { wide: true },
      `Revenue, last ${TREND_DAYS} days`,
      `Daily revenue up to ${shortDay(data.date)} (the filled dot); the dashed line is the mean of each day and the ${AVERAGE_DAYS - 1} before it.`,
      revenueTrendChart(trend),
      dataTable(
        'Daily revenue as a table',
        [
          { heading: 'Day', value: (point: TrendPoint) => point.date },
          { heading: 'Revenue', value: (point) => formatMoney(point.revenue), numeric: true },
          { heading: `${AVERAGE_DAYS}-day average`, value: (point) => (point.movingAverage === null ? '' : formatMoney(point.movingAverage)), numeric: true },
        ],
        trend,
      ),
    )}
    ${card(
      {},
      'Top products by revenue',
      'All-time revenue up to the last run; hover a bar for orders and units.',
      topProductsChart(data.topProducts),
      dataTable(
        'Top products as a table',
        [
          { heading: 'Rank', value: (product: ReportData['topProducts'][number]) => String(product.rank), numeric: true },
          { heading: 'Product', value: (product) => product.name },
          { heading: 'Category', value: (product) => product.category },
          { heading: 'Orders', value: (product) => formatCount(product.orders), numeric: true },
          { heading: 'Units', value: (product) => formatCount(product.units), numeric: true },
          { heading: 'Revenue', value: (product) => formatMoney(product.revenue), numeric: true },
        ],
        data.topProducts,
      ),
    )}
    ${card(
      {},
      'Customer lifetime value',
      `${formatCount(data.ltv.customers)} customers · median ${formatMoney(data.ltv.median)} · mean ${formatMoney(data.ltv.mean)}. Bands reach the 99th percentile${data.ltv.bars.at(-1)?.to === null ? '; the light bar holds the rest' : ''}.`,
      ltvHistogramChart(data.ltv),
      dataTable(
        'Lifetime value bands as a table',
        [
          { heading: 'Lifetime value', value: bandLabel },
          { heading: 'Customers', value: (bar) => formatCount(bar.customers), numeric: true },
        ],
        data.ltv.bars,
      ),
    )}
    ${card(
      { wide: true },
      'Monthly cohort retention',
      'Customers grouped by the month of their first order (cohort size in brackets); each cell is the share of the cohort that ordered again that many months later. Month 0, the first order, is grey.',
      cohortHeatMap(data.cohorts),
      dataTable(
        'Cohort retention as a table',
        [
          { heading: 'Cohort', value: (cell: ReportData['cohorts'][number]) => monthLabel(cell.cohortMonth) },
          { heading: 'Months since first order', value: (cell) => String(cell.monthsSinceFirst), numeric: true },
          { heading: 'Customers', value: (cell) => formatCount(cell.customers), numeric: true },
          { heading: 'Cohort size', value: (cell) => formatCount(cell.cohortSize), numeric: true },
          { heading: 'Retained', value: (cell) => formatShare(cell.retained), numeric: true },
        ],
        data.cohorts,
      ),
    )}
  </section>
  ${dataQuality(data)}
  ${accessSection(input.access ?? null)}
  <section class="downloads card">
    <h2>Data files</h2>
    <p class="note">The report tables as CSV (RFC 4180, UTF-8); dated tables hold rows up to ${shortDay(data.date)}.</p>
    <ul>${csvFiles.map((file) => html`<li><a href="${file.file}" download>${file.file}</a> · ${data.schema}.${file.table}, ${formatCount(file.rows)} ${file.rows === 1 ? 'row' : 'rows'}</li>`)}</ul>
  </section>
</main>
<footer>pgshift report for ${data.date}. Figures are read from the report tables in <code>${data.schema}</code>; rebuild them with <code>pgshift run --date ${data.date}</code>.</footer>
</body>
</html>
`;
  return page.text;
}

/** A `wide` card spans the whole row of the chart grid. */
function card(layout: { wide?: boolean }, title: string, note: string, chart: SafeHtml, table: SafeHtml): SafeHtml {
  return html`<figure class="${layout.wide ? 'card wide' : 'card'}">
      <h2>${title}</h2>
      <p class="note">${note}</p>
      <div class="chart-scroll">${chart}</div>
      ${table}
    </figure>`;
}

/** The batches behind the day, each reconciled from the source's count to the rows in raw. */
function dataQuality(data: ReportData): SafeHtml {
  const batches = data.batches;
  if (batches === null) {
    return html`<section class="quality card"><h2>Data quality</h2><p class="note">No batch records (pgshift_meta.batches) could be read.</p></section>`;
  }
  const mismatches = batches.filter((batch) => !batch.reconciled).length;
  const count = (value: number | null) => (value === null ? '–' : formatCount(value));
  return html`<section class="quality card">
    <h2>Data quality</h2>
    <p class="note">${
      mismatches === 0
        ? `Every batch behind ${shortDay(data.date)} reconciles: the source's rows in the extract window, the rows in the batch and the rows loaded agree.`
        : `${mismatches} of ${batches.length} batches behind ${shortDay(data.date)} do not reconcile.`
    } Tombstones are rows deleted in the source since the previous batch.</p>
    <div class="table-scroll"><table>
      <thead><tr><th scope="col">Table</th><th scope="col">Batch</th><th scope="col" class="num">Source</th><th scope="col" class="num">Batch</th><th scope="col" class="num">Loaded</th><th scope="col" class="num">Tombstones</th><th scope="col">Check</th></tr></thead>
      <tbody>${batches.map(
        (batch) =>
          html`<tr><td>${batch.table}</td><td>${batch.batchId}</td><td class="num">${count(batch.sourceRows)}</td><td class="num">${formatCount(batch.batchRows)}</td><td class="num">${count(batch.loadedRows)}</td><td class="num">${count(batch.tombstones)}</td><td>${batch.reconciled ? 'ok' : 'mismatch'}</td></tr>`,
      )}</tbody>
    </table></div>
  </section>`;
}
