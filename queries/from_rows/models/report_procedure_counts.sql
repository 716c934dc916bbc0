-- name: report_procedure_counts
-- description: Raw-row twin of queries/models/report_procedure_counts.sql: the Decision 766 procedure
--   counts straight from the dossiers and the catalogues.
-- grain: one row per reported unit (report_code × report_formed_on) × period with a dossier received
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: procedure_period_receipts as procedure_receipts, fee_procedure_counts
-- columns: report_code, report_formed_on, period_start, fee_procedures_used, fee_procedures_paid_online,
--          fee_procedures_received
-- method: The counts of fee_procedure_counts (the definition the mart uses too), fed with the procedures
--   received in the periods of one level and setting (procedure_period_receipts).
select
    unit_code as report_code,
    unit_formed_on as report_formed_on,
    period_start,
    fee_procedures_used,
    fee_procedures_paid_online,
    fee_procedures_received
from fee_procedure_counts
