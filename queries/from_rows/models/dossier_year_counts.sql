-- name: dossier_year_counts
-- description: Raw-row twin of queries/models/dossier_year_counts.sql: the dossier counts of a year per
--   reported unit and field, straight from the dossiers.
-- grain: one row per reported unit (unit_code × unit_formed_on) × field_code with a dossier to count in the year
-- params: year INTEGER (required); level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: dossier_year_windows as dossier_windows, dossier_window_flags
-- columns: unit_code, unit_formed_on, field_code, received, resolved, resolved_on_time, received_with_fee,
--          received_paid_online, received_digitised, approximate
-- method: dossier_window_flags over the year (as published, the part of it the unit existed in).
select
    report_code as unit_code,
    report_formed_on as unit_formed_on,
    field_code,
    cast(sum(case when is_received then weight else 0 end) as double) as received,
    cast(sum(case when is_resolved then weight else 0 end) as double) as resolved,
    cast(sum(case when is_on_time then weight else 0 end) as double) as resolved_on_time,
    cast(sum(case when is_received and has_fee then weight else 0 end) as double) as received_with_fee,
    cast(sum(case when is_received and has_fee and paid_online then weight else 0 end) as double) as received_paid_online,
    cast(sum(case when is_received and dossier_digitised then weight else 0 end) as double) as received_digitised,
    max(case when approximate then 1 else 0 end) = 1 as approximate
from dossier_window_flags
group by report_code, report_formed_on, field_code
