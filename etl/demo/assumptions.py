"""Year-level assumptions of the demo: how uptake, digitisation and volume move from year to year. Plausible,
not published (the published facts are in calibration.py). Tuples are indexed by `Y[year]`."""

from __future__ import annotations

from etl.demo import calibration as cal
from etl.demo.periods import YEARS

Y = {year: i for i, year in enumerate(YEARS)}
ONLINE_SHARE = (0.08, 0.14, 0.23, 0.34, 0.45, 0.53, 0.60, 0.66)
PAID_ONLINE = (0.04, 0.10, 0.22, 0.48, 0.70, 0.84, 0.88, 0.91)
DIGITISED = (0.06, 0.12, 0.28, 0.58, 0.82, 0.93, 0.96, 0.98)
RESULT_ELECTRONIC = (0.03, 0.06, 0.16, 0.46, 0.72, 0.86, 0.90, 0.93)
DATA_REUSED = (0.0, 0.01, 0.05, 0.20, 0.40, 0.55, 0.65, 0.72)
DIGITISED_SHARED = (0.0, 0.02, 0.10, 0.32, 0.60, 0.80, 0.86, 0.90)
CITIZEN_DATA = (0.0, 0.0, 0.0, 0.15, 0.40, 0.62, 0.75, 0.82)
SYNCED_ON_TIME = (0.82, 0.86, 0.90, 0.95, 0.97, 0.99, 0.99, 0.995)
RATED = (0.05, 0.10, 0.20, 0.35, 0.50, 0.60, 0.65, 0.70)
# Digital signatures: exports carry the two columns from 2022 on (Hà Nội's and TP.HCM's systems; Bắc Kạn's
# and Thái Nguyên's do not export them). Shares of dossiers received signed (online dossiers more often)
# and of results signed.
SIGNATURES_FROM = 2022
RECEIVED_SIGNED = (0.0, 0.0, 0.0, 0.35, 0.52, 0.64, 0.72, 0.78)
RESULT_SIGNED = (0.0, 0.0, 0.0, 0.55, 0.74, 0.85, 0.91, 0.94)
WAIT_MEDIAN = (16.0, 15.0, 13.0, 11.0, 10.0, 9.0, 8.5, 8.0)
VOLUME = {  # dossiers received relative to 2019 (COVID years lower), by lineage (units.LINEAGE)
    cal.HANOI: (1.0, 0.94, 0.86, 1.04, 1.08, 1.12, 1.15, 1.17),
    cal.HCMC: (1.0, 0.93, 0.78, 1.02, 1.06, 1.10, 1.13, 1.15),
    cal.BAC_KAN: (1.0, 0.96, 0.92, 1.03, 1.06, 1.09, 1.11, 1.12),
}
# The communes' first months after 1 July 2025: staff and systems new to the work, fewer dossiers on time.
REFORM_ON_TIME_DIP = 0.015
