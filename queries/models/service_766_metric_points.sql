-- name: service_766_metric_points
-- description: Building block of service_index_766 and service_index_766_total (not a public query): every
--   metric of scoring_766 per unit and period, with numerator, denominator, rate and points, for all units
--   (the consumers apply the caller's scope, so ranks are computed among all units).
-- grain: one row per unit × period × metric of scoring_766, for units with a dossier or petition to count in the period
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province); province_code VARCHAR = NULL
-- columns: unit_code, unit_name, level, province_code, period_start, group_code, metric_code, numerator,
--          denominator, rate, points, max_points
-- method: see service_index_766. Dossier counts come from the marts mart_dossier_months and
--   mart_dossier_procedure_periods (etl/marts/); the same definition over raw rows is
--   queries/from_rows/models/service_766_metric_points.sql (tests prove them equal).
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

-- the mart's months of the year in their period, under the unit they count for
period_months as (
    select
        um.unit_code,
        p.period_start,
        p.is_last_month,
        m.received,
        m.received_synced_on_time,
        m.resolved,
        m.resolved_on_time,
        m.in_progress,
        m.overdue_in_progress,
        m.received_eligible,
        m.received_full_online,
        m.received_with_fee,
        m.received_paid_online,
        m.resolved_electronic,
        m.received_digitised,
        m.received_data_reused,
        m.received_digitised_shared,
        m.received_citizen_data,
        m.closed,
        m.closed_rated,
        m.closed_rated_satisfied
    from mart_dossier_months as m
    inner join unit_map as um on m.unit_code = um.source_code
    inner join month_periods as p on m.month_start = p.month_start
    where m.year = $year
),

-- procedures with a fee dossier, with one paid online, fee procedures of the catalogue with a dossier:
-- distinct counts do not add up, so the mart holds them per unit and per province
procedure_counts as (
    select
        unit_code,
        period_start,
        fee_procedures_used,
        fee_procedures_paid_online,
        fee_procedures_received
    from mart_dossier_procedure_periods
    where
        year = $year
        and period = $period
        and grouped_by = case when $level = 'province' then 'province' else 'unit' end
),

-- events add up over the period's months; the in-progress state is that at the end of its last month
-- (definitions as dossier_kpis); closed: processing ended in the period, whatever the final status (when
-- an applicant can rate the handling)
dossier_counts as (
    select
        m.unit_code,
        m.period_start,
        cast(sum(m.received) as bigint) as received,
        cast(sum(m.received_synced_on_time) as bigint) as received_synced_on_time,
        cast(sum(m.resolved) as bigint) as resolved,
        cast(sum(m.resolved_on_time) as bigint) as resolved_on_time,
        cast(sum(case when m.is_last_month then m.in_progress else 0 end) as bigint) as in_progress,
        cast(sum(case when m.is_last_month then m.in_progress - m.overdue_in_progress else 0 end) as bigint) as in_progress_not_overdue,
        cast(sum(m.received_eligible) as bigint) as received_eligible,
        cast(sum(m.received_full_online) as bigint) as received_full_online,
        cast(sum(m.received_with_fee) as bigint) as received_with_fee,
        cast(sum(m.received_paid_online) as bigint) as received_paid_online,
        max(pc.fee_procedures_used) as fee_procedures_used,
        max(pc.fee_procedures_paid_online) as fee_procedures_paid_online,
        cast(sum(m.resolved_electronic) as bigint) as resolved_electronic,
        cast(sum(m.received_digitised) as bigint) as received_digitised,
        cast(sum(m.received_data_reused) as bigint) as received_data_reused,
        cast(sum(m.received_digitised_shared) as bigint) as received_digitised_shared,
        cast(sum(m.received_citizen_data) as bigint) as received_citizen_data,
        cast(sum(m.closed_rated) as bigint) as closed_rated,
        cast(sum(m.closed_rated_satisfied) as bigint) as closed_rated_satisfied
    from period_months as m
    left join procedure_counts as pc on pc.unit_code = m.unit_code and pc.period_start = m.period_start
    group by m.unit_code, m.period_start
    having sum(m.received) + sum(m.resolved) + sum(case when m.is_last_month then m.in_progress else 0 end) + sum(m.closed) > 0
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

fee_coverage as (
    select
        f.unit_code,
        f.period_start,
        count(*) as fee_procedures,
        max(coalesce(pc.fee_procedures_received, 0)) as fee_procedures_received
    from fee_catalogue as f
    left join procedure_counts as pc on pc.unit_code = f.unit_code and pc.period_start = f.period_start
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

-- a unit's name as valid in the period (else its latest name), for the units reported on, as dossier_kpis
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
        where u.unit_code in (select unit_code from unit_periods)
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
