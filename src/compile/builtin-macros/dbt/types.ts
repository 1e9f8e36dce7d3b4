// dbt's data type macros (dbt.type_string, type_timestamp, type_int, type_bigint, type_float,
// type_numeric, type_boolean) and dbt.array_construct, as dbt-postgres and dbt-redshift define
// them. dbt.safe_cast is pgshift's safe_cast (cross_db/safe_cast.sql): dbt documents a NULL
// where the cast fails on the databases that can, and pgshift can on both.
// https://docs.getdbt.com/reference/dbt-jinja-functions/cross-database-macros

import type { TextFile } from '../../project-files.js';

export const dbtTypes: TextFile = {
  path: '<pgshift>/macros/dbt/types.sql',
  text: `{#- Redshift's types: https://docs.aws.amazon.com/redshift/latest/dg/c_Supported_data_types.html -#}
{% macro default__type_string() -%}
    TEXT
{%- endmacro %}

{#- Redshift: VARCHAR without a length is VARCHAR(256)
    (https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html); dbt-redshift's choice. -#}
{% macro redshift__type_string() -%}
    varchar
{%- endmacro %}

{% macro default__type_timestamp() -%}
    TIMESTAMP
{%- endmacro %}

{% macro default__type_float() -%}
    FLOAT
{%- endmacro %}

{% macro default__type_int() -%}
    INT
{%- endmacro %}

{% macro default__type_bigint() -%}
    bigint
{%- endmacro %}

{% macro default__type_numeric() -%}
    numeric(28,6)
{%- endmacro %}

{% macro default__type_boolean() -%}
    BOOLEAN
{%- endmacro %}

{#- All inputs of one type, as PostgreSQL's ARRAY[] needs. -#}
{% macro postgres__array_construct(inputs=[], data_type='INT') -%}
    {%- if inputs | length > 0 -%}
        array[{{ inputs | join(',') }}]
    {%- else -%}
        array[]::{{ data_type }}[]
    {%- endif -%}
{%- endmacro %}

{#- Redshift: ARRAY builds a SUPER value (https://docs.aws.amazon.com/redshift/latest/dg/r_array.html);
    the emulator has no SUPER, so only the compiled form is tested. -#}
{% macro redshift__array_construct(inputs=[], data_type='INT') -%}
    array({{ inputs | join(' , ') }})
{%- endmacro %}
`,
};
