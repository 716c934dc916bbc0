-- name: lake_state
-- description: The published state of the lake: the load id, when it was published and whether it holds demo data.
-- grain: one row (the lake's current catalogue)
-- key: none
-- params: none
-- columns: load_id, published_at, is_demo
-- method: Read from the catalogue the ETL writes at each publish (etl/lake.py); load_id changes with every
--   load, so it keys caches. is_demo is true when any load of the lake came from `python -m etl demo`.
-- scope: none
with final as (
    select
        load_id,
        published_at,
        is_demo
    from lake_state
)

select * from final
