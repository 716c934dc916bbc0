-- name: report_month_counts
-- description: Raw-row twin of queries/models/report_month_counts.sql: the dossier counts of each reported
--   unit in each period part, straight from the dossiers.
-- grain: one row per reported unit (report_code × report_formed_on) × period, for units with a dossier received, resolved or in progress in it
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: report_period_windows as dossier_windows, dossier_window_flags
-- columns: report_code, report_formed_on, period_start, part_start, part_end, received, received_online,
--          received_eligible, received_full_online, received_with_fee, received_paid_online,
--          received_digitised, received_rejected, received_synced_on_time, received_data_reused,
--          received_digitised_shared, received_citizen_data, received_signed, received_signed_reported,
--          resolved, resolved_on_time,
--          resolved_early, resolved_late, resolved_electronic, resolved_result_signed,
--          resolved_result_signed_reported, closed, closed_rated, closed_rated_satisfied, in_progress,
--          overdue_in_progress, approximate
-- method: Each dossier counted in the window of each period part of each unit it is reported under
--   (dossier_window_flags), times the unit's weight.
select
    report_code,
    report_formed_on,
    period_start,
    part_start,
    part_end,
    cast(sum(case when is_received then weight else 0 end) as double) as received,
    cast(sum(case when is_received and channel = 'online' then weight else 0 end) as double) as received_online,
    cast(sum(case when is_received and full_online_eligible then weight else 0 end) as double) as received_eligible,
    cast(sum(case when is_received and full_online_eligible and online_level = 'full' then weight else 0 end) as double)
        as received_full_online,
    cast(sum(case when is_received and has_fee then weight else 0 end) as double) as received_with_fee,
    cast(sum(case when is_received and has_fee and paid_online then weight else 0 end) as double) as received_paid_online,
    cast(sum(case when is_received and dossier_digitised then weight else 0 end) as double) as received_digitised,
    cast(sum(case when is_received and status = 'rejected' then weight else 0 end) as double) as received_rejected,
    cast(sum(case when is_received and synced_on_time then weight else 0 end) as double) as received_synced_on_time,
    cast(sum(case when is_received and data_reused then weight else 0 end) as double) as received_data_reused,
    cast(sum(case when is_received and dossier_digitised and digitised_shared then weight else 0 end) as double)
        as received_digitised_shared,
    cast(sum(case when is_received and citizen_data_used then weight else 0 end) as double) as received_citizen_data,
    cast(sum(case when is_received and received_signed then weight else 0 end) as double) as received_signed,
    cast(sum(case when is_received and received_signed is not null then weight else 0 end) as double) as received_signed_reported,
    cast(sum(case when is_resolved then weight else 0 end) as double) as resolved,
    cast(sum(case when is_on_time then weight else 0 end) as double) as resolved_on_time,
    cast(sum(case when is_early then weight else 0 end) as double) as resolved_early,
    cast(sum(case when is_late then weight else 0 end) as double) as resolved_late,
    cast(sum(case when is_resolved and result_electronic then weight else 0 end) as double) as resolved_electronic,
    cast(sum(case when is_resolved and result_signed then weight else 0 end) as double) as resolved_result_signed,
    cast(sum(case when is_resolved and result_signed is not null then weight else 0 end) as double) as resolved_result_signed_reported,
    cast(sum(case when is_closed then weight else 0 end) as double) as closed,
    cast(sum(case when is_closed and rated_satisfied is not null then weight else 0 end) as double) as closed_rated,
    cast(sum(case when is_closed and rated_satisfied then weight else 0 end) as double) as closed_rated_satisfied,
    cast(sum(case when is_in_progress then weight else 0 end) as double) as in_progress,
    cast(sum(case when is_overdue then weight else 0 end) as double) as overdue_in_progress,
    max(case when approximate then 1 else 0 end) = 1 as approximate
from dossier_window_flags
group by report_code, report_formed_on, period_start, part_start, part_end
having count(case when is_received or is_resolved or is_in_progress or is_closed then 1 end) > 0
