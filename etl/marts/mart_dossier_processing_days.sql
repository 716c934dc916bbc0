-- name: mart_dossier_processing_days
-- description: How many dossiers were resolved after how many days, per unit, field and month resolved:
--   the distribution the median and 90th percentile of processing days are read from, exactly.
-- grain: one row per unit_code × field_code × month_start × processing_days with a dossier resolved in the month
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- columns: year INTEGER, month_start DATE, unit_code VARCHAR, field_code VARCHAR, processing_days BIGINT,
--   resolved BIGINT
-- method: As dossier_kpis (queries/from_rows/): status resolved, processing ended in the month;
--   processing days = calendar days from the received date to the resolved date; field as in
--   mart_dossier_months. Percentiles of any period and unit grouping come from summing these counts.
with
unit_latest as (
    select unit_code, province_code
    from units
    qualify row_number() over (partition by unit_code order by valid_from desc) = 1
)

select
    cast(year(cast(d.resolved_at as date)) as integer) as year,
    cast(date_trunc('month', cast(d.resolved_at as date)) as date) as month_start,
    d.unit_code,
    coalesce(p.field_code, d.field_code) as field_code,
    date_diff('day', cast(d.received_at as date), cast(d.resolved_at as date)) as processing_days,
    count(*) as resolved
from dossiers as d
inner join unit_latest as u on d.unit_code = u.unit_code
left join procedures as p
    on d.procedure_code = p.procedure_code and u.province_code = p.province_code
where
    d.status = 'resolved'
    and d.year <= $to_year
    and cast(d.resolved_at as date) >= make_date($from_year, 1, 1)
    and cast(d.resolved_at as date) < make_date($to_year + 1, 1, 1)
group by all
order by month_start, d.unit_code, field_code, processing_days
