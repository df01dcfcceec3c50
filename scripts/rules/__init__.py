"""The rules a careful editor checks by eye, each a small named unit; see rule.py for their shapes."""

from rules import citations, dates, figures, graph, provenance, text, values
from rules.rule import ColumnRule, Context, Rule


def all_rules(resources) -> list[Rule]:
    """Every rule across columns, rows and tables for a package with these resources, in report order."""
    return [
        *dates.RULES,
        *figures.RULES,
        *provenance.RULES,
        *graph.RULES,
        *citations.RULES,
        *text.title_rules(resources),
        *values.key_rules(resources),
    ]


def column_rules() -> list[ColumnRule]:
    """Every rule that tests cells one by one; each applies to the fields its `applies` accepts."""
    return [*values.COLUMN_RULES, *text.COLUMN_RULES]


__all__ = ["ColumnRule", "Context", "Rule", "all_rules", "column_rules"]
