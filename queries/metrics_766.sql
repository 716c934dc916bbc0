-- name: metrics_766
-- description: The Decision 766 scoring table as the dashboard lists it: each metric's group, names, maximum and full-marks rate, and what it is counted on when the drill-down splits it by procedure.
-- grain: one row per metric of the scoring table, in its order
-- key: metric_code
-- params: none
-- columns: position, group_code, group_name_vi, group_name_en, metric_code, metric_name_vi, max_points,
--          full_marks_at, counted_on, denominator, numerator
-- source: Decision 766/QĐ-TTg (23/6/2022); data/reference/766/scoring.csv and metric_terms.csv (SOURCE.md)
-- method: The scoring table (scoring_766) with, per metric, its place in the table and the terms of
--   metric_terms_766: counted_on = dossiers, catalogue, fee_procedures or fee_coverage for the metrics
--   procedure_cost_766 splits by procedure, empty for those not measured on procedures (petitions,
--   electronic certified copies); denominator and numerator name the terms procedure_cost_766 counts.
-- scope: none
select
    cast(m.position as integer) as position,
    s.group_code,
    s.group_name_vi,
    s.group_name_en,
    s.metric_code,
    s.metric_name_vi,
    cast(s.max_points as double) as max_points,
    cast(s.full_marks_at as double) as full_marks_at,
    m.counted_on,
    m.denominator,
    m.numerator
from scoring_766 as s
inner join metric_terms_766 as m on m.metric_code = s.metric_code
order by m.position, s.metric_code
