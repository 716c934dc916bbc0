-- name: published_766_rows
-- description: Building block (not a public query): the portal's Decision 766 score rows as loaded, with
--   the list each row is ranked in.
-- grain: one row per unit × period × snapshot (as_of) × listing, as loaded
-- params: none
-- columns: unit_code, portal_code, province_code, level, listing, year, period_type, period_start,
--          period_label, as_of, total_score, published_rank, ckmb, tdgq, clgq, tttt, mdsh, mdhl, rank_group
-- method: Scores as published, points as doubles (groups ckmb of 18, tdgq of 20, clgq of 12, tttt of 10,
--   mdsh of 22, mdhl of 18 points). rank_group is the list a unit is ranked in: `all` for the provinces
--   (the 34 together), the province's code for its departments or communes.
select
    s.unit_code,
    s.portal_code,
    s.province_code,
    s.level,
    s.listing,
    s.year,
    s.period_type,
    s.period_start,
    s.period_label,
    s.as_of,
    cast(s.total_score as double) as total_score,
    s.published_rank,
    cast(s.ckmb as double) as ckmb,
    cast(s.tdgq as double) as tdgq,
    cast(s.clgq as double) as clgq,
    cast(s.tttt as double) as tttt,
    cast(s.mdsh as double) as mdsh,
    cast(s.mdhl as double) as mdhl,
    case when s.level = 'province' then 'all' else s.province_code end as rank_group
from published_766_scores as s
