-- name: catalogue_lookup
-- description: Building block (not a public query): the attributes a dossier takes from its procedure's
--   catalogue: one version per province unit and procedure, and the national catalogue's.
-- grain: one row per province_code × province_formed_on × procedure_code (province `all`: the national catalogue)
-- params: none
-- uses: catalogue_versions
-- columns: province_code, province_formed_on, province_from, province_until, procedure_code, procedure_name,
--          field_code, field_name, has_fee, full_online_eligible, authority_level
-- method: A dossier's field, fee and full-online eligibility come from its procedure in the catalogue of
--   its province as that province was on the received date, the version published last while that
--   province existed; else from the national catalogue (province `all`); else, for the field, from
--   the export.
select
    province_code,
    province_formed_on,
    province_from,
    province_until,
    procedure_code,
    procedure_name,
    field_code,
    field_name,
    has_fee,
    full_online_eligible,
    authority_level
from (
    select
        *,
        row_number() over (
            partition by province_code, province_formed_on, procedure_code order by published_at desc
        ) as newest
    from catalogue_versions
) as ranked
where newest = 1
