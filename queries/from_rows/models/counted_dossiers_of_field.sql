-- name: counted_dossiers_of_field
-- description: Raw-row twin of queries/models/counted_dossiers_of_field.sql: the dossiers of one field.
-- grain: one row per dossier
-- params: field_code VARCHAR = NULL
-- uses: dossier_facts
-- columns: every column of dossier_facts
select * from dossier_facts
where $field_code is null or field_code = $field_code
