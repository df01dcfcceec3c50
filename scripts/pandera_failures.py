"""pandera builds each SchemaErrors' table of failure cases as the exception is made: with lazy validation, once for
every failing column, twice more as the column's and then the table's SchemaErrors gather the same failures, and
all but the last table are dropped unread. On a package with problems that was a third of the pandera layer.

Within `failure_tables_built_when_read()`, a SchemaErrors builds its table (and message and counts) when first read,
through pandera's own `failure_cases_metadata`; pandera_checks never reads it (it lists the failures itself), so none
is built. The wrapping lasts for the block alone: outside it, and in any other use of pandera in the process,
SchemaErrors is as pandera made it. pandera 0.35 has no option for this; the version is pinned in pyproject.toml,
and on a SchemaErrors whose constructor is not the one this was written for, pandera is left as it comes.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager

from pandera.errors import SchemaErrors

_BUILT = "_failure_case_metadata"  # the instance's FailureCaseMetadata, once read
_READ_ON_DEMAND = ("failure_cases", "message", "error_counts")


@contextmanager
def failure_tables_built_when_read() -> Iterator[bool]:
    """Within the block, SchemaErrors builds its failure tables when read; yields whether pandera is wrapped."""
    already = getattr(SchemaErrors.__init__, "builds_when_read", False)
    wrapped = already or _defer()
    try:
        yield wrapped
    finally:
        if wrapped and not already:  # a block inside another leaves it to the outer one
            _restore()


def _defer() -> bool:
    """Make every SchemaErrors build its failure tables when read; True when pandera is wrapped."""
    init = SchemaErrors.__init__
    if list(inspect.signature(init).parameters) != ["self", "schema", "schema_errors", "data"]:
        return False

    def deferred_init(self, schema, schema_errors, data):
        self.schema = schema
        self.schema_errors = schema_errors
        self.data = data
        Exception.__init__(self)  # str() is pandera's __str__, which reads the message when asked

    deferred_init.builds_when_read = True
    deferred_init.original = init
    SchemaErrors.__init__ = deferred_init
    for name in _READ_ON_DEMAND:
        setattr(SchemaErrors, name, property(_reader(name), _writer(name)))
    return True


def _restore() -> None:
    """pandera as it came."""
    SchemaErrors.__init__ = SchemaErrors.__init__.original
    for name in _READ_ON_DEMAND:
        delattr(SchemaErrors, name)


def _metadata(errors: SchemaErrors):
    built = errors.__dict__.get(_BUILT)
    if built is None:
        backend = errors.schema.get_backend(errors.data)
        built = backend.failure_cases_metadata(errors.schema.name, errors.schema_errors)
        errors.__dict__[_BUILT] = built
    return built


def _reader(name: str):
    def read(errors: SchemaErrors):
        if name in errors.__dict__:  # set by hand after it was made
            return errors.__dict__[name]
        return getattr(_metadata(errors), name)

    return read


def _writer(name: str):
    def write(errors: SchemaErrors, value) -> None:
        errors.__dict__[name] = value

    return write
