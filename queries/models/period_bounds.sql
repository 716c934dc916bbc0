-- name: period_bounds
-- description: Building block (not a public query): the periods of the year asked for (the year itself,
--   its quarters or its months), with their first day, the first day after them and their last month.
-- grain: one row per period of the year
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month)
-- columns: period_start, period_end, last_month_start
-- method: period_end is exclusive (the first day of the next period), so a date d lies in the period when
--   period_start <= d < period_end; last_month_start is the first day of the period's last month, whose
--   end-of-month state (dossiers in progress) is the period's.
with period_grid (period, start_mmdd, end_year_offset, end_mmdd, last_mmdd) as (
    values
        ('year', '01-01', 1, '01-01', '12-01'),
        ('quarter', '01-01', 0, '04-01', '03-01'),
        ('quarter', '04-01', 0, '07-01', '06-01'),
        ('quarter', '07-01', 0, '10-01', '09-01'),
        ('quarter', '10-01', 1, '01-01', '12-01'),
        ('month', '01-01', 0, '02-01', '01-01'),
        ('month', '02-01', 0, '03-01', '02-01'),
        ('month', '03-01', 0, '04-01', '03-01'),
        ('month', '04-01', 0, '05-01', '04-01'),
        ('month', '05-01', 0, '06-01', '05-01'),
        ('month', '06-01', 0, '07-01', '06-01'),
        ('month', '07-01', 0, '08-01', '07-01'),
        ('month', '08-01', 0, '09-01', '08-01'),
        ('month', '09-01', 0, '10-01', '09-01'),
        ('month', '10-01', 0, '11-01', '10-01'),
        ('month', '11-01', 0, '12-01', '11-01'),
        ('month', '12-01', 1, '01-01', '12-01')
)

select
    cast(cast($year as varchar) || '-' || start_mmdd as date) as period_start,
    cast(cast($year + end_year_offset as varchar) || '-' || end_mmdd as date) as period_end,
    cast(cast($year as varchar) || '-' || last_mmdd as date) as last_month_start
from period_grid
where period = $period
