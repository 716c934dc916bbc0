-- name: service_index_766
-- description: Decision 766 service index per unit and period: each metric's numerator, denominator, rate and points from the scoring table.
-- grain: one row per unit × period × metric of scoring_766, for units with a dossier or petition to count in the period
-- key: unit_code, period_start, metric_code
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- columns: unit_code, unit_name, period_start, group_code, metric_code, numerator, denominator, rate, points, max_points,
--          approximate
-- uses: service_766_metric_points
-- source: Decision 766/QĐ-TTg (23/6/2022); metrics, maxima, full-marks thresholds and zero-denominator
--         rules as the national public service portal computes them (data/reference/766/, SOURCE.md)
-- disclosure: counts numerator, denominator; rate, points from numerator, denominator; rate, numerator from points;
--   group numerator, denominator by parent(unit_code), period_start, metric_code;
--   group numerator, denominator by unit_code, metric_code; group points by unit_code, period_start
-- method: Scoring is data (scoring_766): points = max_points × min(1, rate / full_marks_at); a metric
--   whose denominator is 0 scores zero_denominator_points when the table gives them, else it has no data
--   (points empty, not 0). Dossier definitions as dossier_kpis (dates compared as dates; received in the
--   period; resolved = status resolved, ended in the period; on time = resolved date ≤ due date, no due
--   date counts on time; in progress = received by the period end, not resolved/rejected/withdrawn by
--   then; overdue = due date before the first day after the period). The fee and full-online
--   eligibility of a dossier come from the dossier, else from its procedure in the province's catalogue.
--   PUBLISH_ON_TIME, PUBLIC_UPDATE_ON_TIME, PUBLIC_CONTENT_FULL, CITIZEN_DATA_CONNECTED_FORMALITY =
--   procedures of the province's catalogue active in the period (announced before its end, not abolished
--   by its start) flagged published_on_time / public_updated_on_time / public_content_full /
--   citizen_data_connected, over the active procedures: measured on the province's catalogue, so every
--   district of a province gets its province's value. DOSSIER_SYNC = received with synced_on_time /
--   received. PROGRESS_ON_TIME = (resolved on time + in progress not overdue at the period end) /
--   (resolved + in progress) ("gồm đang xử lý trong hạn"). FULL_ONLINE_SHARE = full-online received /
--   received of full-online-eligible procedures. PAYMENT_DOSSIER_SHARE = paid online / received with a
--   fee. PAYMENT_PROCEDURE_SHARE = procedures with a paid-online dossier / procedures with a fee-bearing
--   dossier received (in the unit and period). PAYMENT_PROCEDURE_COVERAGE = fee procedures of the
--   catalogue active in the period with at least one dossier received in the unit / those fee procedures
--   (for a district the procedures resolved at district level, for a department those at province level,
--   all when the catalogue gives no level; for a province all). ORIGINAL_RESULT_AVAILABLE = resolved with
--   an electronic result / resolved. SO_HOA_GIAY_TO_GIAI_QUYET = digitised / received.
--   ELECTRONIC_CERTIFIED_COPY (share of communes offering electronic certified copies) has no input in the
--   data contract: 0 / 0, no data. REUSED_DIGITIZED_DATA = data_reused / received.
--   SYNCED_WITH_DVCQG_PERSONAL_STORAGE = digitised and digitised_shared / digitised (received).
--   CITIZEN_DATA_CONNECTED_DOSSIER = citizen_data_used / received. PETITION_PROCESSING_ON_TIME = petitions
--   received in the period answered by its end on time (answer date ≤ due date) or still open and not
--   overdue at its end / petitions received. PETITION_HANDLING_SATISFACTION = satisfied / rated, of the
--   petitions answered in the period. DOSSIER_RECEIVING_SATISFACTION = rated_satisfied / rated, of the
--   dossiers whose processing ended in the period. A flag left empty in an export counts as not done
--   (except ratings: empty = not rated). Dossier-based metrics are measured on the unit's own dossiers at
--   every level (the scope column of the scoring table does not pool them); level district covers district
--   and department units, level province every dossier and petition of the province. A metric code the
--   query does not define gets no numerator, denominator or points. In the public mode (docs/security.md,
--   "Disclosure control") a count below the threshold is empty, and with it the metric's rate and points:
--   below full marks the points give the rate back (rate = points / max_points × full_marks_at). The
--   points of a unit and period add up to its total (service_index_766_total): when one metric's points
--   are hidden, the smallest points shown of the unit are hidden too, with their rate and numerator (which
--   give them back), so the total minus the points shown is the sum of two hidden metrics at least (a
--   metric without data is not a term of the total).
with
final as (
    select
        m.unit_code,
        m.unit_name,
        m.period_start,
        m.group_code,
        m.metric_code,
        cast(floor(m.numerator + 0.5) as bigint) as numerator,
        cast(floor(m.denominator + 0.5) as bigint) as denominator,
        cast(m.rate as double) as rate,
        cast(m.points as double) as points,
        cast(m.max_points as double) as max_points,
        m.approximate
    from service_766_metric_points as m
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code, period_start, group_code, metric_code
