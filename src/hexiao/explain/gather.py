"""The whole story of one warning, read from the workspace: the roll rows it concerns, the source
records it rests on and how they were linked (the warning's `link_detail`, stored at match time),
the settings in force at the run that raised it (`batches.config_text`), the overpayment month by
month, and its months, states and replies.

Everything is read as stored, nothing is matched again: what the story shows is what the run saw.
A row `hexiao purge` has removed is named from its row key and said to be gone; the warning's own
比对来源 and 证据 still hold what it recorded. Only what happened since is brought up to date: each
month shows the warning as a report of that month written now would (`match.reported_now`: the
replies recorded since and the 处理状态 they give), and a later month whose match found it no
longer holding says so, 已执行 or 已解除 (that month's summary.json `resolved_warnings`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import duckdb

from hexiao.config import DEFAULT_ORIGIN, FeedbackParams
from hexiao.errors import StateError
from hexiao.history import WARNING_COLUMNS
from hexiao.kinds import FIELDS, KIND_LABELS, ROLL_KIND
from hexiao.log import mask_ids_in_text
from hexiao.match import reported_now
from hexiao.normalize.ids import EMPTY
from hexiao.rules.parents import FATHER, MOTHER
from hexiao.store import PERSON_TABLES, ROWS_PER_SHEET, SHEETS_PER_FILE, fetch_one, person_rows, query, raw_id_sql

PURGED = "来源记录已按保存期限清除"
WARNING_ID = re.compile(r"[A-Z]{2}[0-9A-F]{10}")
_FULL_ID = re.compile(r"[0-9]{17}[0-9X]")

# A stored row's columns that say where it is or are derived for matching, not what the file held.
_INTERNAL_COLUMNS = frozenset(
    {
        "month", "input_id", "source_file", "source_row", "sheet", "sheet_no", "id_key", "id_text", "id_raw",
        "id_norm", "name", "name_simp", "id_birth", "id_county", "id_from15", "household_basis", "head_id_norm",
    }
)  # fmt: skip
# Stored columns that are no input field, under the names a township officer knows.
_COLUMN_LABELS = {"id_status": "身份证号状态", "is_head": "是否户主", "household_raw": "户编号（原样）"}
# A child's parents on a children's roll: the prefix of their stored columns (`kinds.roll`).
_PARENT_PREFIX = {FATHER: "father", MOTHER: "mother"}


def _labels(kind: str) -> dict[str, str]:
    """A kind's stored columns under the headers a township officer knows: each input field's
    header; an ID field stored normalised (a parent's `father_id` as `father_id_norm` and
    `father_id_status`) under its header, as the member's own ID is shown."""
    labels = {f.name: f.header for f in FIELDS[kind]} | _COLUMN_LABELS
    for f in FIELDS[kind]:
        labels |= {f"{f.name}_norm": f"{f.header}（规范化）", f"{f.name}_status": f"{f.header}状态"}
    return labels


def _said(column: str, value: Any) -> bool:
    """Whether a stored value says something: not null, and not the `空` status of an ID never
    written (a parent's ID on a roll of adults, where no parent column is filled)."""
    return value is not None and not (column.endswith("_id_status") and value == EMPTY)


# The warning's columns the story opens with, as stored for its latest month.
_WARNING_FIELDS = (
    "warning_id", "month", "code", "label", "risk", "township", "village", "household_id", "name", "id_number",
    "program", "match_method", "match_score", "source", "evidence", "action", "effective_month", "overpayment",
    "first_month", "status", "batch_id",
)  # fmt: skip
# Columns of a month's warning row that tell its history, read where present (`_present`): an
# earlier version's workspace lacks the later ones, a later one has more.
_HISTORY_FIELDS = ("month", "status", "risk", "action", "overpayment", "review_result", "feedback_month")
_OPTIONAL_HISTORY_FIELDS = ("state", "notice_date", "recovered")


@dataclass
class Row:
    """One stored row a warning concerns: where it is as the spreadsheet shows it, and what it held."""

    role: str  # 花名册 / 火化/殡葬数据 / … / 同一身份证号的另一花名册行
    kind: str
    place: str  # `花名册.xlsx 工作表“城关镇” 第12行`
    present: bool  # False: removed since (`PURGED`)
    name: str | None = None
    name_simplified: str | None = None
    id_raw: str | None = None
    id_normalised: str | None = None
    values: dict[str, Any] = field(default_factory=dict)  # the row's other columns as stored
    # A roll row's parents (父亲/母亲: name, normalised ID), which a record may be linked to instead.
    parents: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass
class Link:
    """How a source record was tied to the roll row (`matching.linker`)."""

    record: Row
    method: str | None
    score: float | None
    name_tier: str | None  # 相同 / 规范化后相同 / 同音 / … / 不同
    note: str | None  # the linker's own words (身份证号一致, 身份证号一位不同 …)
    id_edit: int | None  # edits between the two normalised IDs; None where a side has none
    # What the record was linked to: the roll row's person (`花名册`) or a parent on it (`花名册父亲`,
    # GUARDIAN_RETURNED), and that person's name as the roll writes it.
    linked_to: str = "花名册"
    linked_name: str | None = None


@dataclass
class PaidMonth:
    month: str
    amount: float | None
    basis: str  # the roll snapshot of the month; for a month without one, where its amount was taken from
    valued_from: str | None = None  # for a month without a snapshot: the later snapshot its amount is from


@dataclass
class Story:
    warning: dict[str, Any]
    roll: list[Row]
    others: list[Row]  # other roll rows the warning names (DUPLICATE)
    links: list[Link]
    detail_kept: bool  # False: raised before hexiao kept what a warning rests on
    run: dict[str, Any]  # batch_id, started_at, version, config_hash, config_source
    rule_settings: list[dict[str, Any]]  # key, value, origin: the rule's own section
    settings: list[dict[str, Any]]  # every setting in force at the run; empty if not kept
    months: list[PaidMonth]
    history: list[dict[str, Any]]  # per month listed, as its report written now shows the warning
    resolved: list[dict[str, Any]]  # month, state (已执行/已解除): a later match found it no longer holds
    replies: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalise_warning_id(text: str) -> str:
    return text.strip().upper()


def gather(conn: duckdb.DuckDBPyConnection, warning_id: str, params: FeedbackParams | None = None) -> Story:
    """The story of `warning_id` (a 预警编号 as the reports print it); StateError when unknown.
    `params`: the `[feedback]` settings the months' 处理状态 are worked out with."""
    wanted = normalise_warning_id(warning_id)
    fields = ", ".join(_WARNING_FIELDS)
    # A workspace an earlier version wrote, opened read-only, is not upgraded: its warnings lack the column.
    detail_sql = _column_or_null(conn, "warnings", "link_detail")
    rows = query(
        conn,
        f"SELECT {fields}, {detail_sql} FROM warnings WHERE warning_id = ? ORDER BY month DESC LIMIT 1",
        [wanted],
    ).to_dicts()
    if not rows:
        raise StateError(_unknown(conn, warning_id, wanted))
    warning = rows[0]
    detail = json.loads(warning.pop("link_detail") or "null")
    roll = [_row(conn, ROLL_KIND, key, "花名册") for key in (detail or {}).get("roll") or []]
    others = [_row(conn, ROLL_KIND, key, "同一身份证号的另一花名册行") for key in (detail or {}).get("others") or []]
    # INCOME names the household's other members: rows of other IDs.
    others = [
        o if roll and o.id_normalised == roll[0].id_normalised else replace(o, role="同户另一花名册行") for o in others
    ]
    links = [_link(conn, item, roll[0] if roll else None) for item in (detail or {}).get("links") or []]
    run, settings = _run(conn, int(warning["batch_id"]))
    section = f"rules.{str(warning['code']).lower()}."
    rule_settings = [s for s in settings if str(s["key"]).startswith(section) or s["key"] == "disabled_rules"]
    months = _months(conn, (detail or {}).get("months") or [], roll[0] if roll else None, warning)
    return Story(
        warning=warning,
        roll=roll,
        others=others,
        links=links,
        detail_kept=detail is not None,
        run=run,
        rule_settings=rule_settings,
        settings=settings,
        months=months,
        history=_history(conn, wanted, params or FeedbackParams()),
        resolved=_resolved(conn, wanted),
        replies=_replies(conn, wanted),
    )


def _unknown(conn: duckdb.DuckDBPyConnection, given: str, wanted: str) -> str:
    """The one line for a 预警编号 the workspace never raised, with a hint where it looks copied
    wrong: masked (`*`), cut short, or a prefix of numbers that exist."""
    message = f"没有预警编号为 {given.strip()} 的预警"
    if "*" in wanted or not WARNING_ID.fullmatch(wanted):
        prefix = wanted.split("*", 1)[0]
        count = (
            int(
                conn.execute(
                    "SELECT count(DISTINCT warning_id) FROM warnings WHERE starts_with(warning_id, ?)", [prefix]
                ).fetchall()[0][0]
            )
            if len(prefix) >= 2
            else 0
        )
        message += "：预警编号是两个字母加 10 位十六进制数字（如 DE829F64BFA7），请从报告的“预警编号”列完整复制"
        if count:
            message += f"（以 {prefix} 开头的有 {count} 个）"
    else:
        message += "：请确认编号抄写无误，且 --db 指向发出该预警的工作区（hexiao status 列出各月预警数）"
    return message


def _key_parts(key: int) -> tuple[int, int, int]:
    """input_id, sheet_no (0 for a CSV) and row of a row key (`store.ROW_KEY_SQL`)."""
    return key // (SHEETS_PER_FILE * ROWS_PER_SHEET), (key // ROWS_PER_SHEET) % SHEETS_PER_FILE, key % ROWS_PER_SHEET


def _row(conn: duckdb.DuckDBPyConnection, kind: str, key: int, role: str) -> Row:
    """The stored row of `kind` with row key `key`, or where it was when it is gone."""
    if kind not in PERSON_TABLES:
        raise ValueError(f"unknown kind {kind}")
    input_id, sheet_no, source_row = _key_parts(int(key))
    where = f"input_id = {input_id} AND coalesce(sheet_no, 0) = {sheet_no} AND source_row = {source_row}"
    found = query(conn, f"SELECT *, {raw_id_sql('t')} AS id_as_written FROM ({person_rows(kind, where)}) t").to_dicts()
    if not found:
        return Row(role=role, kind=kind, place=_gone_place(conn, input_id, sheet_no, source_row), present=False)
    stored = found[0]
    place = _place(stored["source_file"], stored.get("sheet"), stored["source_row"])
    labels = _labels(kind)
    values = {
        labels.get(k, k): v
        for k, v in stored.items()
        if k not in _INTERNAL_COLUMNS and k != "id_as_written" and _said(k, v)
    }
    return Row(
        role=role,
        kind=kind,
        place=place,
        present=True,
        name=stored.get("name"),
        name_simplified=stored.get("name_simp"),
        id_raw=stored.get("id_as_written"),
        id_normalised=stored.get("id_norm"),
        values=values,
        parents={
            parent: (stored.get(f"{prefix}_name"), stored.get(f"{prefix}_id_norm"))
            for parent, prefix in _PARENT_PREFIX.items()
            if kind == ROLL_KIND
        },
    )


def _gone_place(conn: duckdb.DuckDBPyConnection, input_id: int, sheet_no: int, source_row: int) -> str:
    """Where a removed row was: the ledger keeps every input file."""
    files = conn.execute("SELECT file_name FROM inputs WHERE input_id = ?", [input_id]).fetchall()
    name = str(files[0][0]) if files else f"输入文件 #{input_id}"
    sheet = f" 第{sheet_no}个工作表" if sheet_no else ""
    return f"{name}{sheet} 第{source_row}行"


def _link(conn: duckdb.DuckDBPyConnection, item: dict[str, Any], roll: Row | None) -> Link:
    kind = str(item["kind"])
    record = _row(conn, kind, int(item["ext"]), KIND_LABELS.get(kind, kind))
    parent = item.get("parent")
    linked_to = "花名册" + (parent or "")
    # The record was linked to the person of the roll row, or to a parent of the child on it.
    name, id_norm = (None, None) if roll is None else roll.parents.get(parent or "", (roll.name, roll.id_normalised))
    id_edit = None
    # Only two IDs of 18 characters can be compared place by place: a damaged one (scientific
    # notation) has lost the digits an edit distance would count.
    if all(_FULL_ID.fullmatch(i or "") for i in (id_norm, record.id_normalised)):
        id_edit = int(
            conn.execute("SELECT damerau_levenshtein(?, ?)", [id_norm, record.id_normalised]).fetchall()[0][0]
        )
    return Link(
        record=record,
        method=item.get("method"),
        score=item.get("score"),
        name_tier=item.get("name_tier"),
        note=item.get("note"),
        id_edit=id_edit,
        linked_to=linked_to,
        linked_name=name if roll is not None and roll.present else None,
    )


def _run(conn: duckdb.DuckDBPyConnection, batch_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The run that raised the warning's month and the settings it stored (none before they were)."""
    text_sql = _column_or_null(conn, "batches", "config_text")
    rows = query(
        conn,
        f"SELECT batch_id, command, started_at, version, config_hash, {text_sql} FROM batches WHERE batch_id = ?",
        [batch_id],
    ).to_dicts()
    if not rows:
        return {"batch_id": batch_id}, []
    run = rows[0]
    text = run.pop("config_text")
    stored = json.loads(text) if text else {}
    run["config_source"] = stored.get("source")
    settings = list(stored.get("settings", []))
    return run, settings


def _months(
    conn: duckdb.DuckDBPyConnection, months: list[dict[str, Any]], roll: Row | None, warning: dict[str, Any]
) -> list[PaidMonth]:
    """The overpayment month by month, as the run computed it (`rules.common.overpayment_ctes`):
    a month with a stored roll snapshot counts what that snapshot paid, naming its rows; a month
    without one counts, from 保障起始年月 on, the amount of the earliest later snapshot that lists the
    person (`valued_from`; runs before it was stored have none), else the amount in the warning's own roll."""
    result = []
    for item in months:
        month, snapshot = str(item["month"]), item.get("snapshot")
        if snapshot:
            places = _snapshot_rows(conn, month, roll, warning) if roll is not None and roll.present else []
            basis = f"{month} 花名册" + (
                f"：{'、'.join(places)}" if places else "（未列此人）" if item.get("amount") == 0 else ""
            )
        elif valued_from := item.get("valued_from"):
            basis = f"无该月花名册，按 {valued_from} 花名册金额计"
        else:
            basis = f"无该月花名册，按保障起始年月和 {warning['month']} 花名册月保障金额计"
        amount = item.get("amount")
        result.append(PaidMonth(month, None if amount is None else float(amount), basis, valued_from or None))
    return result


def _snapshot_rows(conn: duckdb.DuckDBPyConnection, month: str, roll: Row, warning: dict[str, Any]) -> list[str]:
    rows = query(
        conn,
        f"""SELECT source_file, sheet, source_row, monthly_amount FROM ({person_rows("roll", "month = ?")})
            WHERE id_norm = ? AND program = ? ORDER BY source_file, sheet_no, source_row""",
        [month, roll.id_normalised, warning["program"]],
    ).to_dicts()
    return [f"{_place(r['source_file'], r['sheet'], r['source_row'])} {r['monthly_amount']} 元" for r in rows]


def _place(file: str, sheet: str | None, row: int) -> str:
    """Where a row is, as the spreadsheet shows it (`store.source_sql`)."""
    return f"{file}{f' 工作表“{sheet}”' if sheet else ''} 第{row}行"


def _column_or_null(conn: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    """SQL selecting `column`, or a null under its name where a workspace an earlier version wrote
    (opened read-only, so not upgraded) lacks it."""
    return column if _present(conn, table, (column,)) else f"NULL AS {column}"


def _present(conn: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]) -> list[str]:
    names = {
        str(r[0])
        for r in conn.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]).fetchall()
    }
    return [c for c in columns if c in names]


def _history(conn: duckdb.DuckDBPyConnection, warning_id: str, params: FeedbackParams) -> list[dict[str, Any]]:
    """Per month the warning was listed, its row as that month's report written now shows it. As
    stored where that cannot be worked out: a workspace of an earlier version opened read-only
    (without the cycle's columns), or a month whose roll `hexiao purge` removed."""
    columns = _present(conn, "warnings", (*_HISTORY_FIELDS, *_OPTIONAL_HISTORY_FIELDS))
    stored = query(conn, f"SELECT {', '.join(columns)} FROM warnings WHERE warning_id = ? ORDER BY month", [warning_id])
    if len(_present(conn, "warnings", tuple(WARNING_COLUMNS))) < len(WARNING_COLUMNS):
        return stored.to_dicts()
    history = []
    for row in stored.to_dicts():
        month = str(row["month"])
        if int(fetch_one(conn, "SELECT count(*) FROM roll WHERE month = ?", [month])[0]):
            row = reported_now(conn, month, params, warning_id=warning_id).select(columns).row(0, named=True)
        history.append(row)
    return history


def _resolved(conn: duckdb.DuckDBPyConnection, warning_id: str) -> list[dict[str, Any]]:
    """The months whose match found the warning (listed the month before) no longer holding, with
    the state it gave."""
    summaries = conn.execute("SELECT month, summary FROM month_summaries ORDER BY month").fetchall()
    return [
        {"month": str(month), "state": item.get("state")}
        for month, text in summaries
        for item in json.loads(text).get("resolved_warnings", [])
        if item.get("warning_id") == warning_id
    ]


def _replies(conn: duckdb.DuckDBPyConnection, warning_id: str) -> list[dict[str, Any]]:
    """Every reply recorded for the warning, with the file and row it came from."""
    return query(
        conn,
        "SELECT * EXCLUDE (input_id, warning_id) FROM feedback WHERE warning_id = ? ORDER BY received_at, source_row",
        [warning_id],
    ).to_dicts()


def masked(value: Any) -> Any:
    """The story with every ID-looking run of digits masked (`log.mask_ids_in_text`), as on every
    console: in the roll and source values, the evidence, the replies' notes."""
    if isinstance(value, str):
        return mask_ids_in_text(value)
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(v) for v in value]
    return value


def is_default(origin: str) -> bool:
    return origin == DEFAULT_ORIGIN
