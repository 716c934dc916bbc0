"""Access modes, rules and scopes (ui/access.py, docs/security.md): pure functions, no Streamlit run."""

from __future__ import annotations

import pytest

from ui import access
from ui.access import AccessConfigError, Identity, UnitRow, expand, identity_from_claims, matching_grants, parse_rules

UNITS = [
    UnitRow("01", "province", None, "01", "Thành phố Hà Nội"),
    UnitRow("021", "district", "01", "01", "Quận Bắc Từ Liêm"),
    UnitRow("00598", "commune", "021", "01", "Phường Thượng Cát"),
    UnitRow("001", "district", "01", "01", "Quận Ba Đình"),
    UnitRow("00001", "commune", "001", "01", "Phường Phúc Xá"),
    UnitRow("01.STP", "department", "01", "01", "Sở Tư pháp"),
    UnitRow("79", "province", None, "79", "Thành phố Hồ Chí Minh"),
    UnitRow("760", "district", "79", "79", "Quận 1"),
]


@pytest.fixture(autouse=True)
def _fresh_caches():
    access._scope_cached.cache_clear()
    yield
    access._scope_cached.cache_clear()


RULES = """# comment
kind,principal,grants,note
user,Chuyenvien@Hanoi.example.vn,01,province user
user,vanphong@bactuliem.example.vn,021,district user
user,two@example.vn,001;760,"two districts, two provinces"
group,/cchc-admin,*,admins
group,cchc-hcm,79,
"""


def test_the_mode_comes_from_the_environment_and_a_wrong_value_fails_closed(monkeypatch):
    monkeypatch.delenv(access.ENV_MODE, raising=False)
    assert access.mode() == "open"
    for value, mode in (("login", "login"), (" PUBLIC ", "public"), ("open", "open"), ("", "open")):
        monkeypatch.setenv(access.ENV_MODE, value)
        assert access.mode() == mode
    monkeypatch.setenv(access.ENV_MODE, "everyone")
    with pytest.raises(AccessConfigError, match="CCHC_ACCESS_MODE"):
        access.mode()


def test_rules_parse_with_comments_lists_and_normalised_principals():
    rules = parse_rules(RULES)
    assert [(r.kind, r.principal, r.grants) for r in rules] == [
        ("user", "chuyenvien@hanoi.example.vn", ("01",)),
        ("user", "vanphong@bactuliem.example.vn", ("021",)),
        ("user", "two@example.vn", ("001", "760")),
        ("group", "cchc-admin", ("*",)),
        ("group", "cchc-hcm", ("79",)),
    ]
    assert rules[0].line == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind,principal\nuser,a@b.vn\n", "lacks grants"),
        ("kind,principal,grants\nrole,a@b.vn,01\n", "kind must be user or group"),
        ("kind,principal,grants\nuser,,01\n", "principal is empty"),
        ("kind,principal,grants\nuser,a@b.vn,\n", "grants is empty"),
        ("kind,principal,grants\nuser,a@b.vn,01' or 1=1\n", "not a unit code"),
    ],
)
def test_malformed_rules_name_the_line(text, message):
    with pytest.raises(AccessConfigError, match=message):
        parse_rules(text)


def test_the_shipped_rules_file_parses_and_has_the_demo_examples():
    rules = access.rules(access.SCOPES_CSV)
    grants = {(r.kind, r.grants) for r in rules}
    assert ("user", ("01",)) in grants  # a Hà Nội province user
    assert ("user", ("021",)) in grants  # a Bắc Từ Liêm district user
    assert ("group", ("*",)) in grants  # an admin group


def test_a_missing_rules_file_means_no_rules(tmp_path):
    assert access.rules(tmp_path / "none.csv") == ()


def test_identity_from_claims():
    identity = identity_from_claims(
        {"email": " A@B.vn ", "email_verified": True, "groups": ["/x", "y", 3], "name": "An"}, "groups"
    )
    assert identity == Identity("a@b.vn", True, ("x", "y"), "An")
    assert identity_from_claims({"roles": "admin"}, "roles").groups == ("admin",)
    assert identity_from_claims({}).email is None


def test_rules_match_on_verified_email_and_on_groups():
    rules = parse_rules(RULES)
    assert matching_grants(rules, Identity("chuyenvien@hanoi.example.vn", True, ())) == ("01",)
    assert matching_grants(rules, Identity("chuyenvien@hanoi.example.vn", None, ())) == ("01",)
    assert matching_grants(rules, Identity("chuyenvien@hanoi.example.vn", False, ())) == ()  # unverified
    assert matching_grants(rules, Identity(None, None, ("cchc-hcm",))) == ("79",)
    assert matching_grants(rules, Identity("vanphong@bactuliem.example.vn", True, ("cchc-hcm",))) == ("021", "79")
    assert matching_grants(rules, Identity("x@y.vn", True, ("cchc-admin",))) == ("*",)
    assert matching_grants(rules, Identity("nobody@example.vn", True, ("other",))) == ()


def test_a_province_grant_expands_to_all_its_units_a_district_to_its_communes():
    assert expand(["01"], UNITS) == {"01", "021", "00598", "001", "00001", "01.STP"}
    assert expand(["021"], UNITS) == {"021", "00598"}  # not the province, not the sibling district
    assert expand(["001", "760"], UNITS) == {"001", "00001", "760"}
    assert expand(["*"], UNITS) is None
    assert expand([], UNITS) == frozenset()
    assert expand(["99"], UNITS) == {"99"}  # unknown: kept, matches nothing


def test_viewer_default_deny_and_modes(monkeypatch, tmp_path):
    rules_file = tmp_path / "scopes.csv"
    rules_file.write_text(RULES, encoding="utf-8")
    monkeypatch.setenv(access.ENV_SCOPES, str(rules_file))
    monkeypatch.setattr(access, "unit_rows", lambda: tuple(UNITS))
    access._scope_cached.cache_clear()

    assert access.viewer_for(None, "open").scope is None
    public = access.viewer_for(None, "public")
    assert public.scope is None and public.aggregates_only
    not_logged_in = access.viewer_for({"email": "test@example.com"}, "login")
    assert not_logged_in.scope == frozenset() and not not_logged_in.logged_in and not not_logged_in.denied
    nobody = access.viewer_for({"is_logged_in": True, "email": "stranger@example.vn"}, "login")
    assert nobody.scope == frozenset() and nobody.denied
    district = access.viewer_for({"is_logged_in": True, "email": "vanphong@bactuliem.example.vn"}, "login")
    assert district.scope == {"021", "00598"} and not district.denied
    assert district.provinces(UNITS) == {"01"}
    admin = access.viewer_for({"is_logged_in": True, "email": "x@y.vn", "groups": ["/cchc-admin"]}, "login")
    assert admin.scope is None and admin.provinces(UNITS) is None


def test_outside_a_script_run_the_login_mode_resolves_to_nobody(monkeypatch):
    monkeypatch.setenv(access.ENV_MODE, "login")
    viewer = access.current_viewer()  # no script run here: st.user is not visible
    assert viewer.scope == frozenset() and not viewer.logged_in


def test_login_configuration_problems_are_reported(monkeypatch):
    monkeypatch.setattr(access, "is_authlib_installed", lambda: False)
    assert "Authlib" in access.login_configured()
