"""The rules a careful editor checks by eye, each a small named unit; see rule.py for their shape."""

from rules import citations, dates, figures, graph, provenance, text
from rules.rule import Context, Rule


def all_rules(context: Context) -> list[Rule]:
    """Every rule that applies to the package in this context, in the order they are reported."""
    return [*dates.RULES, *figures.RULES, *provenance.RULES, *graph.RULES, *citations.RULES, *text.rules_for(context)]


__all__ = ["Context", "Rule", "all_rules"]
