-- name: sipas
-- description: SIPAS satisfaction index per unit: the weighted share of satisfied respondents for each element and overall, with n and a 95 % confidence interval.
-- grain: one row per unit × element, plus one row per unit with element_code = 'overall'
-- key: unit_code, element_code
-- params: year INTEGER (required); level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- columns: unit_code, year, element_code, n, satisfied_share, ci_low, ci_high, approximate
-- uses: sipas_estimates
-- source: SIPAS (Chỉ số hài lòng về sự phục vụ hành chính), Ministry of Home Affairs; question map in survey_questions
-- disclosure: ci_low, ci_high from satisfied_share
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
--   0/1 indicator v = p (1 − p), the element formula); n = respondents with any counted answer. A
--   response's unit is the one its code named in the survey year (docs/units.md). At province level the
--   respondents of all the province's units are pooled with their weights; in today's units
--   (units=current) the respondents of the units today's unit was made of are pooled, a split unit's
--   with its crosswalk weight times the survey weight (approximate). The 2022
--   instrument (SIPAS-2022) differs from the earlier one: shares before and after are not comparable.
--   Privacy and reliability (docs/security.md): an estimate from fewer than 30 respondents (n < 30) is
--   suppressed here, at the source: satisfied_share, ci_low and ci_high are empty, n is kept, so the
--   command line, the downloads and every page apply the same rule (pages read "không đủ mẫu"). So that
--   it cannot be worked out from what is shown (complementary suppression, sipas_estimates' `shown`):
--   the overall share is empty when an element share of the unit is, and a pooled element share (a
--   province's, or today's unit's) is empty when a unit it pools has fewer than 30 respondents to it.
select
    unit_code,
    cast($year as integer) as year,
    element_code,
    cast(n as bigint) as n,
    cast(case when shown then share end as double) as satisfied_share,
    cast(case when shown and half_width is not null then greatest(0.0, share - half_width) end as double) as ci_low,
    cast(case when shown and half_width is not null then least(1.0, share + half_width) end as double) as ci_high,
    approximate
from sipas_estimates
where $scope is null or array_contains($scope, unit_code)
order by unit_code, unit_formed_on, is_overall, element_code
