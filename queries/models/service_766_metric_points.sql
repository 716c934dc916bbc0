-- name: service_766_metric_points
-- description: Building block of service_index_766 and service_index_766_total (not a public query): every
--   metric of scoring_766 per reported unit and period, with numerator, denominator, rate and points, for
--   all units of the level (the consumers apply the caller's scope, so ranks are computed among all units).
-- grain: one row per reported unit × period × metric of scoring_766, for units with a dossier or petition to count in the period
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: service_766_inputs as metric_inputs, metric_points_766, report_unit_names
-- columns: unit_code, unit_name, level, province_code, period_start, group_code, metric_code, numerator,
--          denominator, rate, points, max_points, approximate
-- method: see service_index_766. The counts are service_766_inputs (from the marts, petitions and the
--   catalogue), scored by metric_points_766 (the one definition of each metric and of its points).
select
    m.unit_code,
    n.unit_name,
    m.level,
    m.province_code,
    m.part_start as period_start,
    m.group_code,
    m.metric_code,
    m.numerator,
    m.denominator,
    m.rate,
    m.points,
    m.max_points,
    m.approximate
from metric_points_766 as m
left join report_unit_names as n
    on n.report_code = m.unit_code and n.report_formed_on = m.unit_formed_on and n.period_start = m.period_start
