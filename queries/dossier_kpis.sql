-- name: dossier_kpis
-- description: Dossier throughput and service KPIs per unit and period (the dossier inputs of the Decision 766 index).
-- grain: one row per unit_code × period_start, for units with a dossier received, resolved or in progress in the period
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province); province_code VARCHAR = NULL; field_code VARCHAR = NULL
-- columns: unit_code, unit_name, period_start, received, resolved, resolved_on_time, resolved_early,
--          resolved_late, in_progress, overdue_in_progress, on_time_rate, online_rate, full_online_rate,
--          online_payment_rate, digitised_rate, electronic_result_rate, rejection_rate,
--          median_processing_days, p90_processing_days
-- source: Decision 766/QĐ-TTg (23/6/2022) on the service index; Decree 61/2018/NĐ-CP and 107/2021/NĐ-CP
--         on the one-stop shop (due date, on-time and late dossiers).
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
--         denominator is 0. level=district counts district and department units; level=province every
--         dossier of the province. The field of a dossier is its procedure's field in the province's
--         catalogue, else the field in the export. Computed from the marts mart_dossier_months and
--         mart_dossier_processing_percentiles (etl/marts/): events summed over the period's months,
--         in-progress counts taken at its last month, percentiles as the mart computed them for the
--         grouping; the same definition over raw rows is queries/from_rows/dossier_kpis.sql (tests prove
--         them equal).
with period_grid (period, start_mmdd, end_year_offset, end_mmdd) as (
    values
        ('year', '01-01', 1, '01-01'),
        ('quarter', '01-01', 0, '04-01'),
        ('quarter', '04-01', 0, '07-01'),
        ('quarter', '07-01', 0, '10-01'),
        ('quarter', '10-01', 1, '01-01'),
        ('month', '01-01', 0, '02-01'),
        ('month', '02-01', 0, '03-01'),
        ('month', '03-01', 0, '04-01'),
        ('month', '04-01', 0, '05-01'),
        ('month', '05-01', 0, '06-01'),
        ('month', '06-01', 0, '07-01'),
        ('month', '07-01', 0, '08-01'),
        ('month', '08-01', 0, '09-01'),
        ('month', '09-01', 0, '10-01'),
        ('month', '10-01', 0, '11-01'),
        ('month', '11-01', 0, '12-01'),
        ('month', '12-01', 1, '01-01')
),

-- the periods of the year asked for; period_end is exclusive (the first day of the next period)
periods as (
    select
        cast(cast($year as varchar) || '-' || start_mmdd as date) as period_start,
        cast(cast($year + end_year_offset as varchar) || '-' || end_mmdd as date) as period_end
    from period_grid
    where period = $period
),

-- every month of the year with the period it falls in; is_last_month: the period's last month (whose
-- end-of-month state is the period's)
month_grid (month_mmdd, quarter_mmdd, is_quarter_end) as (
    values
        ('01-01', '01-01', false),
        ('02-01', '01-01', false),
        ('03-01', '01-01', true),
        ('04-01', '04-01', false),
        ('05-01', '04-01', false),
        ('06-01', '04-01', true),
        ('07-01', '07-01', false),
        ('08-01', '07-01', false),
        ('09-01', '07-01', true),
        ('10-01', '10-01', false),
        ('11-01', '10-01', false),
        ('12-01', '10-01', true)
),

month_periods as (
    select
        cast(cast($year as varchar) || '-' || month_mmdd as date) as month_start,
        cast(
            cast($year as varchar) || '-'
            || case $period when 'year' then '01-01' when 'quarter' then quarter_mmdd else month_mmdd end as date
        ) as period_start,
        case $period when 'year' then month_mmdd = '12-01' when 'quarter' then is_quarter_end else true end
            as is_last_month
    from month_grid
),

-- one row per unit: its level and province, from its latest validity row
unit_latest as (
    select unit_code, level, province_code
    from (
        select
            unit_code,
            level,
            province_code,
            row_number() over (partition by unit_code order by valid_from desc) as row_rank
        from units
    ) as ranked
    where row_rank = 1
),

-- the mart's months of the year for the units and field asked for, in their period, under the
-- unit reported on (the province at level province)
period_months as (
    select
        case when $level = 'province' then u.province_code else m.unit_code end as unit_code,
        p.period_start,
        p.is_last_month,
        m.received,
        m.resolved,
        m.resolved_on_time,
        m.resolved_early,
        m.resolved_late,
        m.in_progress,
        m.overdue_in_progress,
        m.received_online,
        m.received_eligible,
        m.received_full_online,
        m.received_with_fee,
        m.received_paid_online,
        m.received_digitised,
        m.resolved_electronic,
        m.received_rejected
    from mart_dossier_months as m
    inner join unit_latest as u on m.unit_code = u.unit_code
    inner join month_periods as p on m.month_start = p.month_start
    where
        m.year = $year
        and ($level = 'province' or u.level in ('district', 'department'))
        and ($province_code is null or u.province_code = $province_code)
        and ($field_code is null or m.field_code = $field_code)
),

-- events add up over the period's months; the in-progress state is that at the end of its last month
measures as (
    select
        unit_code,
        period_start,
        cast(sum(received) as bigint) as received,
        cast(sum(resolved) as bigint) as resolved,
        cast(sum(resolved_on_time) as bigint) as resolved_on_time,
        cast(sum(resolved_early) as bigint) as resolved_early,
        cast(sum(resolved_late) as bigint) as resolved_late,
        cast(sum(case when is_last_month then in_progress else 0 end) as bigint) as in_progress,
        cast(sum(case when is_last_month then overdue_in_progress else 0 end) as bigint) as overdue_in_progress,
        cast(sum(received_online) as bigint) as received_online,
        cast(sum(received_eligible) as bigint) as received_eligible,
        cast(sum(received_full_online) as bigint) as received_full_online,
        cast(sum(received_with_fee) as bigint) as received_with_fee,
        cast(sum(received_paid_online) as bigint) as received_paid_online,
        cast(sum(received_digitised) as bigint) as received_digitised,
        cast(sum(resolved_electronic) as bigint) as resolved_electronic,
        cast(sum(received_rejected) as bigint) as received_rejected
    from period_months
    group by unit_code, period_start
    having sum(received) + sum(resolved) + sum(case when is_last_month then in_progress else 0 end) > 0
),

-- median and 90th percentile of processing days: percentiles do not add up, so the mart holds them for
-- every grouping (per unit, per province; per field and over all fields)
percentiles as (
    select
        unit_code,
        period_start,
        median_processing_days,
        p90_processing_days
    from mart_dossier_processing_percentiles
    where
        year = $year
        and period = $period
        and grouped_by = case when $level = 'province' then 'province' else 'unit' end
        and (field_code = $field_code or ($field_code is null and field_code is null))
),

-- a unit's name as valid in the period (else its latest name), for the units reported on
unit_names as (
    select unit_code, period_start, unit_name
    from (
        select
            u.unit_code,
            p.period_start,
            u.name as unit_name,
            row_number() over (
                partition by u.unit_code, p.period_start
                order by
                    case
                        when u.valid_from < p.period_end and (u.valid_to is null or u.valid_to >= p.period_start)
                            then 0
                        else 1
                    end,
                    u.valid_from desc
            ) as row_rank
        from units as u
        cross join periods as p
        where u.unit_code in (select unit_code from measures)
    ) as ranked
    where row_rank = 1
),

final as (
    select
        m.unit_code,
        n.unit_name,
        m.period_start,
        m.received,
        m.resolved,
        m.resolved_on_time,
        m.resolved_early,
        m.resolved_late,
        m.in_progress,
        m.overdue_in_progress,
        cast(m.resolved_on_time as double) / nullif(m.resolved, 0) as on_time_rate,
        cast(m.received_online as double) / nullif(m.received, 0) as online_rate,
        cast(m.received_full_online as double) / nullif(m.received_eligible, 0) as full_online_rate,
        cast(m.received_paid_online as double) / nullif(m.received_with_fee, 0) as online_payment_rate,
        cast(m.received_digitised as double) / nullif(m.received, 0) as digitised_rate,
        cast(m.resolved_electronic as double) / nullif(m.resolved, 0) as electronic_result_rate,
        cast(m.received_rejected as double) / nullif(m.received, 0) as rejection_rate,
        cast(q.median_processing_days as double) as median_processing_days,
        cast(q.p90_processing_days as double) as p90_processing_days
    from measures as m
    left join percentiles as q on m.unit_code = q.unit_code and m.period_start = q.period_start
    left join unit_names as n on m.unit_code = n.unit_code and m.period_start = n.period_start
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code, period_start
