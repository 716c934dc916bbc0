-- name: dossier_procedures
-- description: Procedures (TTHC) of the catalogue with their names and fields, for the dossier explorer's procedure filter.
-- grain: one row per procedure code
-- key: procedure_code
-- params: province_code VARCHAR = NULL; field_code VARCHAR = NULL
-- columns: procedure_code, procedure_name, field_code
-- method: From the procedure catalogue (`procedures`), of one province (with the national catalogue) when province_code is given, of one
--   field when field_code is given. A procedure listed by several provinces under different names or fields
--   keeps the alphabetically last ones. Sorted by name in Vietnamese order (COLLATE vi), then code.
-- scope: none
with catalogue as (
    select
        procedure_code,
        max(name) as procedure_name,
        max(field_code) as field_code
    from procedures
    where
        ($province_code is null or province_code in ($province_code, 'all'))
        and ($field_code is null or field_code = $field_code)
    group by procedure_code
),

final as (
    select
        procedure_code,
        procedure_name,
        field_code
    from catalogue
)

select * from final
order by procedure_name collate vi nulls last, procedure_code
