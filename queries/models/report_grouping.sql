-- name: report_grouping
-- description: Building block (not a public query): which grouping of the non-additive marts
--   (mart_dossier_processing_percentiles, mart_dossier_procedure_periods) holds the level and unit setting
--   asked for.
-- grain: one row
-- params: level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current)
-- columns: grouped_by
-- method: As published, level province reads `province` (each unit's province then) and every other level
--   `unit` (each unit itself); in today's units, `current_province` and `current_unit` (etl/marts/blocks/
--   report_groupings.sql).
select
    case
        when $units = 'as_published' and $level = 'province' then 'province'
        when $units = 'as_published' then 'unit'
        when $level = 'province' then 'current_province'
        else 'current_unit'
    end as grouped_by
