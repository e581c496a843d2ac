"""`hexiao config show|validate`."""

from __future__ import annotations

import json

import typer

from hexiao.cli.common import ConfigOption, DbOption, JsonOption, QuietOption, handled, open_session

HELP = "查看或检查配置：show 列出每项规则参数的生效值及其来源，validate 检查 hexiao.toml 并报告全部问题。"

config_app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False, rich_markup_mode=None)


@config_app.command("show", help="列出每项参数的生效值及来源（配置文件的行号或“默认值”）。")
def show(
    db: DbOption = None, config: ConfigOption = None, quiet: QuietOption = False, as_json: JsonOption = False
) -> None:
    with handled():
        session = open_session(db, config, quiet, as_json, read_only=True)
        rows = session.config.effective()
        if session.json:
            session.emit_json(
                {
                    "source": session.config.source,
                    "digest": session.config.digest(),
                    "settings": [{"key": k, "value": v, "origin": o} for k, v, o in rows],
                }
            )
            return
        session.out.print(f"配置来源：{session.config.source}（指纹 {session.config.digest()}）")
        for key, value, origin in rows:
            session.out.print(f"{key} = {json.dumps(value, ensure_ascii=False)}    # {origin}")


@config_app.command("validate", help="检查配置文件；有问题时逐条列出（文件:行号: 配置项：问题），退出码 1。")
def validate(
    db: DbOption = None, config: ConfigOption = None, quiet: QuietOption = False, as_json: JsonOption = False
) -> None:
    with handled():
        session = open_session(db, config, quiet, as_json, read_only=True)
        if session.json:
            session.emit_json({"valid": True, "source": session.config.source})
        elif not session.quiet:
            session.out.print(f"配置有效：{session.config.source}")
