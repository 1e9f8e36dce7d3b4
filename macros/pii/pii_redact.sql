{#- pii_redact(expression): '[redacted]' where a value exists, NULL where it does not: keeps
    "was it filled in?" and nothing else. -#}

{% macro pii_redact(expression) -%}
    cast(case when {{ expression }} is not null then '[redacted]' end as varchar(10))
{%- endmacro %}
