"""The demo's data and its own workspace: a folder `hexiao demo` made, and the only one it ever clears.

The demo rebuilds its workspace on every run, so it must never take a folder that holds someone's
files: it makes the folder itself (an empty one will do) and leaves a marker file in it; a folder
without the marker that holds anything is refused, whatever it is (`.` included).
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from hexiao.errors import ConfigError, InputError

DEMO_MARKER = ".hexiao-demo"
_MARKER_TEXT = "这个目录由 hexiao demo 建立，每次运行 hexiao demo 都会清空重建。\n"
# Where a wheel carries the source tree's sample_data/ (pyproject.toml, [tool.hatch.build.targets.wheel]).
DEMO_DATA = "demo_data"
SOURCE_TREE_DATA = Path(__file__).resolve().parents[2] / "sample_data"


def find_sample_data() -> Path:
    """The sample inbox: the one an installed wheel carries inside the package, or `sample_data/`
    of the source tree the package runs from (an editable install: `make demo`)."""
    bundled = resources.files("hexiao").joinpath(DEMO_DATA)
    if isinstance(bundled, Path) and bundled.is_dir():
        return bundled
    if SOURCE_TREE_DATA.is_dir():
        return SOURCE_TREE_DATA
    raise InputError(
        "sample_data", "找不到随 hexiao 安装的示例数据（安装不完整）；请重新安装 hexiao，或用 --data 指定示例数据目录"
    )


def prepare_demo_workspace(workspace: Path, *, data: Path, db: Path) -> None:
    """An empty workspace carrying the demo's marker: made, taken (empty), or cleared (marked).
    The sample data must lie outside it (clearing would delete it), the database inside it (the
    demo loads sample data into it: never into a real workspace, e.g. one `HEXIAO_DB` names)."""
    marker = workspace / DEMO_MARKER
    ours = workspace.is_dir() and marker.is_file()
    if not ours and workspace.exists() and not workspace.is_dir():
        raise ConfigError(f"演示工作区 {workspace} 是文件，不是目录；请用 --workspace 指定一个新的或空的目录")
    if not ours and workspace.exists() and any(workspace.iterdir()):
        raise ConfigError(
            f"演示工作区 {workspace.resolve()} 不是空目录，也不是 hexiao demo 建立的，演示不会动其中的文件；"
            "请用 --workspace 指定一个新的或空的目录（旧版 hexiao demo 留下的目录没有标记，确认无用后可自行删除）"
        )
    if data.resolve().is_relative_to(workspace.resolve()):
        raise ConfigError(f"示例数据目录 {data} 在演示工作区 {workspace} 之内，重建时会被清空；请把它放在别处")
    if not db.resolve().is_relative_to(workspace.resolve()):
        raise ConfigError(
            f"演示只使用演示工作区里的数据库，--db {db} 在演示工作区 {workspace} 之外；请去掉 --db 或指向该目录之内"
        )
    if ours:
        for child in workspace.iterdir():  # the folder itself stays: it may be a link the user made
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    workspace.mkdir(parents=True, exist_ok=True)
    marker.write_text(_MARKER_TEXT, encoding="utf-8")
