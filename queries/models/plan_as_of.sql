-- name: plan_as_of
-- description: Building block (not a public query): each province's reform plan of the year asked for,
--   and the day its progress is read on.
-- grain: one row per province × plan year
-- params: year INTEGER (required); province_code VARCHAR = NULL; as_of DATE = NULL
-- columns: province_code, year, as_of, day
-- method: The day is as_of when given; else the last day the plan's statuses were reported (reported_on);
--   else the plan year's last day. day repeats it (the column plan_item_states reads).
select
    province_code,
    year,
    coalesce(cast($as_of as date), max(reported_on), cast(cast(year as varchar) || '-12-31' as date)) as as_of,
    coalesce(cast($as_of as date), max(reported_on), cast(cast(year as varchar) || '-12-31' as date)) as day
from plan_items
where year = $year and ($province_code is null or province_code = $province_code)
group by province_code, year
