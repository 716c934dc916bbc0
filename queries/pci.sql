-- name: pci
-- description: The Provincial Competitiveness Index (PCI, VCCI) of one year as published: each province's weighted index with its published rank, and its sub-indices.
-- grain: one row per province × PCI measure published that year
-- key: province_code, province_name, measure_code
-- params: year INTEGER (required); province_code VARCHAR = NULL; units VARCHAR = 'as_published' (as_published|current)
-- columns: province_code, province_name, year, measure_code, level, score, rank
-- source: PCI, VCCI (pcivietnam.org): the yearly workbooks 2005–2018 in data/reference/pci/ (see its
--   SOURCE.md), and any later workbook loaded with `python -m etl load pci FILE`.
-- uses: annual_provinces
-- method: Scores as published: `level` total is the weighted PCI (measure pci, 0–100), sub_index a
--   sub-index (0–10). rank on the total row is the rank VCCI published; on a sub-index row it is computed:
--   the competition rank (ties share a rank, the next one skips) of the score, highest first, among the
--   provinces with a score for it that year. Method versions and breaks: the sub-indices and their weights
--   changed over the years (2005: 42 provinces, 9 sub-indices with implementation of central policies and
--   SOE bias; 2006: 64 provinces, labour training and legal institutions added; 2009: SOE bias dropped;
--   2013: policy bias added), so ranks compare within a year and weighted scores are not chained across
--   years as one series. Provinces are those of the year (matched by name to the units valid on 31
--   December, e.g. 52 is Bình Định in 2023); Hà Tây (2005–2008) is not in the units list and is not shown
--   (its rows are quarantined). units = as_published: province_code and province_name are the province of
--   the year. units = current: province_code is the province of today's list the province is now part of
--   (Bình Định 2023 is listed under 52 Gia Lai, beside Gia Lai's own row), and province_name stays the
--   published province's name: each predecessor keeps its own score and rank, which are never added or
--   averaged into a figure for today's province. province_code filters on the code shown.
with year_scores as (
    select
        province_code,
        measure_code,
        level,
        score,
        published_rank
    from pci_scores
    where year = $year
),

computed_ranks as (
    -- competition rank among the provinces with a score, per sub-index
    select
        province_code,
        measure_code,
        rank() over (partition by measure_code order by score desc) as score_rank
    from year_scores
    where score is not null and level = 'sub_index'
),

shown as (
    select
        case
            when $units = 'current' then coalesce(p.current_province_code, s.province_code)
            else s.province_code
        end as province_code,
        coalesce(p.province_name, s.province_code) as province_name,
        s.province_code as published_code,
        s.measure_code,
        s.level,
        cast(s.score as double) as score,
        cast(
            case when s.level = 'total' then s.published_rank else r.score_rank end as integer
        ) as rank
    from year_scores as s
    left join annual_provinces as p on p.province_code = s.province_code
    left join computed_ranks as r
        on r.province_code = s.province_code
        and r.measure_code = s.measure_code
)

select
    province_code,
    province_name,
    cast($year as integer) as year,
    measure_code,
    level,
    score,
    rank
from shown
where
    ($province_code is null or province_code = $province_code)
    and ($scope is null or array_contains($scope, province_code))
order by
    case level when 'total' then 0 else 1 end,
    measure_code,
    rank nulls last,
    province_code,
    published_code
