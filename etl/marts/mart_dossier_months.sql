-- name: mart_dossier_months
-- description: Dossier counts per unit, field and month: what every dossier KPI and Decision 766 dossier
--   metric needs, so that charts add up a few thousand rows instead of scanning every dossier.
-- grain: one row per unit_code × field_code × month_start with a dossier counted in the month
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- columns: year INTEGER, month_start DATE, unit_code VARCHAR, field_code VARCHAR, received BIGINT,
--   received_online BIGINT, received_eligible BIGINT, received_full_online BIGINT, received_with_fee BIGINT,
--   received_paid_online BIGINT, received_digitised BIGINT, received_rejected BIGINT,
--   received_synced_on_time BIGINT, received_data_reused BIGINT, received_digitised_shared BIGINT,
--   received_citizen_data BIGINT, resolved BIGINT, resolved_on_time BIGINT, resolved_early BIGINT,
--   resolved_late BIGINT, resolved_electronic BIGINT, closed BIGINT, closed_rated BIGINT,
--   closed_rated_satisfied BIGINT, in_progress BIGINT, overdue_in_progress BIGINT, first_received_date DATE,
--   last_received_date DATE
-- method: The definitions of dossier_kpis and service_index_766 (queries/from_rows/), month by month.
--   received_*, resolved_* and closed_* count events of the month, so a quarter or a year is the sum of
--   its months; in_progress and overdue_in_progress are the state at the end of the month (received by
--   then, not resolved, rejected or withdrawn by then; overdue: due before the next month's first day), so
--   a quarter's or a year's value is that of its last month. As in those queries, a dossier counts in a
--   year only if it was not finished before the year began; field_code is the procedure's field in the
--   province's catalogue, else the export's; fee and full-online eligibility come from the dossier, else
--   from its procedure. The unit is the dossier's own unit: queries group units into provinces and pick
--   levels at run time. Months from_year-01 to to_year-12 (the years of the dossiers in the lake).
with
unit_latest as (
    select unit_code, province_code
    from units
    qualify row_number() over (partition by unit_code order by valid_from desc) = 1
),

dossier_facts as (
    select
        d.unit_code,
        coalesce(p.field_code, d.field_code) as field_code,
        d.status,
        d.channel,
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
        d.rated_satisfied,
        -- the months the dossier can count in: from the month received to the month processing ended
        -- (to the last month of the lake while it is still open)
        date_trunc('month', cast(d.received_at as date)) as first_month,
        case
            when d.status in ('resolved', 'rejected', 'withdrawn')
                then date_trunc('month', cast(d.resolved_at as date))
            else make_date($to_year, 12, 1)
        end as last_month
    from dossiers as d
    inner join unit_latest as u on d.unit_code = u.unit_code
    left join procedures as p
        on d.procedure_code = p.procedure_code and u.province_code = p.province_code
    where
        d.year <= $to_year
        and (d.resolved_at is null or cast(d.resolved_at as date) >= make_date($from_year, 1, 1))
),

dossier_months as (
    select
        *,
        month_start + interval 1 month as month_end,
        -- counted in the month's year only when not finished before that year began
        resolved_date is null or resolved_date >= make_date(year(month_start), 1, 1) as counts_in_year
    from (
        select
            *,
            cast(unnest(generate_series(
                greatest(first_month, make_date($from_year, 1, 1)), least(last_month, make_date($to_year, 12, 1)),
                interval 1 month
            )) as date) as month_start
        from dossier_facts
    )
),

flagged as (
    select
        *,
        counts_in_year and received_date >= month_start as is_received,
        counts_in_year and status = 'resolved' and resolved_date >= month_start and resolved_date < month_end
            as is_resolved,
        counts_in_year and (status not in ('resolved', 'rejected', 'withdrawn') or resolved_date >= month_end)
            as is_in_progress,
        counts_in_year
        and status in ('resolved', 'rejected', 'withdrawn')
        and resolved_date >= month_start
        and resolved_date < month_end as is_closed
    from dossier_months
)

select
    cast(year(month_start) as integer) as year,
    month_start,
    unit_code,
    field_code,
    count(case when is_received then 1 end) as received,
    count(case when is_received and channel = 'online' then 1 end) as received_online,
    count(case when is_received and full_online_eligible then 1 end) as received_eligible,
    count(case when is_received and full_online_eligible and online_level = 'full' then 1 end)
        as received_full_online,
    count(case when is_received and has_fee then 1 end) as received_with_fee,
    count(case when is_received and has_fee and paid_online then 1 end) as received_paid_online,
    count(case when is_received and dossier_digitised then 1 end) as received_digitised,
    count(case when is_received and status = 'rejected' then 1 end) as received_rejected,
    count(case when is_received and synced_on_time then 1 end) as received_synced_on_time,
    count(case when is_received and data_reused then 1 end) as received_data_reused,
    count(case when is_received and dossier_digitised and digitised_shared then 1 end) as received_digitised_shared,
    count(case when is_received and citizen_data_used then 1 end) as received_citizen_data,
    count(case when is_resolved then 1 end) as resolved,
    count(case when is_resolved and resolved_date <= coalesce(due_date, resolved_date) then 1 end)
        as resolved_on_time,
    count(case when is_resolved and resolved_date < due_date then 1 end) as resolved_early,
    count(case when is_resolved and resolved_date > due_date then 1 end) as resolved_late,
    count(case when is_resolved and result_electronic then 1 end) as resolved_electronic,
    count(case when is_closed then 1 end) as closed,
    count(case when is_closed and rated_satisfied is not null then 1 end) as closed_rated,
    count(case when is_closed and rated_satisfied then 1 end) as closed_rated_satisfied,
    count(case when is_in_progress then 1 end) as in_progress,
    count(case when is_in_progress and due_date < month_end then 1 end) as overdue_in_progress,
    min(case when is_received then received_date end) as first_received_date,
    max(case when is_received then received_date end) as last_received_date
from flagged
group by month_start, unit_code, field_code
having count(case when is_received or is_resolved or is_in_progress or is_closed then 1 end) > 0
order by month_start, unit_code, field_code
