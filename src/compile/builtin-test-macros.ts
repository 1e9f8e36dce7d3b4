// The four generic tests every project has. Each returns the failing rows; a project macro of
// the same name (`test_unique`, …) replaces the built-in one.

import type { TextFile } from './project-files.js';

export const BUILTIN_TESTS_FILE = '<pgshift>/generic_tests.sql';

export const BUILTIN_TEST_NAMES = ['unique', 'not_null', 'accepted_values', 'relationships'] as const;

/** Arguments each built-in test needs, besides model and column_name; used to catch typos early. */
export const BUILTIN_TEST_ARGUMENTS: Record<string, { required: string[]; optional: string[] }> = {
  unique: { required: [], optional: [] },
  not_null: { required: [], optional: [] },
  accepted_values: { required: ['values'], optional: ['quote'] },
  relationships: { required: ['to', 'field'], optional: [] },
};

const SOURCE = `
{% macro test_not_null(model, column_name) -%}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is null
{%- endmacro %}

{% macro test_unique(model, column_name) -%}
select
    {{ column_name }} as unique_field,
    count(*) as n_records
from {{ model }}
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{%- endmacro %}

{% macro test_accepted_values(model, column_name, values, quote=true) -%}
with all_values as (
    select
        {{ column_name }} as value_field,
        count(*) as n_records
    from {{ model }}
    group by {{ column_name }}
)
select *
from all_values
where value_field not in (
    {%- for value in values -%}
    {%- if quote %}'{{ value | string | replace("'", "''") }}'{% else %}{{ value }}{% endif -%}
    {%- if not loop.last %}, {% endif -%}
    {%- endfor -%}
)
{%- endmacro %}

{% macro test_relationships(model, column_name, to, field) -%}
with child as (
    select {{ column_name }} as from_field
    from {{ model }}
    where {{ column_name }} is not null
),
parent as (
    select {{ field }} as to_field
    from {{ to }}
)
select child.from_field
from child
left join parent on child.from_field = parent.to_field
where parent.to_field is null
{%- endmacro %}
`;

export const BUILTIN_TEST_MACROS: TextFile = { path: BUILTIN_TESTS_FILE, text: SOURCE };
