"""What every rule shares: its context, its output columns, and the registry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import duckdb
import polars as pl

from hexiao.config import Config
from hexiao.store import source_sql

# Output of a rule: one row per warning, English names of contract.md §4's columns, plus
# `person_key` and `evidence_key`, from which the stable 预警编号 is derived, and `link_detail`.
RULE_OUTPUT_SCHEMA: dict[str, type[pl.DataType] | pl.DataType] = {
    "code": pl.String,
    "label": pl.String,
    "risk": pl.String,
    "township": pl.String,
    "village": pl.String,
    "household_id": pl.String,
    "head_name": pl.String,
    "name": pl.String,
    "id_number": pl.String,
    "program": pl.String,
    "match_method": pl.String,
    "match_score": pl.Float64,
    "source": pl.String,
    "evidence": pl.String,
    "action": pl.String,
    "effective_month": pl.String,
    "overpayment": pl.Float64,
    "person_key": pl.String,
    "evidence_key": pl.String,
    "link_detail": pl.String,  # what the warning rests on (`rules.common.link_detail_sql`)
}

RISK_HIGH, RISK_MEDIUM, RISK_LOW = "高", "中", "低"
ACTION_STOP, ACTION_REDUCE, ACTION_VISIT = "停发", "减发", "入户核查"
ACTION_NOTIFY, ACTION_INCLUDE, ACTION_CORRECT = "提前告知", "纳入排查", "数据更正"
ACTION_GRADUAL = "渐退"  # keep paying through the 渐退期, stop from 建议生效月份 (contract.md §4)


@dataclass(frozen=True)
class RuleContext:
    """A match run's view of the store.

    `roll_m` is a temp table of this month's roll with `roll_key`, `household_key` (township and
    户编号; null where a damaged 户编号 left the household unknown) and `household_size` (null then).
    """

    conn: duckdb.DuckDBPyConnection
    month: str  # YYYY-MM
    month_start: date
    config: Config
    cache: dict[str, str] = field(default_factory=dict)  # what a run works out once: links, months in force
    # Persons a rule did not list because a programme's roll is missing this month (`roll_gaps`), by rule code.
    held_back: dict[str, int] = field(default_factory=dict)
    # What the run must say about itself (a rule off for want of a setting, a source not loaded):
    # one line each, in summary.json's `rule_notes` and on stderr.
    notes: list[str] = field(default_factory=list)


class Rule(Protocol):
    code: str
    label: str
    section: str  # its parameters' section, [rules.<section>] in hexiao.toml
    params_type: type[Any]  # the frozen dataclass of its parameters, each default with its source
    linked_kinds: tuple[str, ...]  # the extracts whose links to the roll the rule reads

    def run(self, ctx: RuleContext) -> pl.DataFrame: ...


def empty_output() -> pl.DataFrame:
    return pl.DataFrame(schema=RULE_OUTPUT_SCHEMA)


ROLL_SOURCE_SQL = source_sql("r")
ROLL_PERSON_KEY_SQL = "coalesce(r.id_norm, r.name_simp || '@' || r.household_id)"
