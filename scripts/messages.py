"""The words for a broken schema constraint, written once for both layers, so one fault reads the same whichever finds it."""

from __future__ import annotations

_TYPES = {
    "date": "a date written YYYY-MM-DD",
    "number": "a plain decimal number (digits, with an optional minus sign and decimal point; no exponent, spaces, _ or inf)",
    "integer": "a whole number written with digits only",
}


def type_message(field: dict, value) -> str:
    kind = field.get("type", "string")
    return f'"{value}" is not {_TYPES.get(kind, "a valid " + kind)}'


def constraint_message(rule: str, field: dict, value) -> str:
    constraints = field.get("constraints", {})
    if rule == "required":
        return "a value is required"
    if rule == "pattern":
        return f'"{value}" does not match the pattern {constraints.get("pattern")}'
    if rule == "enum":
        return f'"{value}" is not one of the allowed values {", ".join(map(str, constraints.get("enum", [])))}'
    if rule == "minimum":
        return f'"{value}" is below the minimum {constraints.get("minimum")}'
    if rule == "maximum":
        return f'"{value}" is above the maximum {constraints.get("maximum")}'
    if rule == "unique":
        return f'"{value}" is not unique: another row already has it'
    return f'"{value}" breaks the constraint {rule}'


def foreign_key_message(table: str, fields: list[str], values: list) -> str:
    shown = ", ".join(f'"{v}"' for v in values)
    return f"no row of {table} has {', '.join(fields)} {shown}"
