-- name: par_index
-- description: PAR Index (Chỉ số CCHC) per unit: score and index of each area, and a total row with the index (%), rank and rank change.
-- grain: one row per unit × area of its framework, plus one row per unit with area_code = 'total'
-- params: year INTEGER (required); level VARCHAR = 'district' (province|district|department)
-- columns: unit_code, unit_name, year, area_code, area_name_vi, score, max_points, area_index, index_pct, rank, rank_change
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
--   the year (scores compared rounded to 6 decimals, so sums differing only by floating-point error
--   tie), rank_change = previous year's rank − this year's (positive = improved), only when the unit was
--   ranked under the same framework the year before, else empty. Area rows have empty index_pct, rank
--   and rank_change; the total row has an empty area_index. Units are those of `units` at the level.
with
unit_codes as (
    select distinct unit_code
    from units
    where level = $level
),

unit_names as (
    -- the name in force at the end of the year (else the latest one)
    select
        unit_code,
        name as unit_name,
        row_number() over (
            partition by unit_code
            order by
                case when valid_from <= cast(cast($year as varchar) || '-12-31' as date) then 0 else 1 end,
                valid_from desc
        ) as pick
    from units
    where level = $level
),

criteria as (
    select
        s.year,
        s.unit_code,
        s.framework,
        s.area_code,
        s.max_points,
        least(
            s.max_points,
            least(coalesce(s.appraised_points, 0), s.max_points) + least(coalesce(s.survey_points, 0), s.max_points)
        ) as score
    from par_scores as s
    inner join unit_codes as u on u.unit_code = s.unit_code
    where s.year = $year or s.year = $year - 1
),

area_sums as (
    select
        year,
        unit_code,
        framework,
        area_code,
        sum(score) as raw_score,
        sum(max_points) as criteria_max
    from criteria
    group by year, unit_code, framework, area_code
),

unit_frameworks as (
    select distinct year, unit_code, framework
    from criteria
),

unit_areas as (
    -- every area of the unit's framework, plus any area the scores name that the framework lacks
    select
        uf.year,
        uf.unit_code,
        uf.framework,
        f.area_code,
        f.area_name_vi,
        f.max_points as area_max
    from unit_frameworks as uf
    inner join par_frameworks as f on f.framework = uf.framework
    union all
    select
        a.year,
        a.unit_code,
        a.framework,
        a.area_code,
        cast(null as varchar) as area_name_vi,
        cast(null as double) as area_max
    from area_sums as a
    where not exists (
        select 1
        from par_frameworks as f
        where f.framework = a.framework and f.area_code = a.area_code
    )
),

areas as (
    select
        ua.year,
        ua.unit_code,
        ua.framework,
        ua.area_code,
        ua.area_name_vi,
        coalesce(ua.area_max, a.criteria_max) as max_points,
        case
            when a.raw_score is not null then least(a.raw_score, coalesce(ua.area_max, a.criteria_max))
        end as score
    from unit_areas as ua
    left join area_sums as a
        on a.year = ua.year
        and a.unit_code = ua.unit_code
        and a.framework = ua.framework
        and a.area_code = ua.area_code
),

totals as (
    select
        year,
        unit_code,
        framework,
        sum(score) as score,
        sum(max_points) as max_points
    from areas
    group by year, unit_code, framework
),

ranked as (
    select
        year,
        unit_code,
        framework,
        score,
        max_points,
        -- ties at 6 decimals: floor(x * 1e6 + 0.5) is bit-identical on DuckDB and Spark; round(x, 6) is not (docs/scaling.md)
        rank() over (partition by year, framework order by floor(score * 1000000 + 0.5) desc) as score_rank
    from totals
),

final as (
    select
        a.unit_code,
        a.area_code,
        a.area_name_vi,
        a.score,
        a.max_points,
        100.0 * a.score / nullif(a.max_points, 0) as area_index,
        cast(null as double) as index_pct,
        cast(null as integer) as rank,
        cast(null as integer) as rank_change,
        0 as is_total
    from areas as a
    where a.year = $year
    union all
    select
        cur.unit_code,
        'total' as area_code,
        cast(null as varchar) as area_name_vi,
        cur.score,
        cur.max_points,
        cast(null as double) as area_index,
        100.0 * cur.score / nullif(cur.max_points, 0) as index_pct,
        cast(cur.score_rank as integer) as rank,
        cast(prev.score_rank - cur.score_rank as integer) as rank_change,
        1 as is_total
    from ranked as cur
    left join ranked as prev
        on prev.unit_code = cur.unit_code
        and prev.framework = cur.framework
        and prev.year = cur.year - 1
    where cur.year = $year
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
    f.rank_change
from final as f
left join unit_names as n on n.unit_code = f.unit_code and n.pick = 1
where $scope is null or array_contains($scope, f.unit_code)
order by n.unit_name collate vi, f.unit_code, f.is_total, f.area_code
