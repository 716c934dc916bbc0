"""The writer: reads export files, checks them against the data contract and publishes the lake.

Memory: Polars allocates through its own jemalloc, which Polars sets to keep freed pages for 0.5-1 s
before giving them back. A load frees a block's frames several times a second, so those pages pile up and
the process's RSS grows with the speed of the read instead of staying near one block's worth (about
120 MB more at a million rows). The writer's processes (`python -m etl ...`) therefore ask jemalloc to
return them within 200 ms, from a background thread so that the parsing threads do not pay for it
(docs/reliability.md, "Large files in bounded memory").

The setting goes last in `_RJEM_MALLOC_CONF`, which Polars reads when it is first imported (it puts its
own defaults first and what it finds in the environment after them, and jemalloc keeps the last value of
each key). It has no effect in a process that imported Polars before `etl`, such as a test run in
process; a command-line load is always a process of its own.
"""

import os

WRITER_JEMALLOC_CONF = "background_thread:true,dirty_decay_ms:200,muzzy_decay_ms:0"

_inherited = os.environ.get("_RJEM_MALLOC_CONF", "")
if not _inherited.endswith(WRITER_JEMALLOC_CONF):
    os.environ["_RJEM_MALLOC_CONF"] = f"{_inherited},{WRITER_JEMALLOC_CONF}".lstrip(",")
