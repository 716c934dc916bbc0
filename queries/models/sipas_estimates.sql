-- name: sipas_estimates
-- description: Building block of sipas and targets_gap (not a public query): the SIPAS element and overall
--   shares of each reported unit, with n, the half-width of their 95 % interval, and whether they may be
--   shown (`shown`: the small-sample rule and its complementary suppression, in one place).
-- grain: one row per reported unit (unit_code × unit_formed_on) × element, plus one row per unit with element_code = 'overall'
-- params: year INTEGER (required); level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: year_units, report_units
-- columns: unit_code, unit_formed_on, element_code, n, share, half_width, is_overall, approximate, shown
-- method: see sipas. shown (docs/security.md, "Disclosure control"): an element share is shown from 30
--   respondents, and only when no unit it pools (the units of a province, the former units of today's
--   unit) has fewer than 30 respondents to the element: that unit's share is hidden in its own table, and
--   the pooled share with the other units' shares and n would give it back. The overall share (the mean
--   of the element shares) is shown from 30 respondents and only when every element share of the unit is
--   shown: with one element hidden it would be 5 × the overall minus the four others.
--   Sums and means of fractional values are taken in DECIMAL (exact; docs/architecture.md, "Exact sums and ties"), so a
--   share does not depend on the order parallel threads add its rows: 0.76625 must not show as 76.62 in
--   one run and 76.63 in the next.
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

-- the day a response's unit is reported on: the survey year has no finer date, so the year's last day,
-- or the unit's own last day in the year when it ended before; as published, a unit that changed
-- province in the year counts once, under the province it belonged to on that day
surveyed_units as (
    select
        unit_code,
        formed_on,
        case
            when valid_to < cast(cast($year as varchar) || '-12-31' as date) then valid_to
            else cast(cast($year as varchar) || '-12-31' as date)
        end as reported_on
    from year_units
),

-- each response under the unit it is reported under (the survey's unit read in its year: year_units);
-- a split unit re-based to today's units brings its respondents with the crosswalk's weight
answers as (
    select
        m.report_code as unit_code,
        m.report_formed_on as unit_formed_on,
        r.unit_code as source_code,
        r.response_id,
        q.element,
        coalesce(r.weight, 1.0) * m.weight as weight,
        m.approximate,
        cast(case when r.answer in ('4', '5') then 1 else 0 end as double) as satisfied
    from survey_responses as r
    inner join questions as q on q.question_code = r.question_code
    inner join surveyed_units as y on y.unit_code = r.unit_code
    inner join report_units as m on m.unit_code = r.unit_code and m.formed_on = y.formed_on
    where r.year = $year
        and r.answer in ('1', '2', '3', '4', '5')
        and ($level = 'province' or $units = 'current' or m.level = $level)
        and (
            $units = 'current'
            or (m.report_from <= y.reported_on and (m.report_to is null or y.reported_on <= m.report_to))
        )
),

respondents as (
    select
        unit_code,
        unit_formed_on,
        response_id,
        max(weight) as weight,
        max(case when approximate then 1 else 0 end) as approximate
    from answers
    group by unit_code, unit_formed_on, response_id
),

respondent_elements as (
    select
        a.unit_code,
        a.unit_formed_on,
        a.response_id,
        a.element,
        avg(a.satisfied) as x
    from answers as a
    group by a.unit_code, a.unit_formed_on, a.response_id, a.element
),

-- Σ w·x, Σ w and Σ w² of each element, summed exactly (DECIMAL) and then read as DOUBLE
element_sums as (
    select
        e.unit_code,
        e.unit_formed_on,
        e.element,
        count(*) as n,
        cast(sum(cast(r.weight * e.x as decimal(38, 12))) as double) as sum_wx,
        cast(sum(cast(r.weight as decimal(38, 12))) as double) as sum_w,
        cast(sum(cast(r.weight * r.weight as decimal(38, 12))) as double) as sum_w2
    from respondent_elements as e
    inner join respondents as r
        on r.unit_code = e.unit_code and r.unit_formed_on = e.unit_formed_on and r.response_id = e.response_id
    group by e.unit_code, e.unit_formed_on, e.element
),

element_stats as (
    select
        unit_code,
        unit_formed_on,
        element,
        n,
        sum_wx / nullif(sum_w, 0) as share,
        sum_w * sum_w / nullif(sum_w2, 0) as n_eff
    from element_sums
),

elements as (
    select
        unit_code,
        unit_formed_on,
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
        e.unit_formed_on,
        e.response_id,
        r.weight,
        cast(avg(cast(e.x as decimal(38, 15))) as double) as x
    from respondent_elements as e
    inner join respondents as r
        on r.unit_code = e.unit_code and r.unit_formed_on = e.unit_formed_on and r.response_id = e.response_id
    group by e.unit_code, e.unit_formed_on, e.response_id, r.weight
),

respondent_mean_sums as (
    select
        unit_code,
        unit_formed_on,
        count(*) as n,
        cast(sum(cast(weight * x as decimal(38, 12))) as double) as sum_wx,
        cast(sum(cast(weight as decimal(38, 12))) as double) as sum_w,
        cast(sum(cast(weight * weight as decimal(38, 12))) as double) as sum_w2
    from respondent_means
    group by unit_code, unit_formed_on
),

respondent_mean_centre as (
    select
        unit_code,
        unit_formed_on,
        n,
        sum_wx / nullif(sum_w, 0) as mean_x,
        sum_w,
        sum_w * sum_w / nullif(sum_w2, 0) as n_eff
    from respondent_mean_sums
),

respondent_mean_spread as (
    select
        c.unit_code,
        c.unit_formed_on,
        c.n,
        c.n_eff,
        cast(sum(cast(m.weight * (m.x - c.mean_x) * (m.x - c.mean_x) as decimal(38, 15))) as double)
        / nullif(c.sum_w, 0) as variance
    from respondent_mean_centre as c
    inner join respondent_means as m on m.unit_code = c.unit_code and m.unit_formed_on = c.unit_formed_on
    group by c.unit_code, c.unit_formed_on, c.n, c.n_eff, c.sum_w
),

overall as (
    select
        s.unit_code,
        s.unit_formed_on,
        'overall' as element_code,
        s.n,
        e.share,
        1.96 * sqrt(s.variance / nullif(s.n_eff, 0)) as half_width,
        1 as is_overall
    from respondent_mean_spread as s
    inner join (
        select unit_code, unit_formed_on, cast(avg(cast(share as decimal(38, 15))) as double) as share
        from element_stats
        group by unit_code, unit_formed_on
    ) as e on e.unit_code = s.unit_code and e.unit_formed_on = s.unit_formed_on
),

-- a pooled unit with fewer than 30 respondents to an element: the element's pooled share is hidden
pooling_small as (
    select distinct unit_code, unit_formed_on, element as element_code
    from (
        select unit_code, unit_formed_on, source_code, element, count(distinct response_id) as n
        from answers
        group by unit_code, unit_formed_on, source_code, element
    ) as by_source
    where n < 30
),

element_shown as (
    select
        e.unit_code,
        e.unit_formed_on,
        e.element_code,
        e.n >= 30 and p.element_code is null as shown
    from elements as e
    left join pooling_small as p
        on p.unit_code = e.unit_code and p.unit_formed_on = e.unit_formed_on and p.element_code = e.element_code
),

approximate_units as (
    select unit_code, unit_formed_on, max(approximate) = 1 as approximate
    from respondents
    group by unit_code, unit_formed_on
)

select
    f.unit_code,
    f.unit_formed_on,
    f.element_code,
    f.n,
    f.share,
    f.half_width,
    f.is_overall,
    a.approximate,
    case
        when f.is_overall = 1 then f.n >= 30 and u.all_elements_shown
        else s.shown
    end as shown
from (
    select unit_code, unit_formed_on, element_code, n, share, half_width, is_overall from elements
    union all
    select unit_code, unit_formed_on, element_code, n, share, half_width, is_overall from overall
) as f
inner join approximate_units as a on a.unit_code = f.unit_code and a.unit_formed_on = f.unit_formed_on
inner join (
    select unit_code, unit_formed_on, bool_and(shown) as all_elements_shown
    from element_shown
    group by unit_code, unit_formed_on
) as u on u.unit_code = f.unit_code and u.unit_formed_on = f.unit_formed_on
left join element_shown as s
    on s.unit_code = f.unit_code and s.unit_formed_on = f.unit_formed_on and s.element_code = f.element_code
    and f.is_overall = 0
