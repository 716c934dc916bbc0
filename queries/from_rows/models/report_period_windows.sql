-- name: report_period_windows
-- description: Raw-row building block (tests only): each dossier against each period part of each unit it
--   is reported under, as the window dossier_window_flags counts it in.
-- grain: one row per dossier × reported unit × period part
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: period_bounds, report_units
-- columns: every column of dossier_facts, then report_code, report_formed_on, weight, approximate,
--          period_start, part_start, part_end, window_start, window_end
-- method: Reads `counted_dossiers` (the raw twin of counted_dossiers_all or counted_dossiers_of_field).
--   As published, a unit's part of a period runs from the later of the period's start and the
--   day the unit took its territory to the earlier of the period's end and the day after it ended;
--   in today's units the whole period.
select
    *,
    part_start as window_start,
    part_end as window_end
from (
    select
        f.*,
        r.report_code,
        r.report_formed_on,
        r.weight,
        r.approximate,
        p.period_start,
        case when $units = 'as_published' and r.report_from > p.period_start then r.report_from else p.period_start end
            as part_start,
        case when $units = 'as_published' and r.report_until < p.period_end then r.report_until else p.period_end end
            as part_end
    from counted_dossiers as f
    inner join report_units as r on r.unit_code = f.unit_code and r.formed_on = f.unit_formed_on
    cross join period_bounds as p
) as parts
where part_start < part_end
