-- name: service_index_766_total
-- description: Decision 766 service index total per unit and period, with its band and rank.
-- grain: one row per unit × period, for units with a dossier or petition to count in the period
-- key: unit_code, period_start
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- columns: unit_code, period_start, total_points, band, rank, ranked_units, approximate
-- uses: service_766_metric_points
-- source: Decision 766/QĐ-TTg (23/6/2022); scoring and bands in data/reference/766/ (SOURCE.md)
-- method: total_points = the sum of the points of service_index_766 (same metrics, same definitions:
--   both read the building block queries/models/service_766_metric_points.sql); metrics without data
--   (empty points) are left out of the sum, not counted as 0. band = band_code of bands_766 whose
--   [min_points, max_points_exclusive) holds the total (≥ 90 excellent, < 50 weak; the middle bands are
--   configuration). rank = competition rank (ties share a rank, the next skips: 1, 1, 3) of the total,
--   highest first, among units of the same level (district, department or province) and province scope
--   in the period: districts and departments are ranked within their province, provinces nationally.
--   Totals are compared rounded to 6 decimals, so sums that differ only by floating-point error tie.
--   ranked_units = how many units the rank is among (a rank reads "rank of ranked_units"). approximate:
--   re-based to today's units through a split unit's weights. As published, the year 2025 shows a unit
--   for the part of it the unit existed in (period_start: its first day), ranked among the units of that
--   part. Rows are ordered by period, province, level (department before district), rank.
--   The total stays shown in the public mode: service_index_766 hides at least two metrics' points of a
--   unit when it hides one (docs/security.md, "Disclosure control").
with
totals as (
    select
        unit_code,
        level,
        province_code,
        period_start,
        sum(points) as total_points,
        max(case when approximate then 1 else 0 end) = 1 as approximate
    from service_766_metric_points
    group by unit_code, level, province_code, period_start
),

ranked as (
    select
        t.unit_code,
        t.level,
        t.province_code,
        t.period_start,
        t.total_points,
        case
            when t.total_points is not null then rank() over (
                partition by
                    t.period_start,
                    t.level,
                    case when t.level = 'province' then '' else t.province_code end,
                    t.total_points is null
                -- ties at 6 decimals: floor(x * 1e6 + 0.5) is bit-identical on DuckDB and Spark; round(x, 6) is not (docs/scaling.md)
                order by floor(t.total_points * 1000000 + 0.5) desc
            )
        end as total_rank,
        count(t.total_points) over (
            partition by t.period_start, t.level, case when t.level = 'province' then '' else t.province_code end
        ) as ranked_units,
        t.approximate
    from totals as t
),

final as (
    select
        r.unit_code,
        r.level,
        r.province_code,
        r.period_start,
        cast(r.total_points as double) as total_points,
        b.band_code as band,
        cast(r.total_rank as integer) as rank,
        cast(case when r.total_rank is not null then r.ranked_units end as integer) as ranked_units,
        r.approximate
    from ranked as r
    left join bands_766 as b
        on r.total_points >= b.min_points
        and (b.max_points_exclusive is null or r.total_points < b.max_points_exclusive)
)

select unit_code, period_start, total_points, band, rank, ranked_units, approximate
from final
where $scope is null or array_contains($scope, unit_code)
order by period_start, province_code, level, rank nulls last, unit_code
