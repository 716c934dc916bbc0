-- name: dossier_rows_count
-- description: Number of dossiers dossier_rows returns for the same filters, without pagination (for the pager).
-- grain: one row
-- params: year INTEGER = NULL; unit_code VARCHAR = NULL; province_code VARCHAR = NULL; field_code VARCHAR = NULL;
--         procedure_code VARCHAR = NULL;
--         status VARCHAR = NULL (received|processing|supplement|resolved|rejected|withdrawn);
--         channel VARCHAR = NULL (direct|online|postal); received_from DATE = NULL; received_to DATE = NULL
-- columns: n
-- method: The filter is the one of dossier_rows (a test keeps the two texts identical), the caller's scope
--         included.
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

final as (
    select count(*) as n
    from filtered
)

select * from final
