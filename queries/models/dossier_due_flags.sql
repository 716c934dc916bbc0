-- name: dossier_due_flags
-- description: Building block (not a public query): dossier_window_flags with the working days left from
--   the window's last day to each dossier's due date.
-- grain: one row per row of dossier_window_flags
-- params: none
-- uses: working_days
-- columns: every column of dossier_window_flags, then working_days_left
-- method: Reads dossier_window_flags (placed before it, over the query's windows). working_days_left =
--   the working days after the window's last day up to and including the due date (working_days:
--   weekends, official holidays, compensatory and swapped days from data/reference/calendar/): 1 for a
--   dossier due on the next working day, 0 for one due on the last day or on the days off after it, below 0
--   for one due before it (−2: two working days overdue); empty without a due date.
select
    w.*,
    due.working_day_number - last_day.working_day_number as working_days_left
from dossier_window_flags as w
left join working_days as last_day on last_day.day = cast(w.window_end - interval 1 day as date)
left join working_days as due on due.day = w.due_date
