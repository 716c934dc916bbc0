-- name: province_lineage
-- description: The provinces of both eras of the 1 July 2025 reform, each with the days it existed and the province of today's list it is now part of: which published figures belong to which province, and the predecessors to list under today's province.
-- grain: one row per province: a province code with its formed_on (docs/units.md: a code given to a new province is a new province, 52 Bình Định to 30 June 2025 and 52 Gia Lai from 1 July 2025; a rename is the same one)
-- key: province_code, formed_on
-- params: current_code VARCHAR = NULL
-- uses: province_successors
-- columns: province_code, formed_on, province_name, short_name, valid_from, valid_to, current_code, current_name
-- source: units (data/reference/units/units.csv, and any units loaded), unit_crosswalk
--   (data/reference/units/crosswalk_2025.csv)
-- method: The `units` rows of level province grouped by code and formed_on (the day the province took its
--   territory; renames keep it: Tỉnh Bắc Ninh became Thành phố Bắc Ninh on 20 September 2026, one
--   province). province_name and short_name are its latest names; valid_from its first day, valid_to its
--   last (empty while it exists). current_code is the province of today's list it is part of: its own
--   code while it exists; for a province that ended, the successor of its province-to-province
--   `unit_crosswalk` row that took effect after it ended (provinces merged whole on 1 July 2025: 52 Bình
--   Định and 64 Gia Lai both have current_code 52), empty when none is known. current_name is that
--   province's name today. With current_code, only the provinces now part of that province of today's
--   list, itself included (52: Gia Lai, Bình Định and the former Gia Lai, 64). A published yearly figure belongs to the province whose code it was published
--   under and whose days hold 31 December of its year; a figure of a day (the portal's 766 scores), to the
--   one whose days hold that day. Names of provinces only, no figure: every viewer gets every row (the
--   number of provinces of a year is counted from them).
-- scope: none
with province_rows as (
    select
        unit_code,
        formed_on,
        name,
        short_name,
        valid_from,
        valid_to
    from units
    where level = 'province'
),

provinces as (
    select
        unit_code,
        formed_on,
        min(valid_from) as valid_from,
        case when count(*) = count(valid_to) then max(valid_to) end as valid_to,
        max(valid_from) as last_from
    from province_rows
    group by unit_code, formed_on
),

latest_names as (
    select
        p.unit_code,
        p.formed_on,
        max(r.name) as name,
        max(r.short_name) as short_name
    from provinces as p
    inner join province_rows as r
        on r.unit_code = p.unit_code and r.formed_on = p.formed_on and r.valid_from = p.last_from
    group by p.unit_code, p.formed_on
),

linked as (
    select
        p.unit_code as province_code,
        p.formed_on,
        n.name as province_name,
        n.short_name,
        p.valid_from,
        p.valid_to,
        case
            when p.valid_to is null then p.unit_code
            when s.effective > p.valid_to then s.new_code
        end as current_code
    from provinces as p
    inner join latest_names as n on n.unit_code = p.unit_code and n.formed_on = p.formed_on
    left join province_successors as s on s.old_code = p.unit_code
),

current_names as (
    select
        province_code,
        max(province_name) as current_name
    from linked
    where valid_to is null
    group by province_code
)

select
    l.province_code,
    l.formed_on,
    l.province_name,
    l.short_name,
    l.valid_from,
    l.valid_to,
    l.current_code,
    c.current_name
from linked as l
left join current_names as c on c.province_code = l.current_code
where $current_code is null or l.current_code = $current_code
order by l.current_code nulls last, l.valid_to nulls first, l.province_name collate vi, l.province_code
