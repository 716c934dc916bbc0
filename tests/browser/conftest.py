"""What the browser modules share: one dashboard over the demo lake, in the open mode, for every module
that only reads it. A module that needs a server's first visit, another access mode or another lake
starts its own with `tests.browser.served.serve`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.served import require_browser, serve


@pytest.fixture(scope="session")
def demo_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """The base address of `make run`'s dashboard over `demo_data_dir`, on a free port."""
    require_browser()  # before the demo data are built: fail fast
    with serve(request.getfixturevalue("demo_data_dir"), "browser-demo-server.log") as base:
        yield base
