"""A small lake across the reform of 1 July 2025, for the page tests of levels, units and maps.

Real NSO codes of both eras; the units and the crosswalk are the committed ones (data/reference/units/,
seeded on the first load), so nothing about units is made up here:
- Hà Nội (01, unchanged): districts 001 Quận Ba Đình and 002 Quận Hoàn Kiếm to June 2025; from July the
  communes 00004 Phường Ba Đình, 00008 Phường Ngọc Hà and 00070 Phường Hoàn Kiếm; its department 01.SCT
  throughout.
- Code 52: Tỉnh Bình Định to June 2025 (its district 540 Thành phố Quy Nhơn), Tỉnh Gia Lai from July (its
  commune 21553 Phường Quy Nhơn Bắc, formerly Phường Nhơn Phú of Quy Nhơn).
Dossiers: 30 a unit and year, 2024 to 2026 (2025 split at 1 July); a unit's share on time is its quality
(QUALITY), every third dossier online and paid online. SIPAS (2022 questionnaire): 2024 by district, 2025
and 2026 by commune, 40 respondents each; 00004 falls from 95 % to 30 % satisfied (a rank change its
intervals support), the others move a little (changes they do not). PAR at province level for 2024
(01, 52, 64) and 2026 (01, 52), and for the districts 001, 002 and 540 in 2024 (540 scores highest, but
is ranked among Bình Định's districts only). Targets: on time ≥ 90 % in 2024 and ≥ 95 % in 2026, online payment ≥ 50 %
in 2026, SIPAS ≥ 85 %, PAR rank ≤ 1.
"""

from __future__ import annotations

import datetime as dt

BEFORE = {"001": 0.9, "002": 0.6, "540": 0.8, "01.SCT": 0.7}  # units to 30 June 2025
AFTER = {"00004": 0.95, "00008": 0.7, "00070": 0.5, "21553": 0.8, "01.SCT": 0.75}  # from 1 July 2025
PER_YEAR = 30


def _procedures() -> list[dict]:
    rows = []
    for province in ("01", "52"):
        for i, (field, fee) in enumerate((("G01", "true"), ("G09", "false"))):
            rows.append(
                {"procedure_code": f"2.00000{i + 1}", "province_code": province, "name": f"Thủ tục {i + 1}",
                 "field_code": field, "field_name": f"Lĩnh vực {field}", "authority_level": "commune",
                 "full_online_eligible": "true", "has_fee": fee, "legal_days": "10", "published_at": "2020-01-01",
                 "published_on_time": "true", "public_updated_on_time": "true", "public_content_full": "true",
                 "citizen_data_connected": "true"}
            )  # fmt: skip
    return rows


def _dossier(unit: str, year: int, i: int, month: int, on_time: bool) -> dict:
    received = dt.datetime(year, month, 1 + (i % 25), 8, 30)
    due = received + dt.timedelta(days=10)
    resolved = received + dt.timedelta(days=3 + i % 5 if on_time else 12 + i % 7)
    online = i % 3 == 0
    return {
        "dossier_id": f"{unit}-{year}-{month}-{i}", "procedure_code": f"2.00000{1 + i % 2}", "unit_code": unit,
        "received_at": f"{received:%Y-%m-%d %H:%M}", "due_at": f"{due:%Y-%m-%d %H:%M}",
        "resolved_at": f"{resolved:%Y-%m-%d %H:%M}", "status": "resolved", "channel": "online" if online else "direct",
        "online_level": "full" if online else "none", "paid_online": str(online).lower(),
        "dossier_digitised": "true", "result_electronic": "true", "data_reused": "true", "digitised_shared": "true",
        "citizen_data_used": "true", "synced_on_time": "true", "rated_satisfied": "true",
    }  # fmt: skip


def _dossiers() -> list[dict]:
    rows = []
    for year in (2024, 2025, 2026):
        parts = []
        if year <= 2025:
            parts.append((BEFORE, range(1, 13) if year == 2024 else range(1, 7)))
        if year >= 2025:
            parts.append((AFTER, range(7, 13) if year == 2025 else range(1, 13)))
        for units, months in parts:
            months = list(months)
            for unit, quality in units.items():
                on_time_count = round(quality * PER_YEAR)
                for i in range(PER_YEAR):
                    rows.append(_dossier(unit, year, i, months[i % len(months)], i < on_time_count))
    return rows


ELEMENTS = ("tiep_can", "thu_tuc", "cong_chuc", "ket_qua", "pakn")
SATISFIED = {  # unit -> year -> share answering 4 or 5
    "001": {2024: 0.85},
    "002": {2024: 0.7},
    "540": {2024: 0.8},
    "00004": {2025: 0.95, 2026: 0.3},
    "00008": {2025: 0.7, 2026: 0.75},
    "00070": {2025: 0.65, 2026: 0.7},
    "21553": {2025: 0.8, 2026: 0.85},
}
RESPONDENTS = 40


def _survey() -> tuple[list[dict], list[dict]]:
    questions = [
        {"instrument": "SIPAS-2022", "valid_from_year": "2022", "valid_to_year": "", "question_code": f"Q-{element}",
         "element": element, "element_name_vi": element, "element_name_en": element, "kind": "assessment",
         "text_vi": "Câu hỏi", "text_en": "Question"}
        for element in ELEMENTS
    ]  # fmt: skip
    responses = []
    for unit, years in SATISFIED.items():
        for year, share in years.items():
            satisfied = round(share * RESPONDENTS)
            for r in range(RESPONDENTS):
                for element in ELEMENTS:
                    responses.append(
                        {"response_id": f"{year}-{unit}-{r}", "year": str(year), "unit_code": unit,
                         "question_code": f"Q-{element}", "answer": "5" if r < satisfied else "2", "weight": "1"}
                    )  # fmt: skip
    return questions, responses


PAR_AREAS = {"1": 10.0, "2": 10.0, "3": 14.5, "4": 11.0, "5": 16.0, "6": 7.0, "7": 16.0, "8": 15.5}
PAR_QUALITY = {  # year -> unit -> share of each area's maximum appraised
    2024: {"01": 0.9, "52": 0.8, "64": 0.7, "001": 0.85, "002": 0.75, "540": 0.95},
    2026: {"01": 0.85, "52": 0.9},
}


def _par() -> list[dict]:
    rows = []
    for year, units in PAR_QUALITY.items():
        for unit, quality in units.items():
            for area, maximum in PAR_AREAS.items():
                rows.append(
                    {"year": str(year), "unit_code": unit, "framework": "QD2948-2017", "area_code": area,
                     "criterion_code": f"{area}.1", "max_points": str(maximum), "self_points": str(maximum),
                     "appraised_points": f"{maximum * quality:.2f}", "survey_points": ""}
                )  # fmt: skip
    return rows


def _targets() -> list[dict]:
    rows = [("on_time_rate", "2024", ">=", "0.9"), ("on_time_rate", "2026", ">=", "0.95"),
            ("online_payment_rate", "2026", ">=", "0.5"), ("sipas_overall", "2026", ">=", "0.85"),
            ("par_rank", "2026", "<=", "1")]  # fmt: skip
    return [
        {"indicator": code, "unit_code": "all", "field_code": "all", "year": year, "comparator": comparator,
         "value": value, "source": f"Kế hoạch CCHC {year}"}
        for code, year, comparator, value in rows
    ]  # fmt: skip


def reform_lake_inputs() -> dict[str, list[dict]]:
    questions, responses = _survey()
    return {
        "procedures": _procedures(),
        "dossiers": _dossiers(),
        "survey_questions": questions,
        "survey_responses": responses,
        "par_scores": _par(),
        "targets": _targets(),
    }
