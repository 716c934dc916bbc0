-- name: mart_dossier_procedure_periods
-- description: The procedure counts of Decision 766 per period, per unit and per province: procedures
--   with a fee dossier received, with one paid online, and fee procedures of the catalogue the unit
--   received a dossier of. Distinct counts do not add up, so they are computed here for every grouping.
-- grain: one row per period (year, quarter, month) × grouping (unit or province) × unit_code with a dossier received in the period
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- columns: year INTEGER, period VARCHAR, period_start DATE, grouped_by VARCHAR, unit_code VARCHAR,
--   fee_procedures_used BIGINT, fee_procedures_paid_online BIGINT, fee_procedures_received BIGINT
-- method: As service_index_766 (queries/from_rows/models/service_766_metric_points.sql). grouped_by unit:
--   the dossier's own unit; province: every dossier of the province (the unit's latest row).
--   fee_procedures_used = procedures with a dossier received with a fee (the dossier's flag, else the
--   procedure's in the province's catalogue); fee_procedures_paid_online = of those, with a fee dossier
--   paid online; fee_procedures_received = fee procedures of the province's catalogue active in the
--   period (announced before its end, not abolished by its start) that the unit can receive (a
--   district those resolved at district level, a department those at province level, all when the
--   catalogue gives no level, a province all) with at least one dossier received.
with
unit_latest as (
    select unit_code, level, province_code
    from units
    qualify row_number() over (partition by unit_code order by valid_from desc) = 1
),

-- dossiers received per unit, procedure and month: all, with a fee, paid online
received as (
    select
        d.unit_code,
        u.province_code,
        d.procedure_code,
        cast(date_trunc('month', cast(d.received_at as date)) as date) as month_start,
        count(case when coalesce(d.has_fee, p.has_fee) then 1 end) as with_fee,
        count(case when coalesce(d.has_fee, p.has_fee) and d.paid_online then 1 end) as paid_online
    from dossiers as d
    inner join unit_latest as u on d.unit_code = u.unit_code
    left join procedures as p
        on d.procedure_code = p.procedure_code and u.province_code = p.province_code
    where d.year between $from_year and $to_year
    group by all
),

in_periods as (
    select
        k.period,
        cast(date_trunc(k.period, r.month_start) as date) as period_start,
        r.*
    from received as r
    cross join (values ('year'), ('quarter'), ('month')) as k (period)
),

-- the procedures each reporting unit received dossiers of in the period
reporting as (
    select period, period_start, 'unit' as grouped_by, unit_code, procedure_code,
        sum(with_fee) as with_fee, sum(paid_online) as paid_online
    from in_periods
    group by all
    union all
    select period, period_start, 'province' as grouped_by, province_code as unit_code, procedure_code,
        sum(with_fee) as with_fee, sum(paid_online) as paid_online
    from in_periods
    group by all
),

-- of those, the fee procedures of the province's catalogue active in the period that the unit can receive
covered as (
    select r.period, r.period_start, r.grouped_by, r.unit_code, r.procedure_code
    from reporting as r
    inner join unit_latest as ru on ru.unit_code = r.unit_code
    inner join procedures as c on c.province_code = ru.province_code and c.procedure_code = r.procedure_code
    where
        c.has_fee
        and c.published_at < r.period_start
        + case r.period when 'year' then interval 1 year when 'quarter' then interval 3 month else interval 1 month end
        and (c.abolished_at is null or c.abolished_at > r.period_start)
        and (
            ru.level = 'province'
            or c.authority_level is null
            or c.authority_level = case ru.level when 'district' then 'district' else 'province' end
        )
),

coverage as (
    select period, period_start, grouped_by, unit_code, count(distinct procedure_code) as fee_procedures_received
    from covered
    group by all
),

used as (
    select
        period,
        period_start,
        grouped_by,
        unit_code,
        count(case when with_fee > 0 then 1 end) as fee_procedures_used,
        count(case when paid_online > 0 then 1 end) as fee_procedures_paid_online
    from reporting
    group by all
)

select
    cast(year(u.period_start) as integer) as year,
    u.period,
    u.period_start,
    u.grouped_by,
    u.unit_code,
    u.fee_procedures_used,
    u.fee_procedures_paid_online,
    coalesce(c.fee_procedures_received, 0) as fee_procedures_received
from used as u
left join coverage as c using (period, period_start, grouped_by, unit_code)
order by u.period, u.period_start, u.grouped_by, u.unit_code
