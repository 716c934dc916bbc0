-- name: quarantine_summary
-- description: Quarantined values counted by load, source file and reason: what the ETL rejected and why.
-- grain: one row per load × source file × reason
-- key: load_id, source_file, reason
-- params: none
-- columns: load_id, kind, source_file, reason, rows, cells
-- disclosure: paths source_file
-- method: rows = distinct rows of the file with at least one value rejected for the reason; cells = rejected
--   values (a row can have several, e.g. two bad dates). A row counts once per reason it has, so rows summed
--   over reasons can exceed the rows quarantined of the load log. kind comes from the load log (empty if the
--   log lacks the file). Reasons are the codes of etl.contract.REASONS. Most rows first.
-- scope: none
with counts as (
    select
        q.load_id,
        q.source_file,
        q.reason,
        count(distinct q.row_number) as rows,
        count(*) as cells
    from quarantine as q
    group by q.load_id, q.source_file, q.reason
),

file_kinds as (
    select distinct
        load_id,
        source_file,
        kind
    from load_log
),

final as (
    select
        c.load_id,
        k.kind,
        c.source_file,
        c.reason,
        c.rows,
        c.cells
    from counts as c
    left join file_kinds as k on k.load_id = c.load_id and k.source_file = c.source_file
)

select * from final
order by rows desc, cells desc, load_id desc, source_file, reason
