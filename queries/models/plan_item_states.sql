-- name: plan_item_states
-- description: Building block (not a public query): where each item of a reform plan stands on a day:
--   done (on time or late), on schedule, or late.
-- grain: one row per plan item × day of plan_days
-- params: none
-- columns: every column of plan_days (province_code, year, day, ...), then item_type, item_code,
--          group_name, description, lead_unit, deadline, status, done_on, evidence, indicator,
--          target_value, is_done, is_done_late, is_on_schedule, is_late
-- method: Reads `plan_days` (the query's days: a plan's as_of, or each period's end). On a day: done =
--   status done, and done on or before the day (a done item without a date counts as done every day);
--   done late = done after its deadline; late = not done and its deadline has passed (deadline before the
--   day); on schedule = not done, deadline that day or later, or no deadline. Every item is exactly one of
--   done, on schedule, late. The statuses are as the province reported them (reported_on).
select
    d.*,
    i.item_type,
    i.item_code,
    i.group_name,
    i.description,
    i.lead_unit,
    i.deadline,
    i.status,
    i.done_on,
    i.evidence,
    i.indicator,
    i.target_value,
    i.status = 'done' and (i.done_on is null or i.done_on <= d.day) as is_done,
    i.status = 'done' and i.done_on <= d.day and i.done_on > i.deadline as is_done_late,
    not (i.status = 'done' and (i.done_on is null or i.done_on <= d.day))
    and (i.deadline is null or i.deadline >= d.day) as is_on_schedule,
    not (i.status = 'done' and (i.done_on is null or i.done_on <= d.day))
    and i.deadline < d.day as is_late
from plan_days as d
inner join plan_items as i on i.province_code = d.province_code and i.year = d.year
