-- name: dossier_years
-- description: Raw-row twin of queries/models/dossier_years.sql: the years in which a dossier was received.
-- grain: one row per year with a dossier received
-- params: none
-- columns: year
-- method: Years of the dossiers' received dates.
select distinct cast(year as integer) as year
from dossiers
