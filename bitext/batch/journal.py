"""The batch journal: one SQLite file in the output folder that records, per job, its
input fingerprint (size + mtime), the run's settings, state (``done``/``failed``), the
failure reason, worker seconds and segment count.

It is the source of truth for resuming: a job is skipped when its row is ``done`` for
the same input fingerprint and settings and its outputs are still there; everything else
(new, changed, failed, never finished because the run was killed) runs again. Only the
driver writes it, one committed row per finished job, so a killed run loses at most the
jobs in flight.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bitext.batch.jobs import JOURNAL_NAME, Job, Outcome
from bitext.errors import BitextError

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    inputs TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    settings TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    seconds REAL NOT NULL DEFAULT 0,
    segments INTEGER NOT NULL DEFAULT 0,
    outputs TEXT NOT NULL DEFAULT '{}',
    updated TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Row:
    """A journal row (see the module docstring)."""

    key: str
    kind: str
    inputs: tuple[str, ...]
    fingerprint: str
    settings: str
    state: str
    reason: str
    seconds: float
    segments: int
    outputs: dict[str, str]


class Journal:
    """The journal of one output folder (``Journal(path, kind, settings)``).

    Args:
        path: the SQLite file (created).
        kind: ``translate`` or ``align`` (a folder used for both keeps them apart).
        settings: a string that changes when the run's settings do (engine, options,
            glossary hashes): a done job with other settings runs again.
    """

    def __init__(self, path: str | Path, kind: str, settings: str):
        self.path, self.kind, self.settings = Path(path), kind, settings
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(SCHEMA)
        except sqlite3.Error as e:
            raise BitextError(f"cannot open the batch journal {self.path}: {e}") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, key: str) -> Row | None:
        r = self._db.execute(
            "SELECT key, kind, inputs, fingerprint, settings, state, reason, seconds, segments, "
            "outputs FROM jobs WHERE key = ? AND kind = ?", (key, self.kind)).fetchone()
        if r is None:
            return None
        return Row(r[0], r[1], tuple(json.loads(r[2])), r[3], r[4], r[5], r[6], r[7], r[8],
                   json.loads(r[9]))

    def is_done(self, job: Job, out_dir: Path) -> bool:
        """Whether ``job`` finished before with the same inputs and settings, and its
        outputs are all still in ``out_dir``."""
        row = self.get(job.key)
        return (row is not None and row.state == "done" and row.settings == self.settings
                and row.fingerprint == job.fingerprint()
                and all((out_dir / rel).is_file() for _, rel in job.outputs))

    def record(self, job: Job, outcome: Outcome, fingerprint: str) -> None:
        """Store a finished job's state (one committed row)."""
        now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._db.execute(
            "INSERT OR REPLACE INTO jobs VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (job.key, self.kind, json.dumps(list(job.inputs), ensure_ascii=False), fingerprint,
             self.settings, "done" if outcome.ok else "failed", outcome.reason,
             round(outcome.seconds, 4), outcome.segments,
             json.dumps(dict(job.outputs), ensure_ascii=False), now))

    def done_rows(self) -> list[Row]:
        """Rows of every done job of this kind and settings, by key."""
        keys = [r[0] for r in self._db.execute(
            "SELECT key FROM jobs WHERE kind = ? AND state = 'done' AND settings = ? ORDER BY key",
            (self.kind, self.settings))]
        return [r for r in (self.get(k) for k in keys) if r is not None]

    def counts(self) -> dict[str, int]:
        """Rows per state."""
        return {s: n for s, n in self._db.execute(
            "SELECT state, count(*) FROM jobs WHERE kind = ? GROUP BY state", (self.kind,))}


__all__ = ["JOURNAL_NAME", "Journal", "Row"]
