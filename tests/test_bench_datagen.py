"""The benchmark: the vectorised generator (shapes, IDs, planted deaths, determinism), the floor and the ratio."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from hexiao.inbox import kind_from_name
from hexiao.normalize import ids
from hexiao.normalize.names import same_pinyin
from hexiao_dev.bench import synth
from hexiao_dev.bench.datagen import (
    CREMATION_HEADER,
    FORMS,
    ROLL_HEADER,
    TRUTH_HEADER,
    BenchFiles,
    generate_bench,
    main,
)
from hexiao_dev.bench.registers import BUSINESS_HEADER, EMPLOYEE_HEADER, POVERTY_HEADER, PROPERTY_HEADER, VEHICLE_HEADER

HOUSEHOLDS = 3000
FILES = {
    "花名册_城乡低保.csv": ("utf-8-sig", ROLL_HEADER),
    "花名册_特困供养.csv": ("utf-8", ROLL_HEADER),
    "火化数据.csv": ("gb18030", CREMATION_HEADER),
    "车辆登记.csv": ("utf-8-sig", VEHICLE_HEADER),
    "不动产登记.csv": ("utf-8", PROPERTY_HEADER),
    "市场主体登记.csv": ("utf-8-sig", BUSINESS_HEADER),
    "财政供养人员.csv": ("utf-8", EMPLOYEE_HEADER),
    "防返贫监测名单.csv": ("gb18030", POVERTY_HEADER),
}
TITLED = {"火化数据.csv", "防返贫监测名单.csv"}


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> BenchFiles:
    return generate_bench(tmp_path_factory.mktemp("bench"), households=HOUSEHOLDS)


def _read(path: Path) -> pl.DataFrame:
    encoding, _ = FILES[path.name]
    text = path.read_bytes().decode(encoding)
    if path.name in TITLED:
        text = text.split("\n", 1)[1]
    return pl.read_csv(text.encode(), infer_schema=False)


def _roll(bench: BenchFiles) -> pl.DataFrame:
    return pl.concat([_read(bench.directory / name) for name in FILES if name.startswith("花名册")])


def test_random_columns_match_the_reference_hash() -> None:
    frame = pl.LazyFrame({"k": [0, 1, 2, 12345, 2**32 - 1]})
    got = synth.add_random(frame, "k", 7, ["a", "b"]).collect()
    for name in ("a", "b"):
        assert got[name].to_list() == [synth.hash_py(7, name, k) for k in got["k"]]


def test_files_headers_encodings_and_kinds(bench: BenchFiles) -> None:
    assert sorted(p.name for p in bench.directory.iterdir()) == sorted(FILES)
    assert bench.truth_deceased.parent != bench.directory and bench.truth_deceased.exists()
    for name, (encoding, header) in FILES.items():
        raw = (bench.directory / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig"), name
        lines = raw.decode(encoding).splitlines()
        header_line = lines[1] if name in TITLED else lines[0]
        assert header_line.split(",") == list(header), name
        assert kind_from_name(bench.directory / name) is not None
    with pytest.raises(UnicodeDecodeError):
        (bench.directory / "火化数据.csv").read_bytes().decode("utf-8")


def test_row_counts(bench: BenchFiles) -> None:
    persons = bench.rows["roll"]
    assert 1.9 * HOUSEHOLDS < persons < 2.3 * HOUSEHOLDS
    expected = {"vehicle": 5.0, "property": 2.3, "business": 0.7, "employee": 0.1, "poverty": 0.33, "cremation": 0.013}
    for kind, per_person in expected.items():
        assert 0.9 * per_person * persons < bench.rows[kind] < 1.1 * per_person * persons, kind
    names = {"vehicle": "车辆登记.csv", "property": "不动产登记.csv", "business": "市场主体登记.csv",
             "employee": "财政供养人员.csv", "poverty": "防返贫监测名单.csv", "cremation": "火化数据.csv"}  # fmt: skip
    for kind, name in names.items():
        assert _read(bench.directory / name).height == bench.rows[kind], kind
    roll = _roll(bench)
    assert roll.height == persons + 4  # each roll file: one blank row and one 合计 row
    assert roll.filter(pl.all_horizontal(pl.all().is_null())).height == 2
    assert roll.filter(pl.col("乡镇（街道）") == "合计").height == 2


def test_roll_ids_are_valid_and_unique_except_the_planted_mess(bench: BenchFiles) -> None:
    roll = _roll(bench).filter(pl.col("身份证号").is_not_null())
    checked = ids.add_id_columns(roll, "身份证号")
    status = checked["id_status"].value_counts()
    bad = status.filter(pl.col("id_status") != ids.VALID)
    assert set(bad["id_status"]) <= {ids.BAD_CHECK, ids.EXCEL_SCIENTIFIC, ids.EXCEL_NUMERIC}
    assert 0 < bad["count"].sum() < 0.01 * roll.height
    valid = checked.filter(pl.col("id_status") == ids.VALID)
    assert valid["id_norm"].n_unique() == valid.height
    # Every (shaped) ID keeps unique first 15 digits: an Excel-truncated copy is never ambiguous.
    key15 = checked.filter(pl.col("id_key").is_not_null())["id_norm"].str.slice(0, 15)
    assert key15.n_unique() == key15.len()
    # The planted mess is there: spaces, lower-case x, 15-digit IDs.
    raw = roll["身份证号"]
    assert raw.str.contains(" ").any() and raw.str.ends_with("x").any() and (raw.str.len_chars() == 15).any()
    # Household by household the head's ID is the head row's.
    heads = roll.filter(pl.col("与户主关系") == "户主")
    assert (heads["户主身份证号"] == heads["身份证号"]).all()


def test_extracts_are_mostly_people_off_the_roll(bench: BenchFiles) -> None:
    roll_ids = ids.add_id_columns(_roll(bench), "身份证号").filter(pl.col("id_status") == ids.VALID)["id_norm"]
    for name, column in (("车辆登记.csv", "身份证号码"), ("不动产登记.csv", "权利人证件号码")):
        extract = ids.add_id_columns(_read(bench.directory / name), column)
        share = extract.filter(pl.col("id_norm").is_in(roll_ids.implode())).height / extract.height
        assert 0.005 < share < 0.04, name
        assert (extract["id_status"] == ids.VALID).mean() > 0.99


def test_planted_deaths(bench: BenchFiles) -> None:
    truth = pl.read_csv(bench.truth_deceased, infer_schema=False)
    assert tuple(truth.columns) == TRUTH_HEADER
    assert set(truth["form"]) == set(FORMS)
    assert (truth["form"] == "exact").mean() > 0.5  # type: ignore[operator]
    roll = ids.add_id_columns(_roll(bench), "身份证号")
    on_roll = truth.join(roll, left_on=["id_number", "household_id"], right_on=["id_norm", "户编号"], how="inner")
    assert on_roll.height == truth.height
    assert (on_roll["name"] == on_roll["姓名"].str.replace_all(" ", "")).all()
    dates = truth["death_date"].str.to_date("%Y-%m-%d")  # a real date, within the twelve months before
    assert dates.min() >= dt.date(2025, 11, 1) and dates.max() <= dt.date(2026, 11, 30)  # type: ignore[operator]
    crem = ids.add_id_columns(_read(bench.directory / "火化数据.csv"), "逝者身份证号")
    assert crem.height > 2 * truth.height
    by_id = truth.join(crem, left_on="id_number", right_on="id_norm", how="left")
    # exact, id15 and homophone keep the normalised ID; the others do not.
    strong = by_id.filter(pl.col("form").is_in(["exact", "id15", "homophone"]))
    assert strong["逝者姓名"].null_count() == 0
    assert by_id.filter(~pl.col("form").is_in(["exact", "id15", "homophone"]))["逝者姓名"].null_count() > 0
    homophones = strong.filter(pl.col("form") == "homophone")
    for ours, theirs in homophones.select("name", "逝者姓名").rows():
        assert ours != theirs and same_pinyin(ours, theirs)
    numeric = crem.filter(pl.col("id_status") == ids.EXCEL_NUMERIC)
    assert numeric.height >= (truth["form"] == "excel_numeric").sum()


def test_homophones_share_pinyin() -> None:
    for plain, other in synth.HOMOPHONES.items():
        assert same_pinyin("王" + plain, "王" + other), plain


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = generate_bench(tmp_path / "a", households=400, seed=3)
    second = generate_bench(tmp_path / "b", households=400, seed=3)
    other = generate_bench(tmp_path / "c", households=400, seed=4)
    for path in sorted(first.directory.iterdir()):
        assert path.read_bytes() == (second.directory / path.name).read_bytes(), path.name
        assert path.read_bytes() != (other.directory / path.name).read_bytes(), path.name
    assert first.truth_deceased.read_bytes() == second.truth_deceased.read_bytes()
    assert first.rows == second.rows


def test_command_line(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path), "--households", "200", "--month", "2026-03"]) == 0
    truth = pl.read_csv(tmp_path / "truth" / "truth_deceased.csv", infer_schema=False)
    assert truth["death_date"].max() <= "2026-03-31"  # type: ignore[operator]
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--month", "2026-13"])


def test_the_floor_reads_every_file_of_a_messy_inbox(tmp_path: Path) -> None:
    """The floor must do the least work of every file: workbooks, UTF-16 and GB18030 files, title
    rows and spaced headers included (the sample data has all of them), not only tidy CSV."""
    from hexiao.inbox import plan_inbox
    from hexiao_dev.bench.floor import run
    from hexiao_dev.sample.generator import generate

    generate(tmp_path, households=150, month="2026-11")
    kinds = {item.kind for item in plan_inbox(tmp_path)}
    result = run(tmp_path)
    joined = result["joined"]
    assert isinstance(joined, dict)
    assert set(joined) == kinds - {"roll"}
    # The release list names children's parents, never roll members: the floor joins members' IDs only.
    assert all(count > 0 for kind, count in joined.items() if kind != "release")


def test_paired_ratio_compares_runs_of_the_same_round() -> None:
    """A slow spell that falls on one round slows both of its runs: the ratio of that round holds."""
    from hexiao_dev.bench.run import paired_ratio

    hexiao = [{"wall_s": 3.0}, {"wall_s": 2.8}, {"wall_s": 4.4}]
    floor = [{"wall_s": 1.0}, {"wall_s": 1.4}, {"wall_s": 1.0}]
    # The rounds' ratios are 3.0, 2.0 and 4.4; fastest against fastest would be 2.8.
    assert paired_ratio(hexiao, floor) == 3.0


def test_the_monthly_job_is_timed_through_the_hexiao_command(tmp_path: Path) -> None:
    """Both paths run the console script, one process per command, each with its own peak memory."""
    from hexiao_dev.bench.commands import LOAD_ORDER, hexiao_script, monthly_job, run_command

    files = generate_bench(tmp_path / "data", households=100)
    assert hexiao_script().exists()
    explicit = monthly_job("explicit", files.directory, tmp_path / "explicit", "2026-11")
    assert [c.label for c in explicit] == [f"load {kind}" for kind in LOAD_ORDER for _ in
                                           [n for n in FILES if kind_from_name(Path(n)) == kind]] + ["match"]  # fmt: skip
    assert {c.file for c in explicit[:-1]} == set(FILES)
    assert all(c.wall_s > 0 and c.peak_mb > 20 for c in explicit)
    inbox = monthly_job("inbox", files.directory, tmp_path / "inbox", "2026-11")
    assert [c.label for c in inbox] == ["match --inbox"]
    for work in ("explicit", "inbox"):
        assert pl.read_parquet(tmp_path / work / "out" / "2026-11" / "warnings.parquet").height > 0
    with pytest.raises(RuntimeError, match="exited 2"):
        run_command("match", ["match", "--month", "2026-13"], tmp_path)
