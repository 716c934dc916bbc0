-- name: dossier_rows_filtered
-- description: Building block of dossier_rows and dossier_rows_count (not a public query): the dossiers the
--   explorer's filters and the caller's scope keep.
-- grain: one row per dossier kept
-- params: year INTEGER = NULL; unit_code VARCHAR = NULL; province_code VARCHAR = NULL;
--         level VARCHAR = NULL (province|district|commune|department); field_code VARCHAR = NULL;
--         procedure_code VARCHAR = NULL;
--         status VARCHAR = NULL (received|processing|supplement|resolved|rejected|withdrawn);
--         channel VARCHAR = NULL (direct|online|postal); received_from DATE = NULL; received_to DATE = NULL
-- uses: dossier_facts
-- columns: every column of dossier_facts
-- method: Filters are exact matches, all optional; year is the year received; received_from and
--   received_to are inclusive dates. A dossier's unit, province and level are those of the unit its code
--   named on the received date (docs/units.md): province 52 keeps Bình Định's dossiers before July 2025
--   and Gia Lai's after. level keeps the dossiers received by units of that level (province: all).
select *
from dossier_facts
where
    ($year is null or year = $year)
    and ($unit_code is null or unit_code = $unit_code)
    and ($province_code is null or province_code = $province_code)
    and ($level is null or $level = 'province' or unit_level = $level)
    and ($field_code is null or field_code = $field_code)
    and ($procedure_code is null or procedure_code = $procedure_code)
    and ($status is null or status = $status)
    and ($channel is null or channel = $channel)
    and ($received_from is null or received_date >= $received_from)
    and ($received_to is null or received_date <= $received_to)
    -- the same bounds on the year partition, so that only the years asked for are read
    and ($received_from is null or year >= year(cast($received_from as date)))
    and ($received_to is null or year <= year(cast($received_to as date)))
    and ($scope is null or array_contains($scope, unit_code))
