-- name: dossier_facts
-- description: Building block (not a public query): every dossier with the unit its code named on the
--   received date and what it takes from the procedure catalogue, as dates.
-- grain: one row per dossier
-- params: none
-- uses: catalogue_lookup
-- columns: dossier_id, year, unit_code, unit_formed_on, unit_name, unit_level, province_code, procedure_code,
--          procedure_name, field_code, field_name, status, channel, online_level, received_at, due_at,
--          resolved_at, received_date, due_date, resolved_date, processing_days, has_fee,
--          full_online_eligible, paid_online, dossier_digitised, result_electronic, data_reused,
--          digitised_shared, citizen_data_used, synced_on_time, rated_satisfied, received_signed,
--          result_signed, wait_minutes
-- method: The unit is the one the dossier's code named on its received date (its validity row in
--   `units`; docs/units.md): unit_formed_on tells Bình Định's 52.STP (formed 2000) from Gia Lai's
--   (formed 2025). Dates are compared as calendar dates. The field, fee and full-online eligibility come
--   from the catalogue (catalogue_lookup: the province's, else the national one); the dossier's own fee
--   flag wins when it has one, the export's field when no catalogue lists the procedure. unit_name is the
--   unit's name on the received date. processing_days
--   = calendar days from the received to the resolved date.
select
    d.dossier_id,
    cast(d.year as integer) as year,
    d.unit_code,
    u.formed_on as unit_formed_on,
    u.name as unit_name,
    u.level as unit_level,
    u.province_code,
    d.procedure_code,
    coalesce(p.procedure_name, n.procedure_name) as procedure_name,
    coalesce(p.field_code, n.field_code, d.field_code) as field_code,
    case when p.field_code is not null then p.field_name else n.field_name end as field_name,
    d.status,
    d.channel,
    d.online_level,
    d.received_at,
    d.due_at,
    d.resolved_at,
    cast(d.received_at as date) as received_date,
    cast(d.due_at as date) as due_date,
    cast(d.resolved_at as date) as resolved_date,
    date_diff('day', cast(d.received_at as date), cast(d.resolved_at as date)) as processing_days,
    coalesce(d.has_fee, p.has_fee, n.has_fee) as has_fee,
    coalesce(p.full_online_eligible, n.full_online_eligible, false) as full_online_eligible,
    d.paid_online,
    d.dossier_digitised,
    d.result_electronic,
    d.data_reused,
    d.digitised_shared,
    d.citizen_data_used,
    d.synced_on_time,
    d.rated_satisfied,
    d.received_signed,
    d.result_signed,
    d.wait_minutes
from dossiers as d
inner join units as u
    on
        u.unit_code = d.unit_code
        and cast(d.received_at as date) >= u.valid_from
        and (u.valid_to is null or cast(d.received_at as date) <= u.valid_to)
left join catalogue_lookup as p
    on
        p.procedure_code = d.procedure_code
        and p.province_code = u.province_code
        and cast(d.received_at as date) >= p.province_from
        and (p.province_until is null or cast(d.received_at as date) < p.province_until)
left join catalogue_lookup as n
    on n.procedure_code = d.procedure_code and n.province_code = 'all'
