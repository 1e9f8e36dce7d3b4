with letters as (
    select 1 as id, 'c' as letter, false as flag
    union all select 2, 'a', true
    union all select 3, 'b', false
)
select
    string_agg(letter, ',' order by id) as by_id,
    array_to_string((array_agg(letter order by letter))[1:2], '|') as first_two,
    min(letter) as some_letter,
    bool_or(flag) as any_flag
from letters
