-- name: mart_dossier_processing_percentiles
-- description: Median and 90th percentile of processing days of the dossiers resolved in each period, per
--   reported unit (each unit itself, its province, today's province, today's unit), over all fields and
--   per field: percentiles do not add up, so they are computed here for every grouping a query can ask for.
-- grain: one row per period (year, quarter, month) × grouping × unit_code × unit_formed_on × field_code
--   (NULL: all fields) with a dossier resolved in the period
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- uses: dossier_facts, report_groupings, month_periods
-- columns: year INTEGER, period VARCHAR, period_start DATE, grouped_by VARCHAR, unit_code VARCHAR,
--   unit_formed_on DATE, field_code VARCHAR, resolved BIGINT, median_processing_days DOUBLE,
--   p90_processing_days DOUBLE
-- method: As dossier_kpis: status resolved, processing ended in the period; processing days = calendar
--   days from the received date to the resolved date; percentile_cont (linear interpolation between the
--   closest ranks). The groupings are those of unit_map (docs/units.md): `unit` each unit as published
--   (levels commune, district, department), `province` its province then, both counting only dossiers
--   resolved while the reported unit existed; `current_province` today's province; `current_unit`
--   today's commune or department, a split unit wholly under the one that took its largest share
--   (is_main: approximate). field_code as in mart_dossier_months; NULL holds all fields (dossiers without
--   a field count only there). Computed from the distribution of processing days (dossiers per value),
--   which gives the same values as percentile_cont over the dossiers without holding every dossier in
--   memory.
with
-- dossiers resolved per reported unit, field, month and processing days
distribution as (
    select
        g.grouped_by,
        g.report_code as unit_code,
        g.report_formed_on as unit_formed_on,
        f.field_code,
        cast(date_trunc('month', f.resolved_date) as date) as month_start,
        f.processing_days,
        count(*) as dossiers
    from dossier_facts as f
    inner join report_groupings as g on g.unit_code = f.unit_code and g.formed_on = f.unit_formed_on
    where
        f.status = 'resolved'
        and f.year <= $to_year
        and f.resolved_date >= make_date($from_year, 1, 1)
        and f.resolved_date < make_date($to_year + 1, 1, 1)
        and f.resolved_date >= g.count_from
        and f.resolved_date < g.count_until
    group by all
),

-- each month under its year, quarter and month
in_periods as (
    select
        p.period,
        p.period_start,
        d.*
    from distribution as d
    inner join month_periods as p on p.month_start = d.month_start
),

-- the distribution of each grouping, per field and over all fields
grouped as (
    select
        period,
        period_start,
        grouped_by,
        unit_code,
        unit_formed_on,
        field_code,
        grouping(field_code) = 1 as all_fields,
        processing_days,
        sum(dossiers) as dossiers
    from in_periods
    group by grouping sets (
        (period, period_start, grouped_by, unit_code, unit_formed_on, field_code, processing_days),
        (period, period_start, grouped_by, unit_code, unit_formed_on, processing_days)
    )
),

-- percentile_cont(q) of n sorted values: the value at 0-based position (n - 1) × q, interpolated
-- between the values at its floor and its ceiling; the value at position k is the processing_days
-- whose running count covers k
running as (
    select
        *,
        sum(dossiers) over (
            partition by period, period_start, grouped_by, unit_code, unit_formed_on, field_code, all_fields
            order by processing_days rows between unbounded preceding and current row
        ) as dossiers_up_to,
        sum(dossiers) over (partition by period, period_start, grouped_by, unit_code, unit_formed_on, field_code, all_fields)
            as total
    from grouped
    where all_fields or field_code is not null
),

positions as (
    select
        *,
        cast(total - 1 as double) * 0.5 as median_position,
        cast(total - 1 as double) * 0.9 as p90_position
    from running
),

picks as (
    select
        period,
        period_start,
        grouped_by,
        unit_code,
        unit_formed_on,
        case when all_fields then null else field_code end as field_code,
        max(total) as resolved,
        max(median_position) as median_position,
        max(p90_position) as p90_position,
        max(case when floor(median_position) >= dossiers_up_to - dossiers and floor(median_position) < dossiers_up_to
            then processing_days end) as median_low,
        max(case when ceil(median_position) >= dossiers_up_to - dossiers and ceil(median_position) < dossiers_up_to
            then processing_days end) as median_high,
        max(case when floor(p90_position) >= dossiers_up_to - dossiers and floor(p90_position) < dossiers_up_to
            then processing_days end) as p90_low,
        max(case when ceil(p90_position) >= dossiers_up_to - dossiers and ceil(p90_position) < dossiers_up_to
            then processing_days end) as p90_high
    from positions
    group by period, period_start, grouped_by, unit_code, unit_formed_on, field_code, all_fields
)

select
    cast(year(period_start) as integer) as year,
    period,
    period_start,
    grouped_by,
    unit_code,
    unit_formed_on,
    field_code,
    resolved,
    median_low + (median_position - floor(median_position)) * (median_high - median_low) as median_processing_days,
    p90_low + (p90_position - floor(p90_position)) * (p90_high - p90_low) as p90_processing_days
from picks
order by period, period_start, grouped_by, unit_code, unit_formed_on, field_code
