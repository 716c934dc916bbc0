-- name: metric_points_766
-- description: Building block (not a public query): the Decision 766 scoring of counts: for each row of
--   `metric_inputs` and each metric of scoring_766, its numerator, denominator, rate and points.
-- grain: one row per row of metric_inputs × metric of scoring_766
-- params: none
-- columns: every column of metric_inputs, then group_code, metric_code, max_points, full_marks_at,
--          zero_denominator_points, numerator, denominator, rate, points
-- method: Reads `metric_inputs`, which the query provides (`uses: <its counts> as metric_inputs`): any
--   columns identifying a row, and the counts received, received_synced_on_time, resolved,
--   resolved_on_time, in_progress, in_progress_not_overdue, received_eligible, received_full_online,
--   received_with_fee, received_paid_online, fee_procedures_used, fee_procedures_paid_online,
--   fee_procedures_received, fee_procedures, resolved_electronic, received_digitised, received_data_reused,
--   received_digitised_shared, received_citizen_data, closed_rated, closed_rated_satisfied,
--   catalogue_active, catalogue_published_on_time, catalogue_public_updated_on_time,
--   catalogue_public_content_full, catalogue_citizen_data_connected, petitions, petitions_in_time,
--   petitions_rated, petitions_satisfied. The numerator and denominator of each metric are named below
--   (service_index_766 says what each counts); a metric code the scoring table has and this block does
--   not define gets neither. points = max_points × min(1, rate / full_marks_at); a denominator of 0
--   scores the table's zero_denominator_points, or no data (empty, not 0) when it gives none. The one
--   definition of the scoring: service_766_metric_points and dossiers_due both read it.
with metric_input_terms as (
    select
        v.*,
        s.group_code,
        s.metric_code,
        s.max_points,
        s.full_marks_at,
        s.zero_denominator_points,
        case s.metric_code
            when 'PUBLISH_ON_TIME' then v.catalogue_published_on_time
            when 'PUBLIC_UPDATE_ON_TIME' then v.catalogue_public_updated_on_time
            when 'PUBLIC_CONTENT_FULL' then v.catalogue_public_content_full
            when 'DOSSIER_SYNC' then v.received_synced_on_time
            when 'PROGRESS_ON_TIME' then v.resolved_on_time + v.in_progress_not_overdue
            when 'FULL_ONLINE_SHARE' then v.received_full_online
            when 'PAYMENT_DOSSIER_SHARE' then v.received_paid_online
            when 'PAYMENT_PROCEDURE_SHARE' then v.fee_procedures_paid_online
            when 'PAYMENT_PROCEDURE_COVERAGE' then v.fee_procedures_received
            when 'ORIGINAL_RESULT_AVAILABLE' then v.resolved_electronic
            when 'SO_HOA_GIAY_TO_GIAI_QUYET' then v.received_digitised
            when 'ELECTRONIC_CERTIFIED_COPY' then 0
            when 'REUSED_DIGITIZED_DATA' then v.received_data_reused
            when 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE' then v.received_digitised_shared
            when 'CITIZEN_DATA_CONNECTED_DOSSIER' then v.received_citizen_data
            when 'CITIZEN_DATA_CONNECTED_FORMALITY' then v.catalogue_citizen_data_connected
            when 'PETITION_PROCESSING_ON_TIME' then v.petitions_in_time
            when 'PETITION_HANDLING_SATISFACTION' then v.petitions_satisfied
            when 'DOSSIER_RECEIVING_SATISFACTION' then v.closed_rated_satisfied
        end as numerator,
        case s.metric_code
            when 'PUBLISH_ON_TIME' then v.catalogue_active
            when 'PUBLIC_UPDATE_ON_TIME' then v.catalogue_active
            when 'PUBLIC_CONTENT_FULL' then v.catalogue_active
            when 'DOSSIER_SYNC' then v.received
            when 'PROGRESS_ON_TIME' then v.resolved + v.in_progress
            when 'FULL_ONLINE_SHARE' then v.received_eligible
            when 'PAYMENT_DOSSIER_SHARE' then v.received_with_fee
            when 'PAYMENT_PROCEDURE_SHARE' then v.fee_procedures_used
            when 'PAYMENT_PROCEDURE_COVERAGE' then v.fee_procedures
            when 'ORIGINAL_RESULT_AVAILABLE' then v.resolved
            when 'SO_HOA_GIAY_TO_GIAI_QUYET' then v.received
            when 'ELECTRONIC_CERTIFIED_COPY' then 0
            when 'REUSED_DIGITIZED_DATA' then v.received
            when 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE' then v.received_digitised
            when 'CITIZEN_DATA_CONNECTED_DOSSIER' then v.received
            when 'CITIZEN_DATA_CONNECTED_FORMALITY' then v.catalogue_active
            when 'PETITION_PROCESSING_ON_TIME' then v.petitions
            when 'PETITION_HANDLING_SATISFACTION' then v.petitions_rated
            when 'DOSSIER_RECEIVING_SATISFACTION' then v.closed_rated
        end as denominator
    from metric_inputs as v
    cross join scoring_766 as s
)

select
    *,
    cast(numerator as double) / nullif(denominator, 0) as rate,
    case
        when denominator is null then null
        when denominator = 0 then zero_denominator_points
        when full_marks_at > 0
            then max_points * least(1.0, (cast(numerator as double) / nullif(denominator, 0)) / nullif(full_marks_at, 0))
    end as points
from metric_input_terms
