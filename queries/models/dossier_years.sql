-- name: dossier_years
-- description: Building block (not a public query): the years in which a dossier was received, from the
--   month mart.
-- grain: one row per year with a dossier received
-- params: none
-- columns: year
-- method: Years of mart_dossier_months with a dossier received. The same definition over raw rows is
--   queries/from_rows/models/dossier_years.sql (tests prove them equal).
select distinct cast(year as integer) as year
from mart_dossier_months
where received > 0
