-- name: procedure_cost_766
-- description: Where one unit lost Decision 766 points in a year: for one metric, the procedures (or fields) that fell short, each with its share of the shortfall and of the points lost.
-- grain: one row per procedure (by = procedure) or field (by = field) with a shortfall on the metric, for the unit and year
-- params: year INTEGER (required); unit_code VARCHAR (required); metric_code VARCHAR (required);
--         by VARCHAR = 'procedure' (procedure|field)
-- columns: unit_code, year, metric_code, item_code, item_name, field_code, field_name, denominator, numerator,
--          shortfall, shortfall_share, points_lost, points_cost
-- source: Decision 766/QĐ-TTg (23/6/2022); scoring table data/reference/766/scoring.csv
-- method: The metric's numerator and denominator as service_index_766 defines them for the year (period year),
--   split by procedure: denominator and numerator = the unit's dossiers (or catalogue procedures) of the
--   procedure counted in them; shortfall = denominator − numerator (e.g. for PROGRESS_ON_TIME the dossiers
--   resolved late plus those still in progress and overdue at the year end; for FULL_ONLINE_SHARE the
--   dossiers of full-online-eligible procedures not done fully online). Summed over the procedures these
--   give the unit's numerator and denominator. points_lost = the metric's max_points − its points, points =
--   max_points × min(1, rate / full_marks_at) with rate = Σ numerator / Σ denominator (the unit's value in
--   service_index_766); shortfall_share = the row's shortfall / the unit's total shortfall; points_cost =
--   points_lost × shortfall_share, so the rows' points_cost add up to points_lost. Dossier metrics
--   (DOSSIER_SYNC, PROGRESS_ON_TIME, FULL_ONLINE_SHARE, PAYMENT_DOSSIER_SHARE, ORIGINAL_RESULT_AVAILABLE,
--   SO_HOA_GIAY_TO_GIAI_QUYET, REUSED_DIGITIZED_DATA, SYNCED_WITH_DVCQG_PERSONAL_STORAGE,
--   CITIZEN_DATA_CONNECTED_DOSSIER, DOSSIER_RECEIVING_SATISFACTION) count dossiers; catalogue metrics
--   (PUBLISH_ON_TIME, PUBLIC_UPDATE_ON_TIME, PUBLIC_CONTENT_FULL, CITIZEN_DATA_CONNECTED_FORMALITY) count the
--   province catalogue's active procedures not flagged; PAYMENT_PROCEDURE_SHARE counts fee procedures with a
--   fee dossier received but none paid online; PAYMENT_PROCEDURE_COVERAGE the fee procedures the unit can
--   receive with no dossier received. Petition metrics and ELECTRONIC_CERTIFIED_COPY are not measured on
--   procedures: no rows. The dossiers of a unit are its own; of a province, every dossier of the province
--   (as service_index_766 at level province). The field of a dossier is its procedure's field in the
--   province's catalogue, else the field in the export; by = field sums the procedures of each field. Rows
--   with a shortfall only, the costliest first.
with
year_bounds as (
    select
        cast(cast($year as varchar) || '-01-01' as date) as year_start,
        cast(cast($year + 1 as varchar) || '-01-01' as date) as year_end
),

-- one row per unit: its level and province, from its latest validity row (as service_index_766)
unit_latest as (
    select unit_code, level, province_code
    from (
        select
            unit_code,
            level,
            province_code,
            row_number() over (partition by unit_code order by valid_from desc) as row_rank
        from units
    ) as ranked
    where row_rank = 1
),

target_unit as (
    select unit_code, level, province_code
    from unit_latest
    where unit_code = $unit_code
),

-- the units whose dossiers count for the unit: itself; for a province, every unit of the province
source_units as (
    select
        u.unit_code as source_code,
        t.province_code
    from unit_latest as u
    inner join target_unit as t
        on (t.level = 'province' and u.province_code = t.province_code)
        or (t.level <> 'province' and u.unit_code = t.unit_code)
),

-- dossiers that can count in the year (as service_index_766): received by its end, not finished before it
scoped_dossiers as (
    select
        d.procedure_code,
        p.name as procedure_name,
        coalesce(p.field_code, d.field_code) as field_code,
        p.field_name,
        d.status,
        d.online_level,
        cast(d.received_at as date) as received_date,
        cast(d.due_at as date) as due_date,
        cast(d.resolved_at as date) as resolved_date,
        coalesce(d.has_fee, p.has_fee) as has_fee,
        coalesce(p.full_online_eligible, false) as full_online_eligible,
        d.paid_online,
        d.dossier_digitised,
        d.result_electronic,
        d.data_reused,
        d.digitised_shared,
        d.citizen_data_used,
        d.synced_on_time,
        d.rated_satisfied
    from dossiers as d
    inner join source_units as s on d.unit_code = s.source_code
    cross join year_bounds as b
    left join procedures as p
        on d.procedure_code = p.procedure_code and s.province_code = p.province_code
    where
        d.year <= $year
        and cast(d.received_at as date) < b.year_end
        and (d.resolved_at is null or cast(d.resolved_at as date) >= b.year_start)
),

-- what each dossier counts as in the year (definitions of service_index_766, period = year)
dossier_flags as (
    select
        d.*,
        b.year_end,
        d.received_date >= b.year_start as is_received,
        d.status = 'resolved'
        and d.resolved_date >= b.year_start
        and d.resolved_date < b.year_end as is_resolved,
        d.status not in ('resolved', 'rejected', 'withdrawn') or d.resolved_date >= b.year_end as is_in_progress,
        d.status in ('resolved', 'rejected', 'withdrawn')
        and d.resolved_date >= b.year_start
        and d.resolved_date < b.year_end as is_closed
    from scoped_dossiers as d
    cross join year_bounds as b
),

-- each dossier in the denominator and numerator of the metric and numerator (the numerator is a subset of the denominator)
dossier_terms as (
    select
        procedure_code,
        procedure_name,
        field_code,
        field_name,
        case $metric_code
            when 'DOSSIER_SYNC' then is_received
            when 'PROGRESS_ON_TIME' then is_resolved or is_in_progress
            when 'FULL_ONLINE_SHARE' then is_received and full_online_eligible
            when 'PAYMENT_DOSSIER_SHARE' then is_received and has_fee
            when 'ORIGINAL_RESULT_AVAILABLE' then is_resolved
            when 'SO_HOA_GIAY_TO_GIAI_QUYET' then is_received
            when 'REUSED_DIGITIZED_DATA' then is_received
            when 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE' then is_received and dossier_digitised
            when 'CITIZEN_DATA_CONNECTED_DOSSIER' then is_received
            when 'DOSSIER_RECEIVING_SATISFACTION' then is_closed and rated_satisfied is not null
            else false
        end as in_denominator,
        case $metric_code
            when 'DOSSIER_SYNC' then synced_on_time
            when 'PROGRESS_ON_TIME' then
                (is_resolved and resolved_date <= coalesce(due_date, resolved_date))
                or (is_in_progress and (due_date is null or due_date >= year_end))
            when 'FULL_ONLINE_SHARE' then online_level = 'full'
            when 'PAYMENT_DOSSIER_SHARE' then paid_online
            when 'ORIGINAL_RESULT_AVAILABLE' then result_electronic
            when 'SO_HOA_GIAY_TO_GIAI_QUYET' then dossier_digitised
            when 'REUSED_DIGITIZED_DATA' then data_reused
            when 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE' then digitised_shared
            when 'CITIZEN_DATA_CONNECTED_DOSSIER' then citizen_data_used
            when 'DOSSIER_RECEIVING_SATISFACTION' then rated_satisfied
            else false
        end as in_numerator
    from dossier_flags
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

-- the procedures of the province catalogue active in the year (announced before its end, not abolished by its start)
catalogue_active as (
    select
        c.procedure_code,
        c.name as procedure_name,
        c.field_code,
        c.field_name,
        c.has_fee,
        c.authority_level,
        c.published_on_time,
        c.public_updated_on_time,
        c.public_content_full,
        c.citizen_data_connected
    from procedures as c
    inner join target_unit as t on c.province_code = t.province_code
    cross join year_bounds as b
    where c.published_at < b.year_end and (c.abolished_at is null or c.abolished_at > b.year_start)
),

catalogue_contributions as (
    select
        procedure_code,
        procedure_name,
        field_code,
        field_name,
        1 as denominator,
        case
            when
                case $metric_code
                    when 'PUBLISH_ON_TIME' then published_on_time
                    when 'PUBLIC_UPDATE_ON_TIME' then public_updated_on_time
                    when 'PUBLIC_CONTENT_FULL' then public_content_full
                    when 'CITIZEN_DATA_CONNECTED_FORMALITY' then citizen_data_connected
                end
                then 1
            else 0
        end as numerator
    from catalogue_active
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
            or c.authority_level = case t.level when 'district' then 'district' else 'province' end
        )
),

contributions as (
    select procedure_code, procedure_name, field_code, field_name, denominator, numerator
    from dossier_contributions
    union all
    select procedure_code, procedure_name, field_code, field_name, denominator, numerator
    from catalogue_contributions
    where $metric_code in (
        'PUBLISH_ON_TIME', 'PUBLIC_UPDATE_ON_TIME', 'PUBLIC_CONTENT_FULL', 'CITIZEN_DATA_CONNECTED_FORMALITY'
    )
    union all
    select procedure_code, procedure_name, field_code, field_name, denominator, numerator
    from payment_procedures
    where $metric_code = 'PAYMENT_PROCEDURE_SHARE'
    union all
    select procedure_code, procedure_name, field_code, field_name, denominator, numerator
    from coverage_procedures
    where $metric_code = 'PAYMENT_PROCEDURE_COVERAGE'
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
