-- name: year_units
-- description: Building block (not a public query): the unit each code named in the year asked for (for
--   rows dated by a year: survey responses, PAR scores, targets), or each code's latest unit.
-- grain: one row per unit_code (valid on some day of the year, when one is given)
-- params: year INTEGER = NULL
-- columns: unit_code, name, short_name, level, parent_code, province_code, valid_from, valid_to, formed_on
-- method: A code is read on the row's date (docs/units.md); a year reads the unit valid on any day of it,
--   and when the code named two units in the year (52 in 2025: Bình Định, then Gia Lai), the one in
--   force at the year's end, as the ETL read it. Without a year, each code's latest validity row.
select unit_code, name, short_name, level, parent_code, province_code, valid_from, valid_to, formed_on
from (
    select
        *,
        row_number() over (partition by unit_code order by valid_from desc) as newest
    from units
    where
        $year is null
        or (
            valid_from <= cast(cast($year as varchar) || '-12-31' as date)
            and (valid_to is null or valid_to >= cast(cast($year as varchar) || '-01-01' as date))
        )
) as ranked
where newest = 1
