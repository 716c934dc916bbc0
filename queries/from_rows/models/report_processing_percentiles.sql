-- name: report_processing_percentiles
-- description: Raw-row twin of queries/models/report_processing_percentiles.sql: percentiles of processing
--   days straight from the dossiers.
-- grain: one row per reported unit (report_code × report_formed_on) × period with a dossier resolved
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL;
--         field_code VARCHAR = NULL
-- uses: dossier_facts, period_bounds, report_units
-- columns: report_code, report_formed_on, period_start, median_processing_days, p90_processing_days
-- method: Dossiers resolved in the period (as published, while the reported unit existed), each under the
--   one unit that took its largest share (is_main); percentile_cont of the processing days.
select
    r.report_code,
    r.report_formed_on,
    p.period_start,
    percentile_cont(0.5) within group (order by f.processing_days) as median_processing_days,
    percentile_cont(0.9) within group (order by f.processing_days) as p90_processing_days
from dossier_facts as f
inner join report_units as r on r.unit_code = f.unit_code and r.formed_on = f.unit_formed_on and r.is_main
inner join period_bounds as p on f.resolved_date >= p.period_start and f.resolved_date < p.period_end
where
    f.status = 'resolved'
    and ($field_code is null or f.field_code = $field_code)
    and ($units = 'current' or (f.resolved_date >= r.report_from and (r.report_until is null or f.resolved_date < r.report_until)))
group by r.report_code, r.report_formed_on, p.period_start
