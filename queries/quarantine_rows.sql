-- name: quarantine_rows
-- description: The quarantined values themselves, one per rejected cell, with the whole raw row, filtered by reason, file and load; paginated.
-- grain: one row per rejected value (row × column × reason), ordered by load (newest first), file, row, column
-- key: load_id, source_file, row_number, column_name, reason
-- params: reason VARCHAR = NULL; source_file VARCHAR = NULL; load_id INTEGER = NULL; limit INTEGER = 1000;
--         offset INTEGER = 0
-- access: detail
-- columns: load_id, source_file, row_number, column_name, raw_value, reason, raw_record, detail
-- method: As the ETL wrote them: row_number is the row in the source file (Excel row for workbooks),
--   raw_value the text as read, detail the words beyond the reason code (the unit a code named on another
--   date and its successor, the candidates of an ambiguous code: docs/units.md), raw_record the row's
--   canonical columns as JSON text (applicant personal data
--   is dropped on read and never reaches it). Filters are exact matches, all optional. Rejected rows may
--   belong to any unit (the unit code itself may be what was rejected), so they are returned only to callers
--   without a unit scope (no login, or a user allowed everything); a scoped caller gets no rows.
-- scope: none
with filtered as (
    select
        load_id,
        source_file,
        row_number,
        column_name,
        raw_value,
        reason,
        raw_record,
        detail
    from quarantine
    where
        $scope is null
        and ($reason is null or reason = $reason)
        and ($source_file is null or source_file = $source_file)
        and ($load_id is null or load_id = $load_id)
),

final as (
    select *
    from filtered
    order by load_id desc, source_file, row_number, column_name, reason
    limit $limit offset $offset
)

select * from final
order by load_id desc, source_file, row_number, column_name, reason
