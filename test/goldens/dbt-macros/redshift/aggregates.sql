with letters as (
    select 1 as id, 'c' as letter, false as flag
    union all select 2, 'a', true
    union all select 3, 'b', false
)
select
    
    listagg(letter, ',') within group (order by id) as by_id,
    regexp_substr(
    listagg(letter, '|') within group (order by letter), '([^\|]+\|){1,1}[^\|]+') as first_two,
    min(letter) as some_letter,
    bool_or(flag) as any_flag
from letters
