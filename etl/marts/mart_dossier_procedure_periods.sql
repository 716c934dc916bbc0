-- name: mart_dossier_procedure_periods
-- description: The procedure counts of Decision 766 per period and reported unit: procedures with a fee
--   dossier received, with one paid online, and fee procedures of the catalogue the unit received a
--   dossier of. Distinct counts do not add up, so they are computed here for every grouping.
-- grain: one row per period (year, quarter, month) × grouping × unit_code × unit_formed_on with a dossier received in the period
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- uses: procedure_month_receipts as procedure_receipts, fee_procedure_counts
-- columns: year INTEGER, period VARCHAR, period_start DATE, grouped_by VARCHAR, unit_code VARCHAR,
--   unit_formed_on DATE, fee_procedures_used BIGINT, fee_procedures_paid_online BIGINT,
--   fee_procedures_received BIGINT
-- method: As service_index_766. Groupings as mart_dossier_processing_percentiles (`unit`, `province`,
--   `current_province`, `current_unit`; as published, a dossier counts while the reported unit existed).
--   The counts are those of the building block fee_procedure_counts (queries/models/), fed with the
--   procedures received per month (etl/marts/blocks/procedure_month_receipts.sql).
select
    cast(year(period_start) as integer) as year,
    period,
    period_start,
    grouped_by,
    unit_code,
    unit_formed_on,
    fee_procedures_used,
    fee_procedures_paid_online,
    fee_procedures_received
from fee_procedure_counts
order by period, period_start, grouped_by, unit_code, unit_formed_on
