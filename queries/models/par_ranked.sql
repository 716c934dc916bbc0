-- name: par_ranked
-- description: Building block of par_index and targets_gap (not a public query): each reported unit's PAR
--   Index area scores and total, with the total's rank, rank change and how many units it is ranked among.
-- grain: one row per reported unit (unit_code × unit_formed_on) × area of its framework, plus a total row
-- params: year INTEGER (required); level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: report_units
-- columns: unit_code, unit_formed_on, area_code, area_name_vi, score, max_points, area_index, index_pct,
--          rank, rank_change, ranked_units, is_total
-- method: see par_index.
with
-- each score row's unit: the unit its code named in the score's year (the one in force at the year's
-- end when the code named two), for the year asked for and the year before (rank change)
score_units as (
    select year, unit_code, formed_on
    from (
        select
            s.year,
            s.unit_code,
            u.formed_on,
            row_number() over (partition by s.year, s.unit_code order by u.valid_from desc) as newest
        from (select distinct year, unit_code from par_scores where year = $year or year = $year - 1) as s
        inner join units as u
            on
                u.unit_code = s.unit_code
                and u.valid_from <= cast(cast(s.year as varchar) || '-12-31' as date)
                and (u.valid_to is null or u.valid_to >= cast(cast(s.year as varchar) || '-01-01' as date))
    ) as ranked
    where newest = 1
),

-- the unit each scored unit is reported under; scores and ranks are never added or averaged across
-- units, so in today's units a unit is shown only for the years it is the one, whole predecessor of
-- today's unit. A score is of its own level: a district's or a department's PAR Index is never part of
-- its province's (as published, only units of the level asked for; in today's units, at province level
-- only provinces)
mapped as (
    select
        su.year,
        su.unit_code,
        su.formed_on,
        r.report_code,
        r.report_formed_on,
        r.report_province_code
    from score_units as su
    inner join report_units as r on r.unit_code = su.unit_code and r.formed_on = su.formed_on
    where r.level = $level or ($units = 'current' and $level != 'province')
),

whole as (
    select year, report_code, report_formed_on
    from mapped
    group by year, report_code, report_formed_on
    having count(*) = 1
),

reported as (
    select m.year, m.unit_code, m.report_code, m.report_formed_on, m.report_province_code
    from mapped as m
    inner join whole as w
        on w.year = m.year and w.report_code = m.report_code and w.report_formed_on = m.report_formed_on
    inner join report_units as r
        on
            r.unit_code = m.unit_code
            and r.formed_on = m.formed_on
            and r.report_code = m.report_code
            and r.report_formed_on = m.report_formed_on
    where r.weight = 1 and not r.approximate
),

criteria as (
    select
        s.year,
        r.report_code as unit_code,
        r.report_formed_on as unit_formed_on,
        r.report_province_code as province_code,
        s.framework,
        s.area_code,
        s.max_points,
        least(
            s.max_points,
            least(coalesce(s.appraised_points, 0), s.max_points) + least(coalesce(s.survey_points, 0), s.max_points)
        ) as score
    from par_scores as s
    inner join reported as r on r.year = s.year and r.unit_code = s.unit_code
    where s.year = $year or s.year = $year - 1
),
area_sums as (
    select
        year,
        unit_code,
        unit_formed_on,
        framework,
        area_code,
        sum(score) as raw_score,
        sum(max_points) as criteria_max
    from criteria
    group by year, unit_code, unit_formed_on, framework, area_code
),

unit_frameworks as (
    select distinct year, unit_code, unit_formed_on, province_code, framework
    from criteria
),

unit_areas as (
    -- every area of the unit's framework, plus any area the scores name that the framework lacks
    select
        uf.year,
        uf.unit_code,
        uf.unit_formed_on,
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
        a.unit_formed_on,
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
        ua.unit_formed_on,
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
        and a.unit_formed_on = ua.unit_formed_on
        and a.framework = ua.framework
        and a.area_code = ua.area_code
),

totals as (
    select
        a.year,
        a.unit_code,
        a.unit_formed_on,
        uf.province_code,
        a.framework,
        sum(a.score) as score,
        sum(a.max_points) as max_points
    from areas as a
    inner join unit_frameworks as uf
        on
            uf.year = a.year
            and uf.unit_code = a.unit_code
            and uf.unit_formed_on = a.unit_formed_on
            and uf.framework = a.framework
    group by a.year, a.unit_code, a.unit_formed_on, uf.province_code, a.framework
),

-- ranked among the units of the same framework, and below province level of the same province: a rank
-- compares units assessed on the same scale by the same province
ranked as (
    select
        year,
        unit_code,
        unit_formed_on,
        framework,
        score,
        max_points,
        -- ties at 6 decimals: floor(x * 1e6 + 0.5) is bit-identical on DuckDB and Spark; round(x, 6) is not (docs/scaling.md)
        rank() over (
            partition by year, framework, case when $level = 'province' then '' else province_code end
            order by floor(score * 1000000 + 0.5) desc
        ) as score_rank,
        count(score) over (
            partition by year, framework, case when $level = 'province' then '' else province_code end
        ) as ranked_units
    from totals
)

select
    a.unit_code,
    a.unit_formed_on,
    a.area_code,
    a.area_name_vi,
    a.score,
    a.max_points,
    100.0 * a.score / nullif(a.max_points, 0) as area_index,
    cast(null as double) as index_pct,
    cast(null as integer) as rank,
    cast(null as integer) as rank_change,
    cast(null as integer) as ranked_units,
    0 as is_total
from areas as a
where a.year = $year
union all
select
    cur.unit_code,
    cur.unit_formed_on,
    'total' as area_code,
    cast(null as varchar) as area_name_vi,
    cur.score,
    cur.max_points,
    cast(null as double) as area_index,
    100.0 * cur.score / nullif(cur.max_points, 0) as index_pct,
    cast(cur.score_rank as integer) as rank,
    cast(prev.score_rank - cur.score_rank as integer) as rank_change,
    cast(cur.ranked_units as integer) as ranked_units,
    1 as is_total
from ranked as cur
left join ranked as prev
    on prev.unit_code = cur.unit_code
    and prev.unit_formed_on = cur.unit_formed_on
    and prev.framework = cur.framework
    and prev.year = cur.year - 1
where cur.year = $year
