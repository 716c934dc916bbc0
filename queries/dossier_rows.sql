-- name: dossier_rows
-- description: Dossiers one row each, filtered and paginated: the row-level view analysts export (no personal data).
-- grain: one row per dossier, ordered by received_at then dossier_id; `limit` rows from `offset`
-- params: year INTEGER = NULL; unit_code VARCHAR = NULL; province_code VARCHAR = NULL; field_code VARCHAR = NULL;
--         procedure_code VARCHAR = NULL;
--         status VARCHAR = NULL (received|processing|supplement|resolved|rejected|withdrawn);
--         channel VARCHAR = NULL (direct|online|postal); received_from DATE = NULL; received_to DATE = NULL;
--         limit INTEGER = 1000; offset INTEGER = 0
-- access: detail
-- columns: dossier_id, unit_code, unit_name, procedure_code, procedure_name, field_code, field_name,
--          received_at, due_at, resolved_at, status, channel, online_level, has_fee, paid_online,
--          dossier_digitised, result_electronic, processing_days, on_time
-- method: Filters are exact matches, all optional; year is the year received; received_from and received_to
--         are inclusive dates. field and has_fee come from the province's procedure catalogue when the export
--         lacks them; unit_name is the name valid on the day received. processing_days = calendar days from
--         the received date to the end of processing (any final status); on_time (resolved dossiers only) =
--         resolved date <= due date, compared as dates. dossier_rows_count counts the same rows. The caller's
--         scope filters rows before pagination.
with unit_latest as (
    select unit_code, province_code
    from (
        select
            unit_code,
            province_code,
            row_number() over (partition by unit_code order by valid_from desc) as row_rank
        from units
    ) as ranked
    where row_rank = 1
),

-- shared filter: keep this CTE identical in dossier_rows.sql and dossier_rows_count.sql
filtered as (
    select
        d.dossier_id,
        d.unit_code,
        d.procedure_code,
        p.name as procedure_name,
        coalesce(p.field_code, d.field_code) as field_code,
        p.field_name,
        d.received_at,
        d.due_at,
        d.resolved_at,
        d.status,
        d.channel,
        d.online_level,
        coalesce(d.has_fee, p.has_fee) as has_fee,
        d.paid_online,
        d.dossier_digitised,
        d.result_electronic
    from dossiers as d
    left join unit_latest as u on d.unit_code = u.unit_code
    left join procedures as p
        on d.procedure_code = p.procedure_code and u.province_code = p.province_code
    where
        ($year is null or d.year = $year)
        and ($unit_code is null or d.unit_code = $unit_code)
        and ($province_code is null or u.province_code = $province_code)
        and ($field_code is null or coalesce(p.field_code, d.field_code) = $field_code)
        and ($procedure_code is null or d.procedure_code = $procedure_code)
        and ($status is null or d.status = $status)
        and ($channel is null or d.channel = $channel)
        and ($received_from is null or cast(d.received_at as date) >= $received_from)
        and ($received_to is null or cast(d.received_at as date) <= $received_to)
        -- the same bounds on the year partition, so that only the years asked for are read
        and ($received_from is null or d.year >= year(cast($received_from as date)))
        and ($received_to is null or d.year <= year(cast($received_to as date)))
        and ($scope is null or array_contains($scope, d.unit_code))
),
-- end of shared filter

page as (
    select *
    from filtered
    order by received_at, dossier_id
    limit $limit offset $offset
),

-- each row of the page with the unit's name valid on the day the dossier was received (else its latest
-- name); the page is read once, so the filter and its top-N run once
named as (
    select
        pg.*,
        u.name as unit_name,
        row_number() over (
            partition by pg.dossier_id
            order by
                case
                    when
                        u.valid_from <= cast(pg.received_at as date)
                        and (u.valid_to is null or u.valid_to >= cast(pg.received_at as date))
                        then 0
                    else 1
                end,
                u.valid_from desc
        ) as name_rank
    from page as pg
    left join units as u on pg.unit_code = u.unit_code
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
        date_diff('day', cast(received_at as date), cast(resolved_at as date)) as processing_days,
        case
            when status = 'resolved'
                then cast(resolved_at as date) <= coalesce(cast(due_at as date), cast(resolved_at as date))
        end as on_time
    from named
    where name_rank = 1
)

select * from final
order by received_at, dossier_id
