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


@dataclass(frozen=True)
class RuleScore:
    code: str
    expected: int
    warned: int
    true_positives: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.warned if self.warned else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0


def score_rules(truth_csv: Path, warnings: pl.DataFrame) -> list[RuleScore]:
    """Per rule of the truth file: (code, ID, programme) found among the warnings.

    The programme tells apart the two rows of a DUPLICATE; OMISSION rows have none.
    """
    truth = pl.read_csv(truth_csv, infer_schema=False).with_columns(pl.col("program").fill_null(""))
    codes = truth["code"].unique().sort().to_list()
    warned = warnings.filter(pl.col("code").is_in(codes)).with_columns(
        pl.when(pl.col("code") == "OMISSION")
        .then(pl.lit(""))
        .otherwise(pl.col("program").fill_null(""))
        .alias("program")
    )
    keys = ["code", "id_number", "program"]
    hits = warned.select(keys).unique().join(truth.select(keys).unique(), on=keys, how="inner")
    scores = []
    for code in codes:
        scores.append(
            RuleScore(
                code,
                truth.filter(pl.col("code") == code).select(keys).unique().height,
                warned.filter(pl.col("code") == code).select(keys).unique().height,
                hits.filter(pl.col("code") == code).height,
            )
        )
    return scores


@dataclass(frozen=True)
class DeathScore:
    """DECEASED on the generator's own sample, a death told by the roll's ID and the name."""

    rule: RuleScore
    wrong_action: pl.DataFrame  # found deaths whose 建议措施 (or, for 停发/减发, month or sum) is not the truth's


def _death_key(id_column: pl.Expr) -> pl.Expr:
    return pl.concat_str([id_column, name_norm_expr(pl.col("name"))], separator="|").alias("_key")


def score_sample_deaths(truth_csv: Path, warnings: pl.DataFrame) -> DeathScore:
    """Every planted death found, nothing else warned, and each found one with the truth's action.

    Deaths are told by the roll's ID as hexiao normalises it (the true ID, or the typo a
    ``roll_typo`` row carries) and the name, not by 户编号, which a spreadsheet may have damaged.
    The action is the truth's for every form: 停发 or 减发 by the true household's size where the
    match and the household key allow it, 入户核查 otherwise.
    """
    truth = pl.read_csv(truth_csv, infer_schema=False)
    truth = truth.with_columns(
        _death_key(pl.when(pl.col("form") == "roll_typo").then("roll_id_raw").otherwise("id_number"))
    )
    warned = warnings.filter(pl.col("code") == "DECEASED").with_columns(_death_key(pl.col("id_number")))
    warned = warned.unique("_key", keep="first", maintain_order=True)
    hits = warned.join(truth, on="_key", how="inner", suffix="_truth")
    decisive = pl.col("expected_action").is_in(["停发", "减发"])
    wrong = hits.filter(
        (pl.col("action") != pl.col("expected_action"))
        | (decisive & (pl.col("effective_month") != pl.col("expected_effective_month")))
        | (
            decisive
            & ((pl.col("overpayment").cast(pl.Float64) - pl.col("expected_overpayment").cast(pl.Float64)).abs() > 0.01)
        )
    )
    rule = RuleScore("DECEASED", truth.height, warned.height, hits.height)
    return DeathScore(rule, wrong.select("name", "household_id", "form", "household_key", "action", "expected_action"))


@dataclass(frozen=True)
class SourceScore:
    """One source column of the intake check against the applicants' truth."""

    source: str
    members: int  # applicant members in the truth
    agreements: int  # whose column reads what the truth says (有 / 未发现)
    disagreements: pl.DataFrame  # id_number, name, case, expected, reported


def _verdict(column: str) -> pl.Expr:
    """A report cell as the truth spells it: 有 for `有：…`, else the cell (未发现, 未取得数据, 未核对：…)."""
    cell = pl.col(column).fill_null("（无此人）")
    return pl.when(cell.str.starts_with("有：")).then(pl.lit("有")).otherwise(cell).alias(column)


def score_applicants(truth_csv: Path, report_dir: Path) -> list[SourceScore]:
    """Each source column of `hexiao check`'s reports in `report_dir` (`核对报告_*.csv`) against the
    truth (`truth_applicants.csv`), member by member, told by ID. A member the reports leave out
    disagrees in every column."""
    truth = pl.read_csv(truth_csv, infer_schema=False)
    sources = [
        c for c in truth.columns if c not in ("id_number", "name", "township", "household_id", "program", "case")
    ]
    reports = [
        pl.read_csv(path, infer_schema=False, encoding="utf8") for path in sorted(report_dir.glob("核对报告_*.csv"))
    ]
    reported = (
        pl.concat(reports, how="diagonal")
        if reports
        else pl.DataFrame(schema=dict.fromkeys(["身份证号", *sources], pl.String))
    )
    reported = reported.select(
        pl.col("身份证号").str.strip_chars().str.strip_chars_start("'").alias("id_number"),
        *(_verdict(s).alias(f"{s}_reported") for s in sources),
    ).unique("id_number", keep="first", maintain_order=True)
    both = truth.join(reported, on="id_number", how="left")
    scores = []
    for s in sources:
        shown = pl.col(f"{s}_reported").fill_null("（无此人）")
        wrong = both.filter(shown != pl.col(s)).select(
            "id_number", "name", "case", pl.col(s).alias("expected"), shown.alias("reported")
        )
        scores.append(SourceScore(s, truth.height, truth.height - wrong.height, wrong))
    return scores
