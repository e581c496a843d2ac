"""Small helpers shared by every stage that builds Polars frames."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import polars as pl


def conform(schema: Mapping[str, type[pl.DataType] | pl.DataType]) -> list[pl.Expr]:
    """Select exactly these columns, in this order, cast to these types."""
    return [pl.col(name).cast(dtype) for name, dtype in schema.items()]


def with_parsed(frame: pl.DataFrame, column: str, parse: Callable[[pl.Expr], pl.Expr], target: str) -> pl.DataFrame:
    """Add `target` = parse(column), parsing each distinct value once and joining it back.

    Dates, amounts and names repeat a great deal in a register (millions of rows, thousands of
    distinct dates): parsing the distinct values is several times faster than parsing every row.
    """
    distinct = frame.select(pl.col(column).unique()).with_columns(parse(pl.col(column)).alias(target))
    parsed = pl.col(column).replace_strict(
        distinct[column], distinct[target], default=None, return_dtype=distinct[target].dtype
    )
    return frame.with_columns(parsed.alias(target))
