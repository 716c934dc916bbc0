"""Random draws the generator shares: days and moments in office hours, exact-size weighted picks, and the
invented applicant names the loader must drop. Every draw takes the caller's numpy Generator, so each
unit-year stays on its own deterministic stream."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import polars as pl

from etl.demo.vocabulary import (
    COMPANY_KINDS,
    COMPANY_NAMES,
    COMPANY_WORDS,
    FAMILY_NAMES,
    FAMILY_WEIGHTS,
    GIVEN_NAMES,
    MIDDLE_NAMES,
)


def random_days(rng: np.random.Generator, first: str, last: str, size: int) -> np.ndarray:
    start, end = np.datetime64(first), np.datetime64(last)
    return start + rng.integers(0, int((end - start).astype(int)) + 1, size=size).astype("timedelta64[D]")


def exact_pick(rng: np.random.Generator, candidates: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """k of `candidates` without replacement, with probability growing with weight (exponential keys)."""
    if k <= 0 or candidates.size == 0:
        return candidates[:0]
    if k >= candidates.size:
        return candidates
    keys = rng.exponential(size=candidates.size) / np.maximum(weights, 1e-12)
    return candidates[np.argpartition(keys, k - 1)[:k]]


def choose_days(rng: np.random.Generator, weights: np.ndarray, size: int, mask: np.ndarray | None = None):
    w = weights if mask is None else weights * mask
    return rng.choice(w.size, size=size, p=w / w.sum())


def office_minutes(rng: np.random.Generator, size: int) -> np.ndarray:
    """Minutes after midnight within office hours (7:30–11:30, 13:30–17:00)."""
    morning = rng.random(size) < 0.58
    return np.where(morning, rng.integers(450, 690, size=size), rng.integers(810, 1020, size=size))


def online_minutes(rng: np.random.Generator, size: int) -> np.ndarray:
    daytime = rng.random(size) < 0.85
    return np.where(daytime, rng.integers(420, 1320, size=size), rng.integers(0, 1440, size=size))


def moments_at(days: np.ndarray, minutes: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[s]") + (minutes.astype(np.int64) * 60 + seconds.astype(np.int64)).astype(
        "timedelta64[s]"
    )


def as_ms(moments: np.ndarray) -> np.ndarray:
    return moments.astype("datetime64[ms]")


def not_before(rng: np.random.Generator, moment: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Where moment < floor, a random moment between floor and the end of floor's day (same date)."""
    bad = moment < floor
    if bad.any():
        day_end = floor[bad].astype("datetime64[D]").astype("datetime64[s]") + np.timedelta64(86_399, "s")
        room = (day_end - floor[bad]).astype(np.int64)
        moment = moment.copy()
        moment[bad] = floor[bad] + (rng.random(bad.sum()) * room).astype(np.int64).astype("timedelta64[s]")
    return moment


def code_labels(labels: Iterable[str | None], codes: np.ndarray) -> np.ndarray:
    """Codes 0..k-1 -> their labels (None -> empty cell), as an object array."""
    return np.array(list(labels), dtype=object)[codes.astype(np.int64)]


def fake_names(rng: np.random.Generator, organisation: np.ndarray) -> pl.Series:
    """Invented applicant names (never real people): the loader must drop this column."""
    return pl.Series(fake_name_array(rng, organisation), dtype=pl.String)


def fake_name_array(rng: np.random.Generator, organisation: np.ndarray) -> np.ndarray:
    """`fake_names` as an object array."""
    n = organisation.size
    fam_p = np.array(FAMILY_WEIGHTS) / sum(FAMILY_WEIGHTS)
    family = np.array(FAMILY_NAMES, dtype=object)[rng.choice(len(FAMILY_NAMES), n, p=fam_p)]
    middle = np.array(MIDDLE_NAMES, dtype=object)[rng.integers(0, len(MIDDLE_NAMES), n)]
    given = np.array(GIVEN_NAMES, dtype=object)[rng.integers(0, len(GIVEN_NAMES), n)]
    kind = np.array(COMPANY_KINDS, dtype=object)[rng.integers(0, len(COMPANY_KINDS), n)]
    word = np.array(COMPANY_WORDS, dtype=object)[rng.integers(0, len(COMPANY_WORDS), n)]
    brand = np.array(COMPANY_NAMES, dtype=object)[rng.integers(0, len(COMPANY_NAMES), n)]
    person = family + " " + middle + " " + given
    company = kind + " " + word + " " + brand
    return np.where(organisation, company, person)
