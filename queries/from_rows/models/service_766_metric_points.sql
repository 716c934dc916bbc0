-- name: service_766_metric_points
-- description: Building block of service_index_766 and service_index_766_total (not a public query): every
--   metric of scoring_766 per unit and period, with numerator, denominator, rate and points, for all units
--   (the consumers apply the caller's scope, so ranks are computed among all units).
-- grain: one row per unit × period × metric of scoring_766, for units with a dossier or petition to count in the period
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province); province_code VARCHAR = NULL
-- columns: unit_code, unit_name, level, province_code, period_start, group_code, metric_code, numerator,
--          denominator, rate, points, max_points
-- method: see service_index_766.
with
period_grid (period, start_mmdd, end_year_offset, end_mmdd) as (
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

-- one row per unit: its level and province, from its latest validity row (as dossier_kpis)
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

-- the units reported on: district and department units at level district, provinces at level province
report_units as (
    select unit_code, level, province_code
    from unit_latest
    where
        (($level = 'province' and level = 'province') or ($level <> 'province' and level in ('district', 'department')))
        and ($province_code is null or province_code = $province_code)
),

-- the unit a dossier or petition counts for: itself, or its province at level province
unit_map as (
    select
        unit_code as source_code,
        case when $level = 'province' then province_code else unit_code end as unit_code,
        province_code
    from unit_latest
    where
        ($level = 'province' or level in ('district', 'department'))
        and ($province_code is null or province_code = $province_code)
),

-- dossiers that can count in the year: received by its end, not finished before its start
scoped_dossiers as (
    select
        m.unit_code,
        d.procedure_code,
        d.status,
        d.online_level,
        cast(d.received_at as date) as received_date,
        cast(d.due_at as date) as due_date,
        cast(d.resolved_at as date) as resolved_date,
        coalesce(d.has_fee, p.has_fee) as has_fee,
        coalesce(p.full_online_eligible, false) as full_online_eligible,
        d.paid_online,
        d.dossier_digitised,
        d.result_electronic,
        d.data_reused,
        d.digitised_shared,
        d.citizen_data_used,
        d.synced_on_time,
        d.rated_satisfied
    from dossiers as d
    inner join unit_map as m on d.unit_code = m.source_code
    left join procedures as p
        on d.procedure_code = p.procedure_code and m.province_code = p.province_code
    where
        d.year <= $year
        and (d.resolved_at is null or cast(d.resolved_at as date) >= cast(cast($year as varchar) || '-01-01' as date))
),

-- each dossier against each period it may count in (definitions as dossier_kpis); is_closed: processing
-- ended in the period, whatever the final status (when an applicant can rate the handling)
dossier_periods as (
    select
        d.*,
        p.period_start,
        p.period_end,
        d.received_date >= p.period_start as is_received,
        d.status = 'resolved'
        and d.resolved_date >= p.period_start
        and d.resolved_date < p.period_end as is_resolved,
        d.status not in ('resolved', 'rejected', 'withdrawn') or d.resolved_date >= p.period_end as is_in_progress,
        d.status in ('resolved', 'rejected', 'withdrawn')
        and d.resolved_date >= p.period_start
        and d.resolved_date < p.period_end as is_closed
    from scoped_dossiers as d
    inner join periods as p on d.received_date < p.period_end
),

dossier_counts as (
    select
        unit_code,
        period_start,
        count(case when is_received then 1 end) as received,
        count(case when is_received and synced_on_time then 1 end) as received_synced_on_time,
        count(case when is_resolved then 1 end) as resolved,
        count(case when is_resolved and resolved_date <= coalesce(due_date, resolved_date) then 1 end)
            as resolved_on_time,
        count(case when is_in_progress then 1 end) as in_progress,
        count(case when is_in_progress and (due_date is null or due_date >= period_end) then 1 end)
            as in_progress_not_overdue,
        count(case when is_received and full_online_eligible then 1 end) as received_eligible,
        count(case when is_received and full_online_eligible and online_level = 'full' then 1 end)
            as received_full_online,
        count(case when is_received and has_fee then 1 end) as received_with_fee,
        count(case when is_received and has_fee and paid_online then 1 end) as received_paid_online,
        count(distinct case when is_received and has_fee then procedure_code end) as fee_procedures_used,
        count(distinct case when is_received and has_fee and paid_online then procedure_code end)
            as fee_procedures_paid_online,
        count(case when is_resolved and result_electronic then 1 end) as resolved_electronic,
        count(case when is_received and dossier_digitised then 1 end) as received_digitised,
        count(case when is_received and data_reused then 1 end) as received_data_reused,
        count(case when is_received and dossier_digitised and digitised_shared then 1 end)
            as received_digitised_shared,
        count(case when is_received and citizen_data_used then 1 end) as received_citizen_data,
        count(case when is_closed and rated_satisfied is not null then 1 end) as closed_rated,
        count(case when is_closed and rated_satisfied then 1 end) as closed_rated_satisfied
    from dossier_periods
    group by unit_code, period_start
    having count(case when is_received or is_resolved or is_in_progress or is_closed then 1 end) > 0
),

-- the procedure catalogue of each province, procedures active in the period (announced before its
-- end, not abolished by its start)
catalogue_active as (
    select
        c.province_code,
        p.period_start,
        c.procedure_code,
        c.has_fee,
        c.authority_level,
        c.published_on_time,
        c.public_updated_on_time,
        c.public_content_full,
        c.citizen_data_connected
    from procedures as c
    inner join periods as p
        on c.published_at < p.period_end
        and (c.abolished_at is null or c.abolished_at > p.period_start)
    where $province_code is null or c.province_code = $province_code
),

catalogue_counts as (
    select
        province_code,
        period_start,
        count(*) as active,
        count(case when published_on_time then 1 end) as published_on_time,
        count(case when public_updated_on_time then 1 end) as public_updated_on_time,
        count(case when public_content_full then 1 end) as public_content_full,
        count(case when citizen_data_connected then 1 end) as citizen_data_connected
    from catalogue_active
    group by province_code, period_start
),

-- fee procedures each unit can receive: a district's those resolved at district level, a
-- department's those resolved at province level (all when the catalogue gives no level), a province's all
fee_catalogue as (
    select
        r.unit_code,
        c.period_start,
        c.procedure_code
    from report_units as r
    inner join catalogue_active as c on c.province_code = r.province_code
    where
        c.has_fee
        and (
            r.level = 'province'
            or c.authority_level is null
            or c.authority_level = case r.level when 'district' then 'district' else 'province' end
        )
),

received_procedures as (
    select distinct unit_code, period_start, procedure_code
    from dossier_periods
    where is_received
),

fee_coverage as (
    select
        f.unit_code,
        f.period_start,
        count(*) as fee_procedures,
        count(rp.procedure_code) as fee_procedures_received
    from fee_catalogue as f
    left join received_procedures as rp
        on rp.unit_code = f.unit_code
        and rp.period_start = f.period_start
        and rp.procedure_code = f.procedure_code
    group by f.unit_code, f.period_start
),

-- petitions (PAKN) that can count in the year, against each period, state at the period's end
feedback_periods as (
    select
        m.unit_code,
        p.period_start,
        cast(f.received_at as date) >= p.period_start as is_received,
        f.resolved_at is not null and cast(f.resolved_at as date) < p.period_end as is_answered_by_end,
        f.resolved_at is not null
        and cast(f.resolved_at as date) >= p.period_start
        and cast(f.resolved_at as date) < p.period_end as is_answered,
        cast(f.resolved_at as date) <= coalesce(cast(f.due_at as date), cast(f.resolved_at as date)) as answered_on_time,
        f.due_at is null or cast(f.due_at as date) >= p.period_end as not_overdue_at_end,
        f.satisfied
    from feedback as f
    inner join unit_map as m on f.unit_code = m.source_code
    inner join periods as p on cast(f.received_at as date) < p.period_end
    where f.resolved_at is null or cast(f.resolved_at as date) >= cast(cast($year as varchar) || '-01-01' as date)
),

feedback_counts as (
    select
        unit_code,
        period_start,
        count(case when is_received then 1 end) as petitions,
        count(
            case
                when is_received and is_answered_by_end and answered_on_time then 1
                when is_received and not is_answered_by_end and not_overdue_at_end then 1
            end
        ) as petitions_in_time,
        count(case when is_answered and satisfied is not null then 1 end) as petitions_rated,
        count(case when is_answered and satisfied then 1 end) as petitions_satisfied
    from feedback_periods
    group by unit_code, period_start
    having count(case when is_received or is_answered or not is_answered_by_end then 1 end) > 0
),

-- the unit × period rows: units with a dossier or a petition to count in the period
unit_periods as (
    select unit_code, period_start from dossier_counts
    union
    select unit_code, period_start from feedback_counts
),

unit_values as (
    select
        r.unit_code,
        r.level,
        r.province_code,
        up.period_start,
        coalesce(d.received, 0) as received,
        coalesce(d.received_synced_on_time, 0) as received_synced_on_time,
        coalesce(d.resolved, 0) as resolved,
        coalesce(d.resolved_on_time, 0) as resolved_on_time,
        coalesce(d.in_progress, 0) as in_progress,
        coalesce(d.in_progress_not_overdue, 0) as in_progress_not_overdue,
        coalesce(d.received_eligible, 0) as received_eligible,
        coalesce(d.received_full_online, 0) as received_full_online,
        coalesce(d.received_with_fee, 0) as received_with_fee,
        coalesce(d.received_paid_online, 0) as received_paid_online,
        coalesce(d.fee_procedures_used, 0) as fee_procedures_used,
        coalesce(d.fee_procedures_paid_online, 0) as fee_procedures_paid_online,
        coalesce(d.resolved_electronic, 0) as resolved_electronic,
        coalesce(d.received_digitised, 0) as received_digitised,
        coalesce(d.received_data_reused, 0) as received_data_reused,
        coalesce(d.received_digitised_shared, 0) as received_digitised_shared,
        coalesce(d.received_citizen_data, 0) as received_citizen_data,
        coalesce(d.closed_rated, 0) as closed_rated,
        coalesce(d.closed_rated_satisfied, 0) as closed_rated_satisfied,
        coalesce(c.active, 0) as catalogue_active,
        coalesce(c.published_on_time, 0) as catalogue_published_on_time,
        coalesce(c.public_updated_on_time, 0) as catalogue_public_updated_on_time,
        coalesce(c.public_content_full, 0) as catalogue_public_content_full,
        coalesce(c.citizen_data_connected, 0) as catalogue_citizen_data_connected,
        coalesce(fc.fee_procedures, 0) as fee_procedures,
        coalesce(fc.fee_procedures_received, 0) as fee_procedures_received,
        coalesce(fb.petitions, 0) as petitions,
        coalesce(fb.petitions_in_time, 0) as petitions_in_time,
        coalesce(fb.petitions_rated, 0) as petitions_rated,
        coalesce(fb.petitions_satisfied, 0) as petitions_satisfied
    from unit_periods as up
    inner join report_units as r on r.unit_code = up.unit_code
    left join dossier_counts as d on d.unit_code = up.unit_code and d.period_start = up.period_start
    left join feedback_counts as fb on fb.unit_code = up.unit_code and fb.period_start = up.period_start
    left join catalogue_counts as c on c.province_code = r.province_code and c.period_start = up.period_start
    left join fee_coverage as fc on fc.unit_code = up.unit_code and fc.period_start = up.period_start
),

-- numerator and denominator of every metric of the scoring table; a metric code this query does not
-- define gets neither (no data)
metric_values as (
    select
        v.unit_code,
        v.level,
        v.province_code,
        v.period_start,
        s.group_code,
        s.metric_code,
        s.max_points,
        s.full_marks_at,
        s.zero_denominator_points,
        case s.metric_code
            when 'PUBLISH_ON_TIME' then v.catalogue_published_on_time
            when 'PUBLIC_UPDATE_ON_TIME' then v.catalogue_public_updated_on_time
            when 'PUBLIC_CONTENT_FULL' then v.catalogue_public_content_full
            when 'DOSSIER_SYNC' then v.received_synced_on_time
            when 'PROGRESS_ON_TIME' then v.resolved_on_time + v.in_progress_not_overdue
            when 'FULL_ONLINE_SHARE' then v.received_full_online
            when 'PAYMENT_DOSSIER_SHARE' then v.received_paid_online
            when 'PAYMENT_PROCEDURE_SHARE' then v.fee_procedures_paid_online
            when 'PAYMENT_PROCEDURE_COVERAGE' then v.fee_procedures_received
            when 'ORIGINAL_RESULT_AVAILABLE' then v.resolved_electronic
            when 'SO_HOA_GIAY_TO_GIAI_QUYET' then v.received_digitised
            when 'ELECTRONIC_CERTIFIED_COPY' then 0
            when 'REUSED_DIGITIZED_DATA' then v.received_data_reused
            when 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE' then v.received_digitised_shared
            when 'CITIZEN_DATA_CONNECTED_DOSSIER' then v.received_citizen_data
            when 'CITIZEN_DATA_CONNECTED_FORMALITY' then v.catalogue_citizen_data_connected
            when 'PETITION_PROCESSING_ON_TIME' then v.petitions_in_time
            when 'PETITION_HANDLING_SATISFACTION' then v.petitions_satisfied
            when 'DOSSIER_RECEIVING_SATISFACTION' then v.closed_rated_satisfied
        end as numerator,
        case s.metric_code
            when 'PUBLISH_ON_TIME' then v.catalogue_active
            when 'PUBLIC_UPDATE_ON_TIME' then v.catalogue_active
            when 'PUBLIC_CONTENT_FULL' then v.catalogue_active
            when 'DOSSIER_SYNC' then v.received
            when 'PROGRESS_ON_TIME' then v.resolved + v.in_progress
            when 'FULL_ONLINE_SHARE' then v.received_eligible
            when 'PAYMENT_DOSSIER_SHARE' then v.received_with_fee
            when 'PAYMENT_PROCEDURE_SHARE' then v.fee_procedures_used
            when 'PAYMENT_PROCEDURE_COVERAGE' then v.fee_procedures
            when 'ORIGINAL_RESULT_AVAILABLE' then v.resolved
            when 'SO_HOA_GIAY_TO_GIAI_QUYET' then v.received
            when 'ELECTRONIC_CERTIFIED_COPY' then 0
            when 'REUSED_DIGITIZED_DATA' then v.received
            when 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE' then v.received_digitised
            when 'CITIZEN_DATA_CONNECTED_DOSSIER' then v.received
            when 'CITIZEN_DATA_CONNECTED_FORMALITY' then v.catalogue_active
            when 'PETITION_PROCESSING_ON_TIME' then v.petitions
            when 'PETITION_HANDLING_SATISFACTION' then v.petitions_rated
            when 'DOSSIER_RECEIVING_SATISFACTION' then v.closed_rated
        end as denominator
    from unit_values as v
    cross join scoring_766 as s
),

-- rate and points: max × min(1, rate / full_marks_at); denominator 0: the table's
-- zero_denominator_points, or no data (empty) when it gives none
metric_points as (
    select
        unit_code,
        level,
        province_code,
        period_start,
        group_code,
        metric_code,
        numerator,
        denominator,
        cast(numerator as double) / nullif(denominator, 0) as rate,
        case
            when denominator is null then null
            when denominator = 0 then zero_denominator_points
            when full_marks_at > 0
                then max_points * least(1.0, (cast(numerator as double) / nullif(denominator, 0)) / nullif(full_marks_at, 0))
        end as points,
        max_points
    from metric_values
),

-- a unit's name as valid in the period (else its latest name), as dossier_kpis
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
)

select
    m.unit_code,
    n.unit_name,
    m.level,
    m.province_code,
    m.period_start,
    m.group_code,
    m.metric_code,
    m.numerator,
    m.denominator,
    m.rate,
    m.points,
    m.max_points
from metric_points as m
left join unit_names as n on n.unit_code = m.unit_code and n.period_start = m.period_start
