-- name: mart_dossier_procedure_months
-- description: Dossiers received per unit, procedure and month, with and without a fee and paid online:
--   the procedure counts of Decision 766 (procedures with a fee dossier, with one paid online, with any
--   dossier received) for any period and unit grouping.
-- grain: one row per unit_code × procedure_code × month_start with a dossier received in the month
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- columns: year INTEGER, month_start DATE, unit_code VARCHAR, procedure_code VARCHAR, received BIGINT,
--   received_with_fee BIGINT, received_paid_online BIGINT
-- method: As service_index_766 (queries/from_rows/models/): received in the month; a fee from the dossier,
--   else from its procedure in the province's catalogue. The unit is the dossier's own unit.
with
unit_latest as (
    select unit_code, province_code
    from units
    qualify row_number() over (partition by unit_code order by valid_from desc) = 1
)

select
    cast(d.year as integer) as year,
    cast(date_trunc('month', cast(d.received_at as date)) as date) as month_start,
    d.unit_code,
    d.procedure_code,
    count(*) as received,
    count(case when coalesce(d.has_fee, p.has_fee) then 1 end) as received_with_fee,
    count(case when coalesce(d.has_fee, p.has_fee) and d.paid_online then 1 end) as received_paid_online
from dossiers as d
inner join unit_latest as u on d.unit_code = u.unit_code
left join procedures as p
    on d.procedure_code = p.procedure_code and u.province_code = p.province_code
where d.year between $from_year and $to_year
group by all
order by month_start, d.unit_code, d.procedure_code
