-- name: sipas
-- description: SIPAS satisfaction index per unit: the weighted share of satisfied respondents for each element and overall, with n and a 95 % confidence interval.
-- grain: one row per unit × element, plus one row per unit with element_code = 'overall'
-- params: year INTEGER (required); level VARCHAR = 'district' (district|province|department)
-- columns: unit_code, year, element_code, n, satisfied_share, ci_low, ci_high
-- source: SIPAS (Chỉ số hài lòng về sự phục vụ hành chính), Ministry of Home Affairs; question map in survey_questions
-- method: Questions: the assessment questions (kind = assessment) of the instrument valid in the year
--   (valid_from_year ≤ year ≤ valid_to_year), joined on question_code. Only answers 1–5 count; an
--   answer of 4 or 5 is satisfied (other codes, e.g. "no answer", are left out). A respondent's element
--   indicator x = the mean of their 0/1 satisfied indicators over the element's questions they answered;
--   their weight w = the survey weight (1 when empty; the largest, should their rows differ).
--   Element share p = Σ w·x / Σ w (weights normalised); n = respondents with an answer in the element.
--   95 % CI: design-effect-adjusted normal (Wald) interval with Kish's effective sample size
--   n_eff = (Σ w)² / Σ w², se = sqrt(p (1 − p) / n_eff), p ± 1.96 se, clipped to [0, 1]; with equal
--   weights n_eff = n. Overall share = the mean of the element shares; its interval is centred on that
--   share, with se from the respondent-level mean of element indicators (each respondent's average over
--   the elements they answered): se = sqrt(v / n_eff), v = Σ w (x − x̄)² / Σ w, x̄ = Σ w x / Σ w (for a
--   0/1 indicator v = p (1 − p), the element formula); n = respondents with any counted answer. At
--   province level the respondents of all the province's units are pooled with their weights. The 2022
--   instrument (SIPAS-2022) differs from the earlier one: shares before and after are not comparable.
--   Privacy and reliability (DESIGN.md §8): an estimate from fewer than 30 respondents (n < 30) is
--   suppressed here, at the source: satisfied_share, ci_low and ci_high are empty, n is kept, so the
--   command line, the downloads and every page apply the same rule (pages read "không đủ mẫu").
with
questions as (
    select distinct
        question_code,
        element
    from survey_questions
    where kind = 'assessment'
        and valid_from_year <= $year
        and (valid_to_year is null or valid_to_year >= $year)
),

unit_map as (
    -- survey unit -> reported unit (itself, or its province at province level)
    select distinct
        unit_code as source_code,
        case when $level = 'province' then province_code else unit_code end as unit_code
    from units
    where level = $level or $level = 'province'
),

answers as (
    select
        m.unit_code,
        r.response_id,
        q.element,
        coalesce(r.weight, 1.0) as weight,
        cast(case when r.answer in ('4', '5') then 1 else 0 end as double) as satisfied
    from survey_responses as r
    inner join questions as q on q.question_code = r.question_code
    inner join unit_map as m on m.source_code = r.unit_code
    where r.year = $year
        and r.answer in ('1', '2', '3', '4', '5')
),

respondents as (
    select
        unit_code,
        response_id,
        max(weight) as weight
    from answers
    group by unit_code, response_id
),

respondent_elements as (
    select
        a.unit_code,
        a.response_id,
        a.element,
        avg(a.satisfied) as x
    from answers as a
    group by a.unit_code, a.response_id, a.element
),

element_stats as (
    select
        e.unit_code,
        e.element,
        count(*) as n,
        sum(r.weight * e.x) / nullif(sum(r.weight), 0) as share,
        sum(r.weight) * sum(r.weight) / nullif(sum(r.weight * r.weight), 0) as n_eff
    from respondent_elements as e
    inner join respondents as r on r.unit_code = e.unit_code and r.response_id = e.response_id
    group by e.unit_code, e.element
),

elements as (
    select
        unit_code,
        element as element_code,
        n,
        share,
        1.96 * sqrt(share * (1 - share) / nullif(n_eff, 0)) as half_width,
        0 as is_overall
    from element_stats
),

respondent_means as (
    -- each respondent's average over the elements they answered
    select
        e.unit_code,
        e.response_id,
        r.weight,
        avg(e.x) as x
    from respondent_elements as e
    inner join respondents as r on r.unit_code = e.unit_code and r.response_id = e.response_id
    group by e.unit_code, e.response_id, r.weight
),

respondent_mean_centre as (
    select
        unit_code,
        count(*) as n,
        sum(weight * x) / nullif(sum(weight), 0) as mean_x,
        sum(weight) as sum_w,
        sum(weight) * sum(weight) / nullif(sum(weight * weight), 0) as n_eff
    from respondent_means
    group by unit_code
),

respondent_mean_spread as (
    select
        c.unit_code,
        c.n,
        c.n_eff,
        sum(m.weight * (m.x - c.mean_x) * (m.x - c.mean_x)) / nullif(c.sum_w, 0) as variance
    from respondent_mean_centre as c
    inner join respondent_means as m on m.unit_code = c.unit_code
    group by c.unit_code, c.n, c.n_eff, c.sum_w
),

overall as (
    select
        s.unit_code,
        'overall' as element_code,
        s.n,
        e.share,
        1.96 * sqrt(s.variance / nullif(s.n_eff, 0)) as half_width,
        1 as is_overall
    from respondent_mean_spread as s
    inner join (
        select unit_code, avg(share) as share
        from element_stats
        group by unit_code
    ) as e on e.unit_code = s.unit_code
),

final as (
    select unit_code, element_code, n, share, half_width, is_overall from elements
    union all
    select unit_code, element_code, n, share, half_width, is_overall from overall
)

select
    unit_code,
    cast($year as integer) as year,
    element_code,
    cast(n as bigint) as n,
    cast(case when n >= 30 then share end as double) as satisfied_share,
    cast(case when n >= 30 and half_width is not null then greatest(0.0, share - half_width) end as double) as ci_low,
    cast(case when n >= 30 and half_width is not null then least(1.0, share + half_width) end as double) as ci_high
from final
where $scope is null or array_contains($scope, unit_code)
order by unit_code, is_overall, element_code
