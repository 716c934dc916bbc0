-- name: dossier_stats
-- description: Building block of freshness over raw rows (the specification of
--   queries/models/dossier_stats.sql): how many dossiers the lake holds and the first and last received day.
-- grain: one row
-- params: none
-- columns: table_rows, data_from, data_as_of
select
    count(*) as table_rows,
    min(cast(received_at as date)) as data_from,
    max(cast(received_at as date)) as data_as_of
from dossiers
