-- name: mart_dossier_months
-- description: Dossier counts per unit, field and month: what every dossier KPI and Decision 766 dossier
--   metric needs, so that charts add up a few thousand rows instead of scanning every dossier.
-- grain: one row per unit_code × unit_formed_on × field_code × month_start with a dossier counted in the month
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- uses: dossier_month_windows as dossier_windows, dossier_window_flags
-- columns: year INTEGER, month_start DATE, unit_code VARCHAR, unit_formed_on DATE, field_code VARCHAR,
--   received BIGINT, received_online BIGINT, received_eligible BIGINT, received_full_online BIGINT,
--   received_with_fee BIGINT, received_paid_online BIGINT, received_digitised BIGINT,
--   received_rejected BIGINT, received_synced_on_time BIGINT, received_data_reused BIGINT,
--   received_digitised_shared BIGINT, received_citizen_data BIGINT, received_signed BIGINT,
--   received_signed_reported BIGINT, resolved BIGINT,
--   resolved_on_time BIGINT,
--   resolved_early BIGINT, resolved_late BIGINT, resolved_electronic BIGINT, resolved_result_signed BIGINT,
--   resolved_result_signed_reported BIGINT, closed BIGINT,
--   closed_rated BIGINT, closed_rated_satisfied BIGINT, in_progress BIGINT, overdue_in_progress BIGINT,
--   first_received_date DATE, last_received_date DATE
-- method: The flags of dossier_window_flags, month by month. received_*, resolved_* and closed_* count
--   events of the month, so a quarter or a year is the sum of its months; in_progress and
--   overdue_in_progress are the state at the end of the month, so a quarter's or a year's value is that
--   of its last month. The unit is the one the dossier's code named on its received date (unit_code and
--   unit_formed_on, dossier_facts); queries put units under the units they report (unit_map) at run
--   time, so one mart serves every level, re-basing, province filter, field filter and period.
select
    cast(year(window_start) as integer) as year,
    window_start as month_start,
    unit_code,
    unit_formed_on,
    field_code,
    count(case when is_received then 1 end) as received,
    count(case when is_received and channel = 'online' then 1 end) as received_online,
    count(case when is_received and full_online_eligible then 1 end) as received_eligible,
    count(case when is_received and full_online_eligible and online_level = 'full' then 1 end)
        as received_full_online,
    count(case when is_received and has_fee then 1 end) as received_with_fee,
    count(case when is_received and has_fee and paid_online then 1 end) as received_paid_online,
    count(case when is_received and dossier_digitised then 1 end) as received_digitised,
    count(case when is_received and status = 'rejected' then 1 end) as received_rejected,
    count(case when is_received and synced_on_time then 1 end) as received_synced_on_time,
    count(case when is_received and data_reused then 1 end) as received_data_reused,
    count(case when is_received and dossier_digitised and digitised_shared then 1 end) as received_digitised_shared,
    count(case when is_received and citizen_data_used then 1 end) as received_citizen_data,
    count(case when is_received and received_signed then 1 end) as received_signed,
    count(case when is_received and received_signed is not null then 1 end) as received_signed_reported,
    count(case when is_resolved then 1 end) as resolved,
    count(case when is_on_time then 1 end) as resolved_on_time,
    count(case when is_early then 1 end) as resolved_early,
    count(case when is_late then 1 end) as resolved_late,
    count(case when is_resolved and result_electronic then 1 end) as resolved_electronic,
    count(case when is_resolved and result_signed then 1 end) as resolved_result_signed,
    count(case when is_resolved and result_signed is not null then 1 end) as resolved_result_signed_reported,
    count(case when is_closed then 1 end) as closed,
    count(case when is_closed and rated_satisfied is not null then 1 end) as closed_rated,
    count(case when is_closed and rated_satisfied then 1 end) as closed_rated_satisfied,
    count(case when is_in_progress then 1 end) as in_progress,
    count(case when is_overdue then 1 end) as overdue_in_progress,
    min(case when is_received then received_date end) as first_received_date,
    max(case when is_received then received_date end) as last_received_date
from dossier_window_flags
group by window_start, unit_code, unit_formed_on, field_code
having count(case when is_received or is_resolved or is_in_progress or is_closed then 1 end) > 0
order by window_start, unit_code, unit_formed_on, field_code
