-- name: units
-- description: Administrative units and departments with their names, level and province, for filters and labels: those of one year, or each code's latest.
-- grain: one row per unit code
-- key: unit_code
-- params: level VARCHAR = NULL (province|district|commune|department); province_code VARCHAR = NULL;
--         year INTEGER = NULL
-- columns: unit_code, name, short_name, level, parent_code, province_code, valid_from, valid_to, formed_on
-- uses: year_units
-- method: From `units`: both eras of the 1 July 2025 reform (63 provinces, 696 districts and their
--   communes to 30 June 2025; 34 provinces and 3,321 communes from 1 July 2025), departments, and any
--   units loaded (docs/units.md). With year: the units that existed in that year, each code as it was at
--   the year's end (or when it ended, if earlier): province 52 is Bình Định for 2024 and Gia Lai for 2026.
--   Without year: each code's latest validity row, so abolished units keep their last name (historic
--   series are keyed by them). Filters are exact matches, all optional; province_code is the unit's
--   province of that time. Sorted by name in Vietnamese order (COLLATE vi), then code.
with final as (
    select
        unit_code,
        name,
        short_name,
        level,
        parent_code,
        province_code,
        valid_from,
        valid_to,
        formed_on
    from year_units
    where
        ($level is null or level = $level)
        and ($province_code is null or province_code = $province_code)
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by name collate vi nulls last, unit_code
