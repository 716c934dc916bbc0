-- name: papi
-- description: PAPI provincial scores (dimensions, sub-dimensions, total) for one year, with each province's rank and quartile group per measure.
-- grain: one row per province × measure published that year
-- key: province_code, province_name, measure_code
-- params: year INTEGER (required); province_code VARCHAR = NULL; units VARCHAR = 'as_published' (as_published|current)
-- columns: province_code, province_name, year, measure_code, level, score, rank, quartile_group, quartile_label_vi,
--          quartile_label_en, n_ranked, method_version
-- source: PAPI (CECODES, VFF-CRT/RTA, UNDP Viet Nam), papi.org.vn; 2011–2016 from the official workbook and
--   2017–2024 from a transcription cross-checked against it, both in data/reference/papi/ (see its SOURCE.md)
-- method: Scores as published (a dimension is the sum of its sub-dimensions; the total, measure
--   papi_total, the sum of the dimensions: 6 dimensions to 2017, max 60; 8 from 2018, max 80).
--   rank = competition rank (ties share a rank, the next rank skips: 1, 1, 3) of the score, highest
--   first, among the provinces with a score for that measure and year. quartile_group = 1 + floor(4 ×
--   (rank − 1) / n), n = provinces with a score: with 63 provinces ranks 1–16 are group 1 (Cao / High),
--   17–32 group 2 (Trung bình cao / High average), 33–48 group 3 (Trung bình thấp / Low average), 49–63
--   group 4 (Thấp / Low); tied provinces share a group. Province-years published as missing are kept
--   as rows with an empty score, rank and group (never zero): a province that PAPI covers in any year
--   and that existed that year (per `units`) gets a row for every measure of the year. quartile_label_vi
--   and quartile_label_en are the labels of quartile_group; n_ranked is n, the number of provinces the
--   rank is taken among (ranks are computed, not PAPI's printed ones: in a year with provinces missing
--   they can differ by a place or two). Method versions: method_version is `PAPI 2011 (6 dimensions)` up
--   to 2017 and `PAPI 2018 (8 dimensions)` from 2018, when PAPI added environmental governance and
--   e-governance and re-composed three dimensions (new measure codes from 2018; the total keeps the code
--   papi_total but 2018+ totals are not comparable with earlier ones). units = as_published:
--   province_code is the province of the year; current: the province of today's list it is part of
--   (unit_crosswalk), province_name staying the published province's, each keeping its own score and
--   rank (never combined). province_code filters on the code shown.
with
year_measures as (
    -- the measures published in the year, with their level
    select distinct measure_code, level
    from papi_scores
    where year = $year
),

covered_provinces as (
    select distinct province_code
    from papi_scores
),

province_rows as (
    -- the province's rows in `units` that were valid during the year
    select
        unit_code,
        name,
        valid_from,
        case
            when valid_from <= cast(cast($year as varchar) || '-12-31' as date)
                and (valid_to is null or valid_to >= cast(cast($year as varchar) || '-01-01' as date))
                then 1
            else 0
        end as valid_in_year
    from units
    where level = 'province'
),

provinces as (
    -- provinces PAPI covers that existed in the year (a code unknown to `units` is kept)
    select
        c.province_code,
        max(case when p.valid_in_year = 1 then p.name end) as province_name,
        max(p.name) as any_name,
        max(p.valid_in_year) as valid_in_year
    from covered_provinces as c
    left join province_rows as p on p.unit_code = c.province_code
    group by c.province_code
),

grid as (
    select
        p.province_code,
        coalesce(p.province_name, p.any_name) as province_name,
        m.measure_code,
        m.level
    from provinces as p
    cross join year_measures as m
    where p.valid_in_year is null or p.valid_in_year = 1
),

scored as (
    select
        g.province_code,
        g.province_name,
        g.measure_code,
        g.level,
        s.score
    from grid as g
    left join papi_scores as s
        on s.year = $year
        and s.province_code = g.province_code
        and s.measure_code = g.measure_code
),

ranked as (
    -- competition rank among the provinces with a score, per measure
    select
        province_code,
        measure_code,
        rank() over (partition by measure_code order by score desc) as score_rank,
        count(*) over (partition by measure_code) as n_scored
    from scored
    where score is not null
),

successors as (
    -- today's province of a province of before the 1 July 2025 reform
    select
        old_code,
        min(new_code) as new_code
    from unit_crosswalk
    where
        old_level = 'province'
        and new_level = 'province'
        and effective > cast(cast($year as varchar) || '-12-31' as date)
    group by old_code
),

final as (
    select
        case
            when $units = 'current' then coalesce(c.new_code, s.province_code)
            else s.province_code
        end as province_code,
        s.province_code as published_code,
        s.province_name,
        cast($year as integer) as year,
        s.measure_code,
        s.level,
        cast(s.score as double) as score,
        cast(r.score_rank as integer) as rank,
        cast(floor(4.0 * (r.score_rank - 1) / nullif(r.n_scored, 0)) + 1 as integer) as quartile_group,
        cast(n.n_scored as integer) as n_ranked,
        case when $year >= 2018 then 'PAPI 2018 (8 dimensions)' else 'PAPI 2011 (6 dimensions)' end
            as method_version
    from scored as s
    left join ranked as r
        on r.province_code = s.province_code
        and r.measure_code = s.measure_code
    left join (select distinct measure_code, n_scored from ranked) as n on n.measure_code = s.measure_code
    left join successors as c on c.old_code = s.province_code
)

select
    province_code,
    province_name,
    year,
    measure_code,
    level,
    score,
    rank,
    quartile_group,
    case quartile_group
        when 1 then 'Cao'
        when 2 then 'Trung bình cao'
        when 3 then 'Trung bình thấp'
        when 4 then 'Thấp'
    end as quartile_label_vi,
    case quartile_group
        when 1 then 'High'
        when 2 then 'High average'
        when 3 then 'Low average'
        when 4 then 'Low'
    end as quartile_label_en,
    n_ranked,
    method_version
from final
where
    ($province_code is null or province_code = $province_code)
    and ($scope is null or array_contains($scope, province_code))
order by
    case level when 'total' then 0 when 'dimension' then 1 else 2 end,
    measure_code,
    rank nulls last,
    province_code,
    published_code
