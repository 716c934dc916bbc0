-- name: targets_gap
-- description: Targets of the year against the actual values: on-time, online-payment and digitised rates, SIPAS overall and PAR Index rank per unit.
-- grain: one row per target × unit (a target for unit `all` gives one row per district-level unit with data)
-- params: year INTEGER (required); unit_code VARCHAR = NULL
-- columns: indicator, unit_code, target, comparator, actual, gap, met
-- uses: dossier_year_counts
-- source: targets from the plans that set them (targets.source); actual values as dossier_kpis, sipas and par_index
-- method: One row per target of the year; unit_code `all` expands to every district-level unit
--   (district or department, as dossier_kpis' level district) with data in the year: a dossier received
--   or resolved, a survey response, or PAR scores. A target limited to a field (field_code set and not
--   `all`) compares the actual value over the dossiers of that field and its indicator reads
--   `<indicator>:<field_code>` (e.g. on_time_rate:G09), else the indicator as given. Actual values, with
--   the definitions of the queries named: on_time_rate = resolved on time / resolved (dossier_kpis:
--   status resolved, ended in the year, resolved date ≤ due date, no due date counts on time);
--   online_payment_rate = paid online / received with a fee; digitised_rate = digitised / received
--   (dossier_kpis); sipas_overall = the overall satisfied share of sipas at the unit's level (mean of the
--   element shares; empty from fewer than 30 respondents, as in sipas); par_rank = the unit's total-row rank of par_index (competition rank among units of
--   the same level and framework). Rates are fractions (0.85), as target values are. gap = actual −
--   target: for a >= target a negative gap is the shortfall, for a <= target (such as a rank) a positive
--   gap is the excess; met = actual >= target, actual <= target, or |actual − target| < 1e-9 for =.
--   actual, gap and met are empty when the unit has no data for the indicator (e.g. no resolved dossier,
--   no survey). An indicator this query does not know gets an empty actual.
with
-- one row per unit: its level and province, from its latest validity row (as dossier_kpis)
unit_latest as (
    select unit_code, level, province_code
    from (
        select
            unit_code,
            level,
            province_code,
            row_number() over (partition by unit_code order by valid_from desc) as row_rank
        from units
    ) as ranked
    where row_rank = 1
),

year_targets as (
    select
        t.indicator,
        t.unit_code,
        case when t.field_code is null or t.field_code = 'all' then null else t.field_code end as field_code,
        t.comparator,
        t.value as target
    from targets as t
    where t.year = $year
),

dossier_rates as (
    -- field_code empty = all fields
    select
        unit_code,
        cast(null as varchar) as field_code,
        cast(sum(resolved_on_time) as double) / nullif(sum(resolved), 0) as on_time_rate,
        cast(sum(received_paid_online) as double) / nullif(sum(received_with_fee), 0) as online_payment_rate,
        cast(sum(received_digitised) as double) / nullif(sum(received), 0) as digitised_rate,
        sum(received) + sum(resolved) as activity
    from dossier_year_counts
    group by unit_code
    union all
    select
        unit_code,
        field_code,
        cast(resolved_on_time as double) / nullif(resolved, 0) as on_time_rate,
        cast(received_paid_online as double) / nullif(received_with_fee, 0) as online_payment_rate,
        cast(received_digitised as double) / nullif(received, 0) as digitised_rate,
        received + resolved as activity
    from dossier_year_counts
    where field_code is not null
),

-- SIPAS overall share (definitions of sipas: assessment questions of the instrument valid in the year,
-- answers 1–5, 4–5 satisfied, respondent element indicator, weighted element shares, mean over elements)
sipas_questions as (
    select distinct question_code, element
    from survey_questions
    where kind = 'assessment'
        and valid_from_year <= $year
        and (valid_to_year is null or valid_to_year >= $year)
),

sipas_respondent_elements as (
    select
        r.unit_code,
        r.response_id,
        q.element,
        avg(cast(case when r.answer in ('4', '5') then 1 else 0 end as double)) as x
    from survey_responses as r
    inner join sipas_questions as q on q.question_code = r.question_code
    where r.year = $year and r.answer in ('1', '2', '3', '4', '5')
    group by r.unit_code, r.response_id, q.element
),

sipas_weights as (
    select
        r.unit_code,
        r.response_id,
        max(coalesce(r.weight, 1.0)) as weight
    from survey_responses as r
    inner join sipas_questions as q on q.question_code = r.question_code
    where r.year = $year and r.answer in ('1', '2', '3', '4', '5')
    group by r.unit_code, r.response_id
),

sipas_overall_all as (
    select unit_code, avg(share) as sipas_overall
    from (
        select
            e.unit_code,
            e.element,
            sum(w.weight * e.x) / nullif(sum(w.weight), 0) as share
        from sipas_respondent_elements as e
        inner join sipas_weights as w on w.unit_code = e.unit_code and w.response_id = e.response_id
        group by e.unit_code, e.element
    ) as element_shares
    group by unit_code
),

-- an estimate from fewer than 30 respondents is not shown (sipas, DESIGN.md §8)
sipas_overall as (
    select
        s.unit_code,
        case when r.respondents >= 30 then s.sipas_overall end as sipas_overall
    from sipas_overall_all as s
    inner join (
        select unit_code, count(*) as respondents
        from sipas_weights
        group by unit_code
    ) as r on r.unit_code = s.unit_code
),

-- PAR Index rank (definitions of par_index: criterion and area caps, total, competition rank among
-- units of the same level and framework)
par_criteria as (
    select
        s.unit_code,
        u.level,
        s.framework,
        s.area_code,
        s.max_points,
        least(
            s.max_points,
            least(coalesce(s.appraised_points, 0), s.max_points) + least(coalesce(s.survey_points, 0), s.max_points)
        ) as score
    from par_scores as s
    inner join unit_latest as u on u.unit_code = s.unit_code
    where s.year = $year
),

par_areas as (
    select
        c.unit_code,
        c.level,
        c.framework,
        least(sum(c.score), coalesce(max(f.max_points), sum(c.max_points))) as score
    from par_criteria as c
    left join par_frameworks as f on f.framework = c.framework and f.area_code = c.area_code
    group by c.unit_code, c.level, c.framework, c.area_code
),

par_ranks as (
    select
        unit_code,
        -- ties at 6 decimals: floor(x * 1e6 + 0.5) is bit-identical on DuckDB and Spark; round(x, 6) is not (docs/scaling.md)
        rank() over (partition by level, framework order by floor(sum(score) * 1000000 + 0.5) desc) as par_rank
    from par_areas
    group by unit_code, level, framework
),

-- units with data in the year, for targets set for `all`
units_with_data as (
    select unit_code from dossier_rates where field_code is null and activity > 0
    union
    select s.unit_code
    from sipas_weights as s
    inner join unit_latest as u on u.unit_code = s.unit_code
    where u.level in ('district', 'department')
    union
    select p.unit_code
    from par_ranks as p
    inner join unit_latest as u on u.unit_code = p.unit_code
    where u.level in ('district', 'department')
),

target_units as (
    select
        t.indicator,
        t.field_code,
        t.comparator,
        t.target,
        case when t.unit_code = 'all' then w.unit_code else t.unit_code end as unit_code
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
        and coalesce(d.field_code, '') = coalesce(t.field_code, '')
    left join sipas_overall as s on s.unit_code = t.unit_code
    left join par_ranks as p on p.unit_code = t.unit_code
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
