"""Graph rules: nothing dangles unused, the actor hierarchy has no loops, every event has its people."""

from __future__ import annotations

import pandas as pd

from rules.rule import Context, Rule, cells


def _column(context: Context, table: str, column: str) -> set:
    frame = context.table(table)
    return set(frame[column].dropna()) if column in frame else set()


def _actor_is_used(context: Context, actors: pd.DataFrame) -> pd.Series:
    used = (
        _column(context, "event_actors", "actor_id")
        | _column(context, "agreement_parties", "actor_id")
        | _column(context, "figures", "claimed_by_actor_id")
        | set(actors["parent_actor_id"].dropna())
    )
    return actors["actor_id"].isin(used)


def _place_is_used(context: Context, places: pd.DataFrame) -> pd.Series:
    used = _column(context, "events", "place_id") | _column(context, "events", "about_place_id")
    return places["place_id"].isin(used)


def _not_in_parent_cycle(context: Context, actors: pd.DataFrame) -> pd.Series:
    # A row without an id is the `required` constraint's to report; NA has no truth value in `current == actor`.
    parent = {a: p for a, p in cells(actors, "actor_id", "parent_actor_id") if pd.notna(a) and pd.notna(p)}

    def in_cycle(actor) -> bool:
        seen, current = set(), parent.get(actor)
        while current is not None and current not in seen:
            if current == actor:
                return True
            seen.add(current)
            current = parent.get(current)
        return False

    return ~pd.Series([pd.notna(a) and in_cycle(a) for a in actors["actor_id"]], index=actors.index, dtype=bool)


def _event_has_actor(context: Context, events: pd.DataFrame) -> pd.Series:
    return events["event_id"].isin(_column(context, "event_actors", "event_id"))


def _statement_has_speaker(context: Context, events: pd.DataFrame) -> pd.Series:
    links = context.table("event_actors")
    speakers = set(links.loc[links["role"] == "speaker", "event_id"]) if "role" in links else set()
    return ~(events["event_type"] == "statement").fillna(False) | events["event_id"].isin(speakers)


RULES = [
    Rule(
        "actor-is-used",
        "actors",
        "actor_id",
        _actor_is_used,
        lambda c, r: f"{r['actor_id']} appears in no event, agreement or figure: link it or remove it",
        needs=("event_actors", "agreement_parties", "figures"),
    ),
    Rule(
        "place-is-used",
        "places",
        "place_id",
        _place_is_used,
        lambda c, r: f"{r['place_id']} is the place of no event: link it or remove it",
        needs=("events",),
    ),
    Rule(
        "no-parent-cycle",
        "actors",
        "parent_actor_id",
        _not_in_parent_cycle,
        lambda c, r: f"{r['actor_id']} is its own ancestor through parent_actor_id: the hierarchy must not loop",
    ),
    Rule(
        "event-has-actor",
        "events",
        "event_id",
        _event_has_actor,
        lambda c, r: f"{r['event_id']} has no row in event_actors: say who took part",
        needs=("event_actors",),
    ),
    Rule(
        "statement-has-speaker",
        "events",
        "event_type",
        _statement_has_speaker,
        lambda c, r: f"{r['event_id']} is a statement with no speaker: add an event_actors row with role speaker",
        needs=("event_actors",),
    ),
]
