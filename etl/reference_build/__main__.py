"""Command line: python -m etl.reference_build units [--out DIR]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from queries.paths import REFERENCE_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.reference_build", description=__doc__)
    parser.add_argument("target", choices=["units"], help="units: units.csv, crosswalk, unit points, 2025 map")
    parser.add_argument(
        "--out", type=Path, default=REFERENCE_DIR, help="reference folder to write (default: data/reference)"
    )
    args = parser.parse_args(argv)

    from etl.reference_build import geo, units

    written = units.build(REFERENCE_DIR / "units", args.out / "units")
    written += geo.build(REFERENCE_DIR / "geo", args.out / "units", args.out / "geo")
    for path, rows in written:
        print(f"{path}: {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
