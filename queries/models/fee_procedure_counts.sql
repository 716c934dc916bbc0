-- name: fee_procedure_counts
-- description: Building block (not a public query): the Decision 766 procedure counts of each reported
--   unit in each period, from the procedures it received dossiers of.
-- grain: one row per period × grouping × reported unit (unit_code × unit_formed_on) with a dossier received
-- params: none
-- uses: catalogue_versions
-- columns: period, period_start, grouped_by, unit_code, unit_formed_on, fee_procedures_used,
--          fee_procedures_paid_online, fee_procedures_received
-- method: Reads `procedure_receipts` (placed before it by its user: the month mart feeds it from months,
--   the raw-row definition from the dossiers of one period), one row per period × grouping × reported
--   unit × procedure × province of the dossiers × level of the receiving unit (source_level), with period_end,
--   reported_level, first_day (the first day a dossier of it was received), with_fee and paid_online
--   (dossiers). fee_procedures_used = procedures with a dossier received with a fee;
--   fee_procedures_paid_online = of those, with a fee dossier paid online; fee_procedures_received =
--   procedures with a dossier received that are fee procedures of the catalogue of the dossier's
--   province (its own from the day it applies, else the national one) in force in the period (announced
--   before its end, not abolished by its start) and that the reported unit can receive: a district those
--   resolved at district level, a commune at commune level, a department at province level, all when
--   the catalogue gives no level; a province all. Distinct counts do not add up, so they are counted per
--   reported unit, never summed from smaller units.
with covered as (
    select distinct r.period, r.period_start, r.grouped_by, r.unit_code, r.unit_formed_on, r.procedure_code
    from procedure_receipts as r
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

coverage as (
    select period, period_start, grouped_by, unit_code, unit_formed_on, count(*) as fee_procedures_received
    from covered
    group by all
),

per_procedure as (
    select
        period,
        period_start,
        grouped_by,
        unit_code,
        unit_formed_on,
        procedure_code,
        sum(with_fee) as with_fee,
        sum(paid_online) as paid_online
    from procedure_receipts
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
    from per_procedure
    group by all
)

select
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
