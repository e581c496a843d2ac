"""The sample-data generator: deterministic, in the contract's encodings, covering every planted case."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import fastexcel
import opencc
import pytest
from pypinyin import Style, pinyin

from hexiao.sample.generator import (
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
    return generate(tmp_path_factory.mktemp("sample"), households=HOUSEHOLDS)


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


def _roll_people(files: GeneratedFiles) -> list[tuple[str, str]]:
    """(name, ID as written) of every person row in the three roll files."""
    city, rural, tekun = files.roll_files
    rows = list(csv.reader(io.StringIO(city.read_text("utf-8-sig"))))
    people = [(r[5], r[6]) for r in rows[1:] if r[0] != "乡镇（街道）"]  # skip the repeated header
    rows = list(csv.reader(io.StringIO(tekun.read_bytes().decode("gbk"))))
    people += [(r[5], r[6]) for r in rows[2:]]  # title row, then header
    sheet = fastexcel.read_excel(rural).load_sheet(0, header_row=1, dtypes="string").to_polars()
    sheet = sheet.filter(sheet["成员姓名"].is_not_null())  # the blank row and the 合计 row
    people += list(zip(sheet["成员姓名"].to_list(), sheet["公民身份号码"].to_list(), strict=True))
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
    again = generate(tmp_path / "again", households=HOUSEHOLDS)
    first = [*files.roll_files, *files.cremation_files, files.truth_deceased, files.truth_decoys]
    second = [*again.roll_files, *again.cremation_files, again.truth_deceased, again.truth_decoys]
    for a, b in zip(first, second, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes(), a.name
    other = generate(tmp_path / "other", households=HOUSEHOLDS, seed=7)
    assert other.truth_deceased.read_bytes() != files.truth_deceased.read_bytes()


def test_file_names(files: GeneratedFiles) -> None:
    assert [p.name for p in files.roll_files] == [
        "全县2026年11月城市低保花名册.csv",
        "农村低保花名册.xlsx",
        "特困供养花名册.csv",
    ]
    assert [p.name for p in files.cremation_files] == ["2026年10-11月火化数据.csv", "火化数据补充.xlsx"]
    # Truth files stay out of the data directory, so it can be used as an inbox.
    assert files.truth_deceased.parent != files.roll_files[0].parent


def test_encodings(files: GeneratedFiles) -> None:
    city, _, tekun = files.roll_files
    assert city.read_bytes().startswith(b"\xef\xbb\xbf")
    for path in (tekun, files.cremation_files[0]):
        data = path.read_bytes()
        data.decode("gb18030")
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    tekun.read_bytes().decode("gbk")
    assert tekun.read_bytes().decode("gbk").splitlines()[1].startswith("乡镇(街道),")
    assert "身 份 证 号" in tekun.read_bytes().decode("gbk").splitlines()[1]
    for path in (files.truth_deceased, files.truth_decoys):
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
        path.read_bytes().decode("utf-8")


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
    for row in _read_csv(files.truth_deceased, "utf-8"):
        size, form = int(row["household_size"]), row["form"]
        if form in ("exact", "id15", "homophone"):
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
    counts = Counter(_norm_name(name) for name, _ in _roll_people(files))
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
    grid = fastexcel.read_excel(rural).load_sheet(0, header_row=None, dtypes="string").to_polars()
    first = grid.to_series(0).to_list()
    assert first[0] == "凤台县2026年11月农村低保花名册"
    assert grid.row(1)[:3] == ("乡镇", "村", "家庭编号")
    assert first[-1] == "合计"
    assert sum(all(v is None for v in grid.row(i)) for i in range(grid.height)) == 1
    # The numeric ID cells hold what Excel would: 15 significant digits in scientific notation.
    with zipfile.ZipFile(rural) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "E+17</v>" in sheet_xml


def test_cremation_csv_has_junk_rows(files: GeneratedFiles) -> None:
    lines = files.cremation_files[0].read_bytes().decode("gb18030").split("\r\n")
    assert lines[0] == "凤台县殡仪馆火化信息"
    assert lines[1].startswith("逝者姓名,逝者身份证号")
    body = lines[2:-1]
    assert "" in body
    assert any(line.startswith(",,,") for line in body)
    assert any(",不详," in line for line in body)


def test_main_writes_files_and_nothing_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path / "cli"), "--households", "40", "--month", "2026-01"]) == 0
    assert capsys.readouterr().out == ""
    assert (tmp_path / "cli" / "2025年12月-2026年1月火化数据.csv").exists()
    assert (tmp_path / "cli" / "truth" / "truth_deceased.csv").exists()
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path / "bad"), "--month", "2026/01"])
