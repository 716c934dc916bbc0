-- name: report_groupings
-- description: Building block of the marts whose measures do not add up (percentiles, distinct counts):
--   every grouping a query can ask for, and the days a dossier of each unit counts in it.
-- grain: one row per grouping × unit in time (unit_code × formed_on) × reported unit
-- params: none
-- columns: grouped_by, unit_code, formed_on, report_level, report_code, report_formed_on, count_from,
--   count_until
-- method: From unit_map (docs/units.md): `unit` each unit as published (levels commune, district,
--   department), `province` its province then, `current_province` today's province, `current_unit` today's
--   commune or department, a split unit wholly under the one that took its largest share (is_main). As
--   published, a dossier counts while the reported unit existed: from count_from to the day before
--   count_until; in today's units always. report_level is the level the reported unit is counted at
--   (empty for `unit`: the unit's own level).
select distinct
    case
        when units_setting = 'as_published' and report_level = 'province' then 'province'
        when units_setting = 'as_published' then 'unit'
        when report_level = 'province' then 'current_province'
        else 'current_unit'
    end as grouped_by,
    unit_code,
    formed_on,
    case when units_setting = 'current' or report_level = 'province' then report_level end as report_level,
    report_code,
    report_formed_on,
    case when units_setting = 'current' then date '0001-01-01' else report_from end as count_from,
    case when units_setting = 'current' then date '9999-12-31' else coalesce(report_until, date '9999-12-31') end
        as count_until
from unit_map
where units_setting = 'as_published' or is_main
