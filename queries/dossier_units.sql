-- name: dossier_units
-- description: Units that received dossiers, with their names and dossier counts, for the dossier explorer's unit filter.
-- grain: one row per unit code with at least one dossier
-- key: unit_code
-- params: province_code VARCHAR = NULL; level VARCHAR = NULL (province|district|commune|department);
--         year INTEGER = NULL
-- columns: unit_code, unit_name, level, province_code, dossiers
-- uses: unit_dossier_counts
-- disclosure: counts dossiers; group dossiers by province_code
-- method: Every unit that received a dossier (of one province, level or year received when given), with the
--   number of its dossiers. A code that named two units (52.STP: Bình Định's department to June 2025,
--   Gia Lai's from July) is listed once, with the name, level and province of the later one it received
--   dossiers under, and the dossiers of both. Sorted by name in Vietnamese order (COLLATE vi), then code.
with per_unit as (
    select
        c.unit_code,
        u.name as unit_name,
        u.level,
        u.province_code,
        c.dossiers,
        row_number() over (partition by c.unit_code order by c.unit_formed_on desc, u.valid_from desc) as newest,
        sum(c.dossiers) over (partition by c.unit_code) as all_dossiers
    from unit_dossier_counts as c
    inner join units as u on u.unit_code = c.unit_code and u.formed_on = c.unit_formed_on
    where
        ($province_code is null or u.province_code = $province_code)
        and ($level is null or $level = 'province' or u.level = $level)
),

final as (
    select
        unit_code,
        unit_name,
        level,
        province_code,
        cast(all_dossiers as bigint) as dossiers
    from per_unit
    where newest = 1
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code
