-- name: published_years
-- description: The years each published index has results for (the portal's 766 scores, PAR Index, SIPAS, PAPI, PCI), with the latest marked: for one province, the years it has a published value.
-- grain: one row per index × year with a published value (for province_code, a value of that province)
-- key: index_code, year
-- params: province_code VARCHAR = NULL; units VARCHAR = 'as_published' (as_published|current)
-- uses: province_successors
-- columns: index_code, year, provinces_published, latest
-- source: published_766_scores (the portal), published_indices (typed from the press), papi_scores,
--   pci_scores; see published_766, published_index, papi and pci.
-- method: index_code is 766 (the portal's province scores, any period of the year, a province's own score
--   shown above its units included), PAR or SIPAS (typed), PAPI (papi_total with a score, and typed PAPI
--   figures) or PCI (the weighted index, and typed PCI figures). provinces_published = the number of provinces with a value for the index that year, as
--   published (63 up to 2024, 34 from 2025; the national figure is not a province). latest is true on the
--   index's newest year in the rows returned. With province_code, only the years in which that province has
--   a value: under units = as_published the province of the year (52 in 2023 is Bình Định), under current
--   the province of today's list, so 52 finds the years of Bình Định and of the former Gia Lai (64), each a
--   value of its own (see the index's query for them, with units = current). A year where a typed table
--   gives a province only a rank, no value, counts too (the rank is published).
-- scope: none
with published as (
    select
        '766' as index_code,
        year,
        province_code
    from published_766_scores
    where level = 'province'
    union all
    select
        index_code,
        year,
        province_code
    from published_indices
    where geography = 'province' and (value is not null or rank is not null)
    union all
    select
        'PAPI' as index_code,
        year,
        province_code
    from papi_scores
    where measure_code = 'papi_total' and score is not null
    union all
    select
        'PCI' as index_code,
        year,
        province_code
    from pci_scores
    where measure_code = 'pci' and score is not null
),

listed as (
    select
        p.index_code,
        p.year,
        p.province_code,
        case
            when $units = 'current' and cast(cast(p.year as varchar) || '-12-31' as date) < s.effective
                then s.new_code
            else p.province_code
        end as listed_code
    from published as p
    left join province_successors as s on s.old_code = p.province_code
),

per_year as (
    select
        index_code,
        year,
        count(distinct province_code) as provinces_published,
        max(case when listed_code = $province_code then 1 else 0 end) as has_province
    from listed
    group by index_code, year
),

kept as (
    select *
    from per_year
    where $province_code is null or has_province = 1
)

select
    index_code,
    cast(year as integer) as year,
    cast(provinces_published as integer) as provinces_published,
    year = max(year) over (partition by index_code) as latest
from kept
order by index_code, year desc
