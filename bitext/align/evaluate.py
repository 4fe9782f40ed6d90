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

from bitext.align.beads import BeadIds, read_beads
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


def evaluate_dirs(gold_dir: str | Path, auto_dir: str | Path) -> tuple[Score, dict[str, Score]]:
    """Score every ``*.align`` of ``gold_dir`` against the same name in ``auto_dir``.

    A gold file without an automatic one counts as zero predicted beads (recall drops).

    Raises:
        FormatError: no gold files, or an unreadable bead file.
    """
    gold_dir, auto_dir = Path(gold_dir), Path(auto_dir)
    if not gold_dir.is_dir():
        raise FormatError("not a folder", str(gold_dir))
    if not auto_dir.is_dir():
        raise FormatError("not a folder", str(auto_dir))
    files = sorted(gold_dir.glob("*.align"))
    if not files:
        raise FormatError("no *.align files", str(gold_dir))
    per: dict[str, Score] = {}
    for g in files:
        a = auto_dir / g.name
        auto = read_beads(a) if a.exists() else []
        per[g.name] = score_beads(read_beads(g), auto)
    return pooled(list(per.values())), per
