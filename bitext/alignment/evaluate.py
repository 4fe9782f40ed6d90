"""Strict bead scoring of an automatic alignment against a gold one.

This module owns the MAC-Dev / Bertalign evaluation rule: a predicted bead counts only when
a gold bead has exactly the same Chinese and English line sets. Precision = matched /
predicted, recall = matched / gold, F1 = 2PR / (P + R), pooled over files (sums of counts,
not an average of per-file scores). Beads with an empty side count like any other bead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bitext.alignment.beads import BeadIds, read_beads, read_gold_beads
from bitext.errors import FormatError


@dataclass(frozen=True)
class Score:
    """Counts and strict P/R/F1 of one file or of a pooled set."""

    matched: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
        }


def _key(b: BeadIds) -> tuple[frozenset[int], frozenset[int]]:
    return frozenset(b[0]), frozenset(b[1])


def score_beads(gold: Sequence[BeadIds], auto: Sequence[BeadIds]) -> Score:
    """Strict bead score of one alignment."""
    g = {_key(b) for b in gold}
    matched = sum(1 for b in {_key(b) for b in auto} if b in g)
    return Score(matched, len(auto), len(gold))


def pooled(scores: Sequence[Score]) -> Score:
    """Pool counts over files."""
    return Score(sum(s.matched for s in scores), sum(s.predicted for s in scores),
                 sum(s.gold for s in scores))


@dataclass(frozen=True)
class DirReport:
    """Scores of a folder of automatic alignments, with the file-level problems found.

    Attributes:
        total: pooled score over every gold file.
        files: per-file scores, by gold file name.
        missing: gold files with no automatic file of the same name (scored as predicting nothing).
        extra: automatic files with no gold file of the same name (not scored).
        warnings: one line per file whose beads do not cover the same lines as the gold file
            (a different text, a truncated run) or that repeat a bead.
    """

    total: Score
    files: dict[str, Score]
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _span(ids: set[int]) -> str:
    return f"{min(ids)}..{max(ids)}" if ids else "none"


def cover_mismatch(gold: Sequence[BeadIds], auto: Sequence[BeadIds]) -> str | None:
    """Why ``auto`` cannot be an alignment of the same two texts as ``gold`` (None when it can).

    Both must list the same Chinese and the same English line numbers; ``auto`` must not list
    a line twice.
    """
    problems = []
    for side, k in (("Chinese", 0), ("English", 1)):
        g = {x for b in gold for x in b[k]}
        flat = [x for b in auto for x in b[k]]
        a = set(flat)
        if a != g:
            problems.append(f"{side} lines {_span(a)} ({len(a)}) but gold has {_span(g)} ({len(g)})")
        elif len(flat) != len(a):
            problems.append(f"{side} lines listed more than once")
    return "; ".join(problems) or None


def evaluate_report(gold_dir: str | Path, auto_dir: str | Path) -> DirReport:
    """Score every ``*.align`` of ``gold_dir`` against the same name in ``auto_dir``.

    A gold file without an automatic one counts as zero predicted beads (recall drops) and
    is listed in ``missing``.

    Raises:
        FormatError: a folder is missing, there are no gold files, no automatic file has a
            gold file's name, or a bead file is unreadable.
    """
    gold_dir, auto_dir = Path(gold_dir), Path(auto_dir)
    if not gold_dir.is_dir():
        raise FormatError("not a folder", str(gold_dir))
    if not auto_dir.is_dir():
        raise FormatError("not a folder", str(auto_dir))
    files = sorted(gold_dir.glob("*.align"))
    if not files:
        raise FormatError("no *.align files", str(gold_dir))
    names = {g.name for g in files}
    extra = tuple(sorted(a.name for a in auto_dir.glob("*.align") if a.name not in names))
    missing = tuple(g.name for g in files if not (auto_dir / g.name).is_file())
    if len(missing) == len(files):
        found = f" (it has {', '.join(extra[:3])}{' …' if len(extra) > 3 else ''})" if extra else ""
        raise FormatError(
            f"no *.align file here has the name of a gold file ({files[0].name} …){found}",
            str(auto_dir),
        )
    per: dict[str, Score] = {}
    warnings: list[str] = []
    for g in files:
        a = auto_dir / g.name
        gold = read_gold_beads(g)
        auto = read_beads(a) if a.is_file() else []
        if a.is_file():
            why = cover_mismatch(gold, auto)
            if why:
                warnings.append(f"{a}: {why}: not an alignment of the same texts?")
        per[g.name] = score_beads(gold, auto)
    return DirReport(pooled(list(per.values())), per, missing, extra, tuple(warnings))


def evaluate_dirs(gold_dir: str | Path, auto_dir: str | Path) -> tuple[Score, dict[str, Score]]:
    """``(pooled score, per-file scores)`` of ``evaluate_report``.

    Raises:
        FormatError: as ``evaluate_report``.
    """
    r = evaluate_report(gold_dir, auto_dir)
    return r.total, r.files
