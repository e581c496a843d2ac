"""hexiao.toml problems point at the line that sets the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from hexiao.config import load_config
from hexiao.errors import ConfigError


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
