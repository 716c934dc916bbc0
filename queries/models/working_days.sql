-- name: working_days
-- description: Building block (not a public query): every day from 2000 to 2035, whether state offices
--   work on it, and its working-day number.
-- grain: one row per day
-- params: none
-- columns: day, is_working_day, working_day_number
-- method: A working day is a Monday to Friday that holiday_calendar does not list as a holiday, a
--   compensatory day off (nghỉ bù) or a swapped day off (nghỉ hoán đổi), or a Saturday it lists as worked
--   instead (làm bù); the calendar file and its sources are data/reference/calendar/ (2019–2026: outside
--   those years only weekends are known). The day of the week is the distance in days from Monday 27
--   December 1999, modulo 7 (date_diff, the same on every engine). working_day_number counts the working
--   days from the first day of the grid up to and including the day, so the working days after a day d
--   up to and including a later day e are number(e) − number(d).
with calendar_series as (
    select unnest(generate_series(date '2000-01-01', date '2035-12-31', interval 1 day)) as day_value
),

calendar_grid as (
    select cast(day_value as date) as day from calendar_series
),

calendar_flags as (
    select
        g.day,
        case
            when h.kind = 'swapped_work' then true
            when h.kind in ('holiday', 'compensatory', 'swapped_off') then false
            else date_diff('day', date '1999-12-27', g.day) % 7 < 5
        end as is_working_day
    from calendar_grid as g
    left join holiday_calendar as h on h.day = g.day
)

select
    day,
    is_working_day,
    cast(
        sum(case when is_working_day then 1 else 0 end) over (order by day rows between unbounded preceding and current row)
        as bigint
    ) as working_day_number
from calendar_flags
