"""Every rule the validator applies, and where: the tables and columns each covers, read from the schemas.

The tests give each entry a breakage (tests/breakages.py) and check that the rule reports it at its cell, so
a new column, table or rule is covered without editing them, and a rule with no breakage fails a test.
"""

from __future__ import annotations

from dataclasses import dataclass

from package import Package
from rules import all_rules, column_rules

# Schema constraints that pandera derives and frictionless checks too, by the name both layers report.
CONSTRAINT_RULES = ("pattern", "enum", "required", "unique")
# Rules about a whole file's bytes and layout (csv_format.py) or its header and rows' shape (frictionless).
FILE_RULES = (
    "dialect-guessable",
    "no-bom",
    "lf-line-endings",
    "final-newline",
    "encoding",
    "unclosed-quote",
    "csv-syntax",
    "cell-too-large",
    "line-too-long",
    "sorted-by-primary-key",
    "missing-label",
    "extra-label",
    "missing-cell",
    "extra-cell",
    "missing-file",
)
# Rules about datapackage.json and the schemas (structure_checks.py, metadata_checks.py, frictionless).
PACKAGE_RULES = (
    "package",
    "package-structure",
    "package-name",
    "url-scheme",
    "resource-path",
    "schema-structure",
    "package-metadata",
    "resource-metadata",
    "field-description",
)


@dataclass(frozen=True, order=True)
class Coverage:
    """One place a rule applies: a column of a table, a whole table (column None) or the package (both None)."""

    rule: str
    table: str | None = None
    column: str | None = None


def cell_coverage(package: Package) -> list[Coverage]:
    """Each rule on each column it checks cell by cell or row by row."""
    found = []
    for resource in package.resources:
        for field in resource.fields:
            constraints = field.get("constraints") or {}
            name = field["name"]
            found += [Coverage(rule, resource.name, name) for rule in ("pattern", "enum") if rule in constraints]
            if constraints.get("required"):
                found.append(Coverage("required", resource.name, name))
            if constraints.get("unique") and resource.primary_key != [name]:  # a sole key is the primary-key rule's
                found.append(Coverage("unique", resource.name, name))
            found += [Coverage(rule.name, resource.name, name) for rule in column_rules() if rule.applies(field)]
    names = set(package.names)
    found += [Coverage(rule.name, rule.table, rule.column) for rule in all_rules(package.resources) if rule.table in names]
    return sorted(set(found))


def coverage(package: Package) -> list[Coverage]:
    """Every rule the validator can report, with every place it applies."""
    return [
        *cell_coverage(package),
        *(Coverage(rule, resource.name) for rule in FILE_RULES for resource in package.resources),
        *(Coverage(rule) for rule in PACKAGE_RULES),
    ]


def rule_names(package: Package) -> set[str]:
    return {entry.rule for entry in coverage(package)}
