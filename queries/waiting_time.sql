-- name: waiting_time
-- description: Waiting time at the one-stop counter per unit and period, from the dossiers' waiting minutes and from the ticket machines' queue tickets: visits, mean, median and 90th percentile minutes, and the share within the target.
-- grain: one row per unit × period × source (dossiers, queue_tickets), for units with a wait recorded in the period
-- key: unit_code, period_start, source
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL;
--         target_minutes DOUBLE = 30
-- uses: dossier_facts, period_bounds, report_units, report_unit_names
-- columns: unit_code, unit_name, period_start, source, visits, not_called, mean_wait_minutes,
--          median_wait_minutes, p90_wait_minutes, within_target_share, target_minutes, approximate
-- source: dossier exports (Thời gian chờ (phút)) and queue-ticket exports of the ticket machines at one-stop
--         counters (lấy số thứ tự); the 30-minute target for a visit is Hà Nội's (its reform plans)
-- disclosure: counts visits, not_called; group visits, not_called by parent(unit_code), period_start, source;
--   group visits, not_called by unit_code, source; within_target_share share of visits;
--   mean_wait_minutes, median_wait_minutes, p90_wait_minutes from visits
-- method: Two sources, never mixed. dossiers: the dossier's own wait_minutes, a visit on its received date
--   (dossiers without one are left out). queue_tickets: a called ticket is a visit on the day it was issued,
--   its wait = minutes from issued_at to called_at (to the second); a ticket never called is counted in
--   not_called (the visitor left), not as a wait. A row belongs to the unit its code named on the visit's
--   date, reported under the level asked for (province: every unit of the province then); as published a
--   unit is shown for the part of the period it existed in (period_start is that part's first day); in
--   today's units a split unit's visits go wholly to the unit that took its largest share (percentiles do
--   not add up) and the row is approximate. visits = waits counted; mean, median and p90 over them
--   (percentile_cont, interpolated); within_target_share = visits waiting at most target_minutes / visits.
with wait_visits as (
    select
        f.unit_code,
        f.unit_formed_on,
        'dossiers' as source,
        f.received_date as visit_date,
        cast(f.wait_minutes as double) as wait_minutes
    from dossier_facts as f
    where f.year = $year and f.wait_minutes is not null
    union all
    select
        t.unit_code,
        u.formed_on as unit_formed_on,
        'queue_tickets' as source,
        cast(t.issued_at as date) as visit_date,
        cast(epoch(t.called_at) - epoch(t.issued_at) as double) / 60 as wait_minutes
    from queue_tickets as t
    inner join units as u
        on
            u.unit_code = t.unit_code
            and cast(t.issued_at as date) >= u.valid_from
            and (u.valid_to is null or cast(t.issued_at as date) <= u.valid_to)
    where year(t.issued_at) = $year
),

wait_parts as (
    select
        r.report_code,
        r.report_formed_on,
        r.approximate,
        p.period_start,
        w.source,
        w.wait_minutes,
        case when $units = 'as_published' and r.report_from > p.period_start then r.report_from else p.period_start end
            as part_start,
        case when $units = 'as_published' and r.report_until < p.period_end then r.report_until else p.period_end end
            as part_end,
        w.visit_date
    from wait_visits as w
    inner join report_units as r on r.unit_code = w.unit_code and r.formed_on = w.unit_formed_on and r.is_main
    inner join period_bounds as p on w.visit_date >= p.period_start and w.visit_date < p.period_end
),

wait_stats as (
    select
        report_code,
        report_formed_on,
        period_start,
        part_start,
        source,
        max(case when approximate then 1 else 0 end) = 1 as approximate,
        count(wait_minutes) as visits,
        count(case when wait_minutes is null then 1 end) as not_called,
        avg(wait_minutes) as mean_wait_minutes,
        percentile_cont(0.5) within group (order by wait_minutes) as median_wait_minutes,
        percentile_cont(0.9) within group (order by wait_minutes) as p90_wait_minutes,
        count(case when wait_minutes <= $target_minutes then 1 end) as within_target
    from wait_parts
    where visit_date >= part_start and visit_date < part_end
    group by report_code, report_formed_on, period_start, part_start, source
),

final as (
    select
        s.report_code as unit_code,
        n.unit_name,
        s.part_start as period_start,
        s.source,
        cast(s.visits as bigint) as visits,
        case when s.source = 'queue_tickets' then cast(s.not_called as bigint) end as not_called,
        cast(s.mean_wait_minutes as double) as mean_wait_minutes,
        cast(s.median_wait_minutes as double) as median_wait_minutes,
        cast(s.p90_wait_minutes as double) as p90_wait_minutes,
        cast(s.within_target as double) / nullif(s.visits, 0) as within_target_share,
        cast($target_minutes as double) as target_minutes,
        s.approximate
    from wait_stats as s
    left join report_unit_names as n
        on n.report_code = s.report_code and n.report_formed_on = s.report_formed_on and n.period_start = s.period_start
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code, period_start, source
