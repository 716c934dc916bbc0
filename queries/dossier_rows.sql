-- name: dossier_rows
-- description: Dossiers one row each, filtered and paginated: the row-level view analysts export (no personal data).
-- grain: one row per dossier, ordered by received_at then dossier_id; `limit` rows from `offset`
-- key: dossier_id
-- params: year INTEGER = NULL; unit_code VARCHAR = NULL; province_code VARCHAR = NULL;
--         level VARCHAR = NULL (province|district|commune|department); field_code VARCHAR = NULL;
--         procedure_code VARCHAR = NULL;
--         status VARCHAR = NULL (received|processing|supplement|resolved|rejected|withdrawn);
--         channel VARCHAR = NULL (direct|online|postal); received_from DATE = NULL; received_to DATE = NULL;
--         limit INTEGER = 1000; offset INTEGER = 0
-- access: detail
-- uses: dossier_rows_filtered
-- columns: dossier_id, unit_code, unit_name, procedure_code, procedure_name, field_code, field_name,
--          received_at, due_at, resolved_at, status, channel, online_level, has_fee, paid_online,
--          dossier_digitised, result_electronic, processing_days, on_time
-- method: Filters as dossier_rows_filtered (exact matches, all optional; a dossier's unit, province and
--         level are those its code named on the day received). field and has_fee come from the procedure
--         catalogue when the export lacks them; unit_name is the name valid on the day received. processing_days = calendar days from
--         the received date to the end of processing (any final status); on_time (resolved dossiers only) =
--         resolved date <= due date, compared as dates. dossier_rows_count counts the same rows. The caller's
--         scope filters rows before pagination.
with page as (
    select *
    from dossier_rows_filtered
    order by received_at, dossier_id
    limit $limit offset $offset
),

final as (
    select
        dossier_id,
        unit_code,
        unit_name,
        procedure_code,
        procedure_name,
        field_code,
        field_name,
        received_at,
        due_at,
        resolved_at,
        status,
        channel,
        online_level,
        has_fee,
        paid_online,
        dossier_digitised,
        result_electronic,
        processing_days,
        case when status = 'resolved' then resolved_date <= coalesce(due_date, resolved_date) end as on_time
    from page
)

select * from final
order by received_at, dossier_id
