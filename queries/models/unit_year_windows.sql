-- name: unit_year_windows
-- description: Building block of procedure_cost_766 (not a public query): the dossiers of one unit (of a
--   province: of every unit of it) against the part of the year the unit existed in.
-- grain: one row per dossier of the unit
-- params: year INTEGER (required); unit_code VARCHAR (required)
-- uses: year_units, dossier_facts
-- columns: every column of dossier_facts, then window_start, window_end
-- method: The unit is the one the code named in the year (in force at the year's end: docs/units.md); a
--   province counts the dossiers of every unit that belonged to it then (unit_map, as published). The
--   window is the year, cut to the days the unit existed.
with target as (
    select m.report_code, m.report_formed_on, m.report_from, m.report_until
    from year_units as y
    inner join unit_map as m
        on
            m.units_setting = 'as_published'
            and m.unit_code = y.unit_code
            and m.formed_on = y.formed_on
            and m.report_code = y.unit_code
    where y.unit_code = $unit_code
),

sources as (
    select distinct m.unit_code, m.formed_on, t.report_from, t.report_until
    from unit_map as m
    inner join target as t on m.report_code = t.report_code and m.report_formed_on = t.report_formed_on
    where m.units_setting = 'as_published'
)

select *
from (
    select
        f.*,
        case
            when s.report_from > cast(cast($year as varchar) || '-01-01' as date) then s.report_from
            else cast(cast($year as varchar) || '-01-01' as date)
        end as window_start,
        case
            when s.report_until < cast(cast($year + 1 as varchar) || '-01-01' as date) then s.report_until
            else cast(cast($year + 1 as varchar) || '-01-01' as date)
        end as window_end
    from dossier_facts as f
    inner join sources as s on s.unit_code = f.unit_code and s.formed_on = f.unit_formed_on
    where f.year <= $year
) as windows
where window_start < window_end
