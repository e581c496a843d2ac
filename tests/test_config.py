"""hexiao.toml problems point at the line that sets the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from hexiao.errors import ConfigError
from hexiao.settings import load_config


def test_config_problem_in_headers_table_points_at_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "hexiao.toml"
    path.write_text(
        '[rules.vehicle]\nexempt_types = ["摩托"]\n\n[headers.vehicle]\n"车主" = "name"\n"车主证件号" = "id_numbr"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}:6: headers.vehicle.车主证件号" in str(caught.value)


def test_a_table_written_only_as_sub_tables_points_at_the_first(tmp_path: Path) -> None:
    path = tmp_path / "hexiao.toml"
    path.write_text('disabled_rules = []\n\n[headers.vehicle]\n"车主" = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}:3: headers：" in str(caught.value)


def test_the_feedback_section_is_read_with_its_origin_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "hexiao.toml"
    path.write_text("[feedback]\nresponse_days = 10\n", encoding="utf-8")
    config = load_config(path)
    assert (config.feedback.response_days, config.feedback.overdue_after_months) == (10, 1)
    effective = {key: (value, origin) for key, value, origin in config.effective()}
    assert effective["feedback.response_days"] == (10, f"{path}:2")
    assert effective["feedback.overdue_after_months"] == (1, "默认值")

    path.write_text("[feedback]\noverdue_after_months = 0\nresponse_day = 15\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}:2: feedback.overdue_after_months：应至少为 1" in str(caught.value)
    assert f"{path}:3: feedback.response_day：未知的配置项" in str(caught.value)


def _problems(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


@pytest.mark.parametrize("standard", ["0", "-5"])
def test_an_income_standard_of_zero_or_less_is_refused_at_its_line(tmp_path: Path, standard: str) -> None:
    path = tmp_path / "hexiao.toml"
    problems = _problems(path, f'[rules.income]\nstandard = {{ "农村低保" = {standard}, "城市低保" = 850 }}\n')
    assert f"{path}:2: rules.income.standard.农村低保：应为正数" in problems
    assert "城市低保" not in problems


def test_a_working_age_span_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "hexiao.toml"
    problems = _problems(path, "# c\n[rules.omission]\nworking_age_from = 60\nworking_age_to = 18\n")
    assert f"{path}:3: rules.omission.working_age_from：不能大于 working_age_to" in problems
    path.write_text("[rules.omission]\nworking_age_from = 18\nworking_age_to = 18\n", encoding="utf-8")
    assert load_config(path).rules["omission"].working_age_to == 18


def test_an_entry_of_a_sub_table_is_reported_at_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "hexiao.toml"
    text = '[rules.income.standard]\n"城市低保" = 850\n"农村低保" = "七百五"\n"特困供养" = -1\n'
    problems = _problems(path, text)
    assert f"{path}:3: rules.income.standard.农村低保：应为数值" in problems
    assert f"{path}:4: rules.income.standard.特困供养：应为正数" not in problems  # the type is checked first
    path.write_text('[rules.income.standard]\n"城市低保" = 850\n\n"特困供养" = -1\n', encoding="utf-8")
    assert f"{path}:4: rules.income.standard.特困供养：应为正数" in _problems(path, path.read_text("utf-8"))


def test_each_header_mapping_has_its_own_line_as_origin(tmp_path: Path) -> None:
    path = tmp_path / "hexiao.toml"
    path.write_text('[headers.roll]\n"儿童姓名" = "name"\n\n"月发放金额" = "monthly_amount"\n', encoding="utf-8")
    effective = {key: origin for key, _, origin in load_config(path).effective()}
    assert effective["headers.roll.儿童姓名"] == f"{path}:2"
    assert effective["headers.roll.月发放金额"] == f"{path}:4"
