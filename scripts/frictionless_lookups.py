"""Frictionless reads the table a foreign key points at once for every foreign key: this package's 16 foreign keys
point at 6 tables, so each validation read them 16 times, two fifths of frictionless's time. Within one validation
the tables do not change, so here each (table, key) is read once and shared by every table that points at it.

frictionless 5.21 has no option for this: `share_lookups()` wraps the private `TableResource.__open_lookup` (the
version is pinned in pyproject.toml). Frictionless's own code still reads every referenced table and checks every
row's keys; the wrapper only hands it, for a key another table of the same package already read, that key's values.
Where the method is missing (another frictionless), nothing is wrapped and frictionless reads as it always did.
"""

from __future__ import annotations

from frictionless.resources import TableResource

_PRIVATE = "_TableResource__open_lookup"
_LOOKUP = "_TableResource__lookup"
_SHARED = "_lookups_read_in_this_validation"  # kept on the Package object: a new one for every validation


def share_lookups() -> bool:
    """Make every validation read each referenced (table, key) once; True when frictionless is wrapped."""
    original = getattr(TableResource, _PRIVATE, None)
    if original is None:
        return False
    if getattr(original, "shares_lookups", False):
        return True

    def open_lookup(resource: TableResource) -> None:
        shared = _read_in_this_validation(resource)
        keys = list(resource.schema.foreign_keys)
        read_before = [fk for fk in keys if _target(resource, fk) in shared]
        resource.schema.foreign_keys = [fk for fk in keys if fk not in read_before]
        try:
            original(resource)  # frictionless reads the tables no other table of this package has read yet
        finally:
            resource.schema.foreign_keys = keys
        lookup = getattr(resource, _LOOKUP)
        for fk in keys:
            name, fields = fk["reference"]["resource"], tuple(fk["reference"]["fields"])
            if fk in read_before:
                lookup.setdefault(name, {})[fields] = shared[_target(resource, fk)]
            else:
                shared[_target(resource, fk)] = lookup[name][fields]

    open_lookup.shares_lookups = True
    open_lookup.original = original
    setattr(TableResource, _PRIVATE, open_lookup)
    return True


def unshare_lookups() -> None:
    """Frictionless as it came (for the test that compares both)."""
    wrapped = getattr(TableResource, _PRIVATE, None)
    if getattr(wrapped, "shares_lookups", False):
        setattr(TableResource, _PRIVATE, wrapped.original)


def _read_in_this_validation(resource: TableResource) -> dict:
    """The keys read so far in this validation: kept on its Package, which frictionless makes anew for each."""
    package = resource.package
    return package.__dict__.setdefault(_SHARED, {}) if package is not None else {}


def _target(resource: TableResource, fk: dict) -> tuple[str, tuple[str, ...]]:
    """The table and columns a foreign key reads; an empty resource name is the table itself."""
    return fk["reference"]["resource"] or resource.name, tuple(fk["reference"]["fields"])
