"""The lake the "Vị trí của tỉnh" tests read (tests/pages/test_standing.py, tests/browser/test_standing_browser.py).

Real published files, as the product loads them:
- PAPI 2011–2024 and PCI 2005–2018 as shipped in data/reference/ (loaded out of the box by `etl demo`); the PCI
  workbooks of 2005–2008 each have one Hà Tây row, which matches no unit and is quarantined;
- the portal's service-results response of 17/09/2026 (34 provinces, with the six groups) and the typed
  Thái Nguyên table (tests/files/);
- the press table typed with the template (tests/files/published/chi-so-cong-bo_2021-2024.csv: Hải Phòng's
  PAR Index 2024 96,17 % first and 2023 91,81 % second, its SIPAS 2023 88,09 % fifth).

And, written here, what a province's own systems give: Hải Phòng's targets (PAR Index rank ≤ 5 in 2024, SIPAS
≥ 85 % in 2023, both met by the published figures) and 40 dossiers of 2026 at two communes of today's Hải
Phòng (10507 Phường Thành Đông, 10525 Phường Hải Dương, both of the former Hải Dương), so the province's own 766
figure can be derived beside the portal's 66.54. Hải Phòng today (31) is the former Hải Phòng (31) and Hải
Dương (30): the page lists both under it for the years up to 2024.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.conftest import REPO, build_lake_from

PCI_FILES = sorted((REPO / "data" / "reference" / "pci").glob("PCI_*"))
HA_TAY_YEARS = (2005, 2006, 2007, 2008)  # one Hà Tây row each, quarantined (unmatched_name)
COMMUNES = ("10507", "10525")


def files() -> list[dict]:
    entries = [
        {"kind": "papi", "file": "data/reference/papi/PAPI_2011-2016.xlsx"},
        {"kind": "papi", "file": "data/reference/papi/papi_2017_2024_long.csv"},
    ]
    for path in PCI_FILES:
        year = int(path.stem.split("_")[1])
        entries.append({"kind": "pci", "file": str(path.relative_to(REPO)), "quarantined": int(year in HA_TAY_YEARS)})
    entries += [
        {"kind": "published_766", "file": "tests/files/766-portal/service-results_year-2026_2026-09-17.json"},
        {"kind": "published_766", "file": "tests/files/published/diem-766-thai-nguyen.csv"},
        {"kind": "published_index", "file": "tests/files/published/chi-so-cong-bo_2021-2024.csv"},
    ]
    return entries


def procedures() -> list[dict]:
    return [
        {"procedure_code": f"1.00000{i}", "province_code": "31", "name": f"Thủ tục {i}", "field_code": "G01",
         "field_name": "Lĩnh vực G01", "authority_level": "commune", "full_online_eligible": "true",
         "has_fee": "true" if i == 1 else "false", "legal_days": "10", "published_at": "2025-07-01",
         "published_on_time": "true", "public_updated_on_time": "true", "public_content_full": "true",
         "citizen_data_connected": "true"}
        for i in (1, 2)
    ]  # fmt: skip


def dossiers() -> list[dict]:
    rows = []
    for n, unit in enumerate(COMMUNES):
        for i in range(20):
            received = dt.datetime(2026, 1 + i % 8, 3 + i, 8, 0)
            late = i % 5 == 0  # one in five resolved late
            resolved = received + dt.timedelta(days=12 if late else 4)
            rows.append(
                {"dossier_id": f"HP-{unit}-{i}", "procedure_code": f"1.00000{1 + i % 2}", "unit_code": unit,
                 "received_at": f"{received:%Y-%m-%d %H:%M}", "due_at": f"{received + dt.timedelta(days=10):%Y-%m-%d %H:%M}",
                 "resolved_at": f"{resolved:%Y-%m-%d %H:%M}", "status": "resolved",
                 "channel": "online" if (i + n) % 2 else "direct", "online_level": "full" if (i + n) % 2 else "none",
                 "paid_online": "true" if i % 4 == 0 else "false", "dossier_digitised": "true",
                 "result_electronic": "true", "data_reused": "false", "digitised_shared": "true",
                 "citizen_data_used": "true", "synced_on_time": "true", "rated_satisfied": "true"}
            )  # fmt: skip
    return rows


def targets() -> list[dict]:
    return [
        {"indicator": "par_rank", "unit_code": "31", "field_code": "all", "year": "2024", "comparator": "<=",
         "value": "5", "source": "Kế hoạch CCHC 2024 của thành phố Hải Phòng (ví dụ kiểm thử)"},
        {"indicator": "sipas_overall", "unit_code": "31", "field_code": "all", "year": "2023", "comparator": ">=",
         "value": "0.85", "source": "Kế hoạch CCHC 2023 của thành phố Hải Phòng (ví dụ kiểm thử)"},
    ]  # fmt: skip


def _write_csv(path: Path, rows: list[dict]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def build_standing_lake(root: Path) -> Path:
    """The lake of the module docstring under `root` (inputs in root/inputs, the data in root/data)."""
    inputs = root / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    _write_csv(inputs / "procedures.csv", procedures())
    _write_csv(inputs / "dossiers.csv", dossiers())
    _write_csv(inputs / "targets.csv", targets())
    (inputs / "files.json").write_text(json.dumps(files(), ensure_ascii=False), encoding="utf-8")
    return build_lake_from(inputs, root / "data")
