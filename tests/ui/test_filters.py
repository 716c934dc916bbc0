"""URL-bound filters: codes in the URL, unknown or malicious values fall back to the default with a
visible notice (never an exception), a valid permalink restores the selection."""

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from ui import filters

    filters.clear_notices()
    lang = filters.lang()
    year = filters.year([2022, 2023, 2024])
    province = filters.province({"01": "Hà Nội", "79": "Hồ Chí Minh", "48": "Đà Nẵng"}, default="79")
    units = filters.units({"001": "Ba Đình", "002": "Hoàn Kiếm", "003": "Tây Hồ"}, default=["001"])
    indicator = filters.indicator(default="on_time_rate")
    period = filters.period()
    st.write(f"RESULT {lang}|{year}|{province}|{','.join(units)}|{indicator}|{period}")


def _run(**params) -> AppTest:
    at = AppTest.from_function(_script, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _result(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("RESULT")).removeprefix("RESULT ")


def test_defaults_without_url():
    at = _run()
    assert not at.exception
    assert _result(at) == "vi|2024|79|001|on_time_rate|year"
    assert not at.warning


def test_permalink_restores_the_view_with_codes_in_the_url():
    at = _run(lang="en", year="2022", province="01", units=["002", "003"], indicator="sipas_overall", period="quarter")
    assert _result(at) == "en|2022|01|002,003|sipas_overall|quarter"
    assert not at.warning
    assert at.selectbox(key="province").value == "01"
    assert at.query_params["province"] == "01" and at.query_params["indicator"] == "sipas_overall"


def test_comma_separated_lists_are_accepted():
    at = _run(units="001,003")
    assert _result(at).split("|")[3] == "001,003"


def test_unknown_and_malicious_values_fall_back_with_a_notice():
    at = _run(
        year="1900; drop table units",
        province="<script>alert(1)</script>",
        indicator="![x](http://evil.example/a.png)",
        lang="fr",
        units=["002", "`bad`"],
    )
    assert not at.exception
    assert _result(at) == "vi|2024|79|002|on_time_rate|year"
    notices = [w.value for w in at.warning]
    assert len(notices) == 5
    assert all("`" in n for n in notices)  # the raw value is shown inside a code span, never rendered
    assert not any("](http" in n.replace("`![x](http://evil.example/a.png)`", "") for n in notices)
    assert at.query_params["province"] == "79"  # the bad value is replaced by the default, written back


def test_changing_a_widget_updates_the_url_and_a_fixed_default_removes_it():
    at = _run()
    at.selectbox(key="indicator").set_value("online_rate").run()
    assert at.query_params["indicator"] == "online_rate"
    at.selectbox(key="indicator").set_value("on_time_rate").run()
    assert "indicator" not in at.query_params


def test_defaults_from_the_data_stay_in_the_url():
    """The latest year and the province come from the data: a link copied today must show 2024 after
    2025 loads, so they are written to the URL even when they are the default."""
    at = _run()
    assert at.query_params["year"] == "2024" and at.query_params["province"] == "79"
    at.selectbox(key="year").set_value(2023).run()
    assert at.query_params["year"] == "2023"
    at.selectbox(key="year").set_value(2024).run()
    assert at.query_params["year"] == "2024"


def test_english_labels_same_codes():
    at = _run(lang="en", indicator="on_time_rate")
    assert at.selectbox(key="indicator").value == "on_time_rate"
    assert "On-time" in at.selectbox(key="indicator").format_func("on_time_rate")


def _reform_script():
    import streamlit as st

    from ui import filters

    filters.clear_notices()
    filters.lang()
    level = filters.level(["commune", "department", "province"], default="commune")
    basis = filters.basis()
    tabs = filters.tabs("tab", {"ranking": "Xếp hạng", "map": "Bản đồ", "pair": "Hai đơn vị"})
    opened = [code for code, tab in tabs.items() if tab.open]
    st.write(f"RESULT {level}|{basis}|{','.join(opened)}")


def _run_reform(**params) -> AppTest:
    at = AppTest.from_function(_reform_script, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_level_basis_and_tab_defaults_are_written_to_the_url():
    at = _run_reform()
    assert _result(at) == "commune|as_published|ranking"
    assert at.query_params["level"] == "commune"  # a default from the data: pinned
    assert "basis" not in at.query_params and "tab" not in at.query_params  # fixed defaults: left out


def test_a_shared_link_opens_its_level_units_and_tab():
    at = _run_reform(level="province", basis="current", tab="map")
    assert not at.warning
    assert _result(at) == "province|current|map"
    assert at.query_params["tab"] == "map" and at.query_params["basis"] == "current"


def test_a_level_the_page_does_not_offer_falls_back_with_a_notice():
    """District is not offered after the reform: a 2024 link reopened on 2026 data shows communes."""
    at = _run_reform(level="district", tab="nowhere")
    assert _result(at) == "commune|as_published|ranking"
    assert len(at.warning) == 1 and at.query_params["level"] == "commune"  # the unknown tab
    assert any("2025" in i.value for i in at.info)  # why there is no district


def test_switching_level_and_units_updates_the_url():
    at = _run_reform()
    at.segmented_control(key="level").set_value("department").run()
    at.segmented_control(key="basis").set_value("current").run()
    assert _result(at) == "department|current|ranking"
    assert at.query_params["level"] == "department" and at.query_params["basis"] == "current"
