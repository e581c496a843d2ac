"""The library is usable without its command line: typer and rich, the CLI's libraries, are
imported only in `hexiao.cli`; the library's public API is what `hexiao.__all__` declares."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import hexiao
from hexiao import api

PACKAGE = Path(hexiao.__file__).parent
CLI_ONLY = ("typer", "rich", "click")


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_typer_and_rich_only_in_the_cli_layer() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(_imported_roots(path) & set(CLI_ONLY))
        for path in PACKAGE.rglob("*.py")
        if "cli" not in path.relative_to(PACKAGE).parts
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_public_api_is_declared_and_importable() -> None:
    assert {"load", "match", "report", "feedback", "explain", "purge", "write_overview"} <= set(api.__all__)
    for name in api.__all__:
        assert callable(getattr(api, name)), name


def test_the_cli_calls_the_library_through_its_api_names() -> None:
    """Each command module's library call is one the API declares (by name), so the CLI stays a
    thin layer over what a script can call too."""
    cli_calls = set()
    for path in (PACKAGE / "cli").glob("*_cmd.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[1:2] != ["cli"]:
                cli_calls |= {alias.name for alias in node.names}
    assert {"load", "match", "report", "feedback", "explain", "purge", "write_overview", "status"} <= cli_calls


def _modules_after_import(module: str) -> set[str]:
    """The modules a fresh interpreter holds after importing `module` alone."""
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_the_configuration_never_imports_a_rule() -> None:
    """Rules read the configuration; the configuration takes the rules' sections from
    `hexiao.settings`, so neither imports the other in a cycle."""
    assert not {m for m in _modules_after_import("hexiao.config") if m.startswith("hexiao.rules")}


def test_the_kind_registry_is_plain_python() -> None:
    """Sorting files by kind (the benchmark's floor, inbox listing) needs neither Polars nor DuckDB."""
    loaded = _modules_after_import("hexiao.io.files")
    assert not {m for m in loaded if m.split(".")[0] in ("polars", "duckdb")}
