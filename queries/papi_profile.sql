-- name: papi_profile
-- description: One province's PAPI measures for a year (total, dimensions, sub-dimensions) with its rank and the best performer's score alongside.
-- grain: one row per measure published that year (a row with an empty score when the province's value is missing)
-- key: measure_code
-- params: year INTEGER (required); province_code VARCHAR (required)
-- columns: province_code, province_name, year, measure_code, measure_name_vi, measure_name_en, parent_code,
--          level, score, rank, n_provinces, best_score, best_province_code, best_province_name, best_count
-- source: PAPI (CECODES, VFF-CRT/RTA, UNDP Viet Nam), papi.org.vn; 2011–2016 from data/reference/papi/ (see its SOURCE.md)
-- method: Scores as published. rank = competition rank of the province's score (highest first, ties share a
--   rank, as papi) among the n_provinces provinces with a score for the measure that year; empty when the
--   province's score is missing (kept missing, never zero). best_score = the highest score of the measure
--   that year; best_province_code/name = the province holding it (the lowest code when several tie;
--   best_count says how many share it). Names are the province names valid during the year in `units`,
--   else the latest. Measure names as published (papi_scores). Sorted total first, then each dimension
--   followed by its sub-dimensions, in code order.
with year_scores as (
    select
        province_code,
        measure_code,
        measure_name_vi,
        measure_name_en,
        parent_code,
        level,
        score
    from papi_scores
    where year = $year
),

measures as (
    select
        measure_code,
        max(measure_name_vi) as measure_name_vi,
        max(measure_name_en) as measure_name_en,
        max(parent_code) as parent_code,
        max(level) as level
    from year_scores
    group by measure_code
),

ranked as (
    select
        province_code,
        measure_code,
        score,
        rank() over (partition by measure_code order by score desc) as score_rank,
        count(*) over (partition by measure_code) as n_scored
    from year_scores
    where score is not null
),

best as (
    select
        measure_code,
        min(province_code) as best_province_code,
        max(score) as best_score,
        count(*) as best_count
    from ranked
    where score_rank = 1
    group by measure_code
),

names as (
    select
        unit_code,
        coalesce(
            max(
                case
                    when valid_from <= cast(cast($year as varchar) || '-12-31' as date)
                        and (valid_to is null or valid_to >= cast(cast($year as varchar) || '-01-01' as date))
                        then name
                end
            ),
            max(name)
        ) as province_name
    from units
    where level = 'province'
    group by unit_code
),

final as (
    select
        cast($province_code as varchar) as province_code,
        n.province_name,
        cast($year as integer) as year,
        m.measure_code,
        m.measure_name_vi,
        m.measure_name_en,
        m.parent_code,
        m.level,
        cast(s.score as double) as score,
        cast(r.score_rank as integer) as rank,
        cast(n_all.n_scored as integer) as n_provinces,
        cast(b.best_score as double) as best_score,
        b.best_province_code,
        bn.province_name as best_province_name,
        cast(b.best_count as integer) as best_count,
        case m.level when 'total' then 0 else 1 end as level_order,
        case when m.level = 'dimension' then m.measure_code else coalesce(m.parent_code, m.measure_code) end
            as dimension_order,
        case when m.level = 'sub_dimension' then 1 else 0 end as sub_order
    from measures as m
    left join year_scores as s on s.measure_code = m.measure_code and s.province_code = $province_code
    left join ranked as r on r.measure_code = m.measure_code and r.province_code = $province_code
    left join (select distinct measure_code, n_scored from ranked) as n_all on n_all.measure_code = m.measure_code
    left join best as b on b.measure_code = m.measure_code
    left join names as n on n.unit_code = $province_code
    left join names as bn on bn.unit_code = b.best_province_code
)

select
    province_code,
    province_name,
    year,
    measure_code,
    measure_name_vi,
    measure_name_en,
    parent_code,
    level,
    score,
    rank,
    n_provinces,
    best_score,
    best_province_code,
    best_province_name,
    best_count
from final
where $scope is null or array_contains($scope, province_code)
order by level_order, dimension_order, sub_order, measure_code
