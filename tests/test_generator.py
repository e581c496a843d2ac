"""The sample-data generator: deterministic, in the contract's encodings, covering every planted case."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
import zipfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import opencc
import polars as pl
import pytest
from pypinyin import Style, pinyin

from hexiao.inbox import kind_from_name
from hexiao.io.grid import read_grid
from hexiao_dev.sample.extracts import CODES, MONITORED, STAFF_CATEGORIES
from hexiao_dev.sample.generator import (
    COMMON_NAMES,
    DECOY_KINDS,
    FORMS,
    HOMOPHONES,
    TRADITIONAL,
    GeneratedFiles,
    check_digit,
    generate,
    is_valid_id,
    main,
    to_legacy15,
)

HOUSEHOLDS = 300
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·"})


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> GeneratedFiles:
    return generate(tmp_path_factory.mktemp("sample"), households=HOUSEHOLDS, as_sent=True)


def _read_csv(path: Path, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode(encoding))))


def _norm_id(raw: str) -> str:
    """Just enough of contract §3 to check the generator: junk characters, widths, 15 → 18."""
    text = raw.translate(_FULLWIDTH).upper()
    text = "".join(c for c in text if c not in " \t\u3000'")
    if len(text) == 15 and text.isdigit():
        body = text[:6] + "19" + text[6:]
        text = body + check_digit(body)
    return text


def _norm_name(raw: str) -> str:
    return "".join(raw.split()).translate(_DOTS)


def _excel(path: Path, header_row: int | None) -> pl.DataFrame:
    """The first sheet as text cells (hexiao's own reader); with `header_row` (0-based), the rows
    below it named by it."""
    frame = read_grid(path).sheets[0].frame.drop("_row")
    if header_row is None:
        return frame
    names = [str(v) if v is not None else f"col{i}" for i, v in enumerate(frame.row(header_row))]
    return frame.slice(header_row + 1).rename(dict(zip(frame.columns, names, strict=True)))


def _rural_rows(path: Path) -> list[list[str]]:
    """Every person row of the 农村低保 workbook, in the main rolls' column order: each township's
    sheet below its title and header; a sheet without a 乡镇 column takes the sheet's name. A
    numeric cell reads as hexiao's reader gives it (`3.40421196803011e+17`)."""
    out = []
    for sheet in read_grid(path).sheets:
        if sheet.name == "说明":
            continue
        frame = sheet.frame.drop("_row")
        named = frame.row(1)[0] == "乡镇"
        for row in frame.slice(2).iter_rows():
            cells = ["" if v is None else str(v) for v in row]
            if cells[0] == "合计" or not any(cells):
                continue
            out.append(cells[:12] if named else [sheet.name, *cells][:12])
    return out


def _numeric_cell(text: str) -> bool:
    return "e+" in text


def _roll_people(files: GeneratedFiles) -> list[tuple[str, str]]:
    """(name, ID as written) of every person row in the three main roll files."""
    city, rural, tekun = files.roll_files[:3]
    rows = list(csv.reader(io.StringIO(city.read_text("utf-8-sig"))))
    people = [(r[5], r[6]) for r in rows[1:] if r[0] != "乡镇（街道）"]  # skip the repeated header
    rows = list(csv.reader(io.StringIO(tekun.read_bytes().decode("gbk"))))
    people += [(r[5], r[6]) for r in rows[2:]]  # title row, then header
    people += [(r[5], r[6]) for r in _rural_rows(rural)]
    return people


def test_check_digit_matches_the_standard_example() -> None:
    assert check_digit("11010519491231002") == "X"
    assert is_valid_id("11010519491231002X")
    assert not is_valid_id("110105194912310021")
    assert not is_valid_id("110105194913310029")  # month 13
    assert to_legacy15("11010519491231002X") == "110105491231002"


def test_check_digit_agrees_with_python_stdnum(files: GeneratedFiles) -> None:
    ric = pytest.importorskip("stdnum.cn.ric")
    # Only the check digit: stdnum's county table lacks some codes, and old codes are normal (§3).
    for row in _read_csv(files.truth_deceased, "utf-8"):
        assert ric.calc_check_digit(row["id_number"]) == row["id_number"][17]  # it skips the last char


def test_same_seed_gives_identical_bytes(files: GeneratedFiles, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", households=HOUSEHOLDS, as_sent=True)
    assert len(files.all_files) == 32  # the applicant list and its truth among them
    for a, b in zip(files.all_files, again.all_files, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate(tmp_path / "other", households=HOUSEHOLDS, seed=7, as_sent=True)
    assert other.truth_deceased.read_bytes() != files.truth_deceased.read_bytes()
    assert other.truth_warnings.read_bytes() != files.truth_warnings.read_bytes()


def test_file_names(files: GeneratedFiles) -> None:
    assert [p.name for p in files.roll_files] == [
        "全县2026年11月城市低保花名册.csv",
        "农村低保花名册.xlsx",
        "特困供养花名册.csv",
        "孤儿和事实无人抚养儿童花名册.csv",
        "高龄津贴花名册.csv",
        "2026年11月新增保障对象花名册.csv",
    ]
    assert [p.name for p in files.cremation_files] == ["2026年10-11月火化数据.csv", "火化数据补充.xlsx"]
    assert [p.name for p in files.vehicle_files] == ["机动车登记信息.csv"]  # the traffic police's export
    assert [p.name for p in files.property_files] == ["不动产登记信息.xlsx"]
    assert [p.name for p in files.business_files] == ["市场主体登记信息.csv"]
    assert [p.name for p in files.employee_files] == ["财政供养人员名单.xlsx"]
    assert [p.name for p in files.poverty_files] == ["防返贫监测对象名单.csv"]
    assert [kind_from_name(p) for p in files.health_files] == ["medical", "disability", "provident", "pension"]
    # hexiao tells the kind from the name (contract §1).
    kinds = {
        "roll": files.roll_files,
        "cremation": files.cremation_files,
        "vehicle": files.vehicle_files,
        "property": files.property_files,
        "business": files.business_files,
        "employee": files.employee_files,
        "poverty": files.poverty_files,
    }
    for kind, paths in kinds.items():
        if kind != "vehicle":  # 机动车…: a real export's name, which contract §1 counts too
            assert all(kind_from_name(p) == kind for p in paths), kind
    # Truth files and the applicant list stay out of the data directory, so it can be used as an
    # inbox; the litter is in it.
    data_dir = files.roll_files[0].parent
    assert {p.parent for p in files.all_files[:-6]} == {data_dir}
    assert files.all_files[-6].parent == data_dir / "申请"
    assert {p.parent for p in files.all_files[-5:]} == {data_dir / "truth"}
    litter = {p.name: p.stat().st_size for p in files.litter_files}
    assert set(litter) == {"Thumbs.db", "desktop.ini", ".DS_Store", "~$农村低保花名册.xlsx", "新建文本文档.txt"}
    assert litter["新建文本文档.txt"] == 0 and all(
        size for name, size in litter.items() if name.endswith((".db", ".ini"))
    )


def test_as_sent_changes_the_shapes_not_the_truth(files: GeneratedFiles, tmp_path: Path) -> None:
    tidy = generate(tmp_path / "tidy", households=HOUSEHOLDS)
    assert tidy.litter_files == [] and [p.name for p in tidy.vehicle_files] == ["2026年11月车辆登记信息.csv"]
    assert tidy.vehicle_files[0].read_bytes().decode("gb18030").splitlines()[1].startswith("机动车所有人,身份证号码,")
    assert all(kind_from_name(p) == "vehicle" for p in tidy.vehicle_files)
    assert all(read_grid(tidy.roll_files[1]).sheets[i].frame.row(1)[1] == "乡镇" for i in range(1, 3))
    for mine, theirs in zip(files.all_files[-4:], tidy.all_files[-4:], strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_encodings(files: GeneratedFiles) -> None:
    city, _, tekun = files.roll_files[:3]
    assert city.read_bytes().startswith(b"\xef\xbb\xbf")
    for path in (tekun, files.cremation_files[0]):
        data = path.read_bytes()
        data.decode("gbk")
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    tekun.read_bytes().decode("gbk")
    assert tekun.read_bytes().decode("gbk").splitlines()[1].startswith("乡镇(街道),")
    assert "身 份 证 号" in tekun.read_bytes().decode("gbk").splitlines()[1]
    for path in (files.truth_deceased, files.truth_decoys, files.truth_warnings, files.truth_negatives):
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
        path.read_bytes().decode("utf-8")


def test_encodings_of_the_new_files(files: GeneratedFiles) -> None:
    orphans, elderly, added = files.roll_files[3:]
    for path in (orphans, *files.truth_warnings.parent.iterdir()):  # plain UTF-8
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
        path.read_bytes().decode("utf-8")
    for path in (added, *files.business_files):  # UTF-8 with BOM
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        path.read_bytes().decode("utf-8-sig")
    for path, encoding in ((elderly, "gb18030"), (files.vehicle_files[0], "gb18030"), (files.poverty_files[0], "gbk")):
        data = path.read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        lines = data.decode(encoding).splitlines()
        assert "," in lines[1] and not lines[0].strip(",").count(","), path.name  # a title row above the header
    police = "机动车所有人,身份证明号码,号牌种类,号牌号码,车辆类型,使用性质,机动车状态,初次登记日期"
    assert files.vehicle_files[0].read_bytes().decode("gb18030").splitlines()[1] == police
    assert files.poverty_files[0].read_bytes().decode("gbk").splitlines()[1].startswith("乡镇（街道）,村（社区）")
    for path in (*files.property_files, *files.employee_files):
        assert zipfile.is_zipfile(path)


def test_truth_ids_are_valid_and_roll_ids_normalise_to_them(files: GeneratedFiles) -> None:
    for row in _read_csv(files.truth_deceased, "utf-8"):
        assert is_valid_id(row["id_number"])
        roll_id = _norm_id(row["roll_id_raw"])
        if row["form"] == "roll_typo":
            assert not is_valid_id(roll_id)
            assert roll_id[:17] == row["id_number"][:17]
        else:
            assert roll_id == row["id_number"]


def test_every_form_and_decoy_kind_is_planted(files: GeneratedFiles) -> None:
    forms = Counter(row["form"] for row in _read_csv(files.truth_deceased, "utf-8"))
    assert set(forms) == set(FORMS)
    assert forms["exact"] >= sum(forms.values()) / 2  # small samples: the other forms have minimums
    kinds = Counter(row["kind"] for row in _read_csv(files.truth_decoys, "utf-8"))
    assert set(kinds) == set(DECOY_KINDS)
    assert kinds["not_on_roll"] >= 4 * sum(forms.values())


def test_expected_action_and_overpayment_follow_the_rules(files: GeneratedFiles) -> None:
    month = 2026 * 12 + 10  # 2026-11
    keys: Counter[str] = Counter()
    for row in _read_csv(files.truth_deceased, "utf-8"):
        size, form = int(row["household_size"]), row["form"]
        keys[row["household_key"]] += 1
        if row["household_key"] == "无":  # no sound key: the household's size is unknown
            assert row["expected_action"] == "入户核查"
        elif form in ("exact", "id15", "homophone"):
            assert row["expected_action"] == ("停发" if size == 1 else "减发")
        else:
            assert row["expected_action"] == "入户核查"
        y, m, _ = (int(x) for x in row["death_date"].split("-"))
        effective = y * 12 + m  # the month after the death month
        ey, em = (int(x) for x in row["expected_effective_month"].split("-"))
        assert ey * 12 + em - 1 == effective
        sy, sm = (int(x) for x in row["start_month"].split("-"))
        months = max(0, month - max(effective, sy * 12 + sm - 1))
        assert row["expected_overpayment"] == f"{months * float(row['monthly_amount']):.1f}"
        assert effective <= month + 1  # nobody planted dies after the roll month
    # Deaths in households told by 户编号, by the head's ID (户编号 damaged), and by nothing.
    assert keys["户编号"] and keys["户主身份证号"] >= 2 and keys["无"] >= 2


def test_roll_ids_unique_and_mostly_valid(files: GeneratedFiles) -> None:
    ids = [_norm_id(raw) for _, raw in _roll_people(files)]
    valid = [i for i in ids if is_valid_id(i)]
    assert len(valid) == len(set(valid))
    assert len(valid) > 0.97 * len(ids)
    assert any("E+17" in i for i in ids)  # scientific notation survives in a CSV roll


def test_same_name_decoys_share_a_roll_name(files: GeneratedFiles) -> None:
    people = _roll_people(files)
    roll_names = {_norm_name(name) for name, _ in people}
    roll_ids = {_norm_id(raw) for _, raw in people}
    for row in _read_csv(files.truth_decoys, "utf-8"):
        if row["kind"] == "same_name_other":
            assert _norm_name(row["name"]) in roll_names
        if row["kind"] == "future_death":
            assert _norm_id(row["id_raw"]) in roll_ids
        else:
            assert _norm_id(row["id_raw"]) not in roll_ids


def test_excel_sci_deaths_have_names_unique_on_the_roll(files: GeneratedFiles) -> None:
    counts = Counter(_norm_name(r.name) for r in _all_roll_rows(files))  # all six rolls
    sci = [r for r in _read_csv(files.truth_deceased, "utf-8") if r["form"] == "excel_sci"]
    assert sci and all(counts[r["name"]] == 1 for r in sci)


def test_names_cover_common_minority_and_rare(files: GeneratedFiles) -> None:
    by_name: dict[str, set[str]] = {}
    for name, raw in _roll_people(files):
        by_name.setdefault(_norm_name(name), set()).add(_norm_id(raw))
    shared = [name for name, _ in COMMON_NAMES if len(by_name.get(name, ())) >= 2]
    assert len(shared) >= 5
    assert any("·" in name for name in by_name)
    assert any(c in name for name in by_name for c in "䶮𠮷")


def test_name_tables_are_sound() -> None:
    t2s = opencc.OpenCC("t2s")
    for simple, traditional in TRADITIONAL.items():
        assert simple != traditional and t2s.convert(traditional) == simple
    for char, twin in HOMOPHONES.items():
        assert char != twin and t2s.convert(twin) != char
        assert pinyin(char, style=Style.TONE3) == pinyin(twin, style=Style.TONE3), (char, twin)


def test_rural_workbook_shape(files: GeneratedFiles) -> None:
    rural = files.roll_files[1]
    sheets = read_grid(rural).sheets
    assert sheets[0].name == "说明" and len(sheets) >= 4  # notes without a header, then one sheet per township
    headed = 0
    for sheet in sheets[1:]:
        grid = sheet.frame.drop("_row")
        assert grid.row(0)[0] == f"{sheet.name}2026年11月农村低保花名册"  # the merged title
        assert grid.to_series(0).to_list()[-1] == "合计"
        headed += grid.row(1)[:3] == ("乡镇", "村", "家庭编号")
    assert headed == len(sheets) - 2  # one sheet leaves the 乡镇 column out
    assert sum(all(v is None for v in s.frame.drop("_row").row(i)) for s in sheets for i in range(s.frame.height)) == 1
    # Numeric cells hold what Excel would: 15 significant digits of an ID (E+17) and of a 户编号.
    with zipfile.ZipFile(rural) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "E+17</v>" in xml
    damaged = {r[2] for r in _rural_rows(rural) if _numeric_cell(r[2])}
    assert damaged and all(f"{Decimal(h):f}".endswith("0") for h in damaged)
    # Of the numeric-cell IDs, some pass the check digit after the zero-fill: valid, and damaged all the same.
    zeroed = [f"{Decimal(r[6]):f}" for r in _rural_rows(rural) if _numeric_cell(r[6])]
    assert any(is_valid_id(i) for i in zeroed) and not all(is_valid_id(i) for i in zeroed)


def test_tekun_household_numbers_went_through_excel(files: GeneratedFiles) -> None:
    rows = _csv_rows(files.roll_files[2], "gbk", 2)
    assert rows and all(r[2] == "3.40421E+15" for r in rows)


def test_cremation_csv_has_junk_rows(files: GeneratedFiles) -> None:
    lines = files.cremation_files[0].read_bytes().decode("gb18030").split("\r\n")
    assert lines[0] == "凤台县殡仪馆火化信息"
    assert lines[1].startswith("逝者姓名,逝者身份证号")
    body = lines[2:-1]
    assert "" in body
    assert any(line.startswith(",,,") for line in body)
    assert any(",不详," in line for line in body)


def test_main_writes_files_and_nothing_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path / "cli"), "--households", "40", "--month", "2026-01", "--as-sent"]) == 0
    assert capsys.readouterr().out == ""
    assert (tmp_path / "cli" / "2025年12月-2026年1月火化数据.csv").exists()
    assert (tmp_path / "cli" / "Thumbs.db").exists() and (tmp_path / "cli" / "机动车登记信息.csv").exists()
    assert (tmp_path / "cli" / "truth" / "truth_deceased.csv").exists()
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path / "bad"), "--month", "2026/01"])


# ---------------------------------------------------------------- the other rules' truth


class _RollRow(NamedTuple):
    township: str
    household_id: str
    name: str
    id_number: str  # normalised; a numeric cell as Excel left it (zero-filled)
    program: str
    start: int  # month index
    household: str  # what tells the household apart: 户编号, else the head's sound ID, else nothing
    id_damaged: bool  # invalid, or from a numeric cell whatever its check digit
    hid_damaged_head: bool  # the head's row of a household whose 户编号 a spreadsheet damaged
    amount: float = 0.0  # 月保障金额


def _roll_row(
    township: str, hid: str, name: str, id_raw: str, head_raw: str, program: str, start: str, amount: str = ""
) -> _RollRow:
    numeric = _numeric_cell(id_raw)
    id_number = f"{Decimal(id_raw):f}" if numeric else _norm_id(id_raw)
    head = f"{Decimal(head_raw):f}" if _numeric_cell(head_raw) else _norm_id(head_raw)
    head_sound = is_valid_id(head) and not _numeric_cell(head_raw)
    hid_damaged = "e+" in hid.lower()
    household = f"hid:{township}/{hid}" if not hid_damaged else f"head:{head}" if head_sound else f"none:{id_number}"
    damaged = numeric or not is_valid_id(id_number)
    return _RollRow(township, hid, name, id_number, program, _month_index(start), household, damaged,
                    hid_damaged and id_raw == head_raw, _number(amount))  # fmt: skip


def _csv_rows(path: Path, encoding: str, skip: int) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))
    return [r for r in rows[skip:] if any(v.strip() for v in r)]


def _xlsx_rows(path: Path, header_row: int) -> list[list[str]]:
    frame = _excel(path, header_row=header_row)
    return [["" if v is None else v for v in row] for row in frame.iter_rows() if any(v is not None for v in row)]


def _month_index(text: str) -> int:
    digits = text.replace("-", "")
    return int(digits[:4]) * 12 + int(digits[4:6]) - 1


def _all_roll_rows(files: GeneratedFiles) -> list[_RollRow]:
    """Every person row of the six roll files, parsed the way a reader of contract §2 would."""
    city, rural, tekun, orphans, elderly, added = files.roll_files
    full = _csv_rows(city, "utf-8-sig", 1) + _csv_rows(tekun, "gbk", 2) + _rural_rows(rural)
    full += _csv_rows(orphans, "utf-8", 1) + _csv_rows(added, "utf-8-sig", 1)
    out = [_roll_row(r[0], r[2], r[5], r[6], r[4], r[8], r[11], r[10]) for r in full if r[0] != "乡镇（街道）"]
    out += [_roll_row(r[0], r[2], r[3], r[4], r[4], r[5], r[8]) for r in _csv_rows(elderly, "gb18030", 2)]
    return out


_EXEMPT_WORDS = ("残疾人", "摩托", "三轮汽车", "低速货车", "拖拉机")
_EXCLUSIVE = (("低保", "特困"), ("孤儿", "特困"), ("事实无人抚养儿童", "特困"), ("孤儿", "事实无人抚养儿童"))


def _exclusive(a: str, b: str) -> bool:
    return any((x in a and y in b) or (y in a and x in b) for x, y in _EXCLUSIVE)


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _number(text: str) -> float:
    digits = "".join(ch for ch in str(text) if ch.isdigit() or ch == ".")
    return float(digits) if digits else 0.0


def _ym(text: str) -> int:
    """202611 or 2026年11月 → month index."""
    year, mon = (int(x) for x in text.replace("年", "-").rstrip("月").split("-")) if "年" in text else (
        int(text[:4]), int(text[4:6]))  # fmt: skip
    return year * 12 + mon - 1


def _derive_income(files: GeneratedFiles, month: int, valid: list[_RollRow], warn: Any) -> None:
    """INCOME and GRADUAL_EXIT by domain.md rule 11 with the sample's standard and hexiao's defaults:
    pensions and wages of the last 3 months, exempt benefits left out, a job new within 6 months
    (and after the register's first month) gives 渐退 for 6 months from its first contribution."""
    standard = tomllib.loads((files.income_files[0].parent / "hexiao.toml").read_text("utf-8"))["rules"]["income"]
    standard = standard["standard"]
    pensions: dict[tuple[str, str], tuple[int, float]] = {}
    for row in _xlsx_rows(files.income_files[0], 1):
        key, paid = (_norm_id(row[1]), row[3]), _ym(row[5])
        if month - 2 <= paid <= month and paid >= pensions.get(key, (0, 0.0))[0]:
            pensions[key] = (paid, _number(row[4]))
    income: dict[str, float] = defaultdict(float)
    for (pid, benefit), (_, amount) in pensions.items():
        if not any(word in benefit for word in ("高龄津贴", "残疾人", "优抚", "抚恤")):
            income[pid] += amount
    contributions = [(_norm_id(r[1]), _ym(r[5]), _number(r[3])) for r in _csv_rows(files.income_files[1], "gb18030", 1)]
    register_start = min(m for _, m, _ in contributions)
    first: dict[str, int] = {}
    latest: dict[str, tuple[int, float]] = {}
    for pid, paid, wage in contributions:
        first[pid] = min(first.get(pid, paid), paid)
        if month - 2 <= paid <= month and paid >= latest.get(pid, (0, 0.0))[0]:
            latest[pid] = (paid, wage)
    new = {pid for pid in latest if month - 5 <= first[pid] and first[pid] > register_start}
    households: dict[tuple[str, str], list[_RollRow]] = defaultdict(list)
    for r in valid:
        if r.program in standard and not r.household.startswith("none:"):
            households[(r.household, r.program)].append(r)
    for (_, program), members in households.items():
        line = standard[program] * len({r.id_number for r in members})
        wages = {r.id_number: latest[r.id_number][1] for r in members if r.id_number in latest}
        base = sum(income[r.id_number] for r in members) + sum(w for pid, w in wages.items() if pid not in new)
        total = base + sum(w for pid, w in wages.items() if pid in new)
        earners = [r for r in members if income[r.id_number] > 0 or wages.get(r.id_number, 0) > 0]
        start = min((first[pid] for pid in wages if pid in new), default=0)
        if base > line or total > line and start + 6 <= month:
            found = ("INCOME", "停发", "中", f"{(month + 1) // 12:04d}-{(month + 1) % 12 + 1:02d}")
        elif total > line:
            found = ("GRADUAL_EXIT", "渐退", "低", f"{(start + 6) // 12:04d}-{(start + 6) % 12 + 1:02d}")
        elif total > 0 and sum(r.amount for r in members) > line - total + 0.005:
            found = ("INCOME", "减发", "低", f"{(month + 1) // 12:04d}-{(month + 1) % 12 + 1:02d}")
        else:
            continue
        for r in earners:
            warn(found[0], r, found[1], found[2], found[3])


def _derive(files: GeneratedFiles, month: int) -> Counter[tuple[str, ...]]:
    """The warnings the rules of the brief give on the written files: an independent re-derivation of the truth."""
    roll = _all_roll_rows(files)
    valid = [r for r in roll if not r.id_damaged]
    out: Counter[tuple[str, ...]] = Counter()

    # 户编号 is left out: where a spreadsheet damaged it the file no longer holds the true one.
    def warn(code: str, r: _RollRow, action: str = "入户核查", risk: str = "", effective: str = "") -> None:
        out[(code, r.id_number, r.program, action, risk, effective)] += 1

    for r in roll:
        if r.id_damaged:
            warn("BAD_ID", r, "数据更正", "低")
        if r.hid_damaged_head:
            warn("BAD_HOUSEHOLD", r, "数据更正")
    vehicles = _csv_rows(files.vehicle_files[0], "gb18030", 2)
    owners = {
        _norm_id(v[1])
        for v in vehicles
        if v[6] not in ("注销", "报废", "转出") and not any(x in v[4] for x in _EXEMPT_WORDS)
    }
    units: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in _xlsx_rows(files.property_files[0], 0):
        units[_norm_id(row[1])].add((row[2], row[5]))
    household_units: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for r in valid:
        household_units[r.household] |= units.get(r.id_number, set())
    roles: dict[str, set[str]] = defaultdict(set)
    for row in _csv_rows(files.business_files[0], "utf-8-sig", 1):
        if row[5] in ("存续", "在业", "开业"):
            roles[_norm_id(row[1])].add("sole" if row[4] == "经营者" else "company")
    payroll_rows = _xlsx_rows(files.employee_files[0], 1)
    assert {row[3] for row in payroll_rows} == set(STAFF_CATEGORIES)
    payroll = {_norm_id(row[1]) for row in payroll_rows}
    by_id: dict[str, list[_RollRow]] = defaultdict(list)
    for r in valid:
        by_id[r.id_number].append(r)
    last = dt.date(month // 12, month % 12 + 1, 1) + dt.timedelta(days=31)
    last = last.replace(day=1) - dt.timedelta(days=1)
    for r in valid:
        if r.id_number in owners:
            warn("VEHICLE", r, risk="中")
        held = household_units[r.household]
        if units.get(r.id_number) and (
            sum(use in ("住宅", "成套住宅") for _, use in held) > 1
            or any(use not in ("住宅", "成套住宅") for _, use in held)
        ):
            warn("PROPERTY", r, risk="中")
        if roles.get(r.id_number):
            warn("BUSINESS", r, risk="中" if "company" in roles[r.id_number] else "低")
        if r.id_number in payroll:
            warn("PUBLIC_EMPLOYEE", r, risk="高")
        others = [o for o in by_id[r.id_number] if o is not r]
        if any(
            o.household != r.household or o.township != r.township or _exclusive(o.program, r.program) for o in others
        ):
            warn("DUPLICATE", r, risk="高")
        birth = dt.date(int(r.id_number[6:10]), int(r.id_number[10:12]), int(r.id_number[12:14]))
        adult = birth.year * 12 + birth.month - 1 + 18 * 12
        stop, stop_text = adult + 1, f"{(adult + 1) // 12:04d}-{(adult + 1) % 12 + 1:02d}"
        if r.program in ("孤儿", "事实无人抚养儿童") and stop <= month + 3:
            warn("AGE_OUT", r, "停发" if stop <= month else "提前告知", effective=stop_text)
        if "特困" in r.program and r.start <= adult and month - 12 < stop <= month + 3:
            warn("AGE_OUT", r, "入户核查" if stop <= month else "提前告知", effective=stop_text)
        if r.program == "高龄津贴" and _age_on(birth, last) < 80:
            warn("AGE_INVALID", r, "数据更正")
    _derive_income(files, month, valid, warn)
    on_roll = {r.id_number for r in roll}
    for row in _csv_rows(files.poverty_files[0], "gbk", 2):
        if row[5] in MONITORED and row[6] != "是" and _norm_id(row[4]) not in on_roll:
            out[("OMISSION", _norm_id(row[4]), "", "纳入排查", "", "")] += 1
    for id_number in sorted(_health_omissions(files, month, last, on_roll)):
        out[("OMISSION", id_number, "", "纳入排查", "", "")] = 1  # one warning, whatever the reasons
    return out


# Not re-derived here: the children's cases are scored against hexiao in test_sample_truth.py and
# their rules' every case is hand-written in test_children.py.
CHILD_CODES = ("GUARDIAN_RETURNED", "ADOPTED")


_LEVELS = {"一": 1, "1": 1, "壹": 1, "二": 2, "2": 2, "贰": 2, "三": 3, "3": 3, "四": 4, "4": 4}


def _health_omissions(files: GeneratedFiles, month: int, last: dt.date, on_roll: set[str]) -> set[str]:
    """因病 and 重残 (domain.md rule 12b) on the written files, with the threshold of hexiao.toml."""
    medical, disability, provident, pension = files.health_files
    settings = tomllib.loads((medical.parent / "hexiao.toml").read_text(encoding="utf-8"))
    threshold = Decimal(str(settings["rules"]["omission"]["medical_out_of_pocket_12m"]))
    first = dt.date((month - 11) // 12, (month - 11) % 12 + 1, 1)
    paid: dict[str, Decimal] = defaultdict(Decimal)
    for row in _xlsx_rows(medical, 0)[1:]:
        if first <= dt.date.fromisoformat(str(row[5])[:10]) <= last:
            paid[_norm_id(str(row[1]))] += Decimal(str(row[8]))
    listed = {pid for pid, total in paid.items() if total >= threshold}
    since = f"{first:%Y-%m}"
    earning = {_norm_id(r[1]) for r in _csv_rows(provident, "gbk", 1) + _csv_rows(pension, "gbk", 1) if r[-1] >= since}
    categories = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
    for row in _csv_rows(disability, "gbk", 1):
        pid = _norm_id(row[5]) or row[6][:18]
        level = _LEVELS[row[8][0]] if row[8] else int(row[6][19])
        category = row[7] or categories[int(row[6][18]) - 1]
        birth = dt.date(int(pid[6:10]), int(pid[10:12]), int(pid[12:14]))
        severe = level <= 2 or (level == 3 and any(word in category for word in ("智力", "精神")))
        if severe and 18 <= _age_on(birth, last) <= 59 and pid not in earning:
            listed.add(pid)
    return listed - on_roll


def test_truth_warnings_follow_the_rules_on_the_written_files(files: GeneratedFiles) -> None:
    truth = Counter(
        (r["code"], r["id_number"], r["program"], r["expected_action"], r["expected_risk"],
         r["expected_effective_month"])
        for r in _read_csv(files.truth_warnings, "utf-8")
        if r["code"] not in CHILD_CODES
    )  # fmt: skip
    derived = _derive(files, 2026 * 12 + 10)
    assert derived - truth == Counter(), "the files give warnings the truth lacks"
    assert truth - derived == Counter(), "the truth lists warnings the files do not give"


def test_every_code_has_positives_and_negatives(files: GeneratedFiles) -> None:
    warnings = _read_csv(files.truth_warnings, "utf-8")
    negatives = _read_csv(files.truth_negatives, "utf-8")
    positives = Counter(r["code"] for r in warnings)
    assert list(positives) == list(CODES)  # sorted by code, every code present
    assert all(count >= 2 for count in positives.values()), positives
    assert {r["code"] for r in negatives} == set(CODES) - {"BAD_HOUSEHOLD"}  # any intact 户编号 is its negative
    warned = {(r["code"], r["id_number"]) for r in warnings}
    assert not any((r["code"], r["id_number"]) in warned for r in negatives)
    for r in warnings:
        # BAD_ID and BAD_HOUSEHOLD name the ID as the roll gives it: damaged or not.
        assert (is_valid_id(r["id_number"]) or r["code"].startswith("BAD_")) and r["name"]
        assert (r["household_id"] == "") == (r["code"] == "OMISSION")
        assert (r["expected_effective_month"] != "") == (
            r["code"] in ("AGE_OUT", "INCOME", "GRADUAL_EXIT", *CHILD_CODES)
        )
    # Planted deaths stay out of the other rules (a 特困 member who joined as a minor may age out anyway).
    dead = {r["id_number"] for r in _read_csv(files.truth_deceased, "utf-8")}
    assert not [r for r in warnings if r["id_number"] in dead and r["code"] not in ("AGE_OUT", "BAD_HOUSEHOLD")]
    # Every duplicate shows both rows; the 孤儿 roll has all three AGE_OUT outcomes.
    duplicates = Counter(r["id_number"] for r in warnings if r["code"] == "DUPLICATE")
    assert duplicates and set(duplicates.values()) == {2}
    actions = {r["expected_action"] for r in warnings if r["code"] == "AGE_OUT" and r["program"] != "特困供养"}
    assert actions == {"停发", "提前告知"}
    assert any("notice window" in r["why"] for r in negatives if r["code"] == "AGE_OUT")


def test_zero_filled_ids_that_are_somebody_elses(files: GeneratedFiles) -> None:
    """Excel's zero-fill that spells another member's real ID: on the roll (a numeric cell), and in
    the cremation data (a death recorded under it while that member lives)."""
    roll = _all_roll_rows(files)
    real = {r.id_number: r for r in roll if not r.id_damaged}
    on_roll = [r for r in roll if r.id_damaged and r.id_number in real]
    assert on_roll and all(is_valid_id(r.id_number) and real[r.id_number].name != r.name for r in on_roll)
    deaths = [r for r in _read_csv(files.truth_deceased, "utf-8") if r["form"] == "excel_numeric"]
    dead = {r["id_number"] for r in deaths}
    living = [real[z] for z in (r["id_number"][:15] + "000" for r in deaths) if z in real]
    assert living and not {r.id_number for r in living} & dead
    assert all(is_valid_id(r.id_number) for r in living)


def test_co_owned_units_share_a_certificate(files: GeneratedFiles) -> None:
    rows = _xlsx_rows(files.property_files[0], 0)
    holders: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        holders[row[2]].add(_norm_id(row[1]))
    shared = {cert for cert, ids in holders.items() if len(ids) == 2}
    assert len(shared) > 10
    # The planted negative: a roll couple on one certificate is one unit, so no warning.
    co_owned = {r["id_number"] for r in _read_csv(files.truth_negatives, "utf-8") if "co_owned" in r["why"]}
    assert len(co_owned) >= 2
    assert any(ids <= co_owned for cert, ids in holders.items() if cert in shared)
    # Excel damage and text cells: a few IDs are number cells; certificates are text.
    with zipfile.ZipFile(files.property_files[0]) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "E+17</v>" in sheet_xml and 't="inlineStr"' in sheet_xml


def test_business_credit_codes_fit_the_role(files: GeneratedFiles) -> None:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    rows = _csv_rows(files.business_files[0], "utf-8-sig", 1)
    assert {row[4] for row in rows} == {"法定代表人", "股东", "投资人", "高管", "经营者"}
    assert {row[5] for row in rows} == {"存续", "在业", "开业", "注销", "吊销"}
    for row in rows:
        code = row[3]
        assert len(code) == 18 and code.startswith("92" if row[4] == "经营者" else "91")
        total = sum(chars.index(c) * w for c, w in zip(code[:17], weights, strict=True))
        assert chars[(31 - total % 31) % 31] == code[17]
        assert row[2].endswith("有限公司") != (row[4] == "经营者")


def test_extracts_mostly_hold_people_on_no_roll(files: GeneratedFiles) -> None:
    on_roll = {r.id_number for r in _all_roll_rows(files)}
    persons = len(_roll_people(files))
    vehicles = _csv_rows(files.vehicle_files[0], "gb18030", 2)
    assert len(vehicles) >= 3 * persons
    assert sum(_norm_id(v[1]) in on_roll for v in vehicles) < 0.1 * len(vehicles)
    assert {v[4] for v in vehicles} >= {"小型轿车", "拖拉机", "残疾人专用小型自动挡载客汽车"}
    assert {v[2] for v in vehicles} >= {"小型汽车", "大型汽车", "普通摩托车", "低速车"}  # 号牌种类
    assert len(_xlsx_rows(files.property_files[0], 0)) >= 2 * persons
    poverty = _csv_rows(files.poverty_files[0], "gbk", 2)
    listed = sum(_norm_id(row[4]) in on_roll for row in poverty)
    assert listed > 10 and len(poverty) - listed > 5
    assert any("E+17" in v[1] for v in vehicles) and any(v[1].endswith("000") for v in vehicles)


def test_the_applicant_list_is_a_roll_shaped_workbook_outside_the_inbox(files: GeneratedFiles) -> None:
    """`申请/…申请人名单.xlsx`: one sheet per township under a merged title, in the roll's columns; a
    month's inbox (the output folder) never reads it, and its truth covers every member it lists."""
    from hexiao.io.files import inbox_files

    (applicants,) = files.applicant_files
    assert applicants.parent == files.roll_files[0].parent / "申请"
    assert applicants not in inbox_files(applicants.parent.parent)
    listed: list[str] = []
    for sheet in read_grid(applicants).sheets:
        rows = sheet.frame.drop("_row").rows()
        assert rows[0][0].startswith("凤台县") and sheet.name in rows[0][0]  # the merged title names the township
        assert rows[1] == (
            "乡镇",
            "村",
            "户编号",
            "户主姓名",
            "户主身份证号",
            "姓名",
            "身份证号",
            "与户主关系",
            "保障类别",
        )
        assert {row[0] for row in rows[2:]} == {sheet.name}
        listed += [row[6] for row in rows[2:]]
    assert files.truth_applicants is not None
    truth = pl.read_csv(files.truth_applicants, infer_schema=False)
    assert sorted(listed) == truth["id_number"].to_list()
    for source in ("火化", "车辆", "不动产", "工商", "财政供养", "在保", "收入"):
        assert set(truth[source]) == {"有", "未发现"}, source
