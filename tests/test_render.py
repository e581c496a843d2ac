"""A township's reports opened in a real spreadsheet program.

LibreOffice renders the township's workbook and its CSV file to PDF (one `soffice` run for the
session); in the PDF's text every warned ID and household number must appear whole and nothing as
`###`; every printed page is landscape and carries the header row with all columns. The print setup
is also read back from the workbook's XML. Without LibreOffice or poppler the rendering tests skip
and say so; under CI (`CI=true`, where `.ci/run` installs them) they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from hexiao.report.columns import MONEY_COLUMNS, MONEY_TYPE, REJECTED_HEADERS, REPORT_HEADERS
from hexiao.report.summary import SUMMARY_HEADERS
from hexiao.report.writer import stage_reports

TOWNSHIP = "城关镇"
MONTH = "2026-11"
PROGRAMS = ("soffice", "pdftotext", "pdfinfo")
INSTALL = "apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk"
# Enough rows of one type to fill several printed pages.
VEHICLE_ROWS = 70


def _id(serial: int) -> str:
    """A valid 18-character ID (check digit by ISO 7064 MOD 11-2), some ending in X."""
    body = f"340421{1950 + serial % 40}{1 + serial % 12:02d}{1 + serial % 28:02d}{serial % 1000:03d}"
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _warnings() -> pl.DataFrame:
    """Hard cases for a spreadsheet: 18-digit IDs (and X), 20-digit household numbers, amounts of
    seven digits, half-point scores, 生僻字 and minority names, evidence long and with a line break.
    The evidence never repeats the ID, so the ID column alone must show it."""
    kinds = [("DECEASED", "死亡", "减发"), ("DUPLICATE", "重复享受", "入户核查")] + [
        ("VEHICLE", "车辆", "入户核查")
    ] * (VEHICLE_ROWS)
    names = ["王䶮", "阿依古丽·买买提", "欧阳娜娜", "张三"]
    rows = [
        {
            "warning_id": f"{code[:2]}{serial:010X}",
            "month": MONTH,
            "code": code,
            "label": label,
            "risk": "高",
            "township": TOWNSHIP,
            "village": "=1+1" if serial == 2 else "西湖社区",  # text from the data, never a formula
            "household_id": f"3404210010010{serial:07d}",
            "head_name": names[serial % 4],
            "name": names[(serial + 1) % 4],
            "id_number": _id(serial),
            "program": "城市低保",
            "match_method": "姓名+出生日期" if serial % 2 else "身份证精确",
            "match_score": 87.5 if serial % 2 else 100.0,
            "source": "2026年10-11月火化数据.csv 第137行",
            "evidence": "火化记录：死亡日期 2026-08-26；火化日期 2026-08-26；凤台县殡仪馆；"
            + "匹配：姓名相同，出生日期相同；\n花名册：全县2026年11月城市低保花名册.csv 第70行；" * (1 + serial % 3),
            "action": action,
            "effective_month": "2026-09",
            "overpayment": 1234567.89 if code == "DECEASED" else None,
            "first_month": MONTH,
            "status": "新增",
        }
        for serial, (code, label, action) in enumerate(kinds, start=1)
    ]
    frame = pl.DataFrame(rows)
    return frame.with_columns(
        pl.lit(None, MONEY_TYPE if c in MONEY_COLUMNS else pl.String).alias(c)
        for c in REPORT_HEADERS
        if c not in frame.columns
    ).select(list(REPORT_HEADERS))


def _summary_table() -> pl.DataFrame:
    rows = {
        "township": [TOWNSHIP] * 3,
        "code": ["DECEASED", "DUPLICATE", "VEHICLE"],
        "label": ["死亡", "重复享受", "车辆"],
    }
    counts = {k: [9876543, 1, VEHICLE_ROWS] for k in list(SUMMARY_HEADERS)[3:-1]}
    frame = pl.DataFrame(rows | counts | {"overpayment": [1234567.89, 0.0, 0.0]})
    frame = frame.with_columns(pl.col("overpayment").cast(pl.Decimal(12, 2)))
    return frame.select(pl.col(k).alias(v) for k, v in SUMMARY_HEADERS.items())


@pytest.fixture(scope="session")
def township_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pl.DataFrame]:
    """The township's workbook and CSV file as `hexiao match --format xlsx` writes them."""
    warnings = _warnings()
    rejected = pl.DataFrame(schema=dict.fromkeys(REJECTED_HEADERS, pl.String))
    out = tmp_path_factory.mktemp("reports")
    staging = stage_reports(out, MONTH, warnings, rejected, {}, _summary_table(), [TOWNSHIP], excel=True)
    return staging / f"预警名单_{TOWNSHIP}.xlsx", staging / f"预警名单_{TOWNSHIP}.csv", warnings


@dataclass(frozen=True)
class Rendered:
    workbook_pages: list[str]  # `pdftotext -layout` of each printed page
    csv_pages: list[str]
    workbook_page_sizes: list[tuple[float, float]]  # points, width × height
    workbook_text_heights: list[float]  # points: the height of every word printed on the list pages


def _require_programs() -> None:
    """LibreOffice, poppler and a Chinese font, as a township's computer has them."""
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if (
        shutil.which("fc-list") is None
        or not subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout.strip()
    ):
        missing.append("a Chinese font")
    if not missing:
        return
    message = f"cannot render the reports in LibreOffice: {', '.join(missing)} missing ({INSTALL})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must have them (.ci/run installs them)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory, township_files: tuple[Path, Path, pl.DataFrame]) -> Rendered:
    """Both files through one LibreOffice run, with a profile of its own (parallel runs do not clash)."""
    _require_programs()
    workdir = tmp_path_factory.mktemp("render")
    workbook, csv_file, _ = township_files
    shutil.copy(workbook, workdir / "workbook.xlsx")
    shutil.copy(csv_file, workdir / "list.csv")
    # The CSV as Excel reads a file with a UTF-8 BOM: comma-separated, UTF-8 (76), every column
    # type guessed. Headless LibreOffice would otherwise take the locale's encoding; the filter
    # applies to the CSV file only, the workbook is read as a workbook.
    command = [
        "soffice",
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
        "--headless",
        "--infilter=CSV:44,34,76,1",
        "--convert-to",
        "pdf",
        "--outdir",
        str(workdir),
        str(workdir / "workbook.xlsx"),
        str(workdir / "list.csv"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    for pdf in ("workbook.pdf", "list.pdf"):
        assert (workdir / pdf).exists(), f"LibreOffice wrote no {pdf}: {done.stdout} {done.stderr}"
    return Rendered(
        _pages(workdir / "workbook.pdf"),
        _pages(workdir / "list.pdf"),
        _page_sizes(workdir / "workbook.pdf"),
        _text_heights(workdir / "workbook.pdf", first_page=2),
    )


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True)
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info.stdout)
    return [(float(w), float(h)) for w, h in sizes]


def _text_heights(pdf: Path, *, first_page: int) -> list[float]:
    """Each printed word's box height (points), as poppler lays the page out: about the font size."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(first_page), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        float(y1) - float(y0)
        for y0, y1 in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes)
    ]


def _whole_values(warnings: pl.DataFrame) -> list[str]:
    return [*warnings["id_number"], *warnings["household_id"]]


@pytest.mark.parametrize("kind", ["workbook", "csv"])
def test_every_id_is_shown_whole_and_nothing_as_hashes(rendered: Rendered, kind: str, township_files: tuple) -> None:
    pages = rendered.workbook_pages if kind == "workbook" else rendered.csv_pages
    text = "\n".join(pages)
    missing = [value for value in _whole_values(township_files[2]) if value not in text]
    assert not missing, f"{len(missing)} IDs not shown whole in the {kind}, e.g. {missing[:3]}"
    assert "###" not in text
    assert "E+" not in text  # no ID or amount shown in scientific notation
    if kind == "workbook":
        assert "1234567.89" in text and "9876543" in text


def test_every_printed_page_is_landscape_with_the_whole_header(rendered: Rendered) -> None:
    """A4 landscape; a warning sheet is printed two pages wide, the right-hand page of the same rows
    right after the left-hand one; each page begins with the header row and the 预警编号 column."""
    assert rendered.workbook_page_sizes and all(
        (round(w), round(h)) == (842, 595) for w, h in rendered.workbook_page_sizes
    )
    summary, *lists = rendered.workbook_pages
    assert "预警条数" in summary and "合计" in summary
    headers = list(REPORT_HEADERS.values())
    first, left, last = headers[0], REPORT_HEADERS["id_number"], headers[-1]
    assert len(lists) >= 8  # 死亡, 重复享受, then 车辆 over several pages, each two pages wide
    sides = []
    for page in lists:
        # Below the page's own header (township, month, sheet): the header row, on up to three lines.
        header = "\n".join([line for line in page.splitlines() if line.strip()][1:4])
        assert first in header, page[:600]
        assert (left in header) != (last in header), page[:600]  # one half of the columns or the other
        sides.append("L" if left in header else "R")
    assert "".join(sides) == "LR" * (len(lists) // 2)


def test_the_printed_lists_are_readable(rendered: Rendered) -> None:
    """The text of a printed list is about ten points high, not shrunk to fit 27 columns on one
    page (it was under four)."""
    heights = sorted(rendered.workbook_text_heights)
    assert heights and heights[len(heights) // 2] >= 8.0


def _xml(book: Path, name: str) -> str:
    with zipfile.ZipFile(book) as archive:
        return archive.read(name).decode()


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def test_the_workbook_is_set_up_for_printing(township_files: tuple[Path, Path, pl.DataFrame]) -> None:
    """Read back from the file: every sheet A4 landscape, a summary one page wide and a list two,
    printed across then down, header frozen, filtered and repeated on each page (a list's 预警编号
    column too); IDs in text cells, amounts with two decimals."""
    book = township_files[0]
    workbook = _xml(book, "xl/workbook.xml")
    sheets = re.findall(r'<sheet name="([^"]+)"', workbook)
    assert sheets == ["汇总", "死亡", "重复享受", "车辆", "逾期未反馈"]
    for index, name in enumerate(sheets, start=1):
        sheet = _xml(book, f"xl/worksheets/sheet{index}.xml")
        assert '<pageSetUpPr fitToPage="1"/>' in sheet, name
        wide = 1 if name == "汇总" else 2
        fit = "" if wide == 1 else f'fitToWidth="{wide}" '
        setup = f'<pageSetup paperSize="9" {fit}fitToHeight="0" pageOrder="overThenDown" orientation="landscape"'
        assert setup in sheet, name
        assert re.search(r'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>', sheet), name
        assert "<autoFilter ref=" in sheet, name
        assert "<f>" not in sheet, name
        titles = f"{name}!$1:$1" if name == "汇总" else f"{name}!$A:$A,{name}!$1:$1"
        assert f'<definedName name="_xlnm.Print_Titles" localSheetId="{index - 1}">{titles}<' in workbook, name
    styles = _xml(book, "xl/styles.xml")
    assert 'formatCode="0.00"' in styles and 'formatCode="@"' in styles
    deaths = _xml(book, "xl/worksheets/sheet2.xml")
    for header in ("身份证号", "户编号"):
        letter = _column_letter(list(REPORT_HEADERS.values()).index(header) + 1)
        assert re.search(rf'<c r="{letter}2" s="\d+" t="s">', deaths), header  # a text cell


def _column_widths(sheet: str) -> dict[int, float]:
    widths: dict[int, float] = {}
    for low, high, width in re.findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', sheet):
        widths |= dict.fromkeys(range(int(low), int(high) + 1), float(width))
    return widths


def test_columns_are_characters_wide(township_files: tuple[Path, Path, pl.DataFrame]) -> None:
    """Widths are in characters: the ID column holds 18 digits, 证据 is the widest; every other
    column at least a few characters (a width in pixels would make them 1–4 wide)."""
    widths = _column_widths(_xml(township_files[0], "xl/worksheets/sheet2.xml"))
    column = {header: index for index, header in enumerate(REPORT_HEADERS.values(), start=1)}
    assert widths[column["身份证号"]] >= 19
    assert widths[column["证据"]] == max(widths.values())
    assert min(widths.values()) >= 5


def test_evidence_wraps_in_rows_as_tall_as_its_lines(township_files: tuple[Path, Path, pl.DataFrame]) -> None:
    """证据 cells wrap, and a row whose evidence takes three lines is made that tall: spreadsheet
    programs keep a row one line high unless told."""
    book = township_files[0]
    sheet, styles = _xml(book, "xl/worksheets/sheet2.xml"), _xml(book, "xl/styles.xml")
    cell_formats = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", styles.split("<cellXfs")[1].split("</cellXfs>")[0])
    letter = _column_letter(list(REPORT_HEADERS.values()).index("证据") + 1)
    style = re.search(rf'<c r="{letter}2" s="(\d+)"', sheet)
    assert style and 'wrapText="1"' in cell_formats[int(style.group(1))]
    height = re.search(r'<row r="2" [^>]* ht="([\d.]+)"', sheet)
    assert height and float(height.group(1)) >= 3 * 15
