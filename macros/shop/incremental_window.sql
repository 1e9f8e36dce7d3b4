{#- incremental_window_start(updated_column): from when an incremental model re-reads its
    inputs, as an SQL timestamp (UTC, without time zone):

        least(start of the run's interval, newest `updated_column` already in the model)
          - var('incremental_lookback_hours') hours

    Why each part:
      * the interval start ties a run to the day it covers: a re-run (or a backfill) of an
        older day re-reads from that day on, and merges the same rows again, changing nothing;
      * the newest value already merged covers runs that were skipped or failed after their
        load: nothing between the last merge and this interval is left behind;
      * the lookback covers rows that committed late with an earlier `updated_at`: the extract
        re-reads the sources' `lookback` (1h) before the interval, so those rows sit in raw
        with `updated_at` before the interval start; the model's lookback must be at least as
        long as the longest source lookback it reads.
    Rows are merged on their key and staging always yields the latest version of a row, so
    reading more than needed is harmless: the window only bounds the cost.
    Only call it inside {% if is_incremental() %}: it reads the model's own table. -#}

{% macro incremental_window_start(updated_column) -%}
    {%- set lookback_hours = var('incremental_lookback_hours', 3) | int -%}
    {%- set interval_start = interval_timestamp(interval.start) -%}
    {{ dateadd('hour', -lookback_hours, "least(" ~ interval_start ~ ", coalesce((select max(" ~ updated_column ~ ") from " ~ this ~ "), " ~ interval_start ~ "))") }}
{%- endmacro %}
