-- name: report_processing_percentiles
-- description: Building block (not a public query): median and 90th percentile of processing days of each
--   reported unit in each period, from the mart.
-- grain: one row per reported unit (report_code × report_formed_on) × period with a dossier resolved
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); field_code VARCHAR = NULL
-- uses: report_grouping
-- columns: report_code, report_formed_on, period_start, median_processing_days, p90_processing_days
-- method: Percentiles do not add up, so the mart mart_dossier_processing_percentiles holds them per
--   grouping, per field and over all fields: each unit itself and its province then (dossiers resolved
--   while the reported unit existed), today's province, today's unit (a split unit wholly under the one
--   that took its largest share: approximate). The same definition over raw rows is
--   queries/from_rows/models/report_processing_percentiles.sql (tests prove them equal).
select
    unit_code as report_code,
    unit_formed_on as report_formed_on,
    period_start,
    median_processing_days,
    p90_processing_days
from mart_dossier_processing_percentiles
where
    year = $year
    and period = $period
    and grouped_by = (select grouped_by from report_grouping)
    and (field_code = $field_code or ($field_code is null and field_code is null))
