// Redshift's physical design clauses for CREATE TABLE … AS from a model's `dist`, `sort` and
// `sort_type` config (dbt-redshift's keys). PostgreSQL has no such clauses and ignores the keys,
// so one project can carry settings for both warehouses.

import { ConfigError } from '../../errors.js';
import type { ModelConfig } from '../../manifest/node-config.js';
import { quoteIdent } from '../../sql/quote-ident.js';

const DIST_STYLES = new Set(['all', 'even', 'auto']);

/** ` diststyle … [distkey (…)] [compound|interleaved sortkey (…)]`, or '' when nothing is set. */
export function redshiftTableAttributes(config: Pick<ModelConfig, 'dist' | 'sort' | 'sort_type'>, model: string): string {
  let clauses = '';
  if (config.dist !== null) {
    const style = config.dist.toLowerCase();
    // Anything but a style names the distribution key column, as in dbt-redshift.
    clauses += DIST_STYLES.has(style) ? ` diststyle ${style}` : ` diststyle key distkey (${quoteIdent(config.dist)})`;
  }
  if (config.sort.length > 0) {
    const sortType = config.sort_type ?? 'compound';
    if (sortType === 'interleaved' && config.sort.length > 8) {
      // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html: at most 8 columns.
      throw new ConfigError(`${model}: an interleaved sort key takes at most 8 columns; sort lists ${config.sort.length}`, { model, key: 'sort' });
    }
    clauses += ` ${sortType} sortkey (${config.sort.map(quoteIdent).join(', ')})`;
  }
  return clauses;
}
