-- name: procedure_period_receipts
-- description: Raw-row building block of the twin of report_procedure_counts: the procedures each
--   reported unit received dossiers of in each period of one level and setting.
-- grain: one row per reported unit × period × procedure × province of the dossiers × level of the reported unit
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: dossier_facts, period_bounds, report_units
-- columns: period, period_start, period_end, grouped_by, unit_code, unit_formed_on, reported_level,
--          source_level, province_code, procedure_code, first_day, with_fee, paid_online
-- method: The `procedure_receipts` fed to fee_procedure_counts, straight from the dossiers: period is the
--   one asked for, grouped_by is empty (one grouping), first_day the first day a dossier was received. Dossiers
--   are kept apart by the level of the unit that received them (source_level: in today's units a
--   district's dossiers of early 2025 meet the catalogue of their own days, a commune's that of 1 July
--   2025). As published, a dossier counts while the reported unit existed.
select
    $period as period,
    p.period_start,
    p.period_end,
    '' as grouped_by,
    r.report_code as unit_code,
    r.report_formed_on as unit_formed_on,
    case when $level = 'province' then 'province' when $units = 'current' then $level else r.level end
        as reported_level,
    r.level as source_level,
    f.province_code,
    f.procedure_code,
    min(f.received_date) as first_day,
    count(case when f.has_fee then 1 end) as with_fee,
    count(case when f.has_fee and f.paid_online then 1 end) as paid_online
from dossier_facts as f
inner join report_units as r on r.unit_code = f.unit_code and r.formed_on = f.unit_formed_on and r.is_main
inner join period_bounds as p on f.received_date >= p.period_start and f.received_date < p.period_end
where
    $units = 'current'
    or (f.received_date >= r.report_from and (r.report_until is null or f.received_date < r.report_until))
group by all
