"""The service-measure builders (ui/charts/service.py) on hand-made frames with the queries' columns
(waiting_time, digital_shares, petitions_on_time, one_stop_network): what is plotted is the frame returned,
the two wait sources are never drawn together, and target lines are named with their source."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ui.charts import service

Y2023, Y2024 = dt.date(2023, 1, 1), dt.date(2024, 1, 1)


def waits() -> pl.DataFrame:
    rows = [  # unit, name, source, visits, not called, median, p90, within 30
        ("001", "Quận Ba Đình", "queue_tickets", 200, 6, 34.5, 61.0, 0.42),
        ("002", "Quận Hoàn Kiếm", "queue_tickets", 150, 4, 27.0, 49.5, 0.58),
        ("001", "Quận Ba Đình", "dossiers", 90, 0, 12.0, 20.0, 0.97),
    ]
    return pl.DataFrame(
        {
            "unit_code": [r[0] for r in rows],
            "unit_name": [r[1] for r in rows],
            "period_start": [Y2024] * 3,
            "source": [r[2] for r in rows],
            "visits": [r[3] for r in rows],
            "not_called": [r[4] for r in rows],
            "mean_wait_minutes": [r[5] for r in rows],
            "median_wait_minutes": [r[5] for r in rows],
            "p90_wait_minutes": [r[6] for r in rows],
            "within_target_share": [r[7] for r in rows],
            "target_minutes": [30.0] * 3,
            "approximate": [False] * 3,
        }
    )


def test_wait_chart_draws_one_source_longest_median_first_against_the_target() -> None:
    chart = service.wait_chart(waits(), "queue_tickets", "Mục tiêu 30 phút (Kế hoạch CCHC của TP Hà Nội)", lang="vi")
    table = chart.table
    assert table["Đơn vị"].to_list() == ["Quận Ba Đình", "Quận Hoàn Kiếm"]  # 34.5 before 27.0; no dossier row
    assert table["Trung vị (phút)"].to_list() == [34.5, 27.0]
    assert table["Phân vị 90 (phút)"].to_list() == [61.0, 49.5]
    assert table["Trong mục tiêu (%)"].to_list() == [42.0, 58.0]
    figure = chart.figure
    bar, p90, target = figure.data
    assert list(bar.x) == [34.5, 27.0] and list(p90.x) == [61.0, 49.5]
    assert target.name == "Mục tiêu 30 phút (Kế hoạch CCHC của TP Hà Nội)"
    assert [shape.x0 for shape in figure.layout.shapes] == [30.0]
    dossiers = service.wait_chart(waits(), "dossiers", "Target 30 minutes", lang="en").table
    assert dossiers["Median (minutes)"].to_list() == [12.0] and dossiers.height == 1


def test_share_chart_in_percent_with_its_base_and_target() -> None:
    shares = pl.DataFrame(
        {
            "unit_code": ["79.SCT", "79.STP", "79.SXD"],
            "unit_name": ["Sở Công Thương", "Sở Tư pháp", "Sở Xây dựng"],
            "received": [1834, 2578, 530],
            "data_reuse_share": [0.25, 0.4, None],
            "signed_reported": [1834, 2578, 0],
            "received_signed_share": [1770 / 1834, 1250 / 2578, None],
            "result_signed_reported": [1810, 2543, 0],
            "result_signed_share": [1.0, 1846 / 2543, None],
        }
    )
    reuse = service.share_chart(shares, ["data_reuse_share"], target=0.3, target_label="Target 30 %", lang="en")
    assert reuse.table["Unit"].to_list() == ["Sở Tư pháp", "Sở Công Thương"]  # highest first; none left out
    assert reuse.table["Data re-used (%)"].to_list() == [40.0, 25.0]
    assert reuse.table["Dossiers received"].to_list() == [2578, 1834]
    assert [shape.x0 for shape in reuse.figure.layout.shapes] == [30.0]
    assert reuse.figure.data[-1].name == "Target 30 %"
    signed = service.share_chart(shares, ["received_signed_share", "result_signed_share"], lang="vi")
    # 1,770 / 1,834 = 96.51 % -> 96.5; 1,250 / 2,578 = 48.49 % -> 48.5; 1,846 / 2,543 = 72.59 % -> 72.6
    assert signed.table["Hồ sơ có chữ ký số (%)"].to_list() == [96.5, 48.5]
    assert signed.table["Kết quả có chữ ký số (%)"].to_list() == [100.0, 72.6]
    assert len(signed.figure.data) == 2 and not signed.figure.layout.shapes  # no target for signatures
    empty = service.share_chart(shares.head(0), ["data_reuse_share"], lang="vi")
    assert empty.table.is_empty()


def test_network_cards_show_the_latest_period_with_its_changes() -> None:
    network = pl.DataFrame(
        {
            "province_code": ["06", "06"],
            "province_name": ["Tỉnh Bắc Kạn"] * 2,
            "period_start": [Y2023, Y2024],
            "list_as_of": [None, dt.date(2024, 12, 31)],
            "province_offices": [None, 1],
            "department_offices": [None, 0],
            "district_offices": [None, 8],
            "commune_offices": [None, 108],
            "offices": [None, 117],
            "offices_change": [None, None],
            "online_full": [987, 994],
            "online_partial": [174, 174],
            "online_services": [1161, 1168],
            "online_full_change": [5, 7],
            "online_partial_change": [2, 0],
            "approximate": [False, False],
        }
    )
    cards = service.network_cards(network, lang="vi")
    assert cards == [
        ("Trung tâm cấp tỉnh", "1", None),
        ("Một cửa cấp huyện", "8", None),
        ("Một cửa cấp xã", "108", None),
        ("Tổng số bộ phận một cửa", "117", None),  # no list the year before: no change
        ("DVCTT toàn trình", "994", "+7"),
        ("DVCTT một phần", "174", "±0"),
        ("Tổng số DVCTT", "1.168", None),
    ]  # the level without an office (departments) is left out
    table = service.network_table(network, lang="en")
    assert table["Fully online services"].to_list() == [987, 994]
    assert service.network_cards(network.head(0)) == []
