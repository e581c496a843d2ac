"""Score DECEASED warnings against the generator's planted truth: precision, recall, actions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from hexiao.normalize.names import name_norm_expr


@dataclass(frozen=True)
class Score:
    planted: int
    warned: int
    true_positives: int
    wrong_action: int  # decisive forms whose action, effective month or overpayment differs
    missed: pl.DataFrame
    false: pl.DataFrame

    @property
    def precision(self) -> float:
        return self.true_positives / self.warned if self.warned else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.planted if self.planted else 1.0


def _key() -> pl.Expr:
    """A roll row: household and the name as hexiao normalises it."""
    return pl.concat_str(
        [pl.col("household_id").str.strip_chars(), name_norm_expr(pl.col("name"))], separator="|"
    ).alias("_key")


def score_deceased(truth_csv: Path, warnings: pl.DataFrame) -> Score:
    truth = pl.read_csv(truth_csv, infer_schema=False)
    truth = truth.with_columns(_key())
    warned = warnings.filter(pl.col("code") == "DECEASED")
    warned = warned.with_columns(_key()).unique("_key")
    hits = warned.join(truth, on="_key", how="inner", suffix="_truth")
    if "expected_action" not in hits.columns:  # benchmark truth: who died, not what to do
        wrong = hits.clear()
    else:
        wrong = hits.filter(pl.col("form").is_in(["exact", "id15", "homophone"])).filter(
            (pl.col("action") != pl.col("expected_action"))
            | (pl.col("effective_month") != pl.col("expected_effective_month"))
            | ((pl.col("overpayment") - pl.col("expected_overpayment").cast(pl.Float64)).abs() > 0.01)
        )
    return Score(
        planted=truth.height,
        warned=warned.height,
        true_positives=hits.height,
        wrong_action=wrong.height,
        missed=truth.join(warned, on="_key", how="anti"),
        false=warned.join(truth, on="_key", how="anti"),
    )
