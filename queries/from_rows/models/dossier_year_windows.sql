-- name: dossier_year_windows
-- description: Raw-row building block (tests only): each dossier against the year asked for, under each
--   unit it is reported under (as published, the part of the year the unit existed in).
-- grain: one row per dossier × reported unit
-- params: year INTEGER (required); level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: dossier_facts, report_units
-- columns: every column of dossier_facts, then report_code, report_formed_on, weight, approximate,
--          window_start, window_end
select *
from (
    select
        f.*,
        r.report_code,
        r.report_formed_on,
        r.weight,
        r.approximate,
        case
            when $units = 'as_published' and r.report_from > cast(cast($year as varchar) || '-01-01' as date)
                then r.report_from
            else cast(cast($year as varchar) || '-01-01' as date)
        end as window_start,
        case
            when $units = 'as_published' and r.report_until < cast(cast($year + 1 as varchar) || '-01-01' as date)
                then r.report_until
            else cast(cast($year + 1 as varchar) || '-01-01' as date)
        end as window_end
    from dossier_facts as f
    inner join report_units as r on r.unit_code = f.unit_code and r.formed_on = f.unit_formed_on
) as windows
where window_start < window_end
