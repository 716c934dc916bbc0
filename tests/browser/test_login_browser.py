"""A real sign-in (docs/security.md, "Signing in"): CCHC_ACCESS_MODE=login end to end.

A minimal OpenID Connect provider runs on loopback (tests/browser/oidc_provider.py, Authlib's server
side: authorization code, PKCE S256, an RS256-signed ID token); the dashboard is served with a
`secrets.toml` pointing `st.login` at it and a test rules file. Chromium, in one profile, signs in as
two users in turn:

- district@example.vn, granted the district 002 (Quận Hoàn Kiếm, Hà Nội) by an e-mail rule;
- hcm@example.vn, granted the province 79 (Hồ Chí Minh) through its `groups` claim "/cchc-hcm".

Each sees their name in the sidebar, on the dossier explorer and the compare page only their units'
names (asking for the other's province by URL falls back to their own), and in the explorer's CSV
download only their units' rows; then signs out: the provider's end-session endpoint is called, the
identity cookie is gone and every address shows the sign-in screen again.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.browser.oidc_provider import OidcProvider, secrets_toml
from tests.browser.served import chromium, free_port, new_context, open_page, require_browser, serve, wait_done
from tests.conftest import build_lake_from
from tests.pages.conftest import small_lake_inputs
from ui import t

pytestmark = pytest.mark.browser

SCOPES = """kind,principal,grants,note
user,district@example.vn,002,Quận Hoàn Kiếm (Hà Nội) and nothing else
group,cchc-hcm,79,Hồ Chí Minh: the province and its districts
"""
HANOI_DISTRICTS = {"001": "Ba Đình", "002": "Hoàn Kiếm", "003": "Tây Hồ", "006": "Đống Đa"}
USERS = {
    # e-mail: (extra ID-token claims, units whose rows they may get, names they must see, names they must not)
    "district@example.vn": ({}, {"002"}, ["Hoàn Kiếm"], ["Ba Đình", "Tây Hồ", "Đống Đa", "Quận 1"]),
    "hcm@example.vn": ({"groups": ["/cchc-hcm"]}, {"79", "760"}, ["Quận 1"], list(HANOI_DISTRICTS.values())),
}


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page tests' small lake: Hà Nội with four districts, Hồ Chí Minh with one (tests/pages/conftest.py)."""
    return build_lake_from(small_lake_inputs(), tmp_path_factory.mktemp("login-lake") / "data")


def sign_in(page, base: str, provider: OidcProvider, email: str) -> None:
    open_page(page, base + "/")
    assert page.locator("h1").first.inner_text() == t("access.login_title", "vi")
    page.get_by_role("button", name=t("access.login_button", "vi")).click()
    page.wait_for_url(re.compile(re.escape(provider.issuer) + r"/authorize\?"), timeout=30_000)
    page.fill('input[name="login_email"]', email)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/(\?.*)?$"), timeout=30_000)
    wait_done(page)


def explorer_csv(page) -> list[dict[str, str]]:
    page.get_by_role("tab", name=t("view.download", "vi")).click()
    with page.expect_download(timeout=60_000) as info:
        page.locator(".st-key-dl-csv-explorer button").click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def test_two_users_sign_in_see_only_their_units_and_sign_out(small_lake: Path, tmp_path: Path) -> None:
    require_browser()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rules = tmp_path / "scopes.csv"
    rules.write_text(SCOPES, encoding="utf-8")
    users = {email: claims for email, (claims, *_) in USERS.items()}
    with OidcProvider(
        users, client_id="cchc-dashboard", client_secret="test-secret", redirect_uri=f"{base}/oauth2callback"
    ) as provider:
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(secrets_toml(provider), encoding="utf-8")
        env = {"CCHC_ACCESS_MODE": "login", "CCHC_ACCESS_SCOPES": str(rules)}
        args = ["--secrets.files", str(secrets_file)]
        with serve(small_lake, "browser-login-server.log", port=port, args=args, **env), chromium() as browser:
            context = new_context(browser)  # one profile for both users: the second signs in after the first signs out
            page = context.new_page()
            for number, (email, (_, units, seen, unseen)) in enumerate(USERS.items(), start=1):
                sign_in(page, base, provider, email)
                sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
                assert t("access.signed_in", "vi", who=email) in sidebar, sidebar

                open_page(page, f"{base}/so-sanh")
                text = page.locator('[data-testid="stMain"]').inner_text()
                for name in seen:
                    assert name in text, (email, "compare", name)
                for name in unseen:
                    assert name not in text, (email, "compare", name)

                other_province = "79" if "002" in units else "01"
                open_page(page, f"{base}/ho-so?province={other_province}")
                text = page.locator('[data-testid="stMain"]').inner_text()
                for name in unseen:
                    assert name not in text, (email, "explorer", name)
                rows = explorer_csv(page)
                assert rows, (email, "an empty download")
                assert {row["Mã đơn vị"] for row in rows} <= units, email
                names = " ".join(row["Đơn vị"] for row in rows)
                assert all(name in names for name in seen) and not any(name in names for name in unseen), email

                page.get_by_role("button", name=t("access.logout_button", "vi")).click()
                page.wait_for_url(re.compile(re.escape(base) + r"/(\?.*)?$"), timeout=30_000)
                wait_done(page)
                assert len(provider.signed_out) == number, "the provider's end-session endpoint was not called"
                assert not [c for c in context.cookies(base) if c["name"].startswith("_streamlit_user")]
                open_page(page, f"{base}/ho-so")
                assert page.locator("h1").first.inner_text() == t("access.login_title", "vi"), email
                assert "Mã đơn vị" not in page.locator("body").inner_text()
    assert provider.signed_in == list(USERS)
