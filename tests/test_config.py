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
