{#- latest_versions(source_name, table_name, key='id', also_keys=none): one row per key of a
    raw source table, its latest version, with every raw column, the version's rank (1) and
    _pgshift_loaded_at, when the load of its batch committed.

    Latest: raw keeps every extracted version of a row. An extract reads each row as the source
    holds it then, so the most recently extracted version is the latest one, whatever order the
    batches were loaded in; a tombstone outranks every version seen before it, and a row
    inserted again outranks the tombstone. updated_at breaks a tie. This is the order delete
    detection uses too.

    In an incremental run the staging table already holds the latest version of every key it
    has seen, so only keys with a version in a batch loaded since the newest batch the table
    holds (loaded_watermark) are ranked again, over all their versions: a batch loaded late,
    after later days, is new here too, and its versions still lose to newer ones. `also_keys` is
    SQL selecting more keys to rebuild (rows that depend on another table's changes). -#}

{% macro latest_versions(source_name, table_name, key='id', also_keys=none) -%}
    select *
    from (
        select
            raw_rows.*,
            batches.loaded_at as _pgshift_loaded_at,
            row_number() over (
                partition by raw_rows.{{ key }}
                order by raw_rows._pgshift_extracted_at desc, raw_rows.updated_at desc
            ) as version_rank
        from {{ source(source_name, table_name) }} as raw_rows
        left join {{ source_batches(source_name, table_name) }} as batches
            on batches.batch_id = raw_rows._pgshift_batch_id
        {% if is_incremental() %}
        where raw_rows.{{ key }} in (
            select changed.{{ key }}
            from {{ source(source_name, table_name) }} as changed
            where changed._pgshift_batch_id in (
                select batch_id from {{ source_batches(source_name, table_name) }} as loaded
                where loaded.loaded_at >= {{ loaded_watermark() }}
            )
            {% if also_keys %}
            union
            {{ also_keys }}
            {% endif %}
        )
        {% endif %}
    ) as ranked
    where version_rank = 1
{%- endmacro %}

{#- loaded_watermark(): from when an incremental staging model re-reads raw: the load time of
    the newest batch it holds (`>=`, so a batch recorded in the same instant is read again:
    reading more is harmless, rows are merged on their key). Load times are the loading
    machine's clock, as pgshift recorded them: machines that load one warehouse keep their
    clocks in step (NTP). Only inside {% if is_incremental() %}: it reads the model's own table. -#}

{% macro loaded_watermark() -%}
    coalesce((select max(_pgshift_loaded_at) from {{ this }}), cast('1970-01-01 00:00:00+00' as timestamp with time zone))
{%- endmacro %}
