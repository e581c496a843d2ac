"""The demo's data and its own workspace: a folder `hexiao demo` made, and the only one it ever rebuilds.

The demo rebuilds its workspace on every run, so it must never take a folder that holds someone's
files: it makes the folder itself (an empty one will do) and leaves a marker file in it; a folder
without the marker that holds anything is refused, whatever it is (`.` included). Even in its own
folder it removes only what a demo run writes (`demo_outputs`): a file someone put there stays.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from hexiao.errors import ConfigError, InputError

DEMO_MARKER = ".hexiao-demo"
_MARKER_TEXT = (
    "这个目录由 hexiao demo 建立。每次运行 hexiao demo 都会删除并重建演示写的数据库、日志和 out/ 目录，其他文件不动。\n"
)
# Where a wheel carries the source tree's sample_data/ (pyproject.toml, [tool.hatch.build.targets.wheel]).
DEMO_DATA = "demo_data"
# The sample's applicant list sits in a sub-directory, which the monthly inbox leaves alone.
APPLICANT_DIR = "申请"
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


def applicant_lists(data: Path) -> list[Path]:
    """The sample's applicant lists (`<data>/申请/*.xlsx`), which the demo runs the intake check on."""
    folder = data / APPLICANT_DIR
    return sorted(folder.glob("*.xlsx")) if folder.is_dir() else []


def demo_outputs(workspace: Path, db: Path) -> list[Path]:
    """What a demo run writes: its database with DuckDB's write-ahead log and hexiao's lock file
    (`store.workspace_lock`), the log beside it (`log.attach_log_file`), and the reports."""
    return [
        db,
        db.with_name(f"{db.name}.wal"),
        db.with_name(f".{db.name}.lock"),
        db.parent / "hexiao.log",
        workspace / "out",
    ]


def prepare_demo_workspace(workspace: Path, *, data: Path, db: Path) -> list[str]:
    """A workspace carrying the demo's marker and none of a demo run's outputs: made, taken (empty),
    or rid of the last run's outputs (marked). Returns the names of what else the folder holds, left
    as it is. The sample data must lie outside it, the database inside it (the demo loads sample
    data into it: never into a real workspace, e.g. one `HEXIAO_DB` names)."""
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
    outputs = demo_outputs(workspace, db)
    if ours:
        for path in outputs:  # the folder itself stays: it may be a link the user made
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
    workspace.mkdir(parents=True, exist_ok=True)
    marker.write_text(_MARKER_TEXT, encoding="utf-8")
    return sorted(child.name for child in workspace.iterdir() if child != marker and child not in outputs)
