-- name: report_month_counts
-- description: Building block (not a public query): the dossier counts of each reported unit in each
--   period (the part of it the unit existed in, as published), from the month mart.
-- grain: one row per reported unit (report_code × report_formed_on) × period, for units with a dossier received, resolved or in progress in it
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: period_months, report_units
-- columns: report_code, report_formed_on, period_start, part_start, part_end, received, received_online,
--          received_eligible, received_full_online, received_with_fee, received_paid_online,
--          received_digitised, received_rejected, received_synced_on_time, received_data_reused,
--          received_digitised_shared, received_citizen_data, received_signed, received_signed_reported,
--          resolved, resolved_on_time,
--          resolved_early, resolved_late, resolved_electronic, resolved_result_signed,
--          resolved_result_signed_reported, closed, closed_rated, closed_rated_satisfied, in_progress,
--          overdue_in_progress, approximate
-- method: Reads `counted_dossiers` (the query's choice of counted_dossiers_all or
--   counted_dossiers_of_field, placed before it). The counts of dossier_window_flags (received, resolved, on time, ...), read from the mart
--   mart_dossier_months: events are summed over the period's months, the in-progress state is the one
--   at the end of the part's last month. Each unit's months go to the units it is reported under
--   (report_units), times the weight (1 but for split units re-based to today's units, which make the
--   row approximate). As published, a reported unit counts only in the months it existed: its part of
--   a period runs from part_start to the day before part_end (the year 2025 shows Bình Định to June and
--   Gia Lai from July under code 52). The same definition over raw rows is
--   queries/from_rows/models/report_month_counts.sql (tests prove them equal).
with month_rows as (
    select
        r.report_code,
        r.report_formed_on,
        p.period_start,
        case
            when $units = 'as_published' and r.report_from > p.period_start then r.report_from
            else p.period_start
        end as part_start,
        case
            when $units = 'as_published' and r.report_until < p.period_end then r.report_until
            else p.period_end
        end as part_end,
        m.month_start = case
            when $units = 'as_published' and r.report_last_month < p.last_month_start then r.report_last_month
            else p.last_month_start
        end as is_last_month,
        r.weight,
        r.approximate,
        m.received,
        m.received_online,
        m.received_eligible,
        m.received_full_online,
        m.received_with_fee,
        m.received_paid_online,
        m.received_digitised,
        m.received_rejected,
        m.received_synced_on_time,
        m.received_data_reused,
        m.received_digitised_shared,
        m.received_citizen_data,
        m.received_signed,
        m.received_signed_reported,
        m.resolved,
        m.resolved_on_time,
        m.resolved_early,
        m.resolved_late,
        m.resolved_electronic,
        m.resolved_result_signed,
        m.resolved_result_signed_reported,
        m.closed,
        m.closed_rated,
        m.closed_rated_satisfied,
        m.in_progress,
        m.overdue_in_progress
    from counted_dossiers as m
    inner join report_units as r on m.unit_code = r.unit_code and m.unit_formed_on = r.formed_on
    inner join period_months as p on m.month_start = p.month_start
    where
        m.year = $year
        and (
            $units = 'current'
            or (m.month_start >= r.report_from and (r.report_to is null or m.month_start <= r.report_to))
        )
)

select
    report_code,
    report_formed_on,
    period_start,
    part_start,
    part_end,
    cast(sum(weight * received) as double) as received,
    cast(sum(weight * received_online) as double) as received_online,
    cast(sum(weight * received_eligible) as double) as received_eligible,
    cast(sum(weight * received_full_online) as double) as received_full_online,
    cast(sum(weight * received_with_fee) as double) as received_with_fee,
    cast(sum(weight * received_paid_online) as double) as received_paid_online,
    cast(sum(weight * received_digitised) as double) as received_digitised,
    cast(sum(weight * received_rejected) as double) as received_rejected,
    cast(sum(weight * received_synced_on_time) as double) as received_synced_on_time,
    cast(sum(weight * received_data_reused) as double) as received_data_reused,
    cast(sum(weight * received_digitised_shared) as double) as received_digitised_shared,
    cast(sum(weight * received_citizen_data) as double) as received_citizen_data,
    cast(sum(weight * received_signed) as double) as received_signed,
    cast(sum(weight * received_signed_reported) as double) as received_signed_reported,
    cast(sum(weight * resolved) as double) as resolved,
    cast(sum(weight * resolved_on_time) as double) as resolved_on_time,
    cast(sum(weight * resolved_early) as double) as resolved_early,
    cast(sum(weight * resolved_late) as double) as resolved_late,
    cast(sum(weight * resolved_electronic) as double) as resolved_electronic,
    cast(sum(weight * resolved_result_signed) as double) as resolved_result_signed,
    cast(sum(weight * resolved_result_signed_reported) as double) as resolved_result_signed_reported,
    cast(sum(weight * closed) as double) as closed,
    cast(sum(weight * closed_rated) as double) as closed_rated,
    cast(sum(weight * closed_rated_satisfied) as double) as closed_rated_satisfied,
    cast(sum(case when is_last_month then weight * in_progress else 0 end) as double) as in_progress,
    cast(sum(case when is_last_month then weight * overdue_in_progress else 0 end) as double) as overdue_in_progress,
    max(case when approximate then 1 else 0 end) = 1 as approximate
from month_rows
group by report_code, report_formed_on, period_start, part_start, part_end
having sum(received) + sum(resolved) + sum(case when is_last_month then in_progress else 0 end) + sum(closed) > 0
