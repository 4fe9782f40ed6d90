"""Every registered command (and every subcommand of a group) has ``--help`` with examples,
and README names every top-level command (as sqlite-utils' ``tests/test_docs.py`` does)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bitext.cli.main import COMMANDS, cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    ctx = click.Context(cli)
    for name in COMMANDS:
        cmd = cli.get_command(ctx, name)
        assert cmd is not None, name
        out.append((name,))
        if isinstance(cmd, click.Group):
            out.extend((name, sub) for sub in cmd.list_commands(ctx))
    return out


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p))
def test_help_has_examples(path: tuple[str, ...]) -> None:
    res = CliRunner().invoke(cli, [*path, "--help"])
    assert res.exit_code == 0, res.output
    assert "Usage: " in res.output
    assert re.search(r"Examples?:", res.output), f"bitext {' '.join(path)} --help shows no example"
    examples = [ln.split() for ln in res.output.split("Example", 1)[1].splitlines()]
    assert any(ln[:1] == ["bitext"] and set(path) <= set(ln) for ln in examples), (
        f"no example of bitext {' '.join(path)} itself"
    )


@pytest.mark.parametrize("name", list(COMMANDS))
def test_readme_documents_command(name: str) -> None:
    assert f"bitext {name}" in README, f"README does not mention `bitext {name}`"
