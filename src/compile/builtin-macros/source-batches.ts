// Built-in macro file pgshift/source_batches.sql, shipped with pgshift (a project macro of the same name wins).

import { META_SCHEMA } from '../../batch/meta-schema.js';
import type { TextFile } from '../project-files.js';

export const sourceBatches: TextFile = {
  path: '<pgshift>/macros/pgshift/source_batches.sql',
  text: String.raw`{#- source_batches(source_name, table_name): the batches loaded into a source's raw table, as
    a relation with batch_id and loaded_at (the time pgshift's load committed it), one row per
    batch whose rows raw holds. Raw rows name their batch in _pgshift_batch_id, so a model can
    read only what was loaded since it last ran (see the shop's latest_versions macro): a batch
    loaded late, after later days, is still new to it, which a window on the rows' own times
    would miss. Calling source() makes the model depend on the table. -#}

{% macro source_batches(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    (select batch_id, loaded_at from ${META_SCHEMA}.batches where source = {{ sql_literal(source_name) }} and table_name = {{ sql_literal(table_name) }} and status = 'loaded')
{%- endmacro %}
`,
};
