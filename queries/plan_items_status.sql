-- name: plan_items_status
-- description: The items of the provinces' yearly administrative-reform (CCHC) plans, each with where it stands: done, on schedule or late, its lead unit and deadline.
-- grain: one row per plan item
-- key: province_code, item_code
-- params: year INTEGER (required); province_code VARCHAR = NULL; as_of DATE = NULL;
--         state VARCHAR = NULL (done|on_schedule|late)
-- uses: plan_as_of as plan_days, plan_item_states
-- columns: province_code, year, as_of, item_type, item_code, group_name, description, lead_unit, deadline,
--          status, done_on, evidence, indicator, target_value, state, days_late
-- source: the provinces' yearly CCHC plans and their progress reports (load kind plan)
-- method: As plan_progress (plan_item_states read on as_of), one row per item. state = done, on_schedule or
--   late; days_late = calendar days from the deadline to as_of for a late item, from the deadline to the
--   day done for an item done late. indicator and target_value are the plan's (a target naming an
--   indicator the dashboard computes). `state` keeps the items in that state.
with final as (
    select
        province_code,
        cast(year as integer) as year,
        day as as_of,
        item_type,
        item_code,
        group_name,
        description,
        lead_unit,
        deadline,
        status,
        done_on,
        evidence,
        indicator,
        target_value,
        case when is_done then 'done' when is_late then 'late' else 'on_schedule' end as state,
        case
            when is_late then date_diff('day', cast(deadline as date), cast(day as date))
            when is_done_late then date_diff('day', cast(deadline as date), cast(done_on as date))
        end as days_late
    from plan_item_states
)

select * from final
where
    ($state is null or state = $state)
    and ($scope is null or array_contains($scope, province_code))
order by province_code, item_type, item_code
