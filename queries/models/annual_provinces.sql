-- name: annual_provinces
-- description: Building block of the published yearly indices (not a public query): each province valid on
--   31 December of the year, its name then, and the province it is part of today.
-- grain: one row per province code valid on 31 December of $year
-- params: year INTEGER (required)
-- columns: province_code, province_name, current_province_code
-- method: A yearly index is published for the provinces of its year: 63 up to 2024, 34 from 2025. A code
--   names a province only together with a date (52 is Bình Định on 31/12/2023 and Gia Lai on 31/12/2025),
--   so the name is that of the `units` row valid on 31 December of the year. current_province_code is the
--   province of today's list the province became part of: its `unit_crosswalk` successor (provinces merged
--   whole on 1 July 2025) when the year ended before the reform, else itself.
with year_end as (
    select cast(cast($year as varchar) || '-12-31' as date) as day
),

provinces as (
    select
        u.unit_code as province_code,
        u.name as province_name
    from units as u
    cross join year_end as y
    where
        u.level = 'province'
        and u.valid_from <= y.day
        and (u.valid_to is null or u.valid_to >= y.day)
),

successors as (
    select
        c.old_code,
        min(c.new_code) as new_code
    from unit_crosswalk as c
    cross join year_end as y
    where c.old_level = 'province' and c.new_level = 'province' and c.effective > y.day
    group by c.old_code
)

select
    p.province_code,
    p.province_name,
    coalesce(s.new_code, p.province_code) as current_province_code
from provinces as p
left join successors as s on s.old_code = p.province_code
