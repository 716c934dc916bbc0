-- name: year_units
-- description: Building block (not a public query): the unit each code named in the year asked for, for
--   rows dated by a year (survey responses, PAR scores, targets).
-- grain: one row per unit_code valid on some day of the year
-- params: year INTEGER (required)
-- columns: unit_code, formed_on
-- method: A code is read on the row's date (docs/units.md); a year reads the unit valid on any day of it,
--   and when the code named two units in the year (52 in 2025: Bình Định, then Gia Lai), the one in
--   force at the year's end, as the ETL read it.
select unit_code, formed_on
from (
    select
        unit_code,
        formed_on,
        row_number() over (partition by unit_code order by valid_from desc) as newest
    from units
    where
        valid_from <= cast(cast($year as varchar) || '-12-31' as date)
        and (valid_to is null or valid_to >= cast(cast($year as varchar) || '-01-01' as date))
) as ranked
where newest = 1
