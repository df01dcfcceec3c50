"""The served site moves what it loads at startup out of the garbage collector's way
(datasette-site/plugins/frozen_startup_objects.py), once per process, in a process of its own here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"

PROGRAM = """
import asyncio, gc, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from serve import in_process

async def main():
    before = gc.get_freeze_count()
    first = in_process(Path(sys.argv[2]))
    await first.client.get("/")
    after_first = gc.get_freeze_count()
    second = in_process(Path(sys.argv[2]))
    await second.client.get("/")
    print(before, after_first, gc.get_freeze_count())

asyncio.run(main())
"""


def test_the_first_site_started_freezes_what_it_loaded_and_a_second_freezes_nothing_more(built_site):
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(SCRIPTS), str(built_site)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before, after_first, after_second = map(int, done.stdout.split())
    assert before == 0
    assert after_first > 10_000  # Datasette, its templates and plugins
    # A second freeze would take in the objects the second site made (over 1,000); the count of
    # frozen objects drifts by a few as some of them are freed or re-tracked.
    assert abs(after_second - after_first) < 200
