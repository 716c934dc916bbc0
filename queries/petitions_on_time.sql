-- name: petitions_on_time
-- description: Petitions about procedures and officials (PAKN) handled on time per unit and period, against the 100 % target.
-- grain: one row per unit_code × period_start, for units with a petition received, answered or open in the period
-- key: unit_code, period_start
-- uses: report_petition_counts, report_unit_names
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL;
--         target_share DOUBLE = 1
-- columns: unit_code, unit_name, period_start, petitions, answered, answered_on_time, open_overdue,
--          in_time, on_time_share, target_share, approximate
-- source: petition (PAKN) exports (feedback); Decision 766/QĐ-TTg, metric PETITION_PROCESSING_ON_TIME; the
--         100 % target (every petition received, handled and answered on time) is Hà Nội's
-- disclosure: counts petitions, answered, answered_on_time, open_overdue, in_time;
--   group petitions, answered, answered_on_time, open_overdue, in_time by parent(unit_code), period_start;
--   group petitions by unit_code; on_time_share from in_time, petitions
-- method: The counts of report_petition_counts, the block the Decision 766 metric is computed from: a
--   petition belongs to the unit its code named on its received date; petitions = received in the period;
--   answered = of those, answered by the period's end; answered_on_time = answered on or before the due
--   date (no due date: on time); open_overdue = still open at the end and due before it; in_time =
--   answered on time, plus those still open and not overdue at the end ("gồm đang xử lý trong hạn", as the
--   766 metric counts them). on_time_share = in_time / petitions, the 766 metric's rate; empty when no
--   petition was received. Levels, units of both eras and re-basing as dossier_kpis.
with final as (
    select
        c.report_code as unit_code,
        n.unit_name,
        c.part_start as period_start,
        cast(floor(c.petitions + 0.5) as bigint) as petitions,
        cast(floor(c.petitions_answered + 0.5) as bigint) as answered,
        cast(floor(c.petitions_answered_on_time + 0.5) as bigint) as answered_on_time,
        cast(floor(c.petitions_open_overdue + 0.5) as bigint) as open_overdue,
        cast(floor(c.petitions_in_time + 0.5) as bigint) as in_time,
        cast(c.petitions_in_time as double) / nullif(c.petitions, 0) as on_time_share,
        cast($target_share as double) as target_share,
        c.approximate
    from report_petition_counts as c
    left join report_unit_names as n
        on n.report_code = c.report_code and n.report_formed_on = c.report_formed_on and n.period_start = c.period_start
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code, period_start
