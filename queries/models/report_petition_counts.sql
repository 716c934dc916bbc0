-- name: report_petition_counts
-- description: Building block (not a public query): the petitions (PAKN) of each reported unit in each
--   period part: received, handled in time, rated and satisfied.
-- grain: one row per reported unit (report_code × report_formed_on) × period part, for units with a petition received, answered or open in it
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: period_bounds, report_units
-- columns: report_code, report_formed_on, period_start, part_start, part_end, approximate, petitions,
--          petitions_in_time, petitions_answered, petitions_answered_on_time, petitions_open_overdue,
--          petitions_rated, petitions_satisfied
-- method: A petition belongs to the unit its code named on its received date, reported under the units
--   of the level and setting asked for (report_units, with the crosswalk's weights in today's units). As
--   published, a reported unit's part of a period runs from part_start to the day before part_end (the
--   days it existed). Dates are compared as dates. petitions = received in the part; petitions_in_time =
--   of those, answered by the part's end on or before the due date (no due date: in time), or still open
--   at its end and not due before its end; petitions_answered = of those received, answered by the end;
--   petitions_answered_on_time = answered by the end on or before the due date; petitions_open_overdue =
--   still open at the end and due before it; petitions_rated and petitions_satisfied = of the petitions
--   answered in the part, those with a rating and those rated satisfied (Decision 766: PAKN handled on
--   time; the petitioner's satisfaction).
with petition_parts as (
    select
        r.report_code,
        r.report_formed_on,
        p.period_start,
        case when $units = 'as_published' and r.report_from > p.period_start then r.report_from else p.period_start end
            as part_start,
        case when $units = 'as_published' and r.report_until < p.period_end then r.report_until else p.period_end end
            as part_end,
        r.weight,
        r.approximate,
        cast(f.received_at as date) as received_date,
        cast(f.due_at as date) as due_date,
        cast(f.resolved_at as date) as resolved_date,
        f.satisfied
    from feedback as f
    inner join units as u
        on
            u.unit_code = f.unit_code
            and cast(f.received_at as date) >= u.valid_from
            and (u.valid_to is null or cast(f.received_at as date) <= u.valid_to)
    inner join report_units as r on r.unit_code = f.unit_code and r.formed_on = u.formed_on
    cross join period_bounds as p
),

petition_windows as (
    select
        *,
        received_date >= part_start as is_received,
        resolved_date is not null and resolved_date < part_end as is_answered_by_end,
        resolved_date is not null and resolved_date >= part_start and resolved_date < part_end as is_answered,
        resolved_date <= coalesce(due_date, resolved_date) as answered_on_time,
        due_date is null or due_date >= part_end as not_overdue_at_end
    from petition_parts
    where
        part_start < part_end
        and received_date < part_end
        and (resolved_date is null or resolved_date >= part_start)
)

select
    report_code,
    report_formed_on,
    period_start,
    part_start,
    part_end,
    max(case when approximate then 1 else 0 end) = 1 as approximate,
    cast(sum(case when is_received then weight else 0 end) as double) as petitions,
    cast(sum(
        case
            when is_received and is_answered_by_end and answered_on_time then weight
            when is_received and not is_answered_by_end and not_overdue_at_end then weight
            else 0
        end
    ) as double) as petitions_in_time,
    cast(sum(case when is_received and is_answered_by_end then weight else 0 end) as double) as petitions_answered,
    cast(sum(case when is_received and is_answered_by_end and answered_on_time then weight else 0 end) as double)
        as petitions_answered_on_time,
    cast(sum(case when is_received and not is_answered_by_end and not not_overdue_at_end then weight else 0 end) as double)
        as petitions_open_overdue,
    cast(sum(case when is_answered and satisfied is not null then weight else 0 end) as double) as petitions_rated,
    cast(sum(case when is_answered and satisfied then weight else 0 end) as double) as petitions_satisfied
from petition_windows
group by report_code, report_formed_on, period_start, part_start, part_end
having count(case when is_received or is_answered or not is_answered_by_end then 1 end) > 0
