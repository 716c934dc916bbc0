"""Citizen petitions (phản ánh, kiến nghị): a few hundred per unit and year at scale 1, answered within ten
working days most of the time, some rated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl

from etl.demo import calibration as cal
from etl.demo.assumptions import Y
from etl.demo.calendar import busday, window_share, window_weights, year_days
from etl.demo.calibration import scaled
from etl.demo.periods import DEMO_TODAY, Window, snapshot_end, windows
from etl.demo.sampling import as_ms, choose_days, code_labels, fake_name_array, moments_at, not_before, office_minutes
from etl.demo.styles import HCMC_STYLE, Style
from etl.demo.units import Unit


def feedback_frame(units: list[Unit], scale: float, seed: int, style: Style) -> pl.DataFrame:
    """Every petition about `units` (one province's, numbered as its random streams are), unit by unit; an
    empty frame when the scale leaves none."""
    parts = []
    for u_i, unit in enumerate(units):
        for window in windows(unit.first_day, unit.last_day):
            rng = np.random.default_rng([seed, 5, int(unit.province), u_i, window.year])
            size = rng.uniform(150, 600) * (0.5 if unit.lineage == cal.BAC_KAN else 1.0)
            n = scaled(size * window_share(unit.province, window), scale)
            if n > 0:
                parts.append(unit_feedback(unit, window, n, style, rng))
    if not parts:
        return pl.DataFrame()
    frame = pl.DataFrame(
        {
            name: np.concatenate([part[name] for part in parts])
            if parts[0][name].dtype != object
            else pl.Series(np.concatenate([part[name] for part in parts]).tolist(), dtype=pl.String)
            for name in parts[0]
        }
    ).with_columns(pl.col(c).cast(pl.Datetime("ms")) for c in ("received_at", "due_at", "resolved_at"))
    if style is HCMC_STYLE:  # this portal exports a contact e-mail instead of a phone number
        frame = frame.with_columns(pl.format("congdan{}@example.com", pl.col("pii_phone")).alias("pii_phone"))
    return frame


def unit_feedback(unit: Unit, window: Window, n: int, style: Style, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The columns of `n` petitions about `unit` in a window: due in ten working days, mostly answered by
    then (none after LAST_DAY), some rated."""
    counter_w, _ = window_weights(unit.province, window)
    days = year_days(window.year)[choose_days(rng, counter_w, n)]
    days.sort()
    received = moments_at(days, office_minutes(rng, n), rng.integers(0, 60, n))
    due_day = busday(days, 10)
    on_time = rng.random(n) < rng.uniform(0.86, 0.95)
    k = np.where(on_time, rng.integers(0, 11, n), 10 + rng.geometric(0.2, n))
    res_day = busday(days, k)
    resolved = not_before(rng, moments_at(res_day, office_minutes(rng, n), rng.integers(0, 60, n)), received)
    resolved[resolved >= snapshot_end()] = np.datetime64("NaT")
    answered = ~np.isnat(resolved)
    satisfied = np.where(
        answered & (rng.random(n) < 0.8),
        (rng.random(n) < np.clip(rng.uniform(0.8, 0.95) + 0.01 * Y[window.year], 0, 0.97)).astype(np.int8),
        2,
    )
    topic = (rng.random(n) < 0.2).astype(np.int8)
    ids = np.char.add(f"PAKN-{unit.code}-{window.tag}-", np.char.zfill(np.arange(1, n + 1).astype(str), 5))
    return {
        "feedback_id": ids.astype(object),
        "unit_code": np.full(n, unit.code, dtype=object),
        "pii_name": fake_name_array(rng, np.zeros(n, dtype=bool)),
        "pii_phone": np.char.add("09", rng.integers(10_000_000, 100_000_000, n).astype(str)).astype(object),
        "topic": code_labels(style.topic, topic),
        "received_at": as_ms(received),
        "due_at": as_ms(moments_at(due_day, np.full(n, 1020), np.zeros(n, dtype=np.int64))),
        "resolved_at": as_ms(resolved),
        "satisfied": code_labels((style.no, style.yes, None), satisfied),
    }


def write_feedback_xlsx(frame: pl.DataFrame, style: Style, path: Path) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": dt.datetime.combine(DEMO_TODAY, dt.time(12)), "author": "demo"})
    sheet = workbook.add_worksheet("PAKN")
    stamp = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
    h = style.feedback_headers
    columns = list(h)
    for c, name in enumerate(columns):
        sheet.write(0, c, h[name])
    for c, name in enumerate(columns):
        values = frame[name].to_list()
        for r, v in enumerate(values, start=1):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                sheet.write_datetime(r, c, v, stamp)
            else:
                sheet.write_string(r, c, str(v))
    workbook.close()
