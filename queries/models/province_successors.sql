-- name: province_successors
-- description: Building block (not a public query): today's province of each province of before the
--   1 July 2025 reform, and from when.
-- grain: one row per province code that became part of another (old_code)
-- params: none
-- columns: old_code, new_code, effective
-- method: From unit_crosswalk's province-to-province pairs (provinces were merged whole on 1 July 2025,
--   so each has one successor; min() keeps one row should a code ever have two).
select
    old_code,
    min(new_code) as new_code,
    min(effective) as effective
from unit_crosswalk
where old_level = 'province' and new_level = 'province'
group by old_code
