-- name: procedure_cost_766
-- description: Where one unit lost Decision 766 points in a year: for one metric, the procedures (or fields) that fell short, each with its share of the shortfall and of the points lost.
-- grain: one row per procedure (by = procedure) or field (by = field) with a shortfall on the metric, for the unit and year
-- key: item_code
-- params: year INTEGER (required); unit_code VARCHAR (required); metric_code VARCHAR (required);
--         by VARCHAR = 'procedure' (procedure|field)
-- columns: unit_code, year, metric_code, item_code, item_name, field_code, field_name, denominator, numerator,
--          shortfall, shortfall_share, points_lost, points_cost
-- uses: year_units, unit_year_windows as dossier_windows, dossier_window_flags, catalogue_versions
-- source: Decision 766/QĐ-TTg (23/6/2022); scoring table data/reference/766/scoring.csv
-- disclosure: counts denominator, numerator, shortfall; sum denominator = numerator + shortfall;
--   group shortfall by unit_code, metric_code; shortfall_share, points_cost from shortfall;
--   shortfall, shortfall_share, points_lost, points_cost with service_index_766.points on unit_code, metric_code
--   over level = district, province, commune, department
-- method: The metric's numerator and denominator as service_index_766 defines them for the year (period year),
--   split by procedure: denominator and numerator = the unit's dossiers (or catalogue procedures) of the
--   procedure counted in them; shortfall = denominator − numerator (e.g. for PROGRESS_ON_TIME the dossiers
--   resolved late plus those still in progress and overdue at the year end; for FULL_ONLINE_SHARE the
--   dossiers of full-online-eligible procedures not done fully online). Summed over the procedures these
--   give the unit's numerator and denominator. points_lost = the metric's max_points − its points, points =
--   max_points × min(1, rate / full_marks_at) with rate = Σ numerator / Σ denominator (the unit's value in
--   service_index_766); shortfall_share = the row's shortfall / the unit's total shortfall; points_cost =
--   points_lost × shortfall_share, so the rows' points_cost add up to points_lost. What a metric counts is
--   data: metric_terms_766 (data/reference/766/metric_terms.csv) names, per metric, what it is counted on
--   and the terms of its denominator and numerator, each term defined once below. Dossier metrics
--   (counted_on dossiers) count dossiers; catalogue metrics count the province catalogue's active
--   procedures not flagged; PAYMENT_PROCEDURE_SHARE (fee_procedures) counts fee procedures with a fee
--   dossier received but none paid online; PAYMENT_PROCEDURE_COVERAGE (fee_coverage) the fee procedures
--   the unit can receive with no dossier received. Metrics counted on nothing (petition metrics,
--   ELECTRONIC_CERTIFIED_COPY) are not measured on procedures: no rows. The unit is the one its code
--   named in the year (in force at the year's end; the year cut to the days it existed: docs/units.md).
--   The dossiers of a unit are its own; of a province, every dossier of the province (as
--   service_index_766 at level province). The field of a dossier is its procedure's field in the
--   province's catalogue (else the national one's), else the field in the export; by = field sums the
--   procedures of each field. Rows
--   with a shortfall only, the costliest first. In the public mode the shortfalls, their shares, the
--   points lost and their cost are empty when service_index_766 (at the unit's level) hides the unit's
--   points on the metric: max_points − points_lost gives the points, and the rows' shortfalls add up to
--   denominator − numerator, the numerator hidden there.
with
-- the unit asked for: its level and its province as they were in the year
target_unit as (
    select u.unit_code, u.formed_on, u.level, u.province_code
    from year_units as y
    inner join units as u on u.unit_code = y.unit_code and u.formed_on = y.formed_on
    where y.unit_code = $unit_code
    group by u.unit_code, u.formed_on, u.level, u.province_code
),

-- the province unit whose catalogue counts for the unit (its own versions, else the national catalogue)
target_province as (
    select distinct m.report_code as province_code, m.report_formed_on as province_formed_on
    from target_unit as t
    inner join unit_map as m
        on
            m.units_setting = 'as_published'
            and m.report_level = 'province'
            and m.unit_code = t.unit_code
            and m.formed_on = t.formed_on
),

-- what each dossier counts as in the unit's part of the year (dossier_window_flags, as service_index_766)
dossier_flags as (
    select *, window_end as year_end
    from dossier_window_flags
),

-- the metric's terms (metric_terms_766: data), one row when the metric is split by procedure
metric_terms as (
    select counted_on, denominator, numerator
    from metric_terms_766
    where metric_code = $metric_code
),

-- each dossier in the denominator and numerator of a dossier metric (the numerator is a subset of the
-- denominator): the terms of metric_terms_766, each defined once here
dossier_terms as (
    select
        f.procedure_code,
        f.procedure_name,
        f.field_code,
        f.field_name,
        case m.denominator
            when 'received' then f.is_received
            when 'resolved_or_in_progress' then f.is_resolved or f.is_in_progress
            when 'received_full_online_eligible' then f.is_received and f.full_online_eligible
            when 'received_with_fee' then f.is_received and f.has_fee
            when 'resolved' then f.is_resolved
            when 'received_digitised' then f.is_received and f.dossier_digitised
            when 'closed_rated' then f.is_closed and f.rated_satisfied is not null
            else false
        end as in_denominator,
        case m.numerator
            when 'synced_on_time' then f.synced_on_time
            when 'on_time' then f.is_on_time or (f.is_in_progress and (f.due_date is null or f.due_date >= f.year_end))
            when 'full_online' then f.online_level = 'full'
            when 'paid_online' then f.paid_online
            when 'result_electronic' then f.result_electronic
            when 'dossier_digitised' then f.dossier_digitised
            when 'data_reused' then f.data_reused
            when 'digitised_shared' then f.digitised_shared
            when 'citizen_data_used' then f.citizen_data_used
            when 'rated_satisfied' then f.rated_satisfied
            else false
        end as in_numerator
    from dossier_flags as f
    inner join metric_terms as m on m.counted_on = 'dossiers'
),

dossier_contributions as (
    select
        procedure_code,
        procedure_name,
        field_code,
        field_name,
        case when in_denominator then 1 else 0 end as denominator,
        case when in_denominator and in_numerator then 1 else 0 end as numerator
    from dossier_terms
    where in_denominator
),

-- the procedures of the province catalogue active in the unit's part of the year (announced before its
-- end, not abolished by its start)
catalogue_active as (
    select distinct
        c.procedure_code,
        c.procedure_name,
        c.field_code,
        c.field_name,
        c.has_fee,
        c.authority_level,
        c.published_on_time,
        c.public_updated_on_time,
        c.public_content_full,
        c.citizen_data_connected
    from catalogue_versions as c
    cross join target_province as tp
    cross join (
        select min(window_start) as year_start, max(window_end) as year_end from dossier_windows
    ) as b
    where
        (
            (c.province_code = tp.province_code and c.province_formed_on = tp.province_formed_on)
            or (
                c.province_code = 'all'
                and not exists (
                    select 1
                    from catalogue_versions as own
                    where own.province_code = tp.province_code and own.province_formed_on = tp.province_formed_on
                )
            )
        )
        and c.published_at < coalesce(b.year_end, cast(cast($year + 1 as varchar) || '-01-01' as date))
        and (c.abolished_at is null or c.abolished_at > coalesce(b.year_start, cast(cast($year as varchar) || '-01-01' as date)))
),

catalogue_contributions as (
    select
        c.procedure_code,
        c.procedure_name,
        c.field_code,
        c.field_name,
        1 as denominator,
        case
            when
                case m.numerator
                    when 'published_on_time' then c.published_on_time
                    when 'public_updated_on_time' then c.public_updated_on_time
                    when 'public_content_full' then c.public_content_full
                    when 'citizen_data_connected' then c.citizen_data_connected
                end
                then 1
            else 0
        end as numerator
    from catalogue_active as c
    inner join metric_terms as m on m.counted_on = 'catalogue'
),

-- PAYMENT_PROCEDURE_SHARE: a procedure counts once when a fee dossier of it was received, and in the
-- numerator when one of them was paid online
payment_procedures as (
    select
        procedure_code,
        max(procedure_name) as procedure_name,
        max(field_code) as field_code,
        max(field_name) as field_name,
        1 as denominator,
        max(case when paid_online then 1 else 0 end) as numerator
    from dossier_flags
    where is_received and has_fee
    group by procedure_code
),

-- PAYMENT_PROCEDURE_COVERAGE: the fee procedures the unit can receive (for a district those resolved at
-- district level, for a department those at province level, all when the catalogue gives no level, for a
-- province all), in the numerator when the unit received a dossier of it
received_procedures as (
    select distinct procedure_code
    from dossier_flags
    where is_received
),

coverage_procedures as (
    select
        c.procedure_code,
        c.procedure_name,
        c.field_code,
        c.field_name,
        1 as denominator,
        case when r.procedure_code is not null then 1 else 0 end as numerator
    from catalogue_active as c
    cross join target_unit as t
    left join received_procedures as r on r.procedure_code = c.procedure_code
    where
        c.has_fee
        and (
            t.level = 'province'
            or c.authority_level is null
            or c.authority_level = case t.level when 'department' then 'province' else t.level end
        )
),

contributions as (
    select procedure_code, procedure_name, field_code, field_name, denominator, numerator
    from dossier_contributions
    union all
    select procedure_code, procedure_name, field_code, field_name, denominator, numerator
    from catalogue_contributions
    union all
    select p.procedure_code, p.procedure_name, p.field_code, p.field_name, p.denominator, p.numerator
    from payment_procedures as p
    inner join metric_terms as m on m.counted_on = 'fee_procedures'
    union all
    select c.procedure_code, c.procedure_name, c.field_code, c.field_name, c.denominator, c.numerator
    from coverage_procedures as c
    inner join metric_terms as m on m.counted_on = 'fee_coverage'
),

items as (
    select
        case when $by = 'field' then field_code else procedure_code end as item_code,
        max(case when $by = 'field' then field_name else procedure_name end) as item_name,
        min(field_code) as field_code,
        max(field_name) as field_name,
        sum(denominator) as denominator,
        sum(numerator) as numerator
    from contributions
    group by case when $by = 'field' then field_code else procedure_code end
),

unit_totals as (
    select
        sum(denominator) as denominator,
        sum(numerator) as numerator,
        sum(denominator - numerator) as shortfall
    from items
),

-- the points of the unit on the metric, as service_index_766 scores them
unit_points as (
    select
        s.max_points,
        t.shortfall,
        s.max_points
        - s.max_points
        * least(1.0, (cast(t.numerator as double) / nullif(t.denominator, 0)) / nullif(s.full_marks_at, 0))
            as points_lost
    from unit_totals as t
    inner join scoring_766 as s on s.metric_code = $metric_code
),

final as (
    select
        cast($unit_code as varchar) as unit_code,
        cast($year as integer) as year,
        cast($metric_code as varchar) as metric_code,
        i.item_code,
        i.item_name,
        i.field_code,
        i.field_name,
        cast(i.denominator as bigint) as denominator,
        cast(i.numerator as bigint) as numerator,
        cast(i.denominator - i.numerator as bigint) as shortfall,
        cast(i.denominator - i.numerator as double) / nullif(p.shortfall, 0) as shortfall_share,
        cast(p.points_lost as double) as points_lost,
        cast(p.points_lost * (i.denominator - i.numerator) / nullif(p.shortfall, 0) as double) as points_cost
    from items as i
    cross join unit_points as p
    where i.denominator > i.numerator
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by points_cost desc nulls last, shortfall desc, item_code
