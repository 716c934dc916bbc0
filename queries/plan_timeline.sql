-- name: plan_timeline
-- description: Monthly or quarterly progress of the provinces' yearly administrative-reform (CCHC) plans: items due, done and late at the end of each period.
-- grain: one row per province × period of the plan year up to its as_of × item type (target, task)
-- key: province_code, period_start, item_type
-- params: year INTEGER (required); period VARCHAR = 'month' (month|quarter); province_code VARCHAR = NULL;
--         as_of DATE = NULL
-- uses: plan_period_days as plan_days, plan_item_states
-- columns: province_code, period_start, period_last_day, item_type, items, due, done, late, done_share
-- source: the provinces' yearly CCHC plans and their progress reports (load kind plan)
-- method: At the end of each month (or quarter) of the plan year, up to as_of (the day given, else the day
--   the statuses were reported, else the year's end; the period as_of falls in is read on as_of):
--   items = the plan's items; due = items whose deadline is on or before that day; done = items done by then
--   (plan_item_states: status done with its date on or before the day; an item done without a date counts
--   in every period); late = not done with the deadline passed; done_share = done / items. The same
--   states as plan_progress, read on each period's last day.
with timeline_counts as (
    select
        province_code,
        period_start,
        day as period_last_day,
        item_type,
        count(*) as items,
        count(case when deadline <= day then 1 end) as due,
        count(case when is_done then 1 end) as done,
        count(case when is_late then 1 end) as late
    from plan_item_states
    group by province_code, period_start, day, item_type
),

final as (
    select
        province_code,
        period_start,
        period_last_day,
        item_type,
        cast(items as bigint) as items,
        cast(due as bigint) as due,
        cast(done as bigint) as done,
        cast(late as bigint) as late,
        cast(done as double) / nullif(items, 0) as done_share
    from timeline_counts
)

select * from final
where $scope is null or array_contains($scope, province_code)
order by province_code, period_start, item_type
