-- name: unit_dossier_counts
-- description: Raw-row twin of queries/models/unit_dossier_counts.sql: dossiers per unit straight from the
--   dossiers.
-- grain: one row per unit_code × unit_formed_on with a dossier received
-- params: year INTEGER = NULL
-- uses: dossier_facts
-- columns: unit_code, unit_formed_on, dossiers
select
    unit_code,
    unit_formed_on,
    cast(count(*) as bigint) as dossiers
from dossier_facts
where $year is null or year = $year
group by unit_code, unit_formed_on
