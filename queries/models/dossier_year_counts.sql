-- name: dossier_year_counts
-- description: Building block of targets_gap (not a public query): the dossier counts of a year per
--   reported unit and field, as dossier_kpis defines them.
-- grain: one row per reported unit (unit_code × unit_formed_on) × field_code with a dossier to count in the year
-- params: year INTEGER (required); level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: report_units
-- columns: unit_code, unit_formed_on, field_code, received, resolved, resolved_on_time, received_with_fee,
--          received_paid_online, received_digitised, approximate
-- method: see dossier_kpis (a unit is counted while it existed, as published; re-based with the
--   crosswalk's weights in today's units). Read from the mart mart_dossier_months; the same definition
--   over raw rows is queries/from_rows/models/dossier_year_counts.sql (tests prove them equal).
select
    r.report_code as unit_code,
    r.report_formed_on as unit_formed_on,
    m.field_code,
    cast(sum(r.weight * m.received) as double) as received,
    cast(sum(r.weight * m.resolved) as double) as resolved,
    cast(sum(r.weight * m.resolved_on_time) as double) as resolved_on_time,
    cast(sum(r.weight * m.received_with_fee) as double) as received_with_fee,
    cast(sum(r.weight * m.received_paid_online) as double) as received_paid_online,
    cast(sum(r.weight * m.received_digitised) as double) as received_digitised,
    max(case when r.approximate then 1 else 0 end) = 1 as approximate
from mart_dossier_months as m
inner join report_units as r on m.unit_code = r.unit_code and m.unit_formed_on = r.formed_on
where
    m.year = $year
    and ($units = 'current' or (m.month_start >= r.report_from and (r.report_to is null or m.month_start <= r.report_to)))
group by r.report_code, r.report_formed_on, m.field_code
