-- name: dossier_units
-- description: Units that received dossiers, with their names and dossier counts, for the dossier explorer's unit filter.
-- grain: one row per unit with at least one dossier
-- params: province_code VARCHAR = NULL
-- columns: unit_code, unit_name, level, province_code, dossiers
-- method: Every unit code found in `dossiers` (of one province when province_code is given), named and
--   levelled by its latest row in `units` (validity start), with the number of its dossiers of all years.
--   Sorted by name in Vietnamese order (COLLATE vi), then code.
with unit_latest as (
    select
        unit_code,
        name,
        level,
        province_code
    from (
        select
            unit_code,
            name,
            level,
            province_code,
            row_number() over (partition by unit_code order by valid_from desc) as row_rank
        from units
    ) as ranked
    where row_rank = 1
),

counts as (
    select
        unit_code,
        count(*) as dossiers
    from dossiers
    group by unit_code
),

final as (
    select
        c.unit_code,
        u.name as unit_name,
        u.level,
        u.province_code,
        c.dossiers
    from counts as c
    inner join unit_latest as u on u.unit_code = c.unit_code
    where $province_code is null or u.province_code = $province_code
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code
