"""`hexiao explain`: the whole story of one warning (`gather`), shown as text or JSON by the CLI (`cli.explain_render`).

Read-only: the workspace is opened read-only and nothing is created — except with `unmask`, whose
use the ledger records (a batch of command `explain` naming the warning), so who saw an ID whole
can be told afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hexiao import ledger
from hexiao.config import Config
from hexiao.explain.gather import gather, masked
from hexiao.store import opened, require_workspace, workspace_lock

UNMASK_NOTE = "显示完整身份证号：预警 {}"


def explain(
    warning_id: str, *, db: Path, unmask: bool = False, config_hash: str = "", config: Config | None = None
) -> dict[str, Any]:
    """The story of `warning_id` as a dict (`gather.Story`), IDs masked unless `unmask`; the
    months' 处理状态 as reports written now with `config` would show them."""
    require_workspace(db)
    params = (config or Config()).feedback
    if not unmask:
        with opened(db, read_only=True) as conn:
            return masked(gather(conn, warning_id, params).as_dict())  # type: ignore[no-any-return]
    with workspace_lock(db), opened(db) as conn:
        story = gather(conn, warning_id, params)
        with ledger.batch(conn, "explain", str(story.warning["month"]), config_hash=config_hash) as run:
            run.detail = UNMASK_NOTE.format(story.warning["warning_id"])
        return story.as_dict()
