-- name: plan_progress
-- description: Progress of the provinces' yearly administrative-reform (CCHC) plans: targets and tasks done, on schedule and late, in all, by group and by lead unit.
-- grain: one row per province × breakdown (total, group, lead_unit) × value of the breakdown × item type (target, task)
-- key: province_code, breakdown, breakdown_value, item_type
-- params: year INTEGER (required); province_code VARCHAR = NULL; as_of DATE = NULL
-- uses: plan_as_of as plan_days, plan_item_states
-- columns: province_code, province_name, year, as_of, breakdown, breakdown_value, item_type, items, done,
--          done_late, on_schedule, late, done_share
-- source: the provinces' yearly CCHC plans and their progress reports (load kind plan)
-- method: The plan items (plan_items) of the year, read on as_of: the day given, else the day the
--   statuses were reported, else the year's last day. Each item is done, on schedule or late on that day
--   (plan_item_states: done = status done by then; late = not done with its deadline passed; on schedule =
--   the rest); done_late = done after the deadline. breakdown total counts every item (breakdown_value
--   `all`), group by the plan's group, lead_unit by the unit in charge (an item without one: empty text).
--   done_share = done / items. A plan is a province's own document: it is shown under the province that
--   made it (codes read in the plan's year), never re-based.
with plan_breakdowns as (
    select province_code, year, day, 'total' as breakdown, 'all' as breakdown_value, item_type,
        is_done, is_done_late, is_on_schedule, is_late
    from plan_item_states
    union all
    select province_code, year, day, 'group' as breakdown, coalesce(group_name, '') as breakdown_value, item_type,
        is_done, is_done_late, is_on_schedule, is_late
    from plan_item_states
    union all
    select province_code, year, day, 'lead_unit' as breakdown, coalesce(lead_unit, '') as breakdown_value, item_type,
        is_done, is_done_late, is_on_schedule, is_late
    from plan_item_states
),

plan_counts as (
    select
        province_code,
        year,
        day as as_of,
        breakdown,
        breakdown_value,
        item_type,
        count(*) as items,
        count(case when is_done then 1 end) as done,
        count(case when is_done_late then 1 end) as done_late,
        count(case when is_on_schedule then 1 end) as on_schedule,
        count(case when is_late then 1 end) as late
    from plan_breakdowns
    group by province_code, year, day, breakdown, breakdown_value, item_type
),

plan_province_names as (
    select
        c.province_code,
        u.name as province_name,
        row_number() over (partition by c.province_code order by u.valid_from desc) as name_rank
    from (select distinct province_code, year from plan_counts) as c
    inner join units as u
        on
            u.unit_code = c.province_code
            and u.valid_from <= cast(cast(c.year as varchar) || '-12-31' as date)
            and (u.valid_to is null or u.valid_to >= cast(cast(c.year as varchar) || '-01-01' as date))
),

final as (
    select
        c.province_code,
        n.province_name,
        cast(c.year as integer) as year,
        c.as_of,
        c.breakdown,
        c.breakdown_value,
        c.item_type,
        cast(c.items as bigint) as items,
        cast(c.done as bigint) as done,
        cast(c.done_late as bigint) as done_late,
        cast(c.on_schedule as bigint) as on_schedule,
        cast(c.late as bigint) as late,
        cast(c.done as double) / nullif(c.items, 0) as done_share
    from plan_counts as c
    left join plan_province_names as n on n.province_code = c.province_code and n.name_rank = 1
)

select * from final
where $scope is null or array_contains($scope, province_code)
order by
    province_name collate vi nulls last,
    province_code,
    case breakdown when 'total' then 0 when 'group' then 1 else 2 end,
    breakdown_value collate vi,
    item_type
