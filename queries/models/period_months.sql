-- name: period_months
-- description: Building block (not a public query): every month of the year asked for, with the period
--   it falls in (period_bounds).
-- grain: one row per month of the year
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month)
-- columns: month_start, period_start, period_end, last_month_start
-- uses: period_bounds
with month_grid (month_mmdd) as (
    values ('01-01'), ('02-01'), ('03-01'), ('04-01'), ('05-01'), ('06-01'),
        ('07-01'), ('08-01'), ('09-01'), ('10-01'), ('11-01'), ('12-01')
),

months as (
    select cast(cast($year as varchar) || '-' || month_mmdd as date) as month_start
    from month_grid
)

select
    m.month_start,
    p.period_start,
    p.period_end,
    p.last_month_start
from months as m
inner join period_bounds as p on m.month_start >= p.period_start and m.month_start < p.period_end
