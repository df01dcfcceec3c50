"""Imported first by every entry point: run without the project's environment, say so instead of a traceback.

`python3 scripts/validate.py` outside .venv would otherwise stop on a ModuleNotFoundError and exit 1,
which the validator's callers read as "the package is invalid". This exits 2, a usage error, and
says what to do. The dependencies checked are pyproject.toml's, so the list is never written twice.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def missing_distributions(pyproject: Path = PYPROJECT) -> list[str]:
    """The project's direct dependencies that this Python cannot find."""
    requirements = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    missing = []
    for requirement in requirements:
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group()  # the distribution's name, before any version
        try:
            distribution(name)
        except PackageNotFoundError:
            missing.append(name)
    return missing


def exit_unless_set_up() -> None:
    missing = missing_distributions()
    if missing:
        script = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "this script"
        more = f" and {len(missing) - 2} more" if len(missing) > 2 else ""
        print(
            f"{script} needs the project's dependencies, and {sys.executable} lacks {', '.join(missing[:2])}{more}: "
            "run `make setup` first, then run it with .venv/bin/python (or through make, e.g. `make validate`).",
            file=sys.stderr,
        )
        sys.exit(2)


exit_unless_set_up()
