-- name: targets_gap
-- description: Targets of the year against the actual values: on-time, online-payment and digitised rates, SIPAS overall and PAR Index rank per unit.
-- grain: one row per target × unit (a target for unit `all` gives one row per unit of the level with data)
-- key: indicator, unit_code
-- params: year INTEGER (required); unit_code VARCHAR = NULL;
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- columns: indicator, unit_code, target, comparator, actual, gap, met
-- uses: year_units, dossier_year_counts, sipas_estimates, par_ranked
-- source: targets from the plans that set them (targets.source); actual values as dossier_kpis, sipas and par_index
-- disclosure: actual with dossier_kpis.on_time_rate on unit_code where indicator = on_time_rate[:field_code];
--   actual with dossier_kpis.online_payment_rate on unit_code where indicator = online_payment_rate[:field_code];
--   actual with dossier_kpis.digitised_rate on unit_code where indicator = digitised_rate[:field_code];
--   gap, met from actual
-- method: One row per target of the year; unit_code `all` expands to every unit of the level (as
--   dossier_kpis' level: district also counts departments) with data in the year: a dossier received or
--   resolved, a survey response, or PAR scores. A target's unit is the one its code named in the year
--   (the one in force at the year's end), for `all` too. level, units and province_code read the actual values as
--   dossier_kpis, sipas and par_index do (docs/units.md). A target limited to a field (field_code set and not
--   `all`) compares the actual value over the dossiers of that field and its indicator reads
--   `<indicator>:<field_code>` (e.g. on_time_rate:G09), else the indicator as given. Actual values, with
--   the definitions of the queries named: on_time_rate = resolved on time / resolved (dossier_kpis:
--   status resolved, ended in the year, resolved date ≤ due date, no due date counts on time);
--   online_payment_rate = paid online / received with a fee; digitised_rate = digitised / received
--   (dossier_kpis); sipas_overall = the overall satisfied share of sipas (mean of the element shares;
--   empty from fewer than 30 respondents or when an element of the unit is hidden, as in sipas; the same
--   building block, sipas_estimates);
--   par_rank = the unit's total-row rank of par_index (the same building block, par_ranked). Rates are fractions (0.85), as target values are. gap = actual −
--   target: for a >= target a negative gap is the shortfall, for a <= target (such as a rank) a positive
--   gap is the excess; met = actual >= target, actual <= target, or |actual − target| < 1e-9 for =.
--   actual, gap and met are empty when the unit has no data for the indicator (e.g. no resolved dossier,
--   no survey). An indicator this query does not know gets an empty actual. In the public mode a rate
--   is empty, with its gap and met, where dossier_kpis (year, same level, units, province and field)
--   hides it for the unit (docs/security.md, "Disclosure control").
with
year_targets as (
    select
        t.indicator,
        t.unit_code,
        y.formed_on as unit_formed_on,
        case when t.field_code is null or t.field_code = 'all' then null else t.field_code end as field_code,
        t.comparator,
        t.value as target
    from targets as t
    left join year_units as y on y.unit_code = t.unit_code
    where t.year = $year
),

dossier_rates as (
    -- field_code empty = all fields
    select
        unit_code,
        unit_formed_on,
        cast(null as varchar) as field_code,
        cast(sum(resolved_on_time) as double) / nullif(sum(resolved), 0) as on_time_rate,
        cast(sum(received_paid_online) as double) / nullif(sum(received_with_fee), 0) as online_payment_rate,
        cast(sum(received_digitised) as double) / nullif(sum(received), 0) as digitised_rate,
        sum(received) + sum(resolved) as activity
    from dossier_year_counts
    group by unit_code, unit_formed_on
    union all
    select
        unit_code,
        unit_formed_on,
        field_code,
        cast(resolved_on_time as double) / nullif(resolved, 0) as on_time_rate,
        cast(received_paid_online as double) / nullif(received_with_fee, 0) as online_payment_rate,
        cast(received_digitised as double) / nullif(received, 0) as digitised_rate,
        received + resolved as activity
    from dossier_year_counts
    where field_code is not null
),

-- shown as in sipas: from 30 respondents, and no element of the unit hidden (sipas_estimates)
sipas_overall as (
    select unit_code, unit_formed_on, case when shown then share end as sipas_overall
    from sipas_estimates
    where element_code = 'overall'
),

par_ranks as (
    select unit_code, unit_formed_on, rank as par_rank
    from par_ranked
    where is_total = 1
),

-- units with data in the year, for targets set for `all`; a code that named two units in the year
-- (a department re-formed on 1 March 2025, a province on 1 July 2025) stands for the later one, as a
-- target's code does
units_with_data as (
    select unit_code, unit_formed_on
    from (
        select
            unit_code,
            unit_formed_on,
            row_number() over (partition by unit_code order by unit_formed_on desc) as newest
        from (
            select unit_code, unit_formed_on from dossier_rates where field_code is null and activity > 0
            union
            select unit_code, unit_formed_on from sipas_overall
            union
            select unit_code, unit_formed_on from par_ranks
        ) as found
    ) as ranked
    where newest = 1
),

target_units as (
    select
        t.indicator,
        t.field_code,
        t.comparator,
        t.target,
        case when t.unit_code = 'all' then w.unit_code else t.unit_code end as unit_code,
        case when t.unit_code = 'all' then w.unit_formed_on else t.unit_formed_on end as unit_formed_on
    from year_targets as t
    left join units_with_data as w on t.unit_code = 'all'
    where t.unit_code <> 'all' or w.unit_code is not null
),

actuals as (
    select
        t.indicator,
        t.field_code,
        t.unit_code,
        t.comparator,
        t.target,
        case t.indicator
            when 'on_time_rate' then d.on_time_rate
            when 'online_payment_rate' then d.online_payment_rate
            when 'digitised_rate' then d.digitised_rate
            when 'sipas_overall' then s.sipas_overall
            when 'par_rank' then cast(p.par_rank as double)
        end as actual
    from target_units as t
    left join dossier_rates as d
        on d.unit_code = t.unit_code
        and d.unit_formed_on = t.unit_formed_on
        and coalesce(d.field_code, '') = coalesce(t.field_code, '')
    left join sipas_overall as s on s.unit_code = t.unit_code and s.unit_formed_on = t.unit_formed_on
    left join par_ranks as p on p.unit_code = t.unit_code and p.unit_formed_on = t.unit_formed_on
),

final as (
    select
        case when field_code is null then indicator else indicator || ':' || field_code end as indicator,
        unit_code,
        cast(target as double) as target,
        comparator,
        cast(actual as double) as actual,
        cast(actual - target as double) as gap,
        case
            when actual is null then null
            when comparator = '>=' then actual >= target
            when comparator = '<=' then actual <= target
            when comparator = '=' then abs(actual - target) < 1e-9
        end as met
    from actuals
    where $unit_code is null or unit_code = $unit_code
)

select indicator, unit_code, target, comparator, actual, gap, met
from final
where $scope is null or array_contains($scope, unit_code)
order by indicator, unit_code
