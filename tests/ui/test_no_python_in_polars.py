"""The dashboard never hands a Python function to Polars (ui/charts/common.py: `each`).

Polars runs such a function on its worker threads, which must then take the interpreter lock; a
page run in another session holding that lock while it waits for the same workers
(`DataFrame.to_pandas` does) hangs the whole server. With five users at once the load test
(bench/load_test.py) hung every session of a process within seconds.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON_IN_POLARS = re.compile(r"\.(map_elements|map_batches|map_rows|map_groups)\(")


def test_no_page_or_ui_module_passes_a_python_function_to_polars():
    files = [REPO / "dashboard.py", *sorted((REPO / "ui").rglob("*.py")), *sorted((REPO / "pages").glob("*.py"))]
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PYTHON_IN_POLARS.search(line)
    ]
    assert not found, "\n".join(found)


def test_each_maps_in_the_calling_thread_and_keeps_nulls():
    import polars as pl

    from ui.charts.common import each

    out = each(pl.Series("kind", ["a", None, "b"]), str.upper)
    assert out.to_list() == ["A", None, "B"] and out.name == "kind" and out.dtype == pl.String
    flags = each(pl.Series("v", [1.0, None, 3.0]), lambda v: v > 2, pl.Boolean)
    assert flags.to_list() == [False, None, True]
