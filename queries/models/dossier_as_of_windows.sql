-- name: dossier_as_of_windows
-- description: Building block of dossiers_due (not a public query): each dossier against the unit it is
--   reported under, in the window from the start of the period running on the lake's last day to the end
--   of that day.
-- grain: one row per dossier × reported unit
-- params: period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = NULL (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: dossier_facts, dossier_stats, report_units
-- columns: every column of dossier_facts, then report_code, report_formed_on, approximate, as_of,
--          window_start, window_end
-- method: The lake's last day (as_of) is the last day a dossier was received: the "data as of" the
--   dashboard shows (dossier_stats). The window ends with it (window_end is the day after, exclusive) and
--   starts on the first day of the year, quarter or month it falls in, or, as published, on the day the
--   reported unit took its territory when that is later. As published, a dossier is reported only under a
--   unit that exists on the last day; in today's units a split unit's dossiers go wholly to the unit that
--   took its largest share (is_main), and are marked approximate. level NULL: the unit that received it.
with as_of_day as (
    select
        data_as_of as as_of,
        cast(
            case
                when $period = 'month' then date_trunc('month', data_as_of)
                when $period = 'quarter' then date_trunc('quarter', data_as_of)
                else date_trunc('year', data_as_of)
            end as date
        ) as period_start
    from dossier_stats
    where data_as_of is not null
)

select
    f.*,
    r.report_code,
    r.report_formed_on,
    r.approximate,
    a.as_of,
    case
        when $units = 'as_published' and r.report_from > a.period_start then r.report_from
        else a.period_start
    end as window_start,
    cast(a.as_of + interval 1 day as date) as window_end
from dossier_facts as f
inner join report_units as r on r.unit_code = f.unit_code and r.formed_on = f.unit_formed_on and r.is_main
cross join as_of_day as a
where
    $units = 'current'
    or (r.report_from <= a.as_of and (r.report_to is null or r.report_to >= a.as_of))
