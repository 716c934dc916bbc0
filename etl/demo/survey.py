"""SIPAS-style survey microdata: one row per respondent × question, weights with mean 1. Every unit that
exists at the end of the year is sampled: districts and departments before 2025, communes and
departments from 2025 (the province level pools them).

EXCEPTION to the scaling rule: never fewer than `SURVEY_FLOOR` (40) respondents per unit and year,
because survey estimates from fewer than 30 respondents are not shown at all.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo.assumptions import Y
from etl.demo.calibration import SURVEY_FLOOR, scaled
from etl.demo.periods import year_end
from etl.demo.units import Unit
from etl.demo.vocabulary import instrument_for


def survey_frame(units: list[Unit], year: int, scale: float, seed: int) -> pl.DataFrame:
    """SIPAS-style microdata for every unit that exists at the end of `year` (one row per respondent ×
    question)."""
    _, questions = instrument_for(year)
    element_offset = {"tiep_can": 0.02, "thu_tuc": -0.01, "cong_chuc": 0.03, "ket_qua": 0.01, "pakn": -0.04}
    instrument_shift = -0.03 if year >= 2022 else 0.0  # the 2022 instrument is stricter: not comparable
    q_codes = np.array([q[0] for q in questions], dtype=object)
    q_offset = np.array([element_offset[q[1]] for q in questions])
    frames = []
    for u_i, unit in enumerate(units):
        if not unit.exists_on(year_end(year)):
            continue
        rng = np.random.default_rng([seed, 6, int(unit.province), u_i, year])
        n = max(SURVEY_FLOOR, scaled(rng.uniform(200, 500), scale))
        base = np.clip(unit.quality + 0.012 * Y[year] + instrument_shift, 0.72, 0.94)
        p = np.clip(base + q_offset, 0.5, 0.97)
        z = rng.normal(0.0, 1.0, n)
        logit = np.log(p / (1 - p))[None, :] + 0.9 * z[:, None]
        satisfied = rng.random((n, len(questions))) < 1 / (1 + np.exp(-logit))
        high = np.where(rng.random((n, len(questions))) < 0.38, 5, 4)
        low = rng.choice(np.array([3, 2, 1]), size=(n, len(questions)), p=[0.62, 0.28, 0.10])
        answer = np.where(satisfied, high, low)
        weight = np.exp(rng.normal(0.0, 0.4, n) - 0.15 * z)
        weight = weight / weight.mean()
        ids = np.array([f"SIPAS{year}-{unit.code}-{i + 1:04d}" for i in range(n)], dtype=object)
        frames.append(
            pl.DataFrame(
                {
                    "Mã phiếu": np.repeat(ids, len(questions)),
                    "Năm": np.full(n * len(questions), year),
                    "Mã đơn vị": [unit.code] * (n * len(questions)),
                    "Mã câu hỏi": np.tile(q_codes, n),
                    "Trả lời": answer.reshape(-1),
                    "Trọng số": np.repeat(np.char.mod("%.4f", weight), len(questions)),
                },
                strict=False,
            )
        )
    return pl.concat(frames).with_columns(
        pl.col("Năm").cast(pl.String),
        pl.col("Trả lời").cast(pl.String),
    )
