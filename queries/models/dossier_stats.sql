-- name: dossier_stats
-- description: Building block of freshness (not a public query): how many dossiers the lake holds and the
--   first and last day one was received.
-- grain: one row
-- params: none
-- columns: table_rows, data_from, data_as_of
-- method: Every dossier is received in one month of the mart mart_dossier_months; the same over raw rows
--   is queries/from_rows/models/dossier_stats.sql (tests prove them equal).
select
    cast(coalesce(sum(received), 0) as bigint) as table_rows,
    min(first_received_date) as data_from,
    max(last_received_date) as data_as_of
from mart_dossier_months
