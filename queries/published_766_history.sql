-- name: published_766_history
-- description: The portal's Decision 766 scores of units over time, week by week, for a trend: every period's snapshots, the break between scoring versions marked.
-- grain: one row per unit × period × week: the latest snapshot (as_of) of the unit's score for the period read in that week
-- key: unit_code, period_start, week_start
-- params: level VARCHAR = 'province' (province|department|commune); province_code VARCHAR = NULL; unit_code VARCHAR = NULL;
--         period VARCHAR = 'year' (year|quarter|month); from_year INTEGER = NULL; to_year INTEGER = NULL
-- uses: published_766_rows
-- columns: unit_code, portal_code, unit_name, period_start, period_label, week_start, as_of, total_score, rank, n_ranked,
--          published_rank, ckmb, tdgq, clgq, tttt, mdsh, mdhl, scoring_version, version_break
-- source: National public service portal (dichvucong.gov.vn), "Đánh giá chất lượng phục vụ người dân, doanh
--   nghiệp" (Văn phòng Chính phủ), as loaded with `python -m etl load published_766 FILE`.
-- method: Scores as published (see published_766). A running period's score changes as the portal is read
--   day after day; each row is the latest snapshot read in one week (week_start, Monday) for that period,
--   so a weekly trend shows how the period's score moved. rank is the competition rank of total_score in
--   the list the snapshot came from (the 34 provinces, or the province's units of the same level) and
--   n_ranked the number of units ranked there (a typed table listing a few units ranks them among
--   themselves: n_ranked says so); a province's own score printed above its units (an archive of one
--   province) has no rank. published_rank is the rank the portal printed, where the file has it. Method versions: scoring_version is `766-portal-<year>`: each year's
--   scores are their own version (the portal re-platformed in 2026, and its 2026 scores run about 20–25
--   points below 2025's for the same provinces: e.g. Thái Nguyên 86.97, first of 34 on 29 August 2025;
--   63.97, eleventh on 10 October 2026). version_break is true on the first row of a unit's series whose
--   version differs from the row before: a chart draws no line across it. unit_name is the unit's name
--   on as_of.
with scored as (
    select s.*
    from published_766_rows as s
    where
        s.period_type = $period
        and ($from_year is null or s.year >= $from_year)
        and ($to_year is null or s.year <= $to_year)
),

list_ranks as (
    -- rank within the list a snapshot was published in (same day, period, level and province)
    select
        unit_code,
        period_start,
        as_of,
        listing,
        rank() over (
            partition by period_start, as_of, level, rank_group, listing order by total_score desc
        ) as score_rank,
        count(*) over (partition by period_start, as_of, level, rank_group, listing) as n_in_list
    from scored
    where listing <> 'province_overview'
),

asked as (
    select
        s.*,
        cast(date_trunc('week', s.as_of) as date) as week_start
    from scored as s
    where
        s.level = $level
        and ($province_code is null or s.province_code = $province_code)
        and ($unit_code is null or s.unit_code = $unit_code)
),

weekly as (
    -- the latest snapshot of each week; a province's own list row before its overview row of the same day
    select
        a.*,
        row_number() over (
            partition by a.unit_code, a.period_start, a.week_start
            order by a.as_of desc, case a.listing when 'province_overview' then 1 else 0 end
        ) as row_in_week
    from asked as a
),

versioned as (
    select
        w.*,
        '766-portal-' || cast(year(w.period_start) as varchar) as scoring_version
    from weekly as w
    where w.row_in_week = 1
),

with_previous as (
    select
        v.*,
        lag(v.scoring_version) over (partition by v.unit_code order by v.as_of, v.period_start) as previous_version
    from versioned as v
),

unit_names as (
    select
        s.unit_code,
        s.as_of,
        max(case when u.valid_from <= s.as_of and (u.valid_to is null or u.valid_to >= s.as_of) then u.name end)
            as name_then,
        max(u.name) as any_name
    from versioned as s
    inner join units as u on u.unit_code = s.unit_code
    group by s.unit_code, s.as_of
)

select
    p.unit_code,
    p.portal_code,
    coalesce(n.name_then, n.any_name) as unit_name,
    p.period_start,
    p.period_label,
    p.week_start,
    p.as_of,
    p.total_score,
    cast(r.score_rank as integer) as rank,
    cast(r.n_in_list as integer) as n_ranked,
    cast(p.published_rank as integer) as published_rank,
    p.ckmb,
    p.tdgq,
    p.clgq,
    p.tttt,
    p.mdsh,
    p.mdhl,
    p.scoring_version,
    coalesce(p.previous_version <> p.scoring_version, false) as version_break
from with_previous as p
left join list_ranks as r
    on r.unit_code = p.unit_code
    and r.period_start = p.period_start
    and r.as_of = p.as_of
    and r.listing = p.listing
left join unit_names as n on n.unit_code = p.unit_code and n.as_of = p.as_of
where $scope is null or array_contains($scope, p.unit_code)
order by p.unit_code, p.as_of, p.period_start
