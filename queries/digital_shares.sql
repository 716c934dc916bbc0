-- name: digital_shares
-- description: Data reuse and digital signatures per unit and period: the share of received dossiers that re-used data the state holds (against the 30 % target), of dossiers received with a digital signature, and of results signed digitally.
-- grain: one row per unit_code × period_start, for units with a dossier received or resolved in the period
-- key: unit_code, period_start
-- uses: counted_dossiers_all as counted_dossiers, report_month_counts, report_unit_names
-- params: year INTEGER (required); period VARCHAR = 'year' (year|quarter|month);
--         level VARCHAR = 'district' (district|province|commune|department);
--         units VARCHAR = 'as_published' (as_published|current); province_code VARCHAR = NULL;
--         reuse_target DOUBLE = 0.3
-- columns: unit_code, unit_name, period_start, received, data_reused, data_reuse_share, reuse_target,
--          signed_reported, received_signed, received_signed_share, resolved, result_signed_reported,
--          result_signed, result_signed_share, approximate
-- source: one-stop-shop dossier exports: Tái sử dụng dữ liệu, Hồ sơ có chữ ký số, Kết quả có chữ ký số
--         (docs/data-contract.md); the 30 % reuse target (citizens and firms not re-submitting what the
--         state holds) is Hà Nội's
-- disclosure: counts received, data_reused, signed_reported, received_signed, resolved, result_signed_reported,
--   result_signed; group received, data_reused, signed_reported, received_signed, resolved,
--   result_signed_reported, result_signed by parent(unit_code), period_start; group received, data_reused,
--   signed_reported, received_signed, resolved, result_signed_reported, result_signed by unit_code;
--   data_reuse_share share of received; received_signed_share share of signed_reported;
--   result_signed_share share of result_signed_reported; data_reuse_share from data_reused;
--   received_signed_share from received_signed; result_signed_share from result_signed
-- method: Counts of dossier_window_flags, read from the mart mart_dossier_months as dossier_kpis reads
--   them (levels, units of both eras, re-basing and period parts alike). data_reuse_share = received
--   dossiers flagged data_reused / dossiers received (an empty flag counts as not re-used, as in the 766
--   metric REUSED_DIGITIZED_DATA). The signature columns are new in exports, so their shares are taken over
--   the dossiers whose export says yes or no: received_signed_share = received with a digital signature /
--   received dossiers whose export has the flag (signed_reported); result_signed_share = resolved with a
--   signed result / resolved dossiers whose export has the flag (result_signed_reported); empty (no data)
--   when no dossier of the unit and period has it. A share is empty when its denominator is 0.
with shares as (
    select *
    from report_month_counts
    where received + resolved > 0
),

final as (
    select
        m.report_code as unit_code,
        n.unit_name,
        m.part_start as period_start,
        cast(floor(m.received + 0.5) as bigint) as received,
        cast(floor(m.received_data_reused + 0.5) as bigint) as data_reused,
        cast(m.received_data_reused as double) / nullif(m.received, 0) as data_reuse_share,
        cast($reuse_target as double) as reuse_target,
        cast(floor(m.received_signed_reported + 0.5) as bigint) as signed_reported,
        cast(floor(m.received_signed + 0.5) as bigint) as received_signed,
        cast(m.received_signed as double) / nullif(m.received_signed_reported, 0) as received_signed_share,
        cast(floor(m.resolved + 0.5) as bigint) as resolved,
        cast(floor(m.resolved_result_signed_reported + 0.5) as bigint) as result_signed_reported,
        cast(floor(m.resolved_result_signed + 0.5) as bigint) as result_signed,
        cast(m.resolved_result_signed as double) / nullif(m.resolved_result_signed_reported, 0) as result_signed_share,
        m.approximate
    from shares as m
    left join report_unit_names as n
        on n.report_code = m.report_code and n.report_formed_on = m.report_formed_on and n.period_start = m.period_start
)

select * from final
where $scope is null or array_contains($scope, unit_code)
order by unit_name collate vi nulls last, unit_code, period_start
