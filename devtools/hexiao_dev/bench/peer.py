"""The peer: Splink 5 (DuckDB backend) linking the roll to the cremation extract, measured on the
same files as hexiao's DECEASED, with precision and recall against the generator's truth.

Model: ID (exact / one edit), name (Jaro-Winkler), birth date from the ID; blocking on ID, name
and ID prefix + name; u by random sampling, m by EM; links at match probability ≥ 0.9 whose
death date is on or before the month's end. Names and IDs are normalised by hexiao's own code
first, so both tools see the same cleaned values and only the linking differs.

Training (estimating u and m, with the setup before it) and prediction are timed apart: a model
trained once and reused month after month pays only the prediction, which is the fair peer for a
monthly job.

    python -m hexiao_dev.bench.peer DATA_DIR MONTH   → JSON on stdout (needs `pip install splink`)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb
import polars as pl

from hexiao.inbox import plan_inbox
from hexiao.load import read_input
from hexiao.timing import peak_rss_mb

MATCH_PROBABILITY = 0.9


def _people(data: Path, kind: str) -> pl.DataFrame:
    frames = [read_input(p.path, kind, program=p.program).loaded for p in plan_inbox(data) if p.kind == kind]
    return pl.concat(frames, how="diagonal_relaxed")


def run(data: Path, month: str) -> dict[str, object]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    roll, cremation = _people(data, "roll"), _people(data, "cremation")
    started = time.perf_counter()
    columns = [
        pl.col("id_norm").alias("id"),
        pl.col("name_simp").alias("name"),
        pl.col("id_birth").cast(pl.String).alias("birth"),
        pl.col("id_norm").str.slice(0, 6).alias("id_prefix"),
    ]
    left = roll.select(
        pl.format("r{}", pl.int_range(pl.len())).alias("unique_id"),
        *columns,
        "household_id",
        pl.col("name").alias("roll_name"),
    )
    right = cremation.select(
        pl.format("c{}", pl.int_range(pl.len())).alias("unique_id"),
        *columns,
        pl.coalesce("death_date", "cremation_date").alias("died"),
    )
    # Splink links tables of the same columns; what it does not compare stays here for scoring.
    compared = ["unique_id", "id", "name", "birth", "id_prefix"]
    db = DuckDBAPI(duckdb.connect())
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.DamerauLevenshteinAtThresholds("id", [1]),
            cl.JaroWinklerAtThresholds("name", [0.9]),
            cl.ExactMatch("birth"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("id"),
            block_on("name", "birth"),
            block_on("id_prefix", "name"),
        ],
    )
    linker = Linker(
        [
            db.register(left.select(compared).to_arrow(), dataset_display_name="roll"),
            db.register(right.select(compared).to_arrow(), dataset_display_name="cremation"),
        ],
        settings,
        log_level=40,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name", "birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("id"))
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=MATCH_PROBABILITY)
    pairs = predictions.as_duckdbpyrelation().pl()
    predicted = time.perf_counter()
    left_id = "unique_id_l" if pairs.height == 0 or str(pairs["unique_id_l"][0]).startswith("r") else "unique_id_r"
    right_id = "unique_id_r" if left_id == "unique_id_l" else "unique_id_l"
    month_end = pl.lit(month + "-01").str.to_date().dt.offset_by("1mo")
    linked = (
        pairs.select(pl.col(left_id).alias("unique_id"), pl.col(right_id).alias("c_id"))
        .join(right.select(pl.col("unique_id").alias("c_id"), "died"), on="c_id")
        .filter(pl.col("died") < month_end)
        .join(left, on="unique_id")
        .select("household_id", pl.col("roll_name").alias("name"))
        .unique()
    )
    return {
        "train_s": round(trained - started, 2),
        "predict_s": round(predicted - trained, 2),
        "seconds": round(predicted - started, 2),
        "peak_mb": round(peak_rss_mb(), 1),
        "linked": linked.to_dicts(),
    }


def main() -> int:
    sys.stdout.write(json.dumps(run(Path(sys.argv[1]), sys.argv[2]), ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
