-- name: unit_dossier_counts
-- description: Building block of dossier_units (not a public query): how many dossiers each unit received
--   (in one year when given).
-- grain: one row per unit_code × unit_formed_on with a dossier received
-- params: year INTEGER = NULL
-- columns: unit_code, unit_formed_on, dossiers
-- method: Every dossier is received in exactly one month of the mart mart_dossier_months, under the unit
--   its code named on the received date. The same over raw rows is
--   queries/from_rows/models/unit_dossier_counts.sql (tests prove them equal).
select
    unit_code,
    unit_formed_on,
    cast(sum(received) as bigint) as dossiers
from mart_dossier_months
where $year is null or year = $year
group by unit_code, unit_formed_on
having sum(received) > 0
