-- name: one_stop_network
-- description: The one-stop network of each province per period: its one-stop offices at each level (the provincial service centre, departments, districts, communes) and the online public services its catalogue offers, full and partial, with the change since the period before.
-- grain: one row per province × period (the part of the period the province existed in, as published)
-- key: province_code, period_start
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'province' (province); units VARCHAR = 'as_published' (as_published|current);
--         province_code VARCHAR = NULL
-- uses: period_bounds, report_units, catalogue_versions, report_unit_names
-- columns: province_code, province_name, period_start, list_as_of, province_offices, department_offices,
--          district_offices, commune_offices, offices, offices_change, online_full, online_partial,
--          online_services, online_full_change, online_partial_change, approximate
-- source: the provinces' lists of their one-stop offices (load kind one_stop_offices: the decisions that
--         set them up, their reports); the procedure catalogues each province announces, with the level of
--         the online public service of each procedure (Mức độ DVCTT: toàn trình, một phần)
-- method: Offices come only from the lists a province loads (one_stop_offices), never guessed from
--   dossiers: an office's level is the level of the unit it serves on the list's day (province: the
--   provincial public administration service centre). A period shows the state on its last day (as
--   published, the last day of the part of it the province existed in): the province's latest list on or
--   before that day (list_as_of), offices counted by level; and the procedures of the province's catalogue
--   in force that day (the national catalogue for a province without one) whose online service is full or
--   partial (online_services = full + partial). Empty, not 0, when the province has no list by then, or
--   when no procedure of its catalogue says what online service it has. *_change = the value minus the
--   value on the day before the period began (empty when either is empty). In today's units the provinces
--   merged into today's province are added up (each piece's latest list; a procedure of their catalogues
--   counts once, as full when one of them offers it in full) and the row is marked approximate when more
--   than one province was merged into it.
with network_pieces as (
    select distinct
        r.report_code,
        r.report_formed_on,
        r.unit_code as piece_code,
        r.formed_on as piece_formed_on,
        r.report_from,
        r.report_until
    from report_units as r
    where r.level = 'province'
),

network_parts as (
    select
        n.report_code,
        n.report_formed_on,
        n.piece_code,
        n.piece_formed_on,
        p.period_start,
        case when $units = 'as_published' and n.report_from > p.period_start then n.report_from else p.period_start end
            as part_start,
        case when $units = 'as_published' and n.report_until < p.period_end then n.report_until else p.period_end end
            as part_end
    from network_pieces as n
    cross join period_bounds as p
),

-- the two days each row is measured on: the part's last day (now) and the day before the period (before)
network_days as (
    select report_code, report_formed_on, piece_code, piece_formed_on, period_start, part_start,
        'now' as moment, cast(part_end - interval 1 day as date) as day
    from network_parts
    where part_start < part_end
    union all
    select report_code, report_formed_on, piece_code, piece_formed_on, period_start, part_start,
        'before' as moment, cast(period_start - interval 1 day as date) as day
    from network_parts
    where part_start < part_end
),

-- each office with the province unit (code and formed_on) it belonged to on its list's day
office_rows as (
    select
        o.as_of,
        o.unit_code,
        u.level,
        pu.unit_code as piece_code,
        pu.formed_on as piece_formed_on
    from one_stop_offices as o
    inner join units as u
        on u.unit_code = o.unit_code and o.as_of >= u.valid_from and (u.valid_to is null or o.as_of <= u.valid_to)
    inner join units as pu
        on
            pu.unit_code = u.province_code
            and pu.level = 'province'
            and o.as_of >= pu.valid_from
            and (pu.valid_to is null or o.as_of <= pu.valid_to)
),

latest_lists as (
    select
        d.report_code,
        d.period_start,
        d.moment,
        d.piece_code,
        d.piece_formed_on,
        max(o.as_of) as list_as_of
    from network_days as d
    inner join office_rows as o
        on
            o.piece_code = d.piece_code
            and o.piece_formed_on = d.piece_formed_on
            and o.as_of <= d.day
    group by d.report_code, d.period_start, d.moment, d.piece_code, d.piece_formed_on
),

office_counts as (
    select
        l.report_code,
        l.period_start,
        l.moment,
        max(l.list_as_of) as list_as_of,
        count(case when o.level = 'province' then 1 end) as province_offices,
        count(case when o.level = 'department' then 1 end) as department_offices,
        count(case when o.level = 'district' then 1 end) as district_offices,
        count(case when o.level = 'commune' then 1 end) as commune_offices,
        count(*) as offices
    from latest_lists as l
    inner join office_rows as o
        on o.piece_code = l.piece_code and o.piece_formed_on = l.piece_formed_on and o.as_of = l.list_as_of
    group by l.report_code, l.period_start, l.moment
),

-- pieces reading the national catalogue: those without a catalogue of their own
own_catalogue_pieces as (
    select distinct province_code, province_formed_on
    from catalogue_versions
    where province_code <> 'all'
),

online_offered as (
    select
        d.report_code,
        d.period_start,
        d.moment,
        c.procedure_code,
        max(case c.online_service when 'full' then 2 when 'partial' then 1 else 0 end) as service_rank,
        max(case when c.online_service is not null then 1 else 0 end) as service_known
    from network_days as d
    left join own_catalogue_pieces as o
        on o.province_code = d.piece_code and o.province_formed_on = d.piece_formed_on
    inner join catalogue_versions as c
        on
            (
                (c.province_code = d.piece_code and c.province_formed_on = d.piece_formed_on)
                or (c.province_code = 'all' and o.province_code is null)
            )
            and c.published_at <= d.day
            and (c.in_force_until is null or c.in_force_until > d.day)
    group by d.report_code, d.period_start, d.moment, c.procedure_code
),

online_counts as (
    select
        report_code,
        period_start,
        moment,
        case when max(service_known) = 1 then count(case when service_rank = 2 then 1 end) end as online_full,
        case when max(service_known) = 1 then count(case when service_rank = 1 then 1 end) end as online_partial
    from online_offered
    group by report_code, period_start, moment
),

network_rows as (
    select
        report_code,
        report_formed_on,
        period_start,
        part_start,
        count(distinct piece_code) > 1 as approximate
    from network_days
    where moment = 'now'
    group by report_code, report_formed_on, period_start, part_start
),

final as (
    select
        r.report_code as province_code,
        n.unit_name as province_name,
        r.part_start as period_start,
        o.list_as_of,
        o.province_offices,
        o.department_offices,
        o.district_offices,
        o.commune_offices,
        o.offices,
        o.offices - ob.offices as offices_change,
        c.online_full,
        c.online_partial,
        c.online_full + c.online_partial as online_services,
        c.online_full - cb.online_full as online_full_change,
        c.online_partial - cb.online_partial as online_partial_change,
        r.approximate
    from network_rows as r
    left join office_counts as o on o.report_code = r.report_code and o.period_start = r.period_start and o.moment = 'now'
    left join office_counts as ob
        on ob.report_code = r.report_code and ob.period_start = r.period_start and ob.moment = 'before'
    left join online_counts as c on c.report_code = r.report_code and c.period_start = r.period_start and c.moment = 'now'
    left join online_counts as cb
        on cb.report_code = r.report_code and cb.period_start = r.period_start and cb.moment = 'before'
    left join report_unit_names as n
        on n.report_code = r.report_code and n.report_formed_on = r.report_formed_on and n.period_start = r.period_start
    where o.offices is not null or c.online_full is not null
)

select * from final
where $scope is null or array_contains($scope, province_code)
order by province_name collate vi nulls last, province_code, period_start
