-- name: counted_dossiers_of_field
-- description: Building block (not a public query): the dossier counts a query adds up, of one field when
--   field_code is given: the month mart's rows. Read as `counted_dossiers` (see counted_dossiers_all).
-- grain: one row per unit_code × unit_formed_on × field_code × month_start (mart_dossier_months)
-- params: field_code VARCHAR = NULL
-- columns: every column of mart_dossier_months
-- method: The field of a dossier is its procedure's field in the catalogue, else the export's
--   (dossier_facts).
select * from mart_dossier_months
where $field_code is null or field_code = $field_code
