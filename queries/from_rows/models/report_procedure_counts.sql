-- name: report_procedure_counts
-- description: Raw-row twin of queries/models/report_procedure_counts.sql: the Decision 766 procedure
--   counts straight from the dossiers and the catalogues.
-- grain: one row per reported unit (report_code × report_formed_on) × period with a dossier received
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL
-- uses: dossier_facts, period_bounds, report_units, catalogue_versions
-- columns: report_code, report_formed_on, period_start, fee_procedures_used, fee_procedures_paid_online,
--          fee_procedures_received
-- method: As mart_dossier_procedure_periods, for the reported units of one level and setting.
with received as (
    select
        r.report_code,
        r.report_formed_on,
        p.period_start,
        p.period_end,
        case when $level = 'province' then 'province' when $units = 'current' then $level else r.level end
            as reported_level,
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
    group by
        r.report_code, r.report_formed_on, p.period_start, p.period_end, r.level, f.province_code, f.procedure_code
),

covered as (
    select distinct r.report_code, r.report_formed_on, r.period_start, r.procedure_code
    from received as r
    inner join catalogue_versions as c
        on
            c.procedure_code = r.procedure_code
            and (
                c.province_code = 'all'
                or (
                    c.province_code = r.province_code
                    and r.first_day >= c.province_from
                    and (c.province_until is null or r.first_day < c.province_until)
                )
            )
    where
        c.has_fee
        and c.published_at < r.period_end
        and (c.abolished_at is null or c.abolished_at > r.period_start)
        and (
            r.reported_level = 'province'
            or c.authority_level is null
            or c.authority_level = case r.reported_level when 'department' then 'province' else r.reported_level end
        )
),

per_procedure as (
    select report_code, report_formed_on, period_start, procedure_code,
        sum(with_fee) as with_fee, sum(paid_online) as paid_online
    from received
    group by report_code, report_formed_on, period_start, procedure_code
),

used as (
    select
        report_code,
        report_formed_on,
        period_start,
        count(distinct case when with_fee > 0 then procedure_code end) as fee_procedures_used,
        count(distinct case when paid_online > 0 then procedure_code end) as fee_procedures_paid_online
    from per_procedure
    group by report_code, report_formed_on, period_start
),

coverage as (
    select report_code, report_formed_on, period_start, count(*) as fee_procedures_received
    from covered
    group by report_code, report_formed_on, period_start
)

select
    u.report_code,
    u.report_formed_on,
    u.period_start,
    u.fee_procedures_used,
    u.fee_procedures_paid_online,
    coalesce(c.fee_procedures_received, 0) as fee_procedures_received
from used as u
left join coverage as c
    on c.report_code = u.report_code and c.report_formed_on = u.report_formed_on and c.period_start = u.period_start
