-- name: report_procedure_counts
-- description: Building block (not a public query): the Decision 766 procedure counts of each reported
--   unit in each period (procedures with a fee dossier, with one paid online, fee procedures of the
--   catalogue received), from the mart.
-- grain: one row per reported unit (report_code × report_formed_on) × period with a dossier received
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current)
-- uses: report_grouping
-- columns: report_code, report_formed_on, period_start, fee_procedures_used, fee_procedures_paid_online,
--          fee_procedures_received
-- method: Distinct counts do not add up, so the mart mart_dossier_procedure_periods holds them per
--   grouping (docs/units.md): each unit itself, its province then, today's province, today's unit (a
--   split unit wholly under the one that took its largest share). The same definition over raw rows is
--   queries/from_rows/models/report_procedure_counts.sql (tests prove them equal).
select
    unit_code as report_code,
    unit_formed_on as report_formed_on,
    period_start,
    fee_procedures_used,
    fee_procedures_paid_online,
    fee_procedures_received
from mart_dossier_procedure_periods
where
    year = $year
    and period = $period
    and grouped_by = (select grouped_by from report_grouping)
