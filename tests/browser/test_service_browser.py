"""Phục vụ (pages/phuc-vu.py) in a real browser on the demo lake, in both languages: TP.HCM's departments
in 2023 (Vietnamese) show the Department of Industry and Trade's signatures and the target lines named
with their source; Bắc Kạn in 2024 (English) shows its 1 + 8 + 108 one-stop offices and its 994 fully and
174 partly online services. No error, no call outside the dashboard's host; a screenshot of each.

What every number is, worked by hand: tests/pages/test_service.py (AppTest, the same lake).
"""

from __future__ import annotations

import pytest

from tests.browser.served import (
    chromium,
    new_context,
    new_page,
    open_page,
    problems,
    screenshot,
)
from ui import t

pytestmark = pytest.mark.browser


def test_tp_hcm_departments_in_vietnamese_and_bac_kan_in_english(demo_server: str) -> None:
    with chromium() as browser:
        context = new_context(browser)
        try:
            page = new_page(context)
            open_page(page, f"{demo_server}/phuc-vu?year=2023&province=79&level=department")
            shot = screenshot(page, "phuc-vu-79-2023")
            assert not problems(page), (shot, problems(page))
            assert page.locator("h1").first.inner_text().strip() == t("service.title", "vi"), shot
            assert page.locator('[data-testid="stPlotlyChart"]').count() >= 4, shot  # waits, re-use, signed, PAKN
            legends = "\n".join(
                page.locator("g.legend text.legendtext").evaluate_all("els => els.map(e => e.textContent)")
            )
            for target in ("service.target_wait", "service.target_reuse", "service.target_petitions"):
                assert t(target, "vi") in legends, (shot, legends)
            assert t("service.col_received_signed_share", "vi") in legends, (shot, legends)
            assert t("app.demo_short", "vi") in page.locator("body").inner_text(), shot

            open_page(page, f"{demo_server}/phuc-vu?year=2024&province=06&lang=en")
            shot = screenshot(page, "phuc-vu-06-2024-en")
            assert not problems(page), (shot, problems(page))
            assert page.locator("h1").first.inner_text().strip() == t("service.title", "en"), shot
            metrics = "\n".join(page.locator('[data-testid="stMetric"]').all_inner_texts())
            for label, value in (
                ("Provincial centre", "1"), ("District offices", "8"), ("Commune offices", "108"),
                ("Fully online services", "994"), ("Partly online services", "174"), ("Online services", "1,168"),
            ):  # fmt: skip
                assert f"{label}\n\n{value}\n" in f"{metrics}\n", (shot, metrics)
            outside = page.recorder.outside(demo_server)
            assert not outside, f"/phuc-vu called outside the dashboard's host: {outside}"
        finally:
            context.close()
