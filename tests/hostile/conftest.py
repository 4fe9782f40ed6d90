"""Fixtures of the hostile-input suite (issue 15: outputs, limits, signals, fuzz).

Every input is generated here at test time; nothing large lives in the repository.
Fixture names start with ``h15_`` so that other hostile-suite files can add their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from h15_support import H15Result

from bitext.cli.main import cli

REPO = Path(__file__).resolve().parents[2]

ZH_TEXT = "网络安全很重要。国家网信办发布了新规定，自2024年起施行。\n\n数据出境安全评估办法共二十条。\n"


@pytest.fixture
def h15_cli():
    """Run the CLI in-process: ``h15_cli("translate", path, ...)`` → H15Result."""

    def run(*args: object, input: str | None = None) -> H15Result:
        r = CliRunner().invoke(cli, [str(a) for a in args], input=input)
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            raise r.exception
        return H15Result(r.exit_code, r.stdout, r.stderr)

    return run


@pytest.fixture
def h15_proc():
    """Run ``python -m bitext`` in a subprocess with a timeout (inputs that could hang)."""

    def run(*args: object, cwd: Path | None = None, timeout: float = 60) -> H15Result:
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        p = subprocess.run([sys.executable, "-m", "bitext", *map(str, args)], check=False, cwd=cwd, env=env,
                           capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return H15Result(p.returncode, p.stdout, p.stderr)

    return run


@pytest.fixture
def h15_doc(tmp_path: Path) -> Path:
    """A small Chinese text document."""
    p = tmp_path / "doc.txt"
    p.write_text(ZH_TEXT, encoding="utf-8")
    return p


@pytest.fixture
def h15_glossary(tmp_path: Path) -> Path:
    p = tmp_path / "terms.tsv"
    p.write_text("# my terms\nsource\ttarget\tnote\textra\n网络安全\tcybersecurity\t\tx\n", encoding="utf-8")
    return p


@pytest.fixture
def h15_tmx(tmp_path: Path, h15_cli, h15_doc: Path) -> Path:
    out = tmp_path / "doc.tmx"
    r = h15_cli("translate", h15_doc, "--tmx", out, "--engine", "gloss", "-q")
    assert r.code == 0, r.stderr
    return out
