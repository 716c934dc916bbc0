-- name: dossier_kpis
-- description: Dossier throughput and service KPIs per unit and period (the dossier inputs of the Decision 766 index).
-- grain: one row per unit_code × period_start, for units with a dossier received, resolved or in progress in the period
--   (period_start is the first day of the part of the period the unit existed in, as published)
-- key: unit_code, period_start
-- uses: counted_dossiers_of_field as counted_dossiers, report_month_counts, report_processing_percentiles,
--       report_unit_names
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL;
--         field_code VARCHAR = NULL
-- columns: unit_code, unit_name, period_start, received, resolved, resolved_on_time, resolved_early,
--          resolved_late, in_progress, overdue_in_progress, on_time_rate, online_rate, full_online_rate,
--          online_payment_rate, digitised_rate, electronic_result_rate, rejection_rate,
--          median_processing_days, p90_processing_days, approximate
-- source: Decision 766/QĐ-TTg (23/6/2022) on the service index; Decree 61/2018/NĐ-CP and 107/2021/NĐ-CP
--         on the one-stop shop (due date, on-time and late dossiers).
-- disclosure: counts received, resolved, resolved_on_time, resolved_early, resolved_late, in_progress,
--   overdue_in_progress; sum resolved = resolved_on_time + resolved_late;
--   group received, resolved, resolved_on_time, resolved_early, resolved_late, in_progress, overdue_in_progress
--   by parent(unit_code), period_start; group received, resolved, resolved_on_time, resolved_early, resolved_late
--   by unit_code; on_time_rate from resolved_on_time, resolved;
--   online_rate share of received; digitised_rate share of received; rejection_rate share of received;
--   electronic_result_rate share of resolved; full_online_rate, online_payment_rate from received;
--   median_processing_days, p90_processing_days from resolved
-- method: Dates are compared as calendar dates (a dossier resolved at 23:59 on its due date is on time).
--         received = received in the period; resolved = status resolved with the end of processing in the
--         period; on time = resolved date <= due date (a dossier without a due date counts on time), early <,
--         late >; in_progress = received by the period end and not resolved, rejected or withdrawn by then;
--         overdue_in_progress = of those, due on or before the last day of the period. online_rate = online
--         channel / received; full_online_rate = full-online / received of procedures eligible for full
--         online; online_payment_rate = paid online / received with a fee (the dossier's flag, else the
--         procedure's); digitised_rate = digitised / received; electronic_result_rate = electronic result /
--         resolved; rejection_rate = rejected / received. Processing days = calendar days from the received
--         date to the resolved date; median and p90 interpolated (percentile_cont). A rate is empty when its
--         denominator is 0. Units (docs/units.md): a dossier belongs to the unit its code named on its
--         received date. level commune, department or district (before the reform; it also counts
--         departments, as it always did) reports each unit; level province every dossier under its
--         province of the time. units=as_published shows units as they were: a unit only for the part of
--         the period it existed in (period_start is that part's first day: code 52 is Bình Định to June
--         2025, Gia Lai from July); units=current re-bases history onto today's units: exact at province
--         level, through the crosswalk's weights at commune level, where a split commune makes the row
--         approximate (counts rounded, rates from the weighted counts; percentiles put a split commune
--         wholly under the commune with its largest share). unit_name is the name in force in the
--         period. The field of a dossier is its procedure's field in the province's catalogue, else the
--         national catalogue's, else the export's. Computed from the marts mart_dossier_months and
--         mart_dossier_processing_percentiles (etl/marts/): events summed over the period's months,
--         in-progress counts taken at its last month, percentiles as the mart computed them for the
--         grouping; the raw-row definitions of the blocks that read them are in
--         queries/from_rows/models/ (tests prove them equal).
with measures as (
    select *
    from report_month_counts
    where received + resolved + in_progress > 0
),

final as (
    select
        m.report_code as unit_code,
        n.unit_name,
        m.part_start as period_start,
        cast(floor(m.received + 0.5) as bigint) as received,
        cast(floor(m.resolved + 0.5) as bigint) as resolved,
        cast(floor(m.resolved_on_time + 0.5) as bigint) as resolved_on_time,
        cast(floor(m.resolved_early + 0.5) as bigint) as resolved_early,
        cast(floor(m.resolved_late + 0.5) as bigint) as resolved_late,
        cast(floor(m.in_progress + 0.5) as bigint) as in_progress,
        cast(floor(m.overdue_in_progress + 0.5) as bigint) as overdue_in_progress,
        cast(m.resolved_on_time as double) / nullif(m.resolved, 0) as on_time_rate,
        cast(m.received_online as double) / nullif(m.received, 0) as online_rate,
        cast(m.received_full_online as double) / nullif(m.received_eligible, 0) as full_online_rate,
        cast(m.received_paid_online as double) / nullif(m.received_with_fee, 0) as online_payment_rate,
        cast(m.received_digitised as double) / nullif(m.received, 0) as digitised_rate,
        cast(m.resolved_electronic as double) / nullif(m.resolved, 0) as electronic_result_rate,
        cast(m.received_rejected as double) / nullif(m.received, 0) as rejection_rate,
        cast(q.median_processing_days as double) as median_processing_days,
        cast(q.p90_processing_days as double) as p90_processing_days,
        m.approximate
    from measures as m
    left join report_processing_percentiles as q
        on
            q.report_code = m.report_code
            and q.report_formed_on = m.report_formed_on
            and q.period_start = m.period_start
    left join report_unit_names as n
        on n.report_code = m.report_code and n.report_formed_on = m.report_formed_on and n.period_start = m.period_start
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code, period_start
