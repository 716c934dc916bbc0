-- name: counted_dossiers_all
-- description: Raw-row twin of queries/models/counted_dossiers_all.sql: the dossiers themselves.
-- grain: one row per dossier
-- params: none
-- uses: dossier_facts
-- columns: every column of dossier_facts
select * from dossier_facts
