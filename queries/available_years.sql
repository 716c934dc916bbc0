-- name: available_years
-- description: The years each year-parameterised query has data for, so pages offer only years with data.
-- grain: one row per query × year with data
-- key: query, year
-- params: none
-- columns: family, query, year
-- method: dossier_kpis, dossier_rows (family dossier): years in which a dossier was received (the block
--   dossier_years);
--   service_index_766, service_index_766_total, procedure_cost_766 (766): years with a dossier received or
--   a petition received; sipas (sipas): survey years; par_index, par_criteria (par): years with PAR
--   scores; papi, papi_profile (papi): PAPI years with at least one score; targets_gap (targets): years
--   with a target; digital_shares (dossier): the dossier years; waiting_time (dossier): the dossier years and
--   the years a queue ticket was issued (a year whose dossiers carry no wait and which has no ticket
--   returns no rows); petitions_on_time (dossier): years a petition was received; plan_progress,
--   plan_items_status, plan_timeline (plan): plan years; one_stop_network (network): years of a list of
--   one-stop offices. Newest first within each query.
-- scope: none
-- uses: dossier_years
with petition_years as (
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

ticket_years as (
    select distinct cast(extract(year from issued_at) as integer) as year
    from queue_tickets
),

wait_years as (
    select year from dossier_years
    union
    select year from ticket_years
),

plan_years as (
    select distinct cast(year as integer) as year
    from plan_items
),

office_years as (
    select distinct cast(extract(year from as_of) as integer) as year
    from one_stop_offices
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
    union all
    select 'dossier' as family, 'digital_shares' as query, year from dossier_years
    union all
    select 'dossier' as family, 'waiting_time' as query, year from wait_years
    union all
    select 'dossier' as family, 'petitions_on_time' as query, year from petition_years
    union all
    select 'plan' as family, 'plan_progress' as query, year from plan_years
    union all
    select 'plan' as family, 'plan_items_status' as query, year from plan_years
    union all
    select 'plan' as family, 'plan_timeline' as query, year from plan_years
    union all
    select 'network' as family, 'one_stop_network' as query, year from office_years
)

select * from final
where year is not null
order by query, year desc
