"""Draw the README's two pictures from the CSVs: the timeline of events and the arrests and money by event.

Usage: python scripts/plot.py [PATH_TO_DATAPACKAGE] [--archive DIR] [--out DIR]
Writes OUT/timeline.png and OUT/figures.png (default OUT: docs/ beside the datapackage.json). The package is
validated first: one with problems gets no pictures (exit 1, or 2 when it could not be checked in full). Colours follow event type (timeline) and the verdict
the citations give each figure (figures), so a reader sees at a glance what others confirm.
"""

from __future__ import annotations

import requires_setup  # noqa: F401  # isort: skip  (first: without .venv, says "run make setup")
import argparse
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen: write files only
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from tables import read_tables  # noqa: E402
from validate import DEFAULT_ARCHIVE  # noqa: E402
from validated import InvalidPackage, validated_package  # noqa: E402
from verification import VERDICTS  # noqa: E402

VERDICT_COLOURS = dict(zip(VERDICTS, ("#1b7837", "#a6dba0", "#bababa", "#c51b7d")))
PEOPLE = ("persons_arrested", "persons_detained")
MONEY = ("funds_involved", "funds_seized", "cash_seized")
SAVE = {"dpi": 110, "bbox_inches": "tight"}


def _save(fig, path: Path, title: str, drawn: list[str]) -> None:
    """Write the PNG with what it draws in its metadata (one id a line), so a test can check the picture against the
    data; no version stamp, so the same data gives the same file."""
    fig.savefig(path, metadata={"Software": None, "Title": title, "Description": "\n".join(drawn)}, **SAVE)
    plt.close(fig)


def _shown(figure: pd.Series) -> str:
    """A figure as printed, or, where the source prints it in a script the pictures' font lacks (Chinese, Khmer),
    its number with "as printed in the source" left to the data: boxes in place of characters say nothing."""
    printed = str(figure["as_printed"])
    if all(ord(char) < 0x2000 for char in printed):
        return printed
    value = float(figure["value"])
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _legible(text: str) -> str:
    """Text without the characters the pictures' font lacks (a publisher's Chinese name beside its Latin one)."""
    kept = "".join(char for char in str(text) if ord(char) < 0x2000)
    return (
        re.sub(r"\(\s*[;,]?\s*\)|\(\s*[;,]\s*", lambda m: "" if m.group(0).endswith(")") else "(", kept)
        .replace("  ", " ")
        .strip()
    )


def _short(text: str, width: int = 60) -> str:
    text = _legible(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def draw_timeline(tables: dict[str, pd.DataFrame], path: Path) -> int:
    """One line per dated event, its window as a bar, its figures as printed beside it; returns events drawn."""
    events = tables["events"].dropna(subset=["start_date"]).copy()
    events["start"] = pd.to_datetime(events["start_date"])
    events["end"] = pd.to_datetime(events["end_date"].fillna(events["start_date"])) + pd.Timedelta(days=1)
    events = events.sort_values(["start", "event_id"]).reset_index(drop=True)
    with_event = tables["figures"].dropna(subset=["event_id"])
    figures = with_event.assign(shown=with_event.apply(_shown, axis=1)).groupby("event_id")["shown"].agg("; ".join)
    types = sorted(events["event_type"].unique())
    palette = dict(zip(types, plt.get_cmap("tab20").colors))
    fig, ax = plt.subplots(figsize=(13, 0.38 * len(events) + 1.6))
    for i, e in events.iterrows():
        width = max((e["end"] - e["start"]).days, 3)
        ax.barh(i, width, left=e["start"], height=0.6, color=palette[e["event_type"]])
        label = _short(e["title"]) + (f"  [{_short(figures[e['event_id']], 50)}]" if e["event_id"] in figures else "")
        ax.text(e["start"] + pd.Timedelta(days=width + 4), i, label, va="center", fontsize=7.5)
    ax.set_yticks([])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    right = events["end"].max() + pd.Timedelta(days=200)
    ax.set_xlim(events["start"].min() - pd.Timedelta(days=15), right)
    handles = [plt.Rectangle((0, 0), 1, 1, color=palette[t]) for t in types]
    ax.legend(handles, types, loc="lower left", fontsize=7, ncol=2, title="event type", title_fontsize=8)
    undated = len(tables["events"]) - len(events)
    ax.set_title(f"Events by date window, figures as printed in brackets ({undated} undated events not drawn)", fontsize=10)
    _save(fig, path, "Events by date window", events["event_id"].tolist())
    return len(events)


def draw_figures(tables: dict[str, pd.DataFrame], path: Path) -> int:
    """People arrested or detained, and sums of money, per event, coloured by verdict; returns bars drawn."""
    figures = tables["figures"].dropna(subset=["event_id"]).copy()
    titles = dict(zip(tables["events"]["event_id"], tables["events"]["title"]))
    publishers = dict(zip(tables["sources"]["source_id"], tables["sources"]["publisher"]))
    panels = [
        ("People arrested or detained", figures[figures["metric"].isin(PEOPLE)], "people"),
        ("Money involved or seized (in its own currency; not converted)", figures[figures["metric"].isin(MONEY)], None),
    ]
    fig, axes = plt.subplots(2, 1, figsize=(11, 8.5))
    drawn: list[str] = []
    for ax, (title, rows, unit) in zip(axes, panels):
        rows = rows.assign(number=rows["value"].astype(float)).sort_values(["number", "figure_id"]).reset_index(drop=True)
        colours = [VERDICT_COLOURS[v] for v in rows["verification"]]
        ax.barh(range(len(rows)), rows["number"], color=colours)
        ax.set_yticks(range(len(rows)), [_short(titles[e], 55) for e in rows["event_id"]], fontsize=7.5)
        for i, r in rows.iterrows():
            ax.text(r["number"], i, f"  {_shown(r)} ({_short(publishers[r['source_id']], 40)})", va="center", fontsize=7.5)
        ax.set_xlabel(unit or "amount in the currency printed", fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_xlim(0, rows["number"].max() * 1.6)
        ax.ticklabel_format(axis="x", style="plain")
        drawn += rows["figure_id"].tolist()
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in VERDICT_COLOURS.values()]
    fig.legend(handles, list(VERDICT_COLOURS), loc="lower center", ncol=4, fontsize=8, title="verdict from the citations")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    _save(fig, path, "People arrested or detained, and money, per event", drawn)
    return len(drawn)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw docs/timeline.png and docs/figures.png from the package.")
    parser.add_argument("datapackage", nargs="?", default="datapackage.json")
    parser.add_argument("--archive", default=str(DEFAULT_ARCHIVE), metavar="DIR")
    parser.add_argument("--out", metavar="DIR", help="where to write the pictures (default: docs/ beside the package)")
    args = parser.parse_args(argv)
    if not Path(args.datapackage).is_file():
        parser.error(f"no data package at {args.datapackage}")
    try:
        package = validated_package(Path(args.datapackage), Path(args.archive))
    except InvalidPackage as exc:
        print(str(exc))
        print("Pictures refused: fix the problems above. Nothing was drawn.", file=sys.stderr)
        return exc.exit_code
    out = Path(args.out) if args.out else package.root / "docs"
    out.mkdir(parents=True, exist_ok=True)
    tables = read_tables(package)
    events = draw_timeline(tables, out / "timeline.png")
    bars = draw_figures(tables, out / "figures.png")
    print(f"wrote {out / 'timeline.png'} ({events} events) and {out / 'figures.png'} ({bars} figures)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
