"""Keep the garbage collector off the objects the server loads once and keeps for good.

Datasette, its templates, plugins and metadata are about 100,000 objects that live as long as the
server. Every full collection walks them all again, and those pauses made the slowest pages: at 100
times the data, p95 of the table page 43 -> 34 ms, of a view page 54 -> 26 ms, of a search 57 -> 45 ms
once they were frozen (`scripts/benchmark_serve.py --cases pages`). gc.freeze() moves everything alive
at startup into a generation the collector never scans; objects made later are collected as usual.
Once per process: a frozen object is never freed, and the tests start many sites in one process
(each loads this file anew, so the freeze count itself says whether it was done).
"""

import gc

from datasette import hookimpl


@hookimpl
def startup(datasette):
    async def freeze_what_startup_loaded():
        if gc.get_freeze_count() == 0:
            gc.collect()
            gc.freeze()

    return freeze_what_startup_loaded
