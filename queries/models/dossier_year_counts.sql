-- name: dossier_year_counts
-- description: Building block of targets_gap (not a public query): the dossier counts of a year per
--   district-level unit and field, as dossier_kpis defines them.
-- grain: one row per unit_code × field_code with a dossier to count in the year (district and department units)
-- params: year INTEGER (required)
-- columns: unit_code, field_code, received, resolved, resolved_on_time, received_with_fee,
--          received_paid_online, received_digitised
-- method: see dossier_kpis. Read from the mart mart_dossier_months; the same definition over raw rows is
--   queries/from_rows/models/dossier_year_counts.sql (tests prove them equal).
select
    m.unit_code,
    m.field_code,
    cast(sum(m.received) as bigint) as received,
    cast(sum(m.resolved) as bigint) as resolved,
    cast(sum(m.resolved_on_time) as bigint) as resolved_on_time,
    cast(sum(m.received_with_fee) as bigint) as received_with_fee,
    cast(sum(m.received_paid_online) as bigint) as received_paid_online,
    cast(sum(m.received_digitised) as bigint) as received_digitised
from mart_dossier_months as m
inner join (
    -- each unit's level from its latest validity row
    select unit_code, level
    from (
        select
            unit_code,
            level,
            row_number() over (partition by unit_code order by valid_from desc) as row_rank
        from units
    ) as ranked
    where row_rank = 1
) as u on u.unit_code = m.unit_code
where m.year = $year and u.level in ('district', 'department')
group by m.unit_code, m.field_code
