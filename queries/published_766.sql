-- name: published_766
-- description: The Decision 766 scores the national public service portal publishes, as published: the latest snapshot of a period for the 34 provinces, or for one level of units inside each province, with the total, its rank and the six groups.
-- grain: one row per unit of the level asked for, in the latest snapshot (as_of) of the period shown
-- key: unit_code
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month); period_number INTEGER = NULL;
--         level VARCHAR = 'province' (province|department|commune); province_code VARCHAR = NULL; as_of DATE = NULL;
--         units VARCHAR = 'as_published' (as_published|current)
-- uses: published_766_rows, province_successors
-- columns: unit_code, portal_code, unit_name, as_of, total_score, rank, ckmb, tdgq, clgq, tttt, mdsh, mdhl
-- source: National public service portal (Cổng Dịch vụ công quốc gia, dichvucong.gov.vn), "Đánh giá chất
--   lượng phục vụ người dân, doanh nghiệp" (Văn phòng Chính phủ): the service-results JSON, archived lists
--   of a province's units, or tables typed from the portal (`python -m etl load published_766 FILE`).
-- method: Scores as published (points of 100; groups ckmb công khai minh bạch of 18, tdgq tiến độ giải
--   quyết of 20, clgq dịch vụ công trực tuyến of 12 (keyed CLGQ or ONLINE), tttt thanh toán trực tuyến of
--   10, mdsh số hóa hồ sơ of 22, mdhl mức độ hài lòng of 18; the groups add up to the total within
--   rounding). The period is the year, or the quarter or month period_number of it; without
--   period_number, the latest one with scores. A running period is read on several days: the rows are the
--   latest snapshot (as_of, the day the portal was read; the latest on or before the as_of parameter when
--   given) of the 34 provinces, or, below the province, of each province's list of units (a province's
--   own score shown above its units is not in a ranking: see published_766_history). rank = competition
--   rank (ties share a rank, the next skips) of total_score, highest first, among the 34 provinces, or
--   among the units of the level in the same province, as listed in that snapshot (a typed table listing a
--   few provinces ranks them among themselves); the portal's own printed rank is kept in the lake
--   (published_rank). unit_code is the NSO code of the unit the portal's name was matched to on as_of
--   (etl/unit_names.py), portal_code the portal's own code (H21, H21.100). Method versions: each year's
--   scores are their own version (the portal re-platformed in 2026 and its 2026 scores run about 20–25
--   points below 2025's for the same provinces): compare ranks within a period, and see
--   published_766_history for series across the break. units = as_published: unit_name is the unit's
--   name on as_of; current: its name today, and a province of before 1 July 2025 is listed under the
--   province it is part of today (its own score and rank, never combined with others).
with candidates as (
    select s.*
    from published_766_rows as s
    where
        s.year = $year
        and s.period_type = $period
        and s.level = $level
        and s.listing <> 'province_overview'
        and ($as_of is null or s.as_of <= $as_of)
        and ($province_code is null or s.province_code = $province_code)
        and (
            $period_number is null
            or $period = 'year'
            or ($period = 'quarter' and month(s.period_start) = 3 * $period_number - 2)
            or ($period = 'month' and month(s.period_start) = $period_number)
        )
),

shown_period as (
    select max(period_start) as period_start
    from candidates
),

in_period as (
    select c.*
    from candidates as c
    inner join shown_period as p on p.period_start = c.period_start
),

latest as (
    select
        rank_group,
        max(as_of) as as_of
    from in_period
    group by rank_group
),

snapshot as (
    select
        i.*,
        rank() over (partition by i.rank_group order by i.total_score desc) as score_rank
    from in_period as i
    inner join latest as l on l.rank_group = i.rank_group and l.as_of = i.as_of
),

unit_names as (
    -- the unit's name on the snapshot's day, and its latest name
    select
        s.unit_code,
        s.as_of,
        max(case when u.valid_from <= s.as_of and (u.valid_to is null or u.valid_to >= s.as_of) then u.name end)
            as name_then,
        max(case when u.valid_to is null then u.name end) as name_now,
        max(u.name) as any_name
    from snapshot as s
    inner join units as u on u.unit_code = s.unit_code
    group by s.unit_code, s.as_of
),

final as (
    select
        case
            when $units = 'current' and s.as_of < cast('2025-07-01' as date)
                then coalesce(c.new_code, s.unit_code)
            else s.unit_code
        end as unit_code,
        s.portal_code,
        case
            when $units = 'current' then coalesce(n.name_now, n.name_then, n.any_name)
            else coalesce(n.name_then, n.any_name)
        end as unit_name,
        s.as_of,
        s.total_score,
        cast(s.score_rank as integer) as rank,
        s.ckmb,
        s.tdgq,
        s.clgq,
        s.tttt,
        s.mdsh,
        s.mdhl,
        s.rank_group,
        s.unit_code as published_code
    from snapshot as s
    left join unit_names as n on n.unit_code = s.unit_code and n.as_of = s.as_of
    left join province_successors as c on c.old_code = s.unit_code
)

select
    unit_code,
    portal_code,
    unit_name,
    as_of,
    total_score,
    rank,
    ckmb,
    tdgq,
    clgq,
    tttt,
    mdsh,
    mdhl
from final
where $scope is null or array_contains($scope, unit_code)
order by rank_group, rank, published_code
