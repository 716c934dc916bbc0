-- name: units
-- description: Administrative units and departments with their names, level and province (each unit's latest validity row), for filters and labels.
-- grain: one row per unit code
-- params: level VARCHAR = NULL (province|district|commune|department); province_code VARCHAR = NULL
-- columns: unit_code, name, short_name, level, parent_code, province_code, valid_from, valid_to
-- method: From `units` (the GSO list before the 1 July 2025 reform, departments from
--   data/reference/units/departments.csv, and any units loaded): per unit code the row with the latest
--   validity start, so units abolished in 2025 keep their last name (historic series are keyed by them).
--   Filters are exact matches, all optional. Sorted by name in Vietnamese order (COLLATE vi), then code.
with latest as (
    select
        unit_code,
        name,
        short_name,
        level,
        parent_code,
        province_code,
        valid_from,
        valid_to
    from (
        select
            unit_code,
            name,
            short_name,
            level,
            parent_code,
            province_code,
            valid_from,
            valid_to,
            row_number() over (partition by unit_code order by valid_from desc) as row_rank
        from units
    ) as ranked
    where row_rank = 1
),

final as (
    select
        unit_code,
        name,
        short_name,
        level,
        parent_code,
        province_code,
        valid_from,
        valid_to
    from latest
    where
        ($level is null or level = $level)
        and ($province_code is null or province_code = $province_code)
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by name collate vi nulls last, unit_code
