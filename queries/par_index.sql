-- name: par_index
-- description: PAR Index (Chỉ số CCHC) per unit: score and index of each area, and a total row with the index (%), rank and rank change.
-- grain: one row per unit × area of its framework, plus one row per unit with area_code = 'total'
-- key: unit_code, area_code
-- params: year INTEGER (required); level VARCHAR = 'district' (province|district|department|commune);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- columns: unit_code, unit_name, year, area_code, area_name_vi, score, max_points, area_index, index_pct, rank,
--          rank_change, ranked_units
-- uses: par_ranked
-- source: Decision 2948/QĐ-BNV (2017), 1150/QĐ-BNV (2019), 876/QĐ-BNV (2022) and provincial frameworks; data/reference/par/
-- method: Criterion score = least(max, least(appraised, max) + least(survey, max)), max = the
--   criterion's max_points: each part capped at the criterion maximum and so is their sum (an empty
--   part counts 0; self-assessed points never count). Area score = sum of its criterion scores, capped
--   at the area maximum of the framework (par_frameworks), so an area never exceeds its maximum; an area
--   of the framework without any criterion row has an empty score ("no data", not 0). An area missing
--   from par_frameworks takes the sum of its criteria maxima as maximum and an empty name.
--   area_index = area score / area maximum × 100. Total row: score = sum of the area scores, max_points =
--   sum of the framework's area maxima, index_pct = score / max_points × 100, rank = competition rank
--   (ties share, next skips: 1, 1, 3) of the total score among units of the same level and framework in
--   the year, and below province level of the same province (scores compared rounded to 6 decimals, so
--   sums differing only by floating-point error tie); ranked_units = how many units the rank is among.
--   rank_change = previous year's rank − this year's (positive = improved), only when the same unit (its
--   code and the territory it had: docs/units.md) was ranked under the same framework the year before,
--   else empty. Area rows have empty index_pct, rank, rank_change and ranked_units; the total row has an
--   empty area_index. A score's unit is the one its code named in the score's year, and a score is of
--   its unit's own level: a district's or a department's index is never part of its province's. In today's units
--   (units=current) scores are never added or averaged: a unit's history is shown only for the years its
--   territory was one whole unit (Hà Nội), not for a province made of several.
with unit_names as (
    -- the name in force at the end of the year
    select
        unit_code,
        formed_on,
        name as unit_name,
        row_number() over (
            partition by unit_code, formed_on
            order by
                case when valid_from <= cast(cast($year as varchar) || '-12-31' as date) then 0 else 1 end,
                valid_from desc
        ) as pick
    from units
)

select
    f.unit_code,
    n.unit_name,
    cast($year as integer) as year,
    f.area_code,
    f.area_name_vi,
    cast(f.score as double) as score,
    cast(f.max_points as double) as max_points,
    cast(f.area_index as double) as area_index,
    cast(f.index_pct as double) as index_pct,
    f.rank,
    f.rank_change,
    f.ranked_units
from par_ranked as f
left join unit_names as n on n.unit_code = f.unit_code and n.formed_on = f.unit_formed_on and n.pick = 1
where $scope is null or array_contains($scope, f.unit_code)
order by n.unit_name collate vi, f.unit_code, f.is_total, f.area_code
