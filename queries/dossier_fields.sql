-- name: dossier_fields
-- description: Fields (lĩnh vực) of the procedure catalogue with their names, for the dossier explorer's field filter.
-- grain: one row per field code
-- key: field_code
-- params: province_code VARCHAR = NULL
-- columns: field_code, field_name, procedures
-- method: From the procedure catalogue (`procedures`), the provinces' published lists; of one province (with the national catalogue) when
--   province_code is given. field_name is the field's name in the catalogue (the alphabetically last one
--   should provinces spell it differently); procedures = distinct procedure codes of the field. Sorted by
--   name in Vietnamese order (COLLATE vi), then code.
-- scope: none
with fields as (
    select
        field_code,
        max(field_name) as field_name,
        count(distinct procedure_code) as procedures
    from procedures
    where $province_code is null or province_code in ($province_code, 'all')
    group by field_code
),

final as (
    select
        field_code,
        field_name,
        procedures
    from fields
)

select * from final
order by field_name collate vi nulls last, field_code
