"""Helpers of the issue-15 hostile tests (imported by name: tests/hostile is on sys.path)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class H15Result:
    code: int
    stdout: str
    stderr: str


def h15_clean_failure(r: H15Result) -> None:
    """A failure the user can read: one line on stderr, no traceback, no internal error."""
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert "internal error" not in r.stderr, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip() and not ln.startswith(("WARNING", "bitext: warning"))]
    assert len(lines) == 1, r.stderr
