"""Strict values and keys, derived from the schemas: the forms frictionless lets through but users cannot rely on.

Frictionless reads `1_27`, ` 12`, `Infinity` and `1e309` as numbers and `2025-9-1` as a date; SQLite then stores
infinity, compares the date as text and drops the event from a timeline. Here a number is a plain, finite
decimal and a date is YYYY-MM-DD. Keys are checked on every row (frictionless stops at its error limit).
"""

from __future__ import annotations

import pandas as pd

from messages import constraint_message, foreign_key_message, type_message
from rules.rule import DATE_FORM, NUMBER_FORM, ColumnRule, Context, Rule, dates, numbers, series
from structure_checks import is_web_url

_FORMS = {"number": NUMBER_FORM, "integer": r"-?(0|[1-9][0-9]*)", "date": DATE_FORM}


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string[pyarrow]")


def _well_formed(kind: str):
    def passes(values: pd.Series, field: dict) -> pd.Series:
        text = _text(values)
        shaped = text.str.fullmatch(_FORMS[kind]).fillna(True)
        if kind == "date":
            readable = dates(text).notna() | text.isna()
        else:
            readable = numbers(text).notna() | text.isna()
        return (shaped & readable).astype(bool)

    return passes


def _comparable(values: pd.Series, field: dict) -> pd.Series:
    """The cells as numbers or dates, as the field's type says; unreadable ones are missing (`type` reports them)."""
    return dates(values) if field.get("type") == "date" else numbers(values)


def _bound(name: str):
    def applies(field: dict) -> bool:
        return field.get("type") in ("number", "integer", "date") and name in (field.get("constraints") or {})

    def passes(values: pd.Series, field: dict) -> pd.Series:
        limit = field["constraints"][name]
        limit = pd.Timestamp(limit) if field.get("type") == "date" else limit
        found = _comparable(values, field)
        broken = found < limit if name == "minimum" else found > limit
        return ~broken.fillna(False).astype(bool)

    return ColumnRule(name, applies, passes, lambda field, value: constraint_message(name, field, value))


def _web_urls(values: pd.Series, field: dict) -> pd.Series:
    return pd.Series([value is pd.NA or is_web_url(value) for value in values.tolist()], index=values.index, dtype=bool)


COLUMN_RULES = [
    *[
        ColumnRule(
            "type",
            lambda field, kind=kind: field.get("type", "string") == kind,
            _well_formed(kind),
            lambda field, value: type_message(field, value),
        )
        for kind in _FORMS
    ],
    _bound("minimum"),
    _bound("maximum"),
    ColumnRule(
        "http-url",
        lambda field: field.get("format") == "uri",
        _web_urls,
        lambda field, value: f"{field['name']} {value!r} is not an http(s) web address: only those are published as links",
    ),
]


def key_rules(resources) -> list[Rule]:
    """The primary key and every foreign key of every table, as rules checked on every row."""
    rules = []
    for resource in resources:
        pk = resource.primary_key
        if pk:
            rules.append(
                Rule(
                    "primary-key",
                    resource.name,
                    pk[0],
                    lambda c, frame, pk=tuple(pk): ~frame.duplicated(list(pk), keep="first"),
                    lambda c, row, pk=tuple(pk): (
                        f"duplicate primary key: another row above has the same {', '.join(pk)} "
                        f"({', '.join(str(row[name]) for name in pk)})"
                    ),
                )
            )
        for fk in resource.schema.get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            reference = fk["reference"]
            target = reference.get("resource") or resource.name
            ref_fields = reference["fields"] if isinstance(reference["fields"], list) else [reference["fields"]]
            rules.append(
                Rule(
                    "foreign-key",
                    resource.name,
                    fields[0],
                    _references(tuple(fields), target, tuple(ref_fields)),
                    lambda c, row, fields=tuple(fields), target=target, ref=tuple(ref_fields): foreign_key_message(
                        target, list(ref), [row[f] for f in fields]
                    ),
                    needs=() if target == resource.name else (target,),
                )
            )
    return rules


def _references(fields: tuple[str, ...], target: str, ref_fields: tuple[str, ...]):
    def passes(context: Context, frame: pd.DataFrame) -> pd.Series:
        other = context.table(target)
        if len(fields) == 1:
            return frame[fields[0]].isna() | frame[fields[0]].isin(other[ref_fields[0]].dropna())
        known = set(zip(*(other[f].tolist() for f in ref_fields)))
        rows = zip(*(frame[f].tolist() for f in fields))
        return series((any(v is pd.NA for v in key) or key in known for key in rows), frame)

    return passes
