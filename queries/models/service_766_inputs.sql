-- name: service_766_inputs
-- description: Building block of service_766_metric_points (not a public query): every count the Decision
--   766 metrics are computed from, per reported unit and period part.
-- grain: one row per reported unit × period part, for units with a dossier or petition to count in the period
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: counted_dossiers_all as counted_dossiers, report_month_counts, report_procedure_counts,
--       report_petition_counts, catalogue_versions
-- columns: unit_code, unit_formed_on, level, province_code, period_start, part_start, approximate, and the
--          counts metric_points_766 reads (received ... petitions_satisfied)
-- method: see service_index_766. Dossier counts come from the marts mart_dossier_months and
--   mart_dossier_procedure_periods through report_month_counts and report_procedure_counts, whose
--   raw-row definitions are in queries/from_rows/models/ (tests prove them equal); petitions from
--   report_petition_counts; the catalogue counts from catalogue_versions.
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

-- the unit × period rows: units with a dossier or a petition to count in the period
unit_periods as (
    select report_code, report_formed_on, period_start, part_start, part_end from dossier_counts
    union
    select report_code, report_formed_on, period_start, part_start, part_end from report_petition_counts
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
)

-- the counts of each unit and period part: what metric_points_766 scores
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
left join report_petition_counts as fb
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
