-- name: dossier_window_flags
-- description: Building block (not a public query): what a dossier counts as in a window of time (a
--   month, a period, the part of a period a unit existed in). The one definition of received, resolved,
--   on time, early, late, in progress, overdue and closed.
-- grain: one row per dossier × window it can count in
-- params: none
-- columns: every column of dossier_windows, then is_received, is_resolved, is_on_time, is_early, is_late,
--          is_in_progress, is_overdue, is_closed
-- method: Reads `dossier_windows` (dossier_facts columns plus window_start and window_end, exclusive),
--   which the query or mart provides (`uses: <its windows> as dossier_windows`). A dossier counts in a
--   window when it was received before the window's end and was not finished before its start.
--   received = received in the window; resolved = status resolved, processing ended in the window;
--   on time = resolved date <= due date (no due date: on time; a dossier resolved at 23:59 on its due
--   date is on time, dates being compared as dates), early <, late >; in progress = not resolved,
--   rejected or withdrawn before the window's end; overdue = in progress and due before the window's
--   end; closed = processing ended in the window, whatever the final status (when an applicant can rate
--   the handling). Decrees 61/2018/NĐ-CP and 107/2021/NĐ-CP on the one-stop shop.
select
    w.*,
    w.received_date >= w.window_start as is_received,
    w.status = 'resolved' and w.resolved_date >= w.window_start and w.resolved_date < w.window_end
        as is_resolved,
    w.status = 'resolved' and w.resolved_date >= w.window_start and w.resolved_date < w.window_end
    and w.resolved_date <= coalesce(w.due_date, w.resolved_date) as is_on_time,
    w.status = 'resolved' and w.resolved_date >= w.window_start and w.resolved_date < w.window_end
    and w.resolved_date < w.due_date as is_early,
    w.status = 'resolved' and w.resolved_date >= w.window_start and w.resolved_date < w.window_end
    and w.resolved_date > w.due_date as is_late,
    w.status not in ('resolved', 'rejected', 'withdrawn') or w.resolved_date >= w.window_end as is_in_progress,
    (w.status not in ('resolved', 'rejected', 'withdrawn') or w.resolved_date >= w.window_end)
    and w.due_date < w.window_end as is_overdue,
    w.status in ('resolved', 'rejected', 'withdrawn')
    and w.resolved_date >= w.window_start
    and w.resolved_date < w.window_end as is_closed
from dossier_windows as w
where
    w.received_date < w.window_end
    and (
        w.received_date >= w.window_start
        or w.resolved_date is null
        or w.resolved_date >= w.window_start
        or w.status not in ('resolved', 'rejected', 'withdrawn')
    )
