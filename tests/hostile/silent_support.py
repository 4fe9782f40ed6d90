"""Helpers shared by the silent-wrong-result hostile tests (issue 16)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def one_line_error(p: subprocess.CompletedProcess, *, ignore_warnings: bool = False) -> str:
    """The single stderr line of a failed run (no traceback, no internal error); with
    ``ignore_warnings``, third-party ``WARNING`` log lines are not counted."""
    lines = [ln for ln in p.stderr.splitlines()
             if ln.strip() and not (ignore_warnings and ln.startswith("WARNING"))]
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr, p.stderr
    assert len(lines) == 1, p.stderr
    return lines[0]


def write_tmx(path: Path, pairs: list[tuple[str, str]]) -> None:
    tus = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>{z}</seg></tuv><tuv xml:lang="en"><seg>{e}</seg></tuv></tu>'
        for z, e in pairs
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="zh-CN" '
        'segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" creationtool="x" '
        f'creationtoolversion="1"/><body>{tus}</body></tmx>', encoding="utf-8")
