-- name: dossiers_due
-- description: Early warning: dossiers still in progress that are due within `days` working days or already overdue, as of the lake's last day, with the counts per unit and procedure and the Decision 766 points each unit would lose if they all went late.
-- grain: one row per dossier in progress at the end of the lake's last day, due within `days` working days or overdue
-- key: dossier_id
-- params: days INTEGER = 3; period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = NULL (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL;
--         unit_code VARCHAR = NULL
-- access: detail
-- uses: dossier_as_of_windows as dossier_windows, dossier_window_flags, working_days, dossier_due_flags,
--       dossier_due_766_inputs as metric_inputs, metric_points_766
-- columns: as_of, due_by, unit_code, unit_name, procedure_code, procedure_name, field_code, dossier_id,
--          received_date, due_date, status, channel, working_days_left, is_overdue, procedure_due_soon,
--          procedure_overdue, unit_due_soon, unit_overdue, points_at_risk, approximate
-- source: one-stop-shop dossier exports; Decree 61/2018/NĐ-CP and 107/2021/NĐ-CP (due dates, overdue
--         dossiers); Decision 766/QĐ-TTg (on-time metric); official days off in data/reference/calendar/
--         (Labour Code art. 112 and the Government's yearly notices, SOURCE.md)
-- method: as_of is the lake's last day: the last day a dossier was received (the "data as of" the
--   dashboard shows). A dossier is listed when it is in progress at the end of that day (received by then
--   and not resolved, rejected or withdrawn: dossier_window_flags, the definition every dossier count uses)
--   and either overdue (its due date is that day or earlier: due before the end of the day) or due within
--   `days` working days after it. Working days are Monday to Friday less the official holidays,
--   compensatory and swapped days off, plus the Saturdays worked instead, from the checked-in calendar
--   data/reference/calendar/holidays.csv (2019–2026; other years count weekends only).
--   working_days_left = working days after as_of up to the due date (1: due on the next working day; 0:
--   due on as_of or on the days off after it; −2: overdue by two working days). due_by is the last working
--   day of the horizon (the `days`-th working day after as_of; as_of itself when days is 0). Each dossier is
--   listed under the unit it is reported under: by default (level empty) the unit that received it; at a
--   level, that level's unit (docs/units.md); units=current puts a split unit's dossiers wholly under the
--   unit that took its largest share (approximate). procedure_* and unit_* count the listed dossiers of
--   the row's unit and procedure, and of its unit: due soon (not overdue) and overdue. points_at_risk = the
--   Decision 766 points the unit would lose in the period running on as_of (the year, or the quarter or
--   month with `period`) if every dossier due soon went late: the metrics are scored twice by
--   metric_points_766, the one scoring of service_index_766, from the unit's counts in the period up to
--   as_of (resolved, resolved on time, in progress and not overdue at the end of as_of), once as they
--   stand and once with the dossiers due soon counted overdue; the difference of the totals. Overdue
--   dossiers have lost their points already. No personal data: dossier number, procedure and dates only.
with due_listed as (
    select *
    from dossier_due_flags
    where
        is_in_progress
        and due_date is not null
        and (is_overdue or working_days_left <= $days)
),

due_unit_procedures as (
    select
        report_code,
        procedure_code,
        cast(sum(case when is_overdue then 0 else 1 end) as bigint) as procedure_due_soon,
        cast(sum(case when is_overdue then 1 else 0 end) as bigint) as procedure_overdue
    from due_listed
    group by report_code, procedure_code
),

due_units as (
    select
        report_code,
        cast(sum(case when is_overdue then 0 else 1 end) as bigint) as unit_due_soon,
        cast(sum(case when is_overdue then 1 else 0 end) as bigint) as unit_overdue
    from due_listed
    group by report_code
),

due_points as (
    select
        unit_code,
        unit_formed_on,
        sum(case when scenario = 'as_of' then coalesce(points, 0) else 0 end)
        - sum(case when scenario = 'if_late' then coalesce(points, 0) else 0 end) as points_at_risk
    from metric_points_766
    group by unit_code, unit_formed_on
),

due_horizon as (
    select
        a.day as as_of,
        case when $days = 0 then a.day else h.day end as due_by
    from working_days as a
    inner join (select distinct as_of from dossier_windows) as d on d.as_of = a.day
    left join working_days as h on h.is_working_day and h.working_day_number = a.working_day_number + $days
),

due_unit_names as (
    select
        l.report_code,
        l.report_formed_on,
        u.name as unit_name,
        row_number() over (
            partition by l.report_code, l.report_formed_on
            order by case when u.valid_from <= l.as_of then 0 else 1 end, u.valid_from desc
        ) as name_rank
    from (select distinct report_code, report_formed_on, as_of from due_listed) as l
    inner join units as u on u.unit_code = l.report_code and u.formed_on = l.report_formed_on
),

final as (
    select
        h.as_of,
        h.due_by,
        l.report_code as unit_code,
        n.unit_name,
        l.procedure_code,
        l.procedure_name,
        l.field_code,
        l.dossier_id,
        l.received_date,
        l.due_date,
        l.status,
        l.channel,
        l.working_days_left,
        l.is_overdue,
        p.procedure_due_soon,
        p.procedure_overdue,
        c.unit_due_soon,
        c.unit_overdue,
        cast(coalesce(pts.points_at_risk, 0) as double) as points_at_risk,
        l.approximate
    from due_listed as l
    cross join due_horizon as h
    inner join due_unit_procedures as p on p.report_code = l.report_code and p.procedure_code = l.procedure_code
    inner join due_units as c on c.report_code = l.report_code
    left join due_points as pts on pts.unit_code = l.report_code and pts.unit_formed_on = l.report_formed_on
    left join due_unit_names as n
        on n.report_code = l.report_code and n.report_formed_on = l.report_formed_on and n.name_rank = 1
    where $unit_code is null or l.report_code = $unit_code
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code, is_overdue desc, due_date, dossier_id
