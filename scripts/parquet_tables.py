"""One Parquet file per table, typed from its Table Schema, with that schema inside the file for every reader.

What each reader finds:
- the Table Schema itself, as JSON under the file's key-value metadata key `table_schema` (DuckDB's
  `parquet_kv_metadata`, polars' `read_parquet_metadata`, pyarrow), beside `table`, `package`, `version`, `licenses`;
- each column's description twice: in the Arrow field metadata (`description`: pyarrow, pandas through pyarrow)
  and as one JSON object under the file-level key `column_descriptions` (readers that show no field metadata);
- required fields (`required`, or in the primary key) as non-null (Parquet REQUIRED) columns;
- whole numbers as int64: every `integer` field, and a `number` field whose every value is whole (so a count is
  2137, not 2137.0); a `number` field holding any fraction is float64. The Table Schema inside still says `number`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from package import Package, Resource

ARROW_TYPES = {"string": pa.string(), "date": pa.date32(), "number": pa.float64(), "integer": pa.int64(), "boolean": pa.bool_()}
INT64 = range(-(2**63), 2**63)


def write_parquet_table(package: Package, resource: Resource, target: Path) -> None:
    text = _read_as_text(resource)
    columns, fields = [], []
    for field in resource.fields:
        column = _typed(text.column(field["name"]), field)
        columns.append(column)
        fields.append(
            pa.field(field["name"], column.type, nullable=not _required(resource, field), metadata=_field_metadata(field))
        )
    schema = pa.schema(fields, metadata=_file_metadata(package, resource))
    pq.write_table(pa.Table.from_arrays(columns, schema=schema), target)


def _read_as_text(resource: Resource) -> pa.Table:
    """Every cell as text first (an empty cell missing), so the schema, not pyarrow's guess, decides each type."""
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in resource.field_names},
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    return pacsv.read_csv(resource.path, convert_options=convert)


def _typed(column: pa.ChunkedArray, field: dict) -> pa.Array:
    kind = field.get("type", "string")
    values = column.to_pylist()
    if kind == "integer" or (kind == "number" and _all_whole(values)):
        # Decimal, not float: a whole number beyond 2**53 stays exact
        return pa.array([None if v is None else int(Decimal(v)) for v in values], pa.int64())
    return column.combine_chunks().cast(ARROW_TYPES.get(kind, pa.string()))


def _all_whole(values: list[str | None]) -> bool:
    numbers = [Decimal(v) for v in values if v is not None]
    return all(n == n.to_integral_value() and int(n) in INT64 for n in numbers)


def _required(resource: Resource, field: dict) -> bool:
    return bool((field.get("constraints") or {}).get("required")) or field["name"] in resource.primary_key


def _field_metadata(field: dict) -> dict[str, str]:
    return {key: str(field[key]) for key in ("title", "description") if field.get(key)}


def _file_metadata(package: Package, resource: Resource) -> dict[str, str]:
    descriptor = package.descriptor
    return {
        "table": resource.name,
        "package": descriptor["name"],
        "version": descriptor["version"],
        "licenses": json.dumps(descriptor.get("licenses", []), ensure_ascii=False),
        "table_schema": json.dumps(resource.schema, ensure_ascii=False),
        "column_descriptions": json.dumps({f["name"]: f.get("description", "") for f in resource.fields}, ensure_ascii=False),
    }
