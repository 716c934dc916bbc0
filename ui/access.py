"""Who may see what (docs/security.md is the user's guide, and states the rules).

One setting, the environment variable `CCHC_ACCESS_MODE`:

    open    (default) everything, no login: a workstation, `make run`
    login   Streamlit's OIDC login (`st.login`, configured in `.streamlit/secrets.toml`, see
            `.streamlit/secrets.toml.example`); what a user sees comes from the access rules below;
            a user matching no rule sees nothing (default deny)
    public  no login, aggregates only: queries whose header says `access: detail` (the dossier
            explorer's rows, the quarantined values) are refused by the runner; pages say so

Any other value stops every page with a configuration error (fail closed, never "open").

Access rules: `data/reference/access/scopes.csv` (or the file named by `CCHC_ACCESS_SCOPES`), read
again when it changes. Lines starting with `#` are comments; the columns are

    kind       `user` (matched with the `email` claim, case-insensitive; not when the identity provider
               says `email_verified: false`) or `group` (matched with the groups claim, `groups` unless
               `CCHC_GROUPS_CLAIM` names another; a leading "/" of Keycloak's full group paths is ignored)
    principal  the e-mail address or the group name
    grants     unit codes separated by ";": a province code grants the province and every unit whose
               province it is (districts, departments, communes); another code grants that unit and the
               units under it (`parent_code`, e.g. a district's communes); `*` grants everything
    note       free text

All rows that match a user add up. The grants are expanded into the set of unit codes (the scope)
with the published `units` table; `queries.run(..., scope=...)` then returns only rows of those units,
in SQL and again in Python (queries/runner.py). A province-level figure (a row whose unit is the
province) is therefore visible only to users granted the whole province.

The identity comes from `st.user` (AppTest sets it with `at.user = {...}`: the tests need no bypass).
Outside a script run (e.g. on the thread where Streamlit builds a download) `st.user` is not visible:
the login mode then resolves to "nobody", so anything that forgets to capture the viewer gets no
rows rather than all rows; `ui.fetch.bind_viewer` carries the viewer of the run into such callables.
"""

from __future__ import annotations

import csv
import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.auth_util import is_authlib_installed
from streamlit.runtime.scriptrunner import get_script_run_ctx

import queries
import queries.disclosure
from ui.i18n import t

MODES = ("open", "login", "public")
DEFAULT_MODE = "open"
ENV_MODE = "CCHC_ACCESS_MODE"
ENV_SCOPES = "CCHC_ACCESS_SCOPES"
ENV_GROUPS_CLAIM = "CCHC_GROUPS_CLAIM"
DEFAULT_GROUPS_CLAIM = "groups"
SCOPES_CSV = Path(__file__).resolve().parents[1] / "data" / "reference" / "access" / "scopes.csv"
EVERYTHING = "*"
KINDS = ("user", "group")
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")


class AccessConfigError(RuntimeError):
    """The access setting or the rules file is wrong: every page stops with this message."""


# ------------------------------------------------------------------------------------------------
# Mode
# ------------------------------------------------------------------------------------------------
def mode() -> str:
    """The access mode from CCHC_ACCESS_MODE (default open); AccessConfigError when not a mode."""
    raw = os.environ.get(ENV_MODE)
    if raw is None or not raw.strip():
        return DEFAULT_MODE
    value = raw.strip().lower()
    if value not in MODES:
        raise AccessConfigError(f"{ENV_MODE}={raw!r} is not one of {', '.join(MODES)}")
    return value


def groups_claim() -> str:
    return (os.environ.get(ENV_GROUPS_CLAIM) or DEFAULT_GROUPS_CLAIM).strip()


def scopes_path() -> Path:
    env = os.environ.get(ENV_SCOPES)
    return Path(env).expanduser() if env else SCOPES_CSV


# ------------------------------------------------------------------------------------------------
# Rules
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    kind: str  # user | group
    principal: str  # casefolded e-mail, or group name without a leading "/"
    grants: tuple[str, ...]  # unit codes, or ("*",)
    line: int  # line number in the file (messages)


def _principal(kind: str, value: str) -> str:
    value = value.strip()
    return value.casefold() if kind == "user" else value.lstrip("/")


def parse_rules(text: str, source: str = "scopes.csv") -> tuple[Rule, ...]:
    """The rules of a scopes file's text (see the module docstring); AccessConfigError naming the
    line of the first malformed row."""
    lines = text.splitlines()
    numbered = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if not numbered:
        return ()
    reader = csv.reader([line for _, line in numbered])
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in ("kind", "principal", "grants") if c not in header]
    if missing:
        raise AccessConfigError(f"{source}: the header lacks {', '.join(missing)}")
    rules: list[Rule] = []
    for (number, _), row in zip(numbered[1:], reader, strict=True):
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        kind = (cells.get("kind") or "").lower()
        if kind not in KINDS:
            raise AccessConfigError(f"{source} line {number}: kind must be user or group, got {kind!r}")
        principal = _principal(kind, cells.get("principal") or "")
        if not principal:
            raise AccessConfigError(f"{source} line {number}: principal is empty")
        grants = tuple(g.strip() for g in (cells.get("grants") or "").split(";") if g.strip())
        if not grants:
            raise AccessConfigError(f"{source} line {number}: grants is empty")
        bad = [g for g in grants if g != EVERYTHING and not _CODE.match(g)]
        if bad:
            raise AccessConfigError(f"{source} line {number}: not a unit code: {bad[0]!r}")
        rules.append(Rule(kind, principal, (EVERYTHING,) if EVERYTHING in grants else grants, number))
    return tuple(rules)


@functools.lru_cache(maxsize=4)
def _rules_cached(path: str, signature: tuple[int, int]) -> tuple[Rule, ...]:
    del signature  # part of the cache key: a changed file is read again
    return parse_rules(Path(path).read_text(encoding="utf-8"), Path(path).name)


def rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The rules of the scopes file (re-read when it changes). A missing file means no rules: in the
    login mode nobody sees anything."""
    path = path or scopes_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return ()
    return _rules_cached(str(path), (stat.st_mtime_ns, stat.st_size))


# ------------------------------------------------------------------------------------------------
# Identity -> grants -> scope
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    email: str | None  # casefolded
    email_verified: bool | None
    groups: tuple[str, ...]
    name: str | None = None

    @property
    def label(self) -> str:
        return self.email or self.name or "?"


def identity_from_claims(claims: Mapping[str, Any], claim: str | None = None) -> Identity:
    """The parts of the OIDC identity token (`st.user`) the rules use."""
    email = claims.get("email")
    email = email.strip().casefold() if isinstance(email, str) and email.strip() else None
    verified = claims.get("email_verified")
    raw_groups = claims.get(claim or groups_claim())
    if isinstance(raw_groups, str):
        raw_groups = [raw_groups]
    groups = tuple(sorted({_principal("group", g) for g in (raw_groups or []) if isinstance(g, str) and g.strip()}))
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    return Identity(email, verified if isinstance(verified, bool) else None, groups, name)


def matching_grants(all_rules: Iterable[Rule], identity: Identity) -> tuple[str, ...]:
    """The grants of every rule matching the identity (sorted, `*` alone when it is among them)."""
    found: set[str] = set()
    email_ok = identity.email is not None and identity.email_verified is not False
    for rule in all_rules:
        if (rule.kind == "user" and email_ok and rule.principal == identity.email) or (
            rule.kind == "group" and rule.principal in identity.groups
        ):
            found.update(rule.grants)
    return (EVERYTHING,) if EVERYTHING in found else tuple(sorted(found))


@dataclass(frozen=True)
class UnitRow:
    unit_code: str
    level: str | None
    parent_code: str | None
    province_code: str | None
    name: str | None = None


def expand(grants: Iterable[str], units: Iterable[UnitRow]) -> frozenset[str] | None:
    """The unit codes a set of grants covers: None for `*` (everything); a province code adds every
    unit whose province it is; every code adds the units under it (parent_code, transitively). Codes
    unknown to `units` stay as given (they match nothing)."""
    grants = set(grants)
    if EVERYTHING in grants:
        return None
    units = list(units)
    children: dict[str, list[str]] = {}
    by_province: dict[str, list[str]] = {}
    provinces = set()
    for u in units:
        if u.parent_code:
            children.setdefault(u.parent_code, []).append(u.unit_code)
        if u.province_code:
            by_province.setdefault(u.province_code, []).append(u.unit_code)
        if u.level == "province":
            provinces.add(u.unit_code)
    scope: set[str] = set()
    todo = list(grants)
    for code in grants:
        if code in provinces:
            todo.extend(by_province.get(code, ()))
    while todo:
        code = todo.pop()
        if code in scope:
            continue
        scope.add(code)
        todo.extend(children.get(code, ()))
    return frozenset(scope)


@functools.lru_cache(maxsize=8)
def _unit_rows_cached(published: queries.Generation) -> tuple[UnitRow, ...]:
    # reference data (unit names and hierarchy), read unscoped, once per published generation
    frame = queries.run("units", data_dir=published.data_dir)
    return tuple(
        UnitRow(r["unit_code"], r["level"], r["parent_code"] or None, r["province_code"] or None, r["name"])
        for r in frame.iter_rows(named=True)
    )


def _published() -> queries.Generation | None:
    """What the data directory publishes now (queries.generation), None when nothing is published."""
    try:
        return queries.generation()
    except queries.EmptyLakeError:
        return None


def unit_rows() -> tuple[UnitRow, ...]:
    """Every unit of the published lake (cached per published generation); () when nothing is published."""
    published = _published()
    return () if published is None else _unit_rows_cached(published)


@functools.lru_cache(maxsize=256)
def _scope_cached(grants: tuple[str, ...], published: queries.Generation | None) -> frozenset[str] | None:
    del published  # part of the key: a new load re-expands
    return expand(grants, unit_rows())


def scope_of(grants: tuple[str, ...]) -> frozenset[str] | None:
    """expand(grants, unit_rows()), cached per grants and published generation."""
    return _scope_cached(tuple(sorted(grants)), _published())


# ------------------------------------------------------------------------------------------------
# The viewer of a run
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Viewer:
    """Who is looking: the mode, the identity (login mode) and the scope (None = every unit)."""

    mode: str
    scope: frozenset[str] | None
    logged_in: bool = False
    identity: Identity | None = None
    grants: tuple[str, ...] = field(default=())

    @property
    def aggregates_only(self) -> bool:
        """Public mode: no row-level data (dossier rows, quarantined values)."""
        return self.mode == "public"

    @property
    def denied(self) -> bool:
        """Logged in, but no rule grants anything (default deny)."""
        return self.mode == "login" and self.logged_in and self.scope is not None and not self.scope

    def provinces(self, units: Iterable[UnitRow] = ()) -> frozenset[str] | None:
        """Provinces with at least one unit in scope (None = all)."""
        if self.scope is None:
            return None
        out = set()
        for u in units:
            if u.unit_code in self.scope and u.province_code:
                out.add(u.province_code)
        out |= {c for c in self.scope if len(c) == 2 and c.isdigit()}
        return frozenset(out)


NOBODY = frozenset[str]()


def viewer_for(claims: Mapping[str, Any] | None, access_mode: str | None = None) -> Viewer:
    """The viewer for an identity token's claims (None or without `is_logged_in`: not logged in)."""
    access_mode = access_mode or mode()
    if access_mode != "login":
        return Viewer(access_mode, None)
    claims = claims or {}
    if claims.get("is_logged_in") is not True:
        return Viewer("login", NOBODY)
    identity = identity_from_claims(claims)
    grants = matching_grants(rules(), identity)
    scope = scope_of(grants) if grants else NOBODY
    return Viewer("login", scope, logged_in=True, identity=identity, grants=grants)


def user_claims() -> dict[str, Any]:
    """`st.user` as a dict inside a script run; {} outside one (nobody is logged in there)."""
    try:
        if get_script_run_ctx(suppress_warning=True) is None:
            return {}
        return dict(st.user.to_dict())
    except Exception:
        return {}


def current_viewer() -> Viewer:
    """The viewer of this script run (see the module docstring)."""
    access_mode = mode()
    return viewer_for(user_claims() if access_mode == "login" else None, access_mode)


def login_configured() -> str | None:
    """None when st.login can work, else why not (for the administrator)."""
    if not is_authlib_installed():
        return "Authlib is not installed: pip install -e '.[auth]'"
    try:
        section = st.secrets.get("auth")
    except Exception:
        section = None
    if not section:
        return "no [auth] section in .streamlit/secrets.toml (see .streamlit/secrets.toml.example)"
    missing = [k for k in ("redirect_uri", "cookie_secret") if k not in section]
    if missing:
        return f"[auth] in .streamlit/secrets.toml lacks {', '.join(missing)}"
    placeholders = [k for k, v in section.items() if isinstance(v, str) and v.startswith("REPLACE")]
    if placeholders:
        return f"[auth] {', '.join(placeholders)} in .streamlit/secrets.toml still hold the example's placeholder"
    return None


# ------------------------------------------------------------------------------------------------
# The gate (ui/navigation.py, in front of every page)
# ------------------------------------------------------------------------------------------------
def gate() -> bool:
    """Show who is signed in; False when the viewer may see nothing, after drawing why: the sign-in screen
    (login mode without a login), "no access" (a user no rule matches) or a wrong setting. The caller
    (ui/navigation.py) then stops the run."""
    try:
        viewer = current_viewer()
    except AccessConfigError as error:
        st.error(t("access.config_error", error=str(error)), icon=":material/gpp_bad:")
        return False
    if viewer.mode == "public":
        try:  # the public mode's count threshold (queries/disclosure.py): a wrong value stops every page
            threshold = queries.disclosure.min_count()
        except ValueError as error:
            st.error(t("access.config_error", error=str(error)), icon=":material/gpp_bad:")
            return False
        st.sidebar.caption(t("access.public_mode", min_count=threshold))
        return True
    if viewer.mode != "login":
        return True
    if not viewer.logged_in:
        st.title(t("access.login_title"))
        st.write(t("access.login_body"))
        problem = login_configured()
        if problem is not None:
            st.error(t("access.login_unconfigured", error=problem), icon=":material/gpp_bad:")
        else:
            # A callback, not `if st.button(...)`: on the click's run Streamlit may route to the page file
            # itself, where the button drawn again is another widget and would read False (the sign-in
            # never started; tests/browser/test_login_browser.py signs in for real).
            st.button(t("access.login_button"), icon=":material/login:", type="primary", on_click=st.login)
        return False
    who = viewer.identity.label if viewer.identity else "?"
    with st.sidebar:
        st.caption(t("access.signed_in", who=who))
        if viewer.scope is not None and viewer.scope:
            st.caption(t("access.scope", grants=", ".join(viewer.grants)))
        st.button(t("access.logout_button"), icon=":material/logout:", key="_cchc_logout", on_click=st.logout)
    if viewer.denied:
        st.error(t("access.no_access", who=who), icon=":material/block:")
        return False
    return True
