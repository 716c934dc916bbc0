-- name: service_766_metric_points
-- description: Building block of service_index_766 and service_index_766_total (not a public query): every
--   metric of scoring_766 per reported unit and period, with numerator, denominator, rate and points, for
--   all units of the level (the consumers apply the caller's scope, so ranks are computed among all units).
-- grain: one row per reported unit × period × metric of scoring_766, for units with a dossier or petition to count in the period
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: counted_dossiers_all as counted_dossiers, report_month_counts, report_procedure_counts,
--       report_unit_names, catalogue_versions
-- columns: unit_code, unit_name, level, province_code, period_start, group_code, metric_code, numerator,
--          denominator, rate, points, max_points, approximate
-- method: see service_index_766. Dossier counts come from the marts mart_dossier_months and
--   mart_dossier_procedure_periods through report_month_counts and report_procedure_counts, whose
--   raw-row definitions are in queries/from_rows/models/ (tests prove them equal).
with
-- the reported units of the level asked for: their own level and their province (of their era as
-- published, today's in today's units)
reported as (
    select distinct
        r.report_code,
        r.report_formed_on,
        r.report_province_code,
        r.report_from,
        r.report_until,
        own.level
    from report_units as r
    inner join unit_map as own
        on
            own.units_setting = 'as_published'
            and own.unit_code = r.report_code
            and own.formed_on = r.report_formed_on
            and own.report_code = r.report_code
),

-- dossier counts per reported unit and period part (received, resolved, in progress, closed)
dossier_counts as (
    select
        c.report_code,
        c.report_formed_on,
        c.period_start,
        c.part_start,
        c.part_end,
        c.approximate,
        c.received,
        c.received_synced_on_time,
        c.resolved,
        c.resolved_on_time,
        c.in_progress,
        c.in_progress - c.overdue_in_progress as in_progress_not_overdue,
        c.received_eligible,
        c.received_full_online,
        c.received_with_fee,
        c.received_paid_online,
        pc.fee_procedures_used,
        pc.fee_procedures_paid_online,
        pc.fee_procedures_received,
        c.resolved_electronic,
        c.received_digitised,
        c.received_data_reused,
        c.received_digitised_shared,
        c.received_citizen_data,
        c.closed_rated,
        c.closed_rated_satisfied
    from report_month_counts as c
    left join report_procedure_counts as pc
        on
            pc.report_code = c.report_code
            and pc.report_formed_on = c.report_formed_on
            and pc.period_start = c.period_start
),

-- petitions (PAKN) against each period part of the unit they are reported under, read on the received
-- date (the unit its code named then)
feedback_parts as (
    select
        r.report_code,
        r.report_formed_on,
        p.period_start,
        case when $units = 'as_published' and r.report_from > p.period_start then r.report_from else p.period_start end
            as part_start,
        case when $units = 'as_published' and r.report_until < p.period_end then r.report_until else p.period_end end
            as part_end,
        r.weight,
        r.approximate,
        cast(f.received_at as date) as received_date,
        cast(f.due_at as date) as due_date,
        cast(f.resolved_at as date) as resolved_date,
        f.satisfied
    from feedback as f
    inner join units as u
        on
            u.unit_code = f.unit_code
            and cast(f.received_at as date) >= u.valid_from
            and (u.valid_to is null or cast(f.received_at as date) <= u.valid_to)
    inner join report_units as r on r.unit_code = f.unit_code and r.formed_on = u.formed_on
    cross join period_bounds as p
),

feedback_windows as (
    select
        *,
        received_date >= part_start as is_received,
        resolved_date is not null and resolved_date < part_end as is_answered_by_end,
        resolved_date is not null and resolved_date >= part_start and resolved_date < part_end as is_answered,
        resolved_date <= coalesce(due_date, resolved_date) as answered_on_time,
        due_date is null or due_date >= part_end as not_overdue_at_end
    from feedback_parts
    where
        part_start < part_end
        and received_date < part_end
        and (resolved_date is null or resolved_date >= part_start)
),

feedback_counts as (
    select
        report_code,
        report_formed_on,
        period_start,
        part_start,
        part_end,
        max(case when approximate then 1 else 0 end) = 1 as approximate,
        sum(case when is_received then weight else 0 end) as petitions,
        sum(
            case
                when is_received and is_answered_by_end and answered_on_time then weight
                when is_received and not is_answered_by_end and not_overdue_at_end then weight
                else 0
            end
        ) as petitions_in_time,
        sum(case when is_answered and satisfied is not null then weight else 0 end) as petitions_rated,
        sum(case when is_answered and satisfied then weight else 0 end) as petitions_satisfied
    from feedback_windows
    group by report_code, report_formed_on, period_start, part_start, part_end
    having count(case when is_received or is_answered or not is_answered_by_end then 1 end) > 0
),

-- the unit × period rows: units with a dossier or a petition to count in the period
unit_periods as (
    select report_code, report_formed_on, period_start, part_start, part_end from dossier_counts
    union
    select report_code, report_formed_on, period_start, part_start, part_end from feedback_counts
),

-- the province units whose catalogues a reported unit's province stands for: that province as
-- published; in today's units every province today's was made of (catalogues are pooled: counts are
-- re-based, rates recomputed)
catalogue_provinces as (
    select distinct
        r.report_code,
        r.report_formed_on,
        pp.unit_code as province_code,
        pp.formed_on as province_formed_on
    from reported as r
    inner join unit_map as rp
        on
            rp.units_setting = $units
            and rp.report_level = 'province'
            and rp.unit_code = r.report_code
            and rp.formed_on = r.report_formed_on
    inner join unit_map as pp
        on
            pp.units_setting = $units
            and pp.report_level = 'province'
            and pp.level = 'province'
            and pp.report_code = rp.report_code
            and pp.report_formed_on = rp.report_formed_on
),

-- provinces with a catalogue of their own; the others read the national one
own_catalogues as (
    select distinct province_code, province_formed_on
    from catalogue_versions
    where province_code <> 'all'
),

-- the catalogue in force in each unit's period part: versions announced before its end and not
-- abolished by its start
catalogue_active as (
    select distinct
        up.report_code,
        up.report_formed_on,
        up.period_start,
        up.part_start,
        up.part_end,
        cp.province_code,
        c.procedure_code,
        c.has_fee,
        c.authority_level,
        c.published_on_time,
        c.public_updated_on_time,
        c.public_content_full,
        c.citizen_data_connected
    from unit_periods as up
    inner join catalogue_provinces as cp
        on cp.report_code = up.report_code and cp.report_formed_on = up.report_formed_on
    left join own_catalogues as o
        on o.province_code = cp.province_code and o.province_formed_on = cp.province_formed_on
    inner join catalogue_versions as c
        on
            (
                (c.province_code = cp.province_code and c.province_formed_on = cp.province_formed_on)
                or (c.province_code = 'all' and o.province_code is null)
            )
            and c.published_at < up.part_end
            and (c.abolished_at is null or c.abolished_at > up.part_start)
),

catalogue_counts as (
    select
        report_code,
        report_formed_on,
        period_start,
        part_start,
        count(*) as active,
        count(case when published_on_time then 1 end) as published_on_time,
        count(case when public_updated_on_time then 1 end) as public_updated_on_time,
        count(case when public_content_full then 1 end) as public_content_full,
        count(case when citizen_data_connected then 1 end) as citizen_data_connected
    from catalogue_active
    group by report_code, report_formed_on, period_start, part_start
),

-- fee procedures each unit can receive: a district's those resolved at district level, a commune's at
-- commune level, a department's at province level (all when the catalogue gives no level), a
-- province's all
fee_catalogue as (
    select
        c.report_code,
        c.report_formed_on,
        c.period_start,
        c.part_start,
        count(distinct c.procedure_code) as fee_procedures
    from catalogue_active as c
    inner join reported as r on r.report_code = c.report_code and r.report_formed_on = c.report_formed_on
    where
        c.has_fee
        and (
            $level = 'province'
            or c.authority_level is null
            or c.authority_level = case r.level when 'department' then 'province' else r.level end
        )
    group by c.report_code, c.report_formed_on, c.period_start, c.part_start
),

unit_values as (
    select
        up.report_code as unit_code,
        up.report_formed_on as unit_formed_on,
        r.level,
        r.report_province_code as province_code,
        up.period_start,
        up.part_start,
        coalesce(d.approximate, false) or coalesce(fb.approximate, false) as approximate,
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
        coalesce(d.fee_procedures_received, 0) as fee_procedures_received,
        coalesce(fb.petitions, 0) as petitions,
        coalesce(fb.petitions_in_time, 0) as petitions_in_time,
        coalesce(fb.petitions_rated, 0) as petitions_rated,
        coalesce(fb.petitions_satisfied, 0) as petitions_satisfied
    from unit_periods as up
    inner join reported as r on r.report_code = up.report_code and r.report_formed_on = up.report_formed_on
    left join dossier_counts as d
        on
            d.report_code = up.report_code
            and d.report_formed_on = up.report_formed_on
            and d.period_start = up.period_start
            and d.part_start = up.part_start
    left join feedback_counts as fb
        on
            fb.report_code = up.report_code
            and fb.report_formed_on = up.report_formed_on
            and fb.period_start = up.period_start
            and fb.part_start = up.part_start
    left join catalogue_counts as c
        on
            c.report_code = up.report_code
            and c.report_formed_on = up.report_formed_on
            and c.period_start = up.period_start
            and c.part_start = up.part_start
    left join fee_catalogue as fc
        on
            fc.report_code = up.report_code
            and fc.report_formed_on = up.report_formed_on
            and fc.period_start = up.period_start
            and fc.part_start = up.part_start
),

-- numerator and denominator of every metric of the scoring table; a metric code this query does not
-- define gets neither (no data)
metric_values as (
    select
        v.unit_code,
        v.unit_formed_on,
        v.level,
        v.province_code,
        v.period_start,
        v.part_start,
        v.approximate,
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
        unit_formed_on,
        level,
        province_code,
        period_start,
        part_start,
        approximate,
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
)

select
    m.unit_code,
    n.unit_name,
    m.level,
    m.province_code,
    m.part_start as period_start,
    m.group_code,
    m.metric_code,
    m.numerator,
    m.denominator,
    m.rate,
    m.points,
    m.max_points,
    m.approximate
from metric_points as m
left join report_unit_names as n
    on n.report_code = m.unit_code and n.report_formed_on = m.unit_formed_on and n.period_start = m.period_start
