-- name: published_index
-- description: Published yearly index results as typed from press releases and reports (PAR Index, SIPAS, PAPI, PCI): each province's value and rank, the national figure, and the PAR Index group.
-- grain: one row per province (or the national figure) × measure published for the index and year
-- key: geography, province_name, measure_code
-- params: index VARCHAR (required) (PAR|SIPAS|PAPI|PCI); year INTEGER (required); province_code VARCHAR = NULL;
--         units VARCHAR = 'as_published' (as_published|current)
-- columns: index_code, year, geography, province_code, province_name, measure_code, measure_name, level, value, unit,
--          rank, band_code, band_name, source
-- source: As typed into `published_indices` (`python -m etl load published_index FILE`, template
--   docs/templates/chi-so-cong-bo.csv), each row with its own source (press release, report); PAR Index
--   groups from data/reference/par/bands.csv.
-- uses: annual_provinces
-- method: Values and ranks as published, blanks kept blank (not published, never 0); nothing is computed
--   but the band. unit: % for PAR Index and SIPAS, points for PAPI and PCI. geography national is the
--   national figure ("cả nước", "trung bình 63 tỉnh"), without a province or rank. level total is the index
--   itself, component an area, element or dimension as typed (measure_code: its slug). band_code and
--   band_name (Vietnamese) are the PAR Index group of the value where data/reference/par/bands.csv has
--   bands for the year (2024: A from 90 %, B from 80 % to under 90 %), for a province's total only (a
--   blank value has no band). Method
--   versions: PAR Index frameworks change (Decision 2948/QĐ-BNV 2017, 1150/QĐ-BNV 2019, 876/QĐ-BNV 2022),
--   SIPAS questionnaires (2017, 2022), PAPI its design (8 dimensions from 2018), PCI its sub-indices:
--   compare ranks within a year. Provinces are those of the year (typed by name or code, matched to the
--   units valid on 31 December: 52 is Bình Định in 2023). units = as_published: province_code and
--   province_name are the province of the year; current: province_code is the province of today's list it
--   is now part of, province_name stays the published province's, and each predecessor keeps its own value
--   and rank (never added or averaged). province_code filters on the code shown; the national rows come with
--   every province (a caller restricted to some units sees only their provinces' rows).
with rows_of_year as (
    select
        i.index_code,
        i.year,
        i.geography,
        i.province_code,
        i.province_published,
        i.measure_code,
        i.measure_name,
        i.level,
        i.value,
        i.rank,
        i.source
    from published_indices as i
    where i.index_code = $index and i.year = $year
),

bands as (
    select
        band_code,
        band_vi,
        min_pct,
        max_pct_exclusive
    from par_bands
    where year_from <= $year and (year_to is null or year_to >= $year)
),

shown as (
    select
        r.index_code,
        r.year,
        r.geography,
        case
            when $units = 'current' then coalesce(p.current_province_code, r.province_code)
            else r.province_code
        end as province_code,
        coalesce(p.province_name, r.province_published) as province_name,
        r.province_code as published_code,
        r.measure_code,
        r.measure_name,
        r.level,
        cast(r.value as double) as value,
        case when r.index_code in ('PAR', 'SIPAS') then '%' else 'points' end as unit,
        cast(r.rank as integer) as rank,
        b.band_code,
        b.band_vi as band_name,
        r.source
    from rows_of_year as r
    left join annual_provinces as p on p.province_code = r.province_code
    left join bands as b
        on r.index_code = 'PAR'
        and r.level = 'total'
        and r.geography = 'province'
        and r.value >= b.min_pct
        and (b.max_pct_exclusive is null or r.value < b.max_pct_exclusive)
)

select
    index_code,
    year,
    geography,
    province_code,
    province_name,
    measure_code,
    measure_name,
    level,
    value,
    unit,
    rank,
    band_code,
    band_name,
    source
from shown
where
    ($province_code is null or geography = 'national' or province_code = $province_code)
    and ($scope is null or array_contains($scope, province_code))
order by
    case level when 'total' then 0 else 1 end,
    measure_code,
    case geography when 'national' then 0 else 1 end,
    rank nulls last,
    province_code,
    published_code
