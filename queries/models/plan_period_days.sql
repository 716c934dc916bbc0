-- name: plan_period_days
-- description: Building block of plan_timeline (not a public query): each plan of the year with the end of
--   each of its months or quarters up to the day its progress is read on.
-- grain: one row per plan × period of the year that began by its as_of
-- params: year INTEGER (required); period VARCHAR = 'month' (month|quarter); province_code VARCHAR = NULL;
--         as_of DATE = NULL
-- uses: plan_as_of, period_bounds
-- columns: province_code, year, as_of, period_start, day
-- method: day = the period's last day, or as_of for the period as_of falls in (the state so far).
select
    a.province_code,
    a.year,
    a.as_of,
    p.period_start,
    least(cast(p.period_end - interval 1 day as date), a.as_of) as day
from plan_as_of as a
inner join period_bounds as p on p.period_start <= a.as_of
