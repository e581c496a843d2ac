"""Find the header row (it may sit below a title row) and map header cells to fields."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import polars as pl

from hexiao.errors import InputError
from hexiao.io.grid import ROW_COLUMN, Sheet
from hexiao.kinds import FIELDS, Field

HEADER_SEARCH_ROWS = 30  # real exports put at most a few title and note rows above the header


def header_key(text: str) -> str:
    """Spaces, brackets of either width and case do not matter in a header."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\s()\[\]【】:：*]", "", folded)


def synonym_table(kind: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """header key → field name, including `[headers.<kind>]` mappings from hexiao.toml."""
    table: dict[str, str] = {}
    for field in FIELDS[kind]:
        for text in (field.header, *field.synonyms):
            table[header_key(text)] = field.name
    for header, field_name in (extra or {}).items():
        table[header_key(header)] = field_name
    return table


@dataclass(frozen=True)
class HeaderMatch:
    row: int  # spreadsheet row number of the header
    columns: dict[str, str]  # field name → grid column (c0…)
    headers: dict[str, str]  # field name → header text as written
    raw_names: dict[str, str]  # grid column → unique header label, for rejected rows' raw values


def column_letter(cell: str) -> str:
    """Grid column `c0`, `c27` → `A`, `AB`: the column as a spreadsheet shows it."""
    index, letters = int(cell[1:]) + 1, ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def find_header(
    sheet: Sheet, kind: str, source: str, extra: dict[str, str] | None = None, *, strict: bool = True
) -> HeaderMatch | None:
    """The row among the first rows that names the most known fields (at least two). Two columns
    of one field are an error naming both (`strict`); otherwise the first is taken."""
    table = synonym_table(kind, extra)
    cells = [c for c in sheet.frame.columns if c != ROW_COLUMN]
    best: tuple[int, int] | None = None  # (matches, index)
    head = sheet.frame.head(HEADER_SEARCH_ROWS)
    for index, row in enumerate(head.iter_rows(named=True)):
        matches = sum(1 for c in cells if row[c] is not None and header_key(row[c]) in table)
        if matches >= 2 and (best is None or matches > best[0]):
            best = (matches, index)
    if best is None:
        return None
    row = head.row(best[1], named=True)
    columns: dict[str, str] = {}
    headers: dict[str, str] = {}
    duplicates: list[str] = []
    for cell in cells:
        text = row[cell]
        if text is None or header_key(text) not in table:
            continue
        field_name = table[header_key(text)]
        if field_name in columns:
            first = columns[field_name]
            duplicates.append(
                f"“{headers[field_name]}”({column_letter(first)}列)和“{text.strip()}”({column_letter(cell)}列)"
                f"都对应“{_field_header(kind, field_name)}”；请删除或改名其中不用的一列"
            )
            continue
        columns[field_name] = cell
        headers[field_name] = text.strip()
    for field in FIELDS[kind]:
        # A 社会保障号码 is read as the ID only where no column is the ID (`Field.stands_in_for`).
        if field.stands_in_for and field.name in columns and field.stands_in_for not in columns:
            columns[field.stands_in_for] = columns[field.name]
            headers[field.stands_in_for] = headers[field.name]
    if duplicates and strict:
        where = f"工作表“{sheet.name}”" if sheet.name else ""
        raise InputError(source, [f"{where}第 {row[ROW_COLUMN]} 行表头：{d}" for d in duplicates])
    raw_names: dict[str, str] = {}
    for cell in cells:
        label = (row[cell] or "").strip() or cell
        raw_names[cell] = label if label not in raw_names.values() else f"{label}_{cell}"
    return HeaderMatch(int(row[ROW_COLUMN]), columns, headers, raw_names)


def _field_header(kind: str, field_name: str) -> str:
    return next((f.header for f in FIELDS[kind] if f.name == field_name), field_name)


def missing_required(kind: str, match: HeaderMatch, provided: set[str]) -> list[Field]:
    """Required fields absent from the header and not supplied another way (e.g. --program)."""
    missing = [f for f in FIELDS[kind] if f.required and f.name not in match.columns and f.name not in provided]
    if kind == "roll" and "household_id" not in match.columns and "head_id" not in match.columns:
        missing.append(next(f for f in FIELDS[kind] if f.name == "head_id"))
    return missing


def mapping_hint(kind: str, missing: Field, match: HeaderMatch) -> str:
    """How to map a column hexiao does not know to a required field: the two lines to paste into
    hexiao.toml (a TOML table header is a line of its own, and one table is written once), with the
    header of the file that most resembles the field (shares the most characters with its names),
    and the file's other unrecognised headers."""
    mapped = set(match.columns.values())
    unknown = [label for cell, label in match.raw_names.items() if cell not in mapped and label != cell]
    if not unknown:
        return "表中没有其他列可对应该字段：请补上这一列"
    names = set("".join((missing.header, *missing.synonyms)))
    ranked = sorted(unknown, key=lambda label: -len(set(label) & names))
    header = ranked[0] if set(ranked[0]) & names else "<表中该列的表头>"
    listed = "、".join(ranked[:5]) + (" 等" if len(ranked) > 5 else "")
    return (
        f'如果该列用了别的名称，在 hexiao.toml 中加入两行：[headers.{kind}] 和 "{header}" = "{missing.name}"'
        f"（已有 [headers.{kind}] 这一行时只加后一行，加在它下面；表中未识别的列：{listed}）"
    )


CELL_PREFIX = "_cell:"
TOTAL_WORDS = ("合计", "总计", "小计", "共计")


def raw_json(frame: pl.DataFrame) -> pl.Expr:
    """Every original cell of a row as JSON keyed by its header (for rejected rows only: it costs)."""
    cells = [c for c in frame.columns if c.startswith(CELL_PREFIX)]
    return pl.struct([pl.col(c).alias(c.removeprefix(CELL_PREFIX)) for c in cells]).struct.json_encode()


def select_fields(sheet: Sheet, kind: str, match: HeaderMatch) -> pl.DataFrame:
    """Data rows below the header: one text column per known field (absent ones null), the flags
    `_blank`, `_repeated_header`, `_totals`, and every cell as `_cell:<header>` so a rejected row
    can be shown as it was written (`raw_json`)."""
    body = sheet.frame.filter(pl.col(ROW_COLUMN) > match.row)
    cells = list(match.raw_names)
    return body.select(
        pl.col(ROW_COLUMN),
        *[pl.col(c).alias(f"{CELL_PREFIX}{match.raw_names[c]}") for c in cells],
        # Readers give empty cells as null; a cell of spaces only is rare and rejected anyway.
        pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.len_bytes() == 0) for c in cells]).alias("_blank"),
        (
            pl.sum_horizontal(
                [(pl.col(match.columns[f]) == match.headers[f]).fill_null(False).cast(pl.Int8) for f in match.columns]
            )
            >= min(2, len(match.columns))
        ).alias("_repeated_header"),
        pl.any_horizontal(
            [pl.col(c).str.starts_with(word) for c in cells[:4] for word in TOTAL_WORDS]  # no regex: fast
        )
        .fill_null(False)
        .alias("_totals"),
        *[
            (pl.col(match.columns[f.name]) if f.name in match.columns else pl.lit(None, pl.String)).alias(f.name)
            for f in FIELDS[kind]
        ],
    )
