-- name: available_years
-- description: The years each year-parameterised query has data for, so pages offer only years with data.
-- grain: one row per query × year with data
-- key: query, year
-- params: none
-- columns: family, query, year
-- method: dossier_kpis, dossier_rows (family dossier): years in which a dossier was received (from the mart
--   mart_dossier_months; over raw rows: queries/from_rows/available_years.sql);
--   service_index_766, service_index_766_total, procedure_cost_766 (766): years with a dossier received or
--   a petition received; sipas (sipas): survey years; par_index, par_criteria (par): years with PAR
--   scores; papi, papi_profile (papi): PAPI years with at least one score; targets_gap (targets): years
--   with a target. Newest first within each query.
-- scope: none
with dossier_years as (
    select distinct cast(year as integer) as year
    from mart_dossier_months
    where received > 0
),

petition_years as (
    select distinct cast(extract(year from received_at) as integer) as year
    from feedback
),

service_years as (
    select year from dossier_years
    union
    select year from petition_years
),

survey_years as (
    select distinct cast(year as integer) as year
    from survey_responses
),

par_years as (
    select distinct cast(year as integer) as year
    from par_scores
),

papi_years as (
    select distinct cast(year as integer) as year
    from papi_scores
    where score is not null
),

target_years as (
    select distinct cast(year as integer) as year
    from targets
),

final as (
    select 'dossier' as family, 'dossier_kpis' as query, year from dossier_years
    union all
    select 'dossier' as family, 'dossier_rows' as query, year from dossier_years
    union all
    select '766' as family, 'service_index_766' as query, year from service_years
    union all
    select '766' as family, 'service_index_766_total' as query, year from service_years
    union all
    select '766' as family, 'procedure_cost_766' as query, year from service_years
    union all
    select 'sipas' as family, 'sipas' as query, year from survey_years
    union all
    select 'par' as family, 'par_index' as query, year from par_years
    union all
    select 'par' as family, 'par_criteria' as query, year from par_years
    union all
    select 'papi' as family, 'papi' as query, year from papi_years
    union all
    select 'papi' as family, 'papi_profile' as query, year from papi_years
    union all
    select 'targets' as family, 'targets_gap' as query, year from target_years
)

select * from final
where year is not null
order by query, year desc
