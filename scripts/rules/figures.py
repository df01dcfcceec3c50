"""Figure rules: one parent, money has a real currency, counts are whole, and `value` is what was printed."""

from __future__ import annotations

import re

import pandas as pd
import pycountry

from rules.rule import Context, Rule, numbers

# ISO 4217 also codes things no sum of money is counted in: precious metals, bond-market and accounting units,
# the SDR, funds codes (indexed units, next-day dollars) and the codes for testing (XTS) and for no currency (XXX).
NOT_MONEY = frozenset(
    {"XAU", "XAG", "XPT", "XPD", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA", "XAD", "XTS", "XXX"}
    | {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "UYI", "UYW", "USN"}
)
ISO_4217 = frozenset(currency.alpha_3 for currency in pycountry.currencies) - NOT_MONEY
COUNT_UNITS = frozenset({"person", "item", "case", "target", "location"})
_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
    13: "thirteen",
    14: "fourteen",
    15: "fifteen",
    16: "sixteen",
    17: "seventeen",
    18: "eighteen",
    19: "nineteen",
    20: "twenty",
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    70: "seventy",
    80: "eighty",
    90: "ninety",
    100: "a hundred",
}
_MULTIPLIERS = {
    2: ("doubl", "twofold", "two-fold"),
    3: ("tripl", "threefold", "three-fold"),
    4: ("quadrupl", "fourfold", "four-fold"),
}
_SCALES = ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))


def printed_forms(value: float) -> list[str]:
    """The ways a source may print `value`: 12000000 as "12000000", "12,000,000" or "12 million"; 8 as "eight"."""
    forms = []
    if value == int(value):
        whole = int(value)
        forms += [str(whole), f"{whole:,}"]
        if whole in _WORDS:
            forms.append(_WORDS[whole])
        forms += list(_MULTIPLIERS.get(whole, ()))
    else:
        forms.append(f"{value:g}")
    for scale, word in _SCALES:
        scaled = value / scale
        if scaled >= 1 and round(scaled, 3) == scaled:
            forms.append(f"{scaled:g} {word}")
    return forms


def shows_value(as_printed, value) -> bool:
    if pd.isna(as_printed) or pd.isna(value):
        return True  # a missing cell is reported by the `required` constraint
    for form in printed_forms(float(value)):
        # Digits must not run on: 28 is not shown by "287", 1.5 not by "1.55".
        pattern = rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)" if form[0].isdigit() else rf"\b{re.escape(form)}"
        if re.search(pattern, str(as_printed), flags=re.IGNORECASE):
            return True
    return False


def _exactly_one_parent(context: Context, figures: pd.DataFrame) -> pd.Series:
    return figures["event_id"].notna() ^ figures["agreement_id"].notna()


def _currency_iff_money(context: Context, figures: pd.DataFrame) -> pd.Series:
    return (figures["unit"] == "currency").fillna(False) == figures["currency"].notna()


def _currency_is_iso_4217(context: Context, figures: pd.DataFrame) -> pd.Series:
    # A code of the wrong shape ("yuan") already breaks the schema's pattern; only real-looking codes are looked up.
    shaped = figures["currency"].str.fullmatch(r"[A-Z]{3}").fillna(False)
    return ~shaped | figures["currency"].isin(ISO_4217)


def _ratio_is_positive(context: Context, figures: pd.DataFrame) -> pd.Series:
    return ~(figures["unit"] == "ratio").fillna(False) | (numbers(figures["value"]) > 0).fillna(True)


def _count_is_whole(context: Context, figures: pd.DataFrame) -> pd.Series:
    value = numbers(figures["value"])
    return ~figures["unit"].isin(COUNT_UNITS).fillna(False) | value.isna() | (value == value.round())


def _as_printed_shows_value(context: Context, figures: pd.DataFrame) -> pd.Series:
    values = numbers(figures["value"])
    return pd.Series([shows_value(p, v) for p, v in zip(figures["as_printed"].tolist(), values.tolist())], index=figures.index)


def _explain_currency(context: Context, row: pd.Series) -> str:
    if row["unit"] == "currency":
        return "unit is currency, so currency must name it (an ISO 4217 code such as USD or CNY)"
    return f"currency is set to {row['currency']} but unit is {row['unit']}: set currency only for money"


RULES = [
    Rule(
        "exactly-one-parent",
        "figures",
        "event_id",
        _exactly_one_parent,
        lambda c, r: (
            "set exactly one of event_id and agreement_id"
            + (" (both are set)" if pd.notna(r["event_id"]) else " (neither is set)")
        ),
    ),
    Rule("currency-iff-money", "figures", "currency", _currency_iff_money, _explain_currency),
    Rule(
        "currency-is-iso-4217",
        "figures",
        "currency",
        _currency_is_iso_4217,
        lambda c, r: (
            f"{r['currency']} is not the ISO 4217 code of a currency"
            + (" (it codes no money: a metal, a unit, a test or 'no currency')" if r["currency"] in NOT_MONEY else "")
            + "; yuan is CNY, US dollars USD"
        ),
    ),
    Rule(
        "ratio-is-positive",
        "figures",
        "value",
        _ratio_is_positive,
        lambda c, r: f"a ratio must be greater than 0, not {r['value']}",
    ),
    Rule(
        "count-is-whole",
        "figures",
        "value",
        _count_is_whole,
        lambda c, r: f"a count of {r['unit']} must be a whole number, not {r['value']}",
    ),
    Rule(
        "as-printed-shows-value",
        "figures",
        "as_printed",
        _as_printed_shows_value,
        lambda c, r: (
            f'as_printed "{r["as_printed"]}" does not show value {r["value"]} '
            f"(expected one of: {', '.join(dict.fromkeys(printed_forms(float(r['value']))))}); is value mistyped?"
        ),
    ),
]
