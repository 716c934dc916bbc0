-- name: procedure_month_receipts
-- description: Building block of mart_dossier_procedure_periods: the procedures each reported unit
--   received dossiers of, per period (year, quarter, month) and grouping, summed from months.
-- grain: one row per period × grouping × reported unit × procedure × province of the dossiers × level of
--   the receiving unit
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- uses: dossier_facts, report_groupings, month_periods
-- columns: period, period_start, period_end, grouped_by, unit_code, unit_formed_on, reported_level,
--          source_level, province_code, procedure_code, first_day, with_fee, paid_online
-- method: The `procedure_receipts` fed to fee_procedure_counts. Dossiers are kept apart by the level of
--   the unit that received them, so that in today's units a district's dossiers of early 2025 are matched
--   with the catalogue of their own months, and a commune's with the catalogue of 1 July 2025; first_day
--   is the first month a dossier was received (a catalogue applies to a province from a month's first
--   day). As published, a dossier counts while the reported unit existed (report_groupings).
with received as (
    select
        g.grouped_by,
        g.report_code as unit_code,
        g.report_formed_on as unit_formed_on,
        coalesce(g.report_level, f.unit_level) as reported_level,
        f.unit_level as source_level,
        f.province_code,
        f.procedure_code,
        cast(date_trunc('month', f.received_date) as date) as month_start,
        count(case when f.has_fee then 1 end) as with_fee,
        count(case when f.has_fee and f.paid_online then 1 end) as paid_online
    from dossier_facts as f
    inner join report_groupings as g on g.unit_code = f.unit_code and g.formed_on = f.unit_formed_on
    where
        f.year between $from_year and $to_year
        and f.received_date >= g.count_from
        and f.received_date < g.count_until
    group by all
),

in_periods as (
    select
        p.period,
        p.period_start,
        p.period_end,
        r.*
    from received as r
    inner join month_periods as p on p.month_start = r.month_start
)

select
    period,
    period_start,
    period_end,
    grouped_by,
    unit_code,
    unit_formed_on,
    reported_level,
    source_level,
    province_code,
    procedure_code,
    min(month_start) as first_day,
    sum(with_fee) as with_fee,
    sum(paid_online) as paid_online
from in_periods
group by all
