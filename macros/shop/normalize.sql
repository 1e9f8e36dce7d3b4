{#- Canonical spellings of contact data, applied in staging so every model downstream (and
    every hash of it) sees one form. -#}

{#- normalize_email(expression): trimmed and lower-cased; blank becomes NULL. -#}
{% macro normalize_email(expression) -%}
    nullif(lower(trim({{ expression }})), '')
{%- endmacro %}

{#- normalize_phone(expression): digits only, with a leading + and the country code where the
    number says which country it is in:
      +49 151 2345678, +491512345678 → +491512345678   (international: kept)
      +49 (0)151 2345678             → +491512345678   (the "(0)" trunk hint is dropped)
      0049 151 2345678               → +491512345678   (00 is the international prefix)
      0151/2345678, (030) 123-456    → +49151…, +4930… (national: trunk 0 replaced by the
                                                        var phone_default_country_code, the
                                                        shop's home country, 49)
      anything else with digits      → the digits alone (no country can be inferred)
    NULL and text without digits give NULL. -#}
{% macro normalize_phone(expression) -%}
    {%- set digits = regexp_replace_all(regexp_replace_all(expression, '[(]0[)]', ''), '[^0-9]', '') -%}
    {%- set country_code = var('phone_default_country_code', '49') | string -%}
    case
        when nullif({{ digits }}, '') is null then null
        when trim({{ expression }}) like '+%' then '+' || {{ digits }}
        when {{ digits }} like '00%' then '+' || substring({{ digits }} from 3)
        when {{ digits }} like '0%' then '+{{ country_code }}' || substring({{ digits }} from 2)
        else {{ digits }}
    end
{%- endmacro %}
