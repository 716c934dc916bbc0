"""The indicator catalogue (data/reference/indicators.csv) against the query catalogue: an indicator passes
its query each page filter the query takes, so that a page's choice (a period, a level, today's units) is
never dropped on the way. province_code alone may be left out: ui.data keeps a province's units after the
query instead (`_keep_province`), as for SIPAS."""

from __future__ import annotations

from queries import catalogue
from ui.indicators import indicator_params, indicators

PASSED_ALWAYS = {"year", "period", "level", "units"}


def test_every_indicator_passes_each_filter_its_query_takes() -> None:
    queries = catalogue()
    for ind in indicators().values():
        takes = {p.name for p in queries[ind.query].params}
        assert set(ind.params) <= takes, f"{ind.code}: {ind.query} takes no {set(ind.params) - takes}"
        missing = (takes & PASSED_ALWAYS) - set(ind.params)
        assert not missing, f"{ind.code}: {ind.query} takes {sorted(missing)}, the catalogue does not pass it"


def test_today_s_units_reach_the_service_measures_query() -> None:
    ind = indicators()["data_reuse_share"]
    params = indicator_params(ind, year=2024, level="commune", province_code="19", units="current")
    assert params == {"year": 2024, "period": "year", "level": "commune", "units": "current", "province_code": "19"}
