-- name: mart_dossier_procedure_periods
-- description: The procedure counts of Decision 766 per period and reported unit: procedures with a fee
--   dossier received, with one paid online, and fee procedures of the catalogue the unit received a
--   dossier of. Distinct counts do not add up, so they are computed here for every grouping.
-- grain: one row per period (year, quarter, month) × grouping × unit_code × unit_formed_on with a dossier received in the period
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- uses: dossier_facts, catalogue_versions, report_groupings
-- columns: year INTEGER, period VARCHAR, period_start DATE, grouped_by VARCHAR, unit_code VARCHAR,
--   unit_formed_on DATE, fee_procedures_used BIGINT, fee_procedures_paid_online BIGINT,
--   fee_procedures_received BIGINT
-- method: As service_index_766. Groupings as mart_dossier_processing_percentiles (`unit`, `province`,
--   `current_province`, `current_unit`; as published, a dossier counts while the reported unit existed).
--   fee_procedures_used = procedures with a dossier received with a fee (the dossier's flag, else the
--   catalogue's); fee_procedures_paid_online = of those, with a fee dossier paid online;
--   fee_procedures_received = procedures with at least one dossier received that are fee procedures of
--   the catalogue of the dossier's province (its own, else the national one) in force in the period
--   (announced before its end, not abolished by its start) and that the reported unit can receive: a
--   district those resolved at district level, a commune at commune level, a department at province
--   level, all when the catalogue gives no level; a province all.
with
-- dossiers received per reported unit, procedure and month: all, with a fee, paid online; kept apart by
-- the level of the unit that received them, so that in today's units a district's dossiers of early 2025
-- are matched with the catalogue of their own months, and a commune's with the catalogue of 1 July 2025
received as (
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
        k.period,
        cast(date_trunc(k.period, r.month_start) as date) as period_start,
        cast(date_trunc(k.period, r.month_start) as date)
        + case k.period when 'year' then interval 1 year when 'quarter' then interval 3 month else interval 1 month end
            as period_end,
        r.*
    from received as r
    cross join (values ('year'), ('quarter'), ('month')) as k (period)
),

-- the procedures each reported unit received dossiers of in the period, per province of the dossiers
reporting as (
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
        min(month_start) as first_month,
        sum(with_fee) as with_fee,
        sum(paid_online) as paid_online
    from in_periods
    group by all
),

-- of those, the fee procedures of the catalogue in force in the period that the unit can receive
covered as (
    select distinct r.period, r.period_start, r.grouped_by, r.unit_code, r.unit_formed_on, r.procedure_code
    from reporting as r
    inner join catalogue_versions as c
        on
            c.procedure_code = r.procedure_code
            and (
                c.province_code = 'all'
                or (
                    c.province_code = r.province_code
                    and r.first_month >= c.province_from
                    and (c.province_until is null or r.first_month < c.province_until)
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

coverage as (
    select period, period_start, grouped_by, unit_code, unit_formed_on, count(*) as fee_procedures_received
    from covered
    group by all
),

used as (
    select
        period,
        period_start,
        grouped_by,
        unit_code,
        unit_formed_on,
        count(distinct case when with_fee > 0 then procedure_code end) as fee_procedures_used,
        count(distinct case when paid_online > 0 then procedure_code end) as fee_procedures_paid_online
    from (
        select period, period_start, grouped_by, unit_code, unit_formed_on, procedure_code,
            sum(with_fee) as with_fee, sum(paid_online) as paid_online
        from reporting
        group by all
    ) as per_procedure
    group by all
)

select
    cast(year(u.period_start) as integer) as year,
    u.period,
    u.period_start,
    u.grouped_by,
    u.unit_code,
    u.unit_formed_on,
    u.fee_procedures_used,
    u.fee_procedures_paid_online,
    coalesce(c.fee_procedures_received, 0) as fee_procedures_received
from used as u
left join coverage as c using (period, period_start, grouped_by, unit_code, unit_formed_on)
order by u.period, u.period_start, u.grouped_by, u.unit_code, u.unit_formed_on
