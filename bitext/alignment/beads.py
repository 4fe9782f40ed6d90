"""The bead file format: one bead per line, ``[i,j]:[k]`` (0-based sentence numbers).

This module owns reading and writing the format of MAC-Dev's ``gold/*.align`` files:
``[0,1]:[0]`` is a 2–1 bead, ``[3]:[]`` an unaligned Chinese sentence, ``[]:[4]`` an
unaligned English one. Written files list every sentence of both sides exactly once and
in order; reading accepts spaces after commas and blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from bitext.errors import FormatError
from bitext.files import atomic_write, read_text

_BEAD = re.compile(r"^\s*\[\s*([0-9,\s]*)\]\s*:\s*\[\s*([0-9,\s]*)\]\s*$")

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]
"""``(chinese line numbers, english line numbers)``."""


def format_bead(src: Sequence[int], tgt: Sequence[int]) -> str:
    """``[0,1]:[0]`` for source ids (0, 1) and target id (0,)."""
    return "[" + ",".join(map(str, src)) + "]:[" + ",".join(map(str, tgt)) + "]"


def parse_bead(line: str, file: str | None = None, lineno: int | None = None) -> BeadIds:
    """Parse one bead line.

    Raises:
        FormatError: the line is not ``[ids]:[ids]``.
    """
    m = _BEAD.match(line)
    if not m:
        raise FormatError(f"not a bead line (want e.g. [0,1]:[0]): {line.strip()[:60]!r}", file, lineno)

    def ids(s: str) -> tuple[int, ...]:
        return tuple(int(x) for x in s.replace(" ", "").split(",") if x != "")

    return ids(m.group(1)), ids(m.group(2))


def read_beads(path: str | Path) -> list[BeadIds]:
    """Read a bead file (blank lines skipped)."""
    text, _ = read_text(path)
    out = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            out.append(parse_bead(line, str(path), n))
    return out


def read_gold_beads(path: str | Path) -> list[BeadIds]:
    """Read a gold bead file: like :func:`read_beads`, refusing a sentence id used twice.

    A gold alignment whose beads repeat or overlap (``[1]:[1]`` twice, ``[1,2]:[2]`` and
    ``[2]:[3]``) would be scored silently wrong.

    Raises:
        FormatError: the first repeated or overlapping bead, with its line number.
    """
    text, _ = read_text(path)
    out: list[BeadIds] = []
    seen: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        bead = parse_bead(line, str(path), n)
        for side, name in ((0, "source"), (1, "target")):
            for x in bead[side]:
                if x in seen[side]:
                    what = "repeats" if list(bead) == list(out[-1] if out else ()) else "overlaps"
                    raise FormatError(
                        f"gold bead {line.strip()!r} {what} {name} sentence {x} of line "
                        f"{seen[side][x]}; each sentence belongs to one bead",
                        str(path), n,
                    )
                seen[side][x] = n
        out.append(bead)
    return out


def write_beads(path: str | Path, beads: Iterable[BeadIds]) -> int:
    """Write beads one per line (atomic). Returns the count."""
    count = 0
    with atomic_write(path) as f:
        for src, tgt in beads:
            f.write(format_bead(src, tgt) + "\n")
            count += 1
    return count


def check_cover(beads: Sequence[BeadIds], n_src: int, n_tgt: int) -> None:
    """Check that ``beads`` list every line of both sides exactly once and in order.

    Raises:
        FormatError: a line is missing, repeated or out of order.
    """
    for side, total, k in (("source", n_src, 0), ("target", n_tgt, 1)):
        flat = [x for b in beads for x in b[k]]
        if flat != list(range(total)):
            raise FormatError(f"beads do not cover the {side} lines 0..{total - 1} once and in order")
