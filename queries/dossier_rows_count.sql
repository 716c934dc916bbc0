-- name: dossier_rows_count
-- description: Number of dossiers dossier_rows returns for the same filters, without pagination (for the pager).
-- grain: one row
-- key: none
-- params: year INTEGER = NULL; unit_code VARCHAR = NULL; province_code VARCHAR = NULL;
--         level VARCHAR = NULL (province|district|commune|department); field_code VARCHAR = NULL;
--         procedure_code VARCHAR = NULL;
--         status VARCHAR = NULL (received|processing|supplement|resolved|rejected|withdrawn);
--         channel VARCHAR = NULL (direct|online|postal); received_from DATE = NULL; received_to DATE = NULL
-- columns: n
-- uses: dossier_rows_filtered
-- method: The filter of dossier_rows (the building block dossier_rows_filtered), the caller's scope included.
select cast(count(*) as bigint) as n
from dossier_rows_filtered
