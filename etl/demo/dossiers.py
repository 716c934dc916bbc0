"""Dossiers (hồ sơ TTHC): the counts one unit must receive in a window (a year, or the part of it the unit
existed in: `plan_for`), then the dossiers themselves (`dossier_frame`), drawn step by step: procedures,
channels, received moments, due dates, fates (on time, late, rejected, withdrawn, carried over the
window's end), end and return moments, the flags Decision 766 counts, and the export row in the
province's style. What is carried over a window's end finishes early in the next one, except at
LAST_DAY, where it is still open in the export.

Every step draws from the unit-year's own numpy Generator in a fixed order, so the same seed gives the
same bytes.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.demo import calibration as cal
from etl.demo.assumptions import (
    CITIZEN_DATA,
    DATA_REUSED,
    DIGITISED,
    DIGITISED_SHARED,
    ONLINE_SHARE,
    PAID_ONLINE,
    RATED,
    RECEIVED_SIGNED,
    REFORM_ON_TIME_DIP,
    RESULT_ELECTRONIC,
    RESULT_SIGNED,
    SIGNATURES_FROM,
    SYNCED_ON_TIME,
    VOLUME,
    WAIT_MEDIAN,
    Y,
)
from etl.demo.calendar import BUSDAYS, busday, window_share, window_weights, year_days
from etl.demo.calibration import half_up, scaled
from etl.demo.catalogue import PROVINCE_LEVEL, Catalogue
from etl.demo.periods import REFORM_DAY, Window, snapshot_end
from etl.demo.sampling import (
    as_ms,
    choose_days,
    exact_pick,
    fake_names,
    moments_at,
    not_before,
    office_minutes,
    online_minutes,
)
from etl.demo.styles import (
    DIRECT,
    ONLINE,
    POSTAL,
    PROCESSING,
    RECEIVED,
    REJECTED,
    RESOLVED,
    SUPPLEMENT,
    WITHDRAWN,
    Style,
)
from etl.demo.units import Unit
from etl.demo.vocabulary import FIELDS, REJECTION_REASONS

# Fates drawn for each dossier.
ON_TIME, LATE, CARRIED, REJECTED_FATE, WITHDRAWN_FATE = range(5)


@dataclass(frozen=True)
class Plan:
    """What one unit must receive in a window (counts at the requested scale)."""

    received: int
    online: int
    postal: int
    carried: int  # not finished by the window's end (in progress then)
    rejected: int
    withdrawn: int
    late: int  # resolved within the window after the due date
    online_q1: int | None = None  # exact number of online dossiers received in Q1


def plan_for(unit: Unit, window: Window, scale: float, rng: np.random.Generator) -> Plan:
    """The counts of one unit's window at `scale`: calibrated units from calibration.py, the rest from their
    profile (a part of a year gets its share of the year's volume)."""
    year = window.year
    yi = Y[year]
    base = unit.size * VOLUME[unit.lineage][yi] * rng.lognormal(0.0, 0.05)  # received at scale 1
    if not window.whole_year:
        base *= window_share(unit.province, window)
    received = scaled(base, scale)
    if unit.code == cal.HCMC_INDUSTRY_TRADE and year == cal.INDUSTRY_TRADE_YEAR:
        received = scaled(cal.INDUSTRY_TRADE_RECEIVED, scale)
    online_share = min(0.92, ONLINE_SHARE[yi] * unit.online)
    carried = scaled(base * rng.uniform(0.008, 0.018), scale)
    withdrawn = scaled(base * rng.uniform(0.002, 0.008), scale)
    on_time = min(0.999, unit.on_time + 0.004 * yi)
    if unit.kind == "commune" and year == REFORM_DAY.year:
        on_time -= REFORM_ON_TIME_DIP
    online_q1 = None
    if unit.code == cal.BAC_TU_LIEM and year == 2019:
        counts = cal.btl_2019(scale)
        rejected, withdrawn = scaled(4_400, scale), scaled(900, scale)
        received = counts.to_resolve + rejected + withdrawn
        online = half_up(received * online_share)
        postal = half_up((received - online) * 0.02)
        return Plan(received, online, postal, counts.in_progress, rejected, withdrawn, counts.late)
    if unit.code == cal.PHU_XUYEN and year <= 2022:
        if year == 2022:
            online_q1 = scaled(cal.PHU_XUYEN_ONLINE_2022_Q1, scale)
            online = online_q1 + scaled(3_572, scale)  # the rest of 2022, after the push for online service
        else:
            online = scaled({2019: 120, 2020: 190, 2021: cal.PHU_XUYEN_ONLINE_2021}[year], scale)
        rejected = half_up(received * unit.rejection)
    elif unit.code == cal.QUAN_1:
        online = cal.quan_1_online(received, year)
        rejected = cal.quan_1_rejected(received, year)
    else:
        online = half_up(received * online_share)
        rejected = half_up(received * unit.rejection)
    carried = min(carried, received)
    withdrawn = min(withdrawn, received - carried)
    rejected = min(rejected, received - carried - withdrawn)
    resolved = received - carried - rejected - withdrawn
    late = half_up(resolved * (1 - on_time))
    postal = half_up((received - online) * 0.02)
    return Plan(received, online, postal, carried, rejected, withdrawn, late, online_q1)


def dossier_frame(
    unit: Unit, window: Window, plan: Plan, cat: Catalogue, style: Style, rng: np.random.Generator
) -> pl.DataFrame:
    """One unit's dossiers of a window as the province's system exports them (sorted by received time)."""
    return export_frame(dossier_rows(unit, window, plan, cat, rng), style)


def dossier_rows(unit: Unit, window: Window, plan: Plan, cat: Catalogue, rng: np.random.Generator) -> pl.DataFrame:
    """One unit's dossiers of a window as drawn, before the export's formatting (`export_frame`): codes,
    moments, the parts of the dossier number. Many units' rows are formatted at once, which is faster."""
    if plan.received == 0:
        return pl.DataFrame()
    proc = draw_procedures(unit, window, plan.received, cat, rng)
    channel = draw_channels(plan, cat, proc, rng)
    recv_day, minutes, received = draw_received(unit, window, plan, channel, rng)
    legal = cat.legal_days[proc]
    # Due: legal working days after receipt (same-day procedures: next day when received after 15:00).
    offset = np.where(legal < 1, (minutes >= 900).astype(np.int64), np.ceil(legal).astype(np.int64))
    due_day = busday(recv_day, offset)
    fate = draw_fates(unit, window, plan, recv_day, due_day, legal, cat.field[proc], rng)
    status, resolved_at = draw_endings(window, fate, recv_day, due_day, received, rng)
    returned_at = draw_returns(status, resolved_at, rng)
    coded, wait = draw_flags(unit, window.year, cat, proc, channel, status, fate, resolved_at, rng)
    due = moments_at(due_day, np.full(plan.received, 1020), np.zeros(plan.received, dtype=np.int64))
    moments = {"received_at": received, "due_at": due, "resolved_at": resolved_at, "returned_at": returned_at}
    return sorted_rows(unit, window.year, cat.code[proc], moments, coded, wait, rng)


def draw_procedures(unit: Unit, window: Window, n: int, cat: Catalogue, rng: np.random.Generator) -> np.ndarray:
    """Catalogue rows of `n` dossiers: in force all window, at the unit's level (departments: the province's
    procedures; districts and communes: the others), in its fields, by popularity."""
    usable = cat.usable_in(window)
    level_ok = cat.authority == PROVINCE_LEVEL if unit.kind == "department" else cat.authority != PROVINCE_LEVEL
    field_weight = np.zeros(len(FIELDS))
    for i, w in unit.field_weights:
        field_weight[i] = w
    avail = np.flatnonzero(usable & level_ok & (field_weight[cat.field] > 0))
    pop = cat.popularity[avail]
    per_field_total = np.bincount(cat.field[avail], weights=pop, minlength=len(FIELDS))
    prob = field_weight[cat.field[avail]] * pop / per_field_total[cat.field[avail]]
    return avail[rng.choice(avail.size, size=n, p=prob / prob.sum())]


def draw_channels(plan: Plan, cat: Catalogue, proc: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Exact channel counts; online goes preferably to eligible procedures and online-minded fields."""
    n = plan.received
    channel = np.full(n, DIRECT, dtype=np.int8)
    field_online = np.array([FIELDS[i].online_factor for i in range(len(FIELDS))])[cat.field[proc]]
    online_w = np.where(cat.eligible[proc], 2.5, 0.4) * field_online
    channel[exact_pick(rng, np.arange(n), online_w, plan.online)] = ONLINE
    rest = np.flatnonzero(channel == DIRECT)
    channel[rng.choice(rest, size=min(plan.postal, rest.size), replace=False)] = POSTAL
    return channel


def draw_received(
    unit: Unit, window: Window, plan: Plan, channel: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(day, minute of the day, moment) received within the window: counter dossiers on working days in
    office hours, online ones any day and hour; a plan's Q1 online count is met exactly."""
    n = plan.received
    year = window.year
    counter_w, online_day_w = window_weights(unit.province, window)
    days = year_days(year)
    day_idx = np.empty(n, dtype=np.int64)
    is_online = channel == ONLINE
    not_online = np.flatnonzero(~is_online)
    day_idx[not_online] = choose_days(rng, counter_w, not_online.size)
    online_idx = np.flatnonzero(is_online)
    if plan.online_q1 is not None:
        q1 = days < np.datetime64(f"{year}-04-01")
        k = min(plan.online_q1, online_idx.size)
        day_idx[online_idx[:k]] = choose_days(rng, online_day_w, k, q1)
        day_idx[online_idx[k:]] = choose_days(rng, online_day_w, online_idx.size - k, ~q1)
    else:
        day_idx[online_idx] = choose_days(rng, online_day_w, online_idx.size)
    recv_day = days[day_idx]
    minutes = np.where(is_online, online_minutes(rng, n), office_minutes(rng, n))
    return recv_day, minutes, moments_at(recv_day, minutes, rng.integers(0, 60, size=n))


def draw_fates(
    unit: Unit,
    window: Window,
    plan: Plan,
    recv_day: np.ndarray,
    due_day: np.ndarray,
    legal: np.ndarray,
    field: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Each dossier's fate, with the plan's exact counts: carried over the window's end (received in its
    last weeks, the longer procedures first), rejected, withdrawn, resolved late (where the due date leaves
    room in the window, slow fields first), the rest on time."""
    last_bday = busday(window.last, 0, roll="backward")
    fate = np.full(plan.received, ON_TIME, dtype=np.int8)
    window = 12
    while True:
        cutoff = busday(last_bday, -window, roll="backward")
        candidates = np.flatnonzero(recv_day >= cutoff)
        if candidates.size >= plan.carried or window > 250:
            break
        window *= 2
    fate[exact_pick(rng, candidates, np.ceil(legal[candidates]) + 1.0, plan.carried)] = CARRIED
    free = np.flatnonzero(fate == ON_TIME)
    fate[rng.choice(free, size=min(plan.rejected, free.size), replace=False)] = REJECTED_FATE
    free = np.flatnonzero(fate == ON_TIME)
    fate[rng.choice(free, size=min(plan.withdrawn, free.size), replace=False)] = WITHDRAWN_FATE
    feasible = np.flatnonzero((fate == ON_TIME) & (due_day < last_bday))
    late_w = np.array([f.late_weight for f in FIELDS])[field[feasible]]
    late = exact_pick(rng, feasible, late_w, plan.late)
    if late.size < plan.late:
        warnings.warn(f"{unit.code} {window.tag}: only {late.size} of {plan.late} late dossiers fit", stacklevel=3)
    fate[late] = LATE
    return fate


def draw_endings(
    window: Window,
    fate: np.ndarray,
    recv_day: np.ndarray,
    due_day: np.ndarray,
    received: np.ndarray,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """(status, moment processing ended) of every dossier, from its fate."""
    n = fate.size
    last_bday = busday(window.last, 0, roll="backward")
    start = busday(recv_day, 0)
    status = np.full(n, RESOLVED, dtype=np.int8)
    res_day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    # on time: a working day between receipt and the due date (and within the window), early more likely
    rows = np.flatnonzero(fate == ON_TIME)
    end = np.minimum(due_day[rows], last_bday)
    span = np.where(start[rows] <= end, np.busday_count(start[rows], end, busdaycal=BUSDAYS), -1)
    k = np.floor(rng.random(rows.size) ** 2 * (span + 1)).astype(np.int64)
    res_day[rows] = np.where(span >= 0, busday(start[rows], np.clip(k, 0, np.maximum(span, 0))), recv_day[rows])
    # late: 1+ working days after the due date, still within the window
    rows = np.flatnonzero(fate == LATE)
    room = np.busday_count(due_day[rows], last_bday, busdaycal=BUSDAYS)
    k = np.minimum(rng.geometric(0.3, size=rows.size), np.maximum(room, 1))
    res_day[rows] = busday(due_day[rows], k)
    # rejected / withdrawn: decided within days, within the window
    for code, top in ((REJECTED_FATE, 4), (WITHDRAWN_FATE, 10)):
        rows = np.flatnonzero(fate == code)
        day = busday(start[rows], rng.integers(0, top, size=rows.size))
        res_day[rows] = np.where(day > window.last, recv_day[rows], day)
    status[fate == REJECTED_FATE] = REJECTED
    status[fate == WITHDRAWN_FATE] = WITHDRAWN
    draw_carried_over(window, fate, status, res_day, rng)
    finished = ~np.isnat(res_day)
    resolved_at = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    k = int(finished.sum())
    resolved_at[finished] = not_before(
        rng, moments_at(res_day[finished], office_minutes(rng, k), rng.integers(0, 60, k)), received[finished]
    )
    return status, resolved_at


def draw_carried_over(
    window: Window, fate: np.ndarray, status: np.ndarray, res_day: np.ndarray, rng: np.random.Generator
) -> None:
    """Dossiers carried over the window's end finish early after it, or are still open in the export (a
    window that ends at LAST_DAY). Never rejected then: a late rejection would count against the year
    received under either definition. Fills `status` and `res_day` in place."""
    rows = np.flatnonzero(fate == CARRIED)
    if not window.at_snapshot:
        first = busday(window.last + np.timedelta64(1, "D"), 0)
        res_day[rows] = busday(first, np.minimum(rng.geometric(0.12, size=rows.size) - 1, 40))
        status[rows] = np.where(rng.random(rows.size) < 0.96, RESOLVED, WITHDRAWN).astype(np.int8)
    else:
        status[rows] = rng.choice(np.array([PROCESSING, SUPPLEMENT, RECEIVED], dtype=np.int8), size=rows.size,
                                  p=[0.7, 0.2, 0.1])  # fmt: skip


def draw_returns(status: np.ndarray, resolved_at: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Returned to the applicant: results after resolution (some not collected yet, none after LAST_DAY);
    rejections at once."""
    returned_at = np.full(status.size, np.datetime64("NaT"), dtype="datetime64[s]")
    rows = np.flatnonzero(status == RESOLVED)
    ret_day = busday(resolved_at[rows].astype("datetime64[D]"),
                     rng.choice([0, 1, 2, 3, 5], size=rows.size, p=[0.45, 0.27, 0.13, 0.09, 0.06]))  # fmt: skip
    ret = not_before(rng, moments_at(ret_day, office_minutes(rng, rows.size), rng.integers(0, 60, rows.size)),
                     resolved_at[rows])  # fmt: skip
    keep = (rng.random(rows.size) >= 0.04) & (ret < snapshot_end())
    returned_at[rows[keep]] = ret[keep]
    rows = np.flatnonzero(status == REJECTED)
    returned_at[rows] = resolved_at[rows]
    return returned_at


def draw_flags(
    unit: Unit,
    year: int,
    cat: Catalogue,
    proc: np.ndarray,
    channel: np.ndarray,
    status: np.ndarray,
    fate: np.ndarray,
    resolved_at: np.ndarray,
    rng: np.random.Generator,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The flags Decision 766 counts (fee paid online, digitised, electronic result, data reuse, …), the
    applicant's type, rating and waiting time: (codes per column, minutes waited or NaN)."""
    n = status.size
    yi = Y[year]
    field = cat.field[proc]
    has_fee = cat.has_fee[proc]
    online_ch = channel == ONLINE
    finished = ~np.isnat(resolved_at)
    pay_p = np.clip(PAID_ONLINE[yi] * np.where(online_ch, 1.2, 0.7), 0, 0.98)
    paid = np.where(has_fee, (rng.random(n) < pay_p).astype(np.int8), 2)
    digitised = rng.random(n) < np.clip(DIGITISED[yi] * np.where(online_ch, 1.08, 0.95), 0, 0.995)
    electronic = np.where(status == RESOLVED, (rng.random(n) < RESULT_ELECTRONIC[yi]).astype(np.int8), 2)
    reused = rng.random(n) < DATA_REUSED[yi]
    shared = digitised & (rng.random(n) < DIGITISED_SHARED[yi])
    citizen = rng.random(n) < CITIZEN_DATA[yi]
    synced = rng.random(n) < SYNCED_ON_TIME[yi]
    rated = finished & (rng.random(n) < RATED[yi])
    satisfied_p = np.where(fate == LATE, 0.75, np.where(status == REJECTED, 0.6, 0.975))
    satisfied = np.where(rated, (rng.random(n) < satisfied_p).astype(np.int8), 2)
    org = rng.random(n) < np.array([f.organisation_share for f in FIELDS])[field]
    wait = np.where(
        channel == DIRECT,
        np.maximum(1, np.round(rng.lognormal(np.log(WAIT_MEDIAN[yi] * (1.2 if unit.urban else 0.8)), 0.6, n))),
        np.nan,
    )
    level = np.where(online_ch, np.where(cat.eligible[proc] & (rng.random(n) < 0.92), 2, 1), 0)
    reason = np.where(status == REJECTED, rng.integers(0, len(REJECTION_REASONS), n), len(REJECTION_REASONS))
    coded = {
        "field_code": field,
        "status": status,
        "channel": channel,
        "online_level": level,
        "has_fee": has_fee,
        "paid_online": paid,
        "dossier_digitised": digitised,
        "result_electronic": electronic,
        "data_reused": reused,
        "digitised_shared": shared,
        "citizen_data_used": citizen,
        "synced_on_time": synced,
        "rated_satisfied": satisfied,
        "applicant_type": org,
        "rejected_reason": reason,
    }
    return coded, wait


def add_signatures(unit: Unit, year: int, rows: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """The digital-signature columns of one unit's dossiers of a year (`dossier_rows`), from SIGNATURES_FROM
    on: received_signed for every dossier (online ones more often), result_signed for the resolved ones
    (blank for the others). TP.HCM's Department of Industry and Trade: in 2023 exactly the calibrated count
    of signed dossiers (calibration.industry_trade_signed), and every result signed from
    INDUSTRY_TRADE_RESULTS_SIGNED_FROM on. `rng` is a stream of its own: the other columns do not change."""
    if year < SIGNATURES_FROM or rows.is_empty():
        return rows
    yi = Y[year]
    online = rows.get_column("channel").to_numpy() == ONLINE
    resolved = rows.get_column("status").to_numpy() == RESOLVED
    n = rows.height
    industry_trade = unit.code == cal.HCMC_INDUSTRY_TRADE
    if industry_trade and year == cal.INDUSTRY_TRADE_YEAR:
        signed = np.zeros(n, dtype=bool)
        signed[exact_pick(rng, np.arange(n), np.where(online, 3.0, 1.0), cal.industry_trade_signed(n))] = True
    else:
        signed = rng.random(n) < np.clip(RECEIVED_SIGNED[yi] * np.where(online, 1.25, 0.6), 0, 0.99)
    result_p = 1.0 if industry_trade and year >= cal.INDUSTRY_TRADE_RESULTS_SIGNED_FROM else RESULT_SIGNED[yi]
    result = np.where(resolved, (rng.random(n) < result_p).astype(np.int8), 2)
    return rows.with_columns(
        pl.Series("received_signed", signed.astype(np.int8)), pl.Series("result_signed", result.astype(np.int8))
    )


def style_labels(style: Style) -> dict[str, tuple[str | None, ...]]:
    """Each coded column's labels in the province's style, by code."""
    return {
        "field_code": tuple(f.code for f in FIELDS),
        "status": style.status,
        "channel": style.channel,
        "online_level": style.online_level,
        "has_fee": (style.no, style.yes),
        "paid_online": (style.no, style.yes, None),
        "dossier_digitised": (style.flag_no, style.flag_yes),
        "result_electronic": (style.flag_no, style.flag_yes, None),
        "data_reused": (style.flag_no, style.flag_yes),
        "digitised_shared": (style.flag_no, style.flag_yes),
        "citizen_data_used": (style.flag_no, style.flag_yes),
        "synced_on_time": (style.flag_no, style.flag_yes),
        "rated_satisfied": (style.no, style.yes, None),
        "applicant_type": style.applicant,
        "rejected_reason": (*REJECTION_REASONS, None),
        "received_signed": (style.flag_no, style.flag_yes),
        "result_signed": (style.flag_no, style.flag_yes, None),
    }


def sorted_rows(
    unit: Unit,
    year: int,
    procedure_codes: np.ndarray,
    moments: dict[str, np.ndarray],
    coded: dict[str, np.ndarray],
    wait: np.ndarray,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """The dossiers sorted by received time and numbered per unit and day, with invented applicant names
    and phone numbers."""
    n = wait.size
    order = np.argsort(moments["received_at"], kind="stable")
    recv_day = moments["received_at"][order].astype("datetime64[D]")
    day_num = (recv_day - np.datetime64(f"{year}-01-01")).astype(np.int64)
    seq = np.arange(n) - np.searchsorted(day_num, day_num, side="left") + 1
    names = fake_names(rng, coded["applicant_type"][order])
    phones = rng.integers(10_000_000, 100_000_000, size=n)
    return pl.DataFrame(
        {
            "seq": seq,
            "id_code": pl.Series([unit.id_code] * n, dtype=pl.String),
            "id_province": pl.Series([unit.province] * n, dtype=pl.String),
            "unit_code": pl.Series([unit.code] * n, dtype=pl.String),
            "procedure_code": pl.Series(procedure_codes[order].tolist(), dtype=pl.String),
            "pii_name": names,
            "pii_phone": phones,
            **{c: as_ms(moments[c][order]) for c in ("received_at", "due_at", "resolved_at", "returned_at")},
            "wait_minutes": pl.Series(wait[order], nan_to_null=True),
            **{c: codes[order].astype(np.int8) for c, codes in coded.items()},
        },
    )


def export_frame(rows: pl.DataFrame, style: Style) -> pl.DataFrame:
    """Dossier rows (`dossier_rows`, one unit's or many) as export rows in the province's headers and labels."""
    if rows.is_empty():
        return pl.DataFrame()
    labels = style_labels(style)
    frame = rows.with_columns(
        pl.format(
            "000.00.{}.H{}-{}-{}",
            pl.col("id_code"),
            pl.col("id_province"),
            pl.col("received_at").dt.to_string("%y%m%d"),
            pl.col("seq").cast(pl.String).str.zfill(4),
        ).alias("dossier_id"),
        pl.format("09{}", pl.col("pii_phone")).alias("pii_phone"),
        *[pl.col(c).dt.to_string(style.timestamp) for c in ("received_at", "due_at", "resolved_at", "returned_at")],
        pl.col("wait_minutes").cast(pl.Int64).cast(pl.String),
        *[
            pl.col(c).replace_strict(list(range(len(labels[c]))), list(labels[c]), return_dtype=pl.String)
            for c in labels
            if c in rows.columns
        ],
    )
    h = style.headers
    return frame.select([pl.col(c).alias(h[c]) for c in h if c in frame.columns])
