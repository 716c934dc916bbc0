-- name: report_units
-- description: Building block (not a public query): the unit each unit's rows are reported under at
--   the level and in the units asked for, from unit_map (docs/units.md).
-- grain: one row per unit in time (unit_code × formed_on) × unit it is reported under
-- params: level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- columns: unit_code, formed_on, level, report_code, report_formed_on, report_province_code, report_from,
--          report_to, report_until, report_last_month, weight, approximate, is_main
-- method: A code names a unit only together with a date, so a unit is its code and formed_on (the day
--   it took its territory). as_published: at level commune, district or department a unit is reported as
--   itself (level district also counts departments, as before the reform), at level province under the
--   province it belonged to then; the reported unit exists from report_from to report_to (report_until
--   is the day after, report_last_month the first day of its last month; all empty while it exists).
--   current: under today's units, at level province exactly (provinces merged whole), at level commune
--   and department through the crosswalk's weights (approximate where a unit was split). province_code
--   keeps the units reported under that province (of their era as published, today's when current).
--   level NULL (a query that lists dossiers by the unit that received them): each unit at its own level
--   (a district's work in today's units goes to today's communes).
select
    unit_code,
    formed_on,
    level,
    report_code,
    report_formed_on,
    report_province_code,
    report_from,
    report_to,
    report_until,
    report_last_month,
    -- DECIMAL: weighted counts are exact sums (docs/architecture.md, "Exact sums and ties")
    cast(weight as decimal(18, 12)) as weight,
    approximate,
    is_main
from unit_map
where
    units_setting = $units
    and (
        report_level = $level
        or ($level is null and report_level = case when $units = 'current' and level = 'district' then 'commune' else level end)
    )
    and ($province_code is null or report_province_code = $province_code)
