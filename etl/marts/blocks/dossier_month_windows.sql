-- name: dossier_month_windows
-- description: Building block of the marts: each dossier against every month it can count in, from the
--   month it was received to the month its processing ended (to the last month of the lake while it is
--   open), within the years rebuilt.
-- grain: one row per dossier × month
-- params: from_year INTEGER (required); to_year INTEGER (required)
-- uses: dossier_facts
-- columns: the dossier_facts columns the month mart counts with (unit_code, unit_formed_on, field_code,
--   status, channel, online_level, the dates and the flags), then window_start (the month's first day),
--   window_end (the next month's first day)
-- method: Only the columns the mart counts are carried (a dossier is repeated once per month: wide text
--   columns such as names would make every copy heavy). Only the years from_year..to_year are expanded (a load rebuilds the years it changed); a dossier
--   finished before from_year began counts in none of them.
select
    *,
    cast(window_start + interval 1 month as date) as window_end
from (
    select
        unit_code,
        unit_formed_on,
        field_code,
        status,
        channel,
        online_level,
        received_date,
        due_date,
        resolved_date,
        has_fee,
        full_online_eligible,
        paid_online,
        dossier_digitised,
        result_electronic,
        data_reused,
        digitised_shared,
        citizen_data_used,
        synced_on_time,
        received_signed,
        result_signed,
        rated_satisfied,
        cast(unnest(generate_series(
            greatest(cast(date_trunc('month', received_date) as date), make_date($from_year, 1, 1)),
            least(
                case
                    when status in ('resolved', 'rejected', 'withdrawn')
                        then cast(date_trunc('month', resolved_date) as date)
                    else make_date($to_year, 12, 1)
                end,
                make_date($to_year, 12, 1)
            ),
            interval 1 month
        )) as date) as window_start
    from dossier_facts
    where year <= $to_year and (resolved_date is null or resolved_date >= make_date($from_year, 1, 1))
)
