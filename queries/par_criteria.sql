-- name: par_criteria
-- description: PAR Index criteria of one unit and year: self-assessed, appraised and survey points, the capped score and the points lost, with the area each belongs to.
-- grain: one row per criterion of the unit's scores in the year (optionally of one area)
-- key: criterion_code
-- params: year INTEGER (required); unit_code VARCHAR (required); area_code VARCHAR = NULL
-- columns: unit_code, year, framework, area_code, area_name_vi, area_name_en, criterion_code, max_points,
--          self_points, appraised_points, survey_points, score, points_lost, capped
-- source: Decision 2948/QĐ-BNV (2017), 1150/QĐ-BNV (2019), 876/QĐ-BNV (2022) and provincial frameworks; data/reference/par/
-- method: Criterion score as par_index: least(max, least(appraised, max) + least(survey, max)), an empty
--   part counting 0 and self-assessed points never counting. points_lost = max − score. capped is true when
--   a part or their sum exceeded the maximum and was cut to it. Area names come from par_frameworks (empty
--   for an area the framework lacks). Sorted by area, then criterion, numerically (3.2 before 3.10).
with criteria as (
    select
        s.unit_code,
        s.year,
        s.framework,
        s.area_code,
        s.criterion_code,
        s.max_points,
        s.self_points,
        s.appraised_points,
        s.survey_points,
        least(
            s.max_points,
            least(coalesce(s.appraised_points, 0), s.max_points) + least(coalesce(s.survey_points, 0), s.max_points)
        ) as score,
        coalesce(s.appraised_points, 0) > s.max_points
        or coalesce(s.survey_points, 0) > s.max_points
        or coalesce(s.appraised_points, 0) + coalesce(s.survey_points, 0) > s.max_points as capped
    from par_scores as s
    where
        s.year = $year
        and s.unit_code = $unit_code
        and ($area_code is null or s.area_code = $area_code)
),

final as (
    select
        c.unit_code,
        cast(c.year as integer) as year,
        c.framework,
        c.area_code,
        f.area_name_vi,
        f.area_name_en,
        c.criterion_code,
        cast(c.max_points as double) as max_points,
        cast(c.self_points as double) as self_points,
        cast(c.appraised_points as double) as appraised_points,
        cast(c.survey_points as double) as survey_points,
        cast(c.score as double) as score,
        cast(c.max_points - c.score as double) as points_lost,
        c.capped
    from criteria as c
    left join par_frameworks as f on f.framework = c.framework and f.area_code = c.area_code
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by length(area_code), area_code, length(criterion_code), criterion_code
