-- name: catalogue_versions
-- description: Building block (not a public query): every procedure of every catalogue with the province
--   unit it belongs to and the days it is in force.
-- grain: one row per province_code × procedure_code × published_at (a version of the catalogue)
-- params: none
-- columns: province_code, province_formed_on, province_from, province_until, procedure_code,
--          procedure_name, field_code, field_name, authority_level, full_online_eligible, has_fee,
--          published_at, abolished_at, published_on_time, public_updated_on_time, public_content_full,
--          citizen_data_connected, online_service, in_force_until
-- method: A catalogue's province code is read on its publication date (a code names a unit only together
--   with a date: 52 published in 2023 is Bình Định's catalogue), so a province's catalogue applies while
--   that province existed (province_from to the day before province_until; a catalogue published before
--   1 January 2000 counts from that day, the first day of the units list). The national catalogue
--   (province_code `all`) applies to every province. A version is in force from its publication to the
--   day before the first of: its abolition, the next version of the same procedure in the same
--   province, the end of its province (in_force_until, exclusive; empty while in force).
with provinces as (
    select distinct
        report_code as province_code,
        report_formed_on as province_formed_on,
        report_from as province_from,
        report_until as province_until
    from unit_map
    where units_setting = 'as_published' and report_level = 'province' and unit_code = report_code
),

versions as (
    select
        c.province_code,
        p.province_formed_on,
        p.province_from,
        p.province_until,
        c.procedure_code,
        c.name as procedure_name,
        c.field_code,
        c.field_name,
        c.authority_level,
        c.full_online_eligible,
        c.has_fee,
        c.published_at,
        c.abolished_at,
        c.published_on_time,
        c.public_updated_on_time,
        c.public_content_full,
        c.citizen_data_connected,
        c.online_service,
        lead(c.published_at) over (
            partition by c.province_code, p.province_formed_on, c.procedure_code order by c.published_at
        ) as next_published_at
    from procedures as c
    left join provinces as p
        on
            p.province_code = c.province_code
            and greatest(c.published_at, cast('2000-01-01' as date)) >= p.province_from
            and (p.province_until is null or c.published_at < p.province_until)
)

select
    province_code,
    province_formed_on,
    province_from,
    province_until,
    procedure_code,
    procedure_name,
    field_code,
    field_name,
    authority_level,
    full_online_eligible,
    has_fee,
    published_at,
    abolished_at,
    published_on_time,
    public_updated_on_time,
    public_content_full,
    citizen_data_connected,
    online_service,
    nullif(
        least(
            coalesce(abolished_at, cast('9999-12-31' as date)),
            coalesce(next_published_at, cast('9999-12-31' as date)),
            coalesce(province_until, cast('9999-12-31' as date))
        ),
        cast('9999-12-31' as date)
    ) as in_force_until
from versions
where province_code = 'all' or province_formed_on is not null
