"""Small helpers shared by every stage that builds Polars frames."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl


def conform(schema: Mapping[str, type[pl.DataType] | pl.DataType]) -> list[pl.Expr]:
    """Select exactly these columns, in this order, cast to these types."""
    return [pl.col(name).cast(dtype) for name, dtype in schema.items()]
