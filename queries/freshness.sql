-- name: freshness
-- description: Freshness of each data source: rows in the lake, the period the data cover ("data as of"), and the last file loaded.
-- grain: one row per load kind (units, procedures, dossiers, feedback, survey, par, papi, targets)
-- key: kind
-- params: none
-- columns: kind, table_name, table_rows, data_from, data_as_of, files_loaded, rows_quarantined, last_loaded_at,
--          last_source_file
-- disclosure: paths last_source_file
-- method: table_rows = rows now in the lake table (after upserts; dossiers counted from the mart by
--   dossier_stats). data_from / data_as_of = the first and the
--   last day the data describe: dossiers and petitions the first and last received date; survey, PAR, PAPI
--   and targets 1 January of the first year and 31 December of the last; procedures the first and last
--   announcement date; units the first validity start and the last day of validity (or start, for units
--   still valid). files_loaded, rows_quarantined and
--   last_loaded_at (end of the last load) come from the load log (files loaded with status `loaded`);
--   last_source_file is the file of that last load. A kind never loaded has empty load columns (units are
--   seeded from the GSO list and reference tables on the first load without a log row).
-- scope: none
-- uses: dossier_stats
with table_stats as (
    select
        'units' as kind,
        'units' as table_name,
        count(*) as table_rows,
        min(valid_from) as data_from,
        max(coalesce(valid_to, valid_from)) as data_as_of
    from units
    union all
    select
        'procedures' as kind,
        'procedures' as table_name,
        count(*) as table_rows,
        min(published_at) as data_from,
        max(published_at) as data_as_of
    from procedures
    union all
    select
        'dossiers' as kind,
        'dossiers' as table_name,
        table_rows,
        data_from,
        data_as_of
    from dossier_stats
    union all
    select
        'feedback' as kind,
        'feedback' as table_name,
        count(*) as table_rows,
        min(cast(received_at as date)) as data_from,
        max(cast(received_at as date)) as data_as_of
    from feedback
    union all
    select
        'survey' as kind,
        'survey_responses' as table_name,
        count(*) as table_rows,
        cast(cast(min(year) as varchar) || '-01-01' as date) as data_from,
        cast(cast(max(year) as varchar) || '-12-31' as date) as data_as_of
    from survey_responses
    union all
    select
        'par' as kind,
        'par_scores' as table_name,
        count(*) as table_rows,
        cast(cast(min(year) as varchar) || '-01-01' as date) as data_from,
        cast(cast(max(year) as varchar) || '-12-31' as date) as data_as_of
    from par_scores
    union all
    select
        'papi' as kind,
        'papi_scores' as table_name,
        count(*) as table_rows,
        cast(cast(min(year) as varchar) || '-01-01' as date) as data_from,
        cast(cast(max(year) as varchar) || '-12-31' as date) as data_as_of
    from papi_scores
    union all
    select
        'targets' as kind,
        'targets' as table_name,
        count(*) as table_rows,
        cast(cast(min(year) as varchar) || '-01-01' as date) as data_from,
        cast(cast(max(year) as varchar) || '-12-31' as date) as data_as_of
    from targets
),

loads as (
    select
        kind,
        count(*) as files_loaded,
        cast(sum(rows_quarantined) as bigint) as rows_quarantined,
        max(finished_at) as last_loaded_at
    from load_log
    where status = 'loaded'
    group by kind
),

last_files as (
    select
        kind,
        source_file
    from (
        select
            kind,
            source_file,
            row_number() over (partition by kind order by finished_at desc, load_id desc, source_file) as pick
        from load_log
        where status = 'loaded'
    ) as ranked
    where pick = 1
),

final as (
    select
        s.kind,
        s.table_name,
        s.table_rows,
        s.data_from,
        s.data_as_of,
        coalesce(l.files_loaded, 0) as files_loaded,
        coalesce(l.rows_quarantined, 0) as rows_quarantined,
        l.last_loaded_at,
        f.source_file as last_source_file
    from table_stats as s
    left join loads as l on l.kind = s.kind
    left join last_files as f on f.kind = s.kind
)

select * from final
order by
    case kind
        when 'dossiers' then 1
        when 'feedback' then 2
        when 'survey' then 3
        when 'par' then 4
        when 'papi' then 5
        when 'targets' then 6
        when 'procedures' then 7
        else 8
    end
