-- name: dossier_year_counts
-- description: Building block of targets_gap over raw rows (the specification of
--   queries/models/dossier_year_counts.sql): the dossier counts of a year per district-level unit and field.
-- grain: one row per unit_code × field_code with a dossier to count in the year (district and department units)
-- params: year INTEGER (required)
-- columns: unit_code, field_code, received, resolved, resolved_on_time, received_with_fee,
--          received_paid_online, received_digitised
-- method: see dossier_kpis.
with
year_bounds as (
    select
        cast(cast($year as varchar) || '-01-01' as date) as year_start,
        cast(cast($year + 1 as varchar) || '-01-01' as date) as year_end
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

year_dossiers as (
    select
        d.unit_code,
        coalesce(p.field_code, d.field_code) as field_code,
        cast(d.received_at as date) >= b.year_start as is_received,
        d.status = 'resolved'
        and cast(d.resolved_at as date) >= b.year_start
        and cast(d.resolved_at as date) < b.year_end as is_resolved,
        cast(d.resolved_at as date) <= coalesce(cast(d.due_at as date), cast(d.resolved_at as date)) as is_on_time,
        coalesce(d.has_fee, p.has_fee) as has_fee,
        d.paid_online,
        d.dossier_digitised
    from dossiers as d
    inner join unit_latest as u on u.unit_code = d.unit_code
    cross join year_bounds as b
    left join procedures as p
        on p.procedure_code = d.procedure_code and p.province_code = u.province_code
    where
        d.year <= $year
        and cast(d.received_at as date) < b.year_end
        and (d.resolved_at is null or cast(d.resolved_at as date) >= b.year_start)
        and u.level in ('district', 'department')
)

select
    unit_code,
    field_code,
    count(case when is_received then 1 end) as received,
    count(case when is_resolved then 1 end) as resolved,
    count(case when is_resolved and is_on_time then 1 end) as resolved_on_time,
    count(case when is_received and has_fee then 1 end) as received_with_fee,
    count(case when is_received and has_fee and paid_online then 1 end) as received_paid_online,
    count(case when is_received and dossier_digitised then 1 end) as received_digitised
from year_dossiers
group by unit_code, field_code
