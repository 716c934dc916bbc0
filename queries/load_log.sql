-- name: load_log
-- description: The load log: every file the ETL loaded, with its hash, rows read, accepted and quarantined, and when.
-- grain: one row per loaded file, newest load first
-- key: load_id, source_file
-- params: kind VARCHAR = NULL (units|procedures|dossiers|feedback|survey|par|papi|targets); limit INTEGER = 500
-- columns: load_id, kind, source_file, sha256, rows_read, rows_accepted, rows_quarantined, started_at,
--          finished_at, status, message, is_demo
-- disclosure: paths source_file; hashes sha256; texts message
-- method: As the ETL wrote it (etl/load.py): one row per file of a load call; a file whose sha256 was loaded
--   before is skipped and not logged again. rows_quarantined counts rows with at least one rejected value
--   (a row is quarantined whole); their values and reasons are in quarantine_summary and quarantine_rows.
--   message names the personal-data columns dropped on read and the columns ignored. Newest first (load id,
--   then start time, then file), at most `limit` rows.
-- scope: none
with final as (
    select
        load_id,
        kind,
        source_file,
        sha256,
        rows_read,
        rows_accepted,
        rows_quarantined,
        started_at,
        finished_at,
        status,
        message,
        is_demo
    from load_log
    where $kind is null or kind = $kind
)

select * from final
order by load_id desc, started_at desc, source_file
limit $limit
