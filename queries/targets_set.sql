-- name: targets_set
-- description: The targets the plans set for a year, as set: per indicator and unit (or `all`), the comparator and the target value, without actual values (targets_gap compares them).
-- grain: one row per target of the year (a target set for `all` is one row, unit_code `all`)
-- key: indicator, unit_code
-- params: year INTEGER (required)
-- columns: indicator, unit_code, target, comparator
-- source: targets from the plans that set them (targets.source)
-- method: As targets_gap names them: a target limited to a field (field_code set and not `all`) reads
--   `<indicator>:<field_code>` (e.g. on_time_rate:G09), else the indicator as given. unit_code is the code
--   the plan gave, or `all` (every unit, at every level). Rates are fractions (0.85), as target values
--   are. A chart's target line and a card's target read it: a unit's own target, else the one set for
--   `all`; computing no actual value, it costs a read of the targets table only. A viewer restricted to some units sees the targets of their units and those set
--   for `all`; a viewer no rule matched sees none.
-- scope: none
with year_targets as (
    select
        case
            when field_code is null or field_code = 'all' then indicator
            else indicator || ':' || field_code
        end as indicator,
        unit_code,
        cast(value as double) as target,
        comparator
    from targets
    where year = $year
)

select indicator, unit_code, target, comparator
from year_targets
where
    -- a target set for `all` belongs to every viewer who may see some unit; a unit's target to its viewers
    $scope is null
    or array_contains($scope, unit_code)
    or (unit_code = 'all' and array_length($scope) > 0)
order by indicator, unit_code
