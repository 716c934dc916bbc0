-- name: counted_dossiers_all
-- description: Building block (not a public query): the dossier counts a query adds up, of every field:
--   the month mart's rows. Queries read it as `counted_dossiers` (uses: counted_dossiers_all as
--   counted_dossiers), so report_month_counts serves them with or without a field filter.
-- grain: one row per unit_code × unit_formed_on × field_code × month_start (mart_dossier_months)
-- params: none
-- columns: every column of mart_dossier_months
-- method: The raw-row twin (queries/from_rows/models/counted_dossiers_all.sql) gives the dossiers
--   themselves (dossier_facts), which the raw-row twin of report_month_counts counts.
select * from mart_dossier_months
