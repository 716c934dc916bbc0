-- name: dossier_due_766_inputs
-- description: Building block of dossiers_due (not a public query): the counts the Decision 766 on-time
--   metric is scored from, per reported unit as of the lake's last day, as they stand and as they would be
--   if the dossiers due soon all went late.
-- grain: one row per reported unit × scenario (as_of, if_late)
-- params: days INTEGER = 3
-- uses: dossier_due_flags
-- columns: unit_code, unit_formed_on, scenario, approximate, due_soon, and the counts metric_points_766
--          reads (received ... petitions_satisfied)
-- method: Reads dossier_due_flags over dossier_as_of_windows. From dossier_window_flags (the one
--   definition): resolved and resolved on time in the window, in progress at the end of the lake's last day
--   and of those not overdue (in progress less overdue: a dossier without a due date is never overdue, as in
--   report_month_counts). due_soon = in progress, not overdue, due within `days` working days.
--   Scenario `as_of` takes the counts as they stand; `if_late` counts the due_soon dossiers as overdue
--   (in progress not overdue minus due_soon). Every other count metric_points_766 reads is 0 in both: a
--   dossier going late changes none of them, so the points they give cancel out of the difference.
with due_unit_counts as (
    select
        report_code as unit_code,
        report_formed_on as unit_formed_on,
        max(case when approximate then 1 else 0 end) = 1 as approximate,
        cast(sum(case when is_resolved then 1 else 0 end) as bigint) as resolved,
        cast(sum(case when is_on_time then 1 else 0 end) as bigint) as resolved_on_time,
        cast(sum(case when is_in_progress then 1 else 0 end) as bigint) as in_progress,
        cast(sum(case when is_in_progress and is_overdue then 1 else 0 end) as bigint) as overdue_in_progress,
        cast(
            sum(case when is_in_progress and not is_overdue and working_days_left <= $days then 1 else 0 end)
            as bigint
        ) as due_soon
    from dossier_due_flags
    group by report_code, report_formed_on
),

due_scenarios (scenario) as (
    values ('as_of'), ('if_late')
)

select
    c.unit_code,
    c.unit_formed_on,
    s.scenario,
    c.approximate,
    c.due_soon,
    0 as received,
    0 as received_synced_on_time,
    c.resolved,
    c.resolved_on_time,
    c.in_progress,
    case
        when s.scenario = 'if_late' then c.in_progress - c.overdue_in_progress - c.due_soon
        else c.in_progress - c.overdue_in_progress
    end as in_progress_not_overdue,
    0 as received_eligible,
    0 as received_full_online,
    0 as received_with_fee,
    0 as received_paid_online,
    0 as fee_procedures_used,
    0 as fee_procedures_paid_online,
    0 as fee_procedures_received,
    0 as fee_procedures,
    0 as resolved_electronic,
    0 as received_digitised,
    0 as received_data_reused,
    0 as received_digitised_shared,
    0 as received_citizen_data,
    0 as closed_rated,
    0 as closed_rated_satisfied,
    0 as catalogue_active,
    0 as catalogue_published_on_time,
    0 as catalogue_public_updated_on_time,
    0 as catalogue_public_content_full,
    0 as catalogue_citizen_data_connected,
    0 as petitions,
    0 as petitions_in_time,
    0 as petitions_rated,
    0 as petitions_satisfied
from due_unit_counts as c
cross join due_scenarios as s
