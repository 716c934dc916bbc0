-- name: report_unit_names
-- description: Building block (not a public query): the name of each reported unit in each period.
-- grain: one row per reported unit (report_code × report_formed_on) × period
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         units VARCHAR = 'as_published' (as_published|current)
-- uses: period_bounds, report_units
-- columns: report_code, report_formed_on, period_start, unit_name, short_name
-- method: As published, the name in force on the last day of the unit's part of the period (Tỉnh Đồng
--   Nai in the first quarter of 2026, Thành phố Đồng Nai from the second: a rename keeps the code and the
--   unit); in today's units, today's name.
with named_units as (
    select distinct report_code, report_formed_on, report_until
    from report_units
),

unit_name_rows as (
    select
        r.report_code,
        r.report_formed_on,
        p.period_start,
        u.name as unit_name,
        u.short_name,
        row_number() over (
            partition by r.report_code, r.report_formed_on, p.period_start
            order by
                case
                    when $units = 'current' then 0
                    when u.valid_from < coalesce(r.report_until, p.period_end) and u.valid_from < p.period_end then 0
                    else 1
                end,
                u.valid_from desc
        ) as row_rank
    from named_units as r
    cross join period_bounds as p
    inner join units as u on u.unit_code = r.report_code and u.formed_on = r.report_formed_on
)

select report_code, report_formed_on, period_start, unit_name, short_name
from unit_name_rows
where row_rank = 1
