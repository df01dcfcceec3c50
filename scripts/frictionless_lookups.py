"""Frictionless reads the table a foreign key points at once for every table whose foreign key points at it: this
package's 16 foreign keys point at 5 tables, read 15 times in each validation. Within one validation the tables do not
change, so here each (table, key columns) is read once and shared by every table that points at it: 5 reads.

frictionless 5.21 has no option for this: `share_lookups()` wraps the private `TableResource.__open_lookup` (the
version is pinned in pyproject.toml), and `Package.validate`, which gives each validation a store of its own, emptied
when it ends. Frictionless's own code still reads every referenced table and checks every row's keys; the wrapper only
hands it, for a key another table of the same validation already read, that key's values. Outside a
`Package.validate`, or where the private method is missing (another frictionless), frictionless reads as it always did.
"""

from __future__ import annotations

from frictionless import Package
from frictionless.resources import TableResource

_PRIVATE = "_TableResource__open_lookup"
_LOOKUP = "_TableResource__lookup"
_SHARED = "_lookups_read_in_this_validation"  # on the Package object, for the length of one Package.validate call


def share_lookups() -> bool:
    """Make every validation read each referenced (table, key columns) once; True when frictionless is wrapped."""
    original = getattr(TableResource, _PRIVATE, None)
    if original is None:
        return False
    if getattr(original, "shares_lookups", False):
        return True

    def open_lookup(resource: TableResource) -> None:
        shared = _read_in_this_validation(resource)
        if shared is None:  # not inside Package.validate: frictionless as it comes
            return original(resource)
        declared = resource.schema.foreign_keys
        read_before = [fk for fk in declared if _target(resource, fk) in shared]
        if read_before:
            resource.schema.foreign_keys = [fk for fk in declared if fk not in read_before]
        try:
            original(resource)  # frictionless reads the tables no other table of this validation has read yet
        finally:
            resource.schema.foreign_keys = declared
        lookup = getattr(resource, _LOOKUP)
        for fk in declared:
            name, fields = fk["reference"]["resource"], tuple(fk["reference"]["fields"])
            if fk in read_before:
                lookup.setdefault(name, {})[fields] = shared[_target(resource, fk)]
            else:
                shared[_target(resource, fk)] = lookup[name][fields]

    validate = Package.validate

    def validate_sharing(package: Package, *args, **kwargs):
        package.__dict__[_SHARED] = {}  # a store for this validation alone, even of a Package validated before
        try:
            return validate(package, *args, **kwargs)
        finally:
            package.__dict__.pop(_SHARED, None)

    open_lookup.shares_lookups = True
    open_lookup.original = original
    validate_sharing.original = validate
    setattr(TableResource, _PRIVATE, open_lookup)
    Package.validate = validate_sharing
    return True


def unshare_lookups() -> None:
    """Frictionless as it came (for the tests that compare both)."""
    wrapped = getattr(TableResource, _PRIVATE, None)
    if getattr(wrapped, "shares_lookups", False):
        setattr(TableResource, _PRIVATE, wrapped.original)
        Package.validate = Package.validate.original


def _read_in_this_validation(resource: TableResource) -> dict | None:
    """The keys read so far in the validation under way; None outside one."""
    package = resource.package
    return package.__dict__.get(_SHARED) if package is not None else None


def _target(resource: TableResource, fk: dict) -> tuple[str, tuple[str, ...]]:
    """The table and columns a foreign key reads; an empty resource name is the table itself."""
    return fk["reference"]["resource"] or resource.name, tuple(fk["reference"]["fields"])
