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
--         catalogue, else the field in the export.
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

-- dossiers that can count in the year: received by its end, not finished before its start
scoped_dossiers as (
    select
        case when $level = 'province' then u.province_code else d.unit_code end as unit_code,
        d.status,
        d.channel,
        d.online_level,
        cast(d.received_at as date) as received_date,
        cast(d.due_at as date) as due_date,
        cast(d.resolved_at as date) as resolved_date,
        date_diff('day', cast(d.received_at as date), cast(d.resolved_at as date)) as processing_days,
        coalesce(d.has_fee, p.has_fee) as has_fee,
        coalesce(p.full_online_eligible, false) as full_online_eligible,
        d.paid_online,
        d.dossier_digitised,
        d.result_electronic
    from dossiers as d
    inner join unit_latest as u on d.unit_code = u.unit_code
    left join procedures as p
        on d.procedure_code = p.procedure_code and u.province_code = p.province_code
    where
        d.year <= $year
        and (d.resolved_at is null or cast(d.resolved_at as date) >= cast(cast($year as varchar) || '-01-01' as date))
        and ($level = 'province' or u.level in ('district', 'department'))
        and ($province_code is null or u.province_code = $province_code)
        and ($field_code is null or coalesce(p.field_code, d.field_code) = $field_code)
),

-- each dossier against each period it may count in (received by the period end and not finished
-- before the period start), with what it counts as
dossier_periods as (
    select
        d.*,
        p.period_start,
        p.period_end,
        d.received_date >= p.period_start as is_received,
        d.status = 'resolved'
        and d.resolved_date >= p.period_start
        and d.resolved_date < p.period_end as is_resolved,
        d.status not in ('resolved', 'rejected', 'withdrawn') or d.resolved_date >= p.period_end as is_in_progress
    from scoped_dossiers as d
    inner join periods as p
        on
            d.received_date < p.period_end
            and (
                d.received_date >= p.period_start
                or d.resolved_date is null
                or d.resolved_date >= p.period_start
                or d.status not in ('resolved', 'rejected', 'withdrawn')
            )
),

measures as (
    select
        unit_code,
        period_start,
        count(case when is_received then 1 end) as received,
        count(case when is_resolved then 1 end) as resolved,
        count(case when is_resolved and resolved_date <= coalesce(due_date, resolved_date) then 1 end)
            as resolved_on_time,
        count(case when is_resolved and resolved_date < due_date then 1 end) as resolved_early,
        count(case when is_resolved and resolved_date > due_date then 1 end) as resolved_late,
        count(case when is_in_progress then 1 end) as in_progress,
        count(case when is_in_progress and due_date < period_end then 1 end) as overdue_in_progress,
        count(case when is_received and channel = 'online' then 1 end) as received_online,
        count(case when is_received and full_online_eligible then 1 end) as received_eligible,
        count(case when is_received and full_online_eligible and online_level = 'full' then 1 end)
            as received_full_online,
        count(case when is_received and has_fee then 1 end) as received_with_fee,
        count(case when is_received and has_fee and paid_online then 1 end) as received_paid_online,
        count(case when is_received and dossier_digitised then 1 end) as received_digitised,
        count(case when is_resolved and result_electronic then 1 end) as resolved_electronic,
        count(case when is_received and status = 'rejected' then 1 end) as received_rejected,
        percentile_cont(0.5) within group (order by case when is_resolved then processing_days end)
            as median_processing_days,
        percentile_cont(0.9) within group (order by case when is_resolved then processing_days end)
            as p90_processing_days
    from dossier_periods
    group by unit_code, period_start
    having count(case when is_received or is_resolved or is_in_progress then 1 end) > 0
),

-- a unit's name as valid in the period (else its latest name)
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
        cast(m.median_processing_days as double) as median_processing_days,
        cast(m.p90_processing_days as double) as p90_processing_days
    from measures as m
    left join unit_names as n on m.unit_code = n.unit_code and m.period_start = n.period_start
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code, period_start
