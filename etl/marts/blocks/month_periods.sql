-- name: month_periods
-- description: Building block of the marts: each month of the years rebuilt under the year, the quarter
--   and the month it belongs to, so that a mart summed from months holds every period a query can ask for.
-- grain: one row per month of from_year..to_year × period kind (year, quarter, month)
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- columns: month_start, period, period_start, period_end
-- method: period_start is the first day of the month's year, quarter or month; period_end is exclusive
--   (the first day of the next period), as in period_bounds, so a date d lies in the period when
--   period_start <= d < period_end. A mart joins its months on month_start (the first day of a month).
with months as (
    select cast(month_start as date) as month_start
    from generate_series(make_date($from_year, 1, 1), make_date($to_year, 12, 1), interval 1 month) as m (month_start)
),

periods (period, length) as (
    values ('year', interval 1 year), ('quarter', interval 3 month), ('month', interval 1 month)
)

select
    m.month_start,
    p.period,
    cast(date_trunc(p.period, m.month_start) as date) as period_start,
    cast(date_trunc(p.period, m.month_start) + p.length as date) as period_end
from months as m
cross join periods as p
