"""End-of-run steps from the per-document TMX files of every done job: one corpus TMX,
and the translation-memory update.

Both read the journal's done rows (this run's and earlier runs'), so a resumed run
still merges everything; both run once, in the driver, after the workers are done.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bitext import __version__
from bitext.batch.journal import Row
from bitext.readers.tmx import iter_units, pick
from bitext.tm import TmEntry, TranslationMemory
from bitext.writers.tmx import TmxUnit, write_units

log = logging.getLogger(__name__)


def _tmx_files(rows: Sequence[Row], out_dir: Path) -> Iterator[tuple[Row, Path]]:
    for row in rows:
        rel = row.outputs.get("tmx")
        if rel is None:
            continue
        p = out_dir / rel
        if not p.is_file():
            log.warning("%s: missing, left out of the merge", p)
            continue
        yield row, p


def merge_tmx(path: str | Path, rows: Sequence[Row], out_dir: Path, *, kind: str) -> int:
    """Write one TMX (atomically) of the units of every row's TMX, in key order.

    Unit ids become ``<key>#<tuid>`` so they stay unique across documents; aligned beads
    get an ``x-document`` prop naming their pair (translated segments carry one already).
    Returns the number of units.
    """
    def units() -> Iterator[TmxUnit]:
        for row, p in _tmx_files(rows, out_dir):
            for u in iter_units(p):
                attrs = dict(u.attrs)
                props = tuple(u.props)
                if not any(t == "x-document" for t, _ in props):
                    props = (("x-document", row.key), *props)
                yield TmxUnit(
                    tuid=f"{row.key}#{u.tuid}" if u.tuid else row.key,
                    source=pick(u, "zh") or "", target=pick(u, "en") or "",
                    props=props, notes=tuple(u.notes),
                    creationdate=attrs.pop("creationdate", None),
                    changedate=attrs.pop("changedate", None),
                    attrs=tuple(attrs.items()),
                )

    header = [("x-bitext-batch", kind), ("x-bitext-documents", str(len(rows))),
              ("x-bitext-version", __version__)]
    return write_units(path, units(), header_props=header)


def update_memory(tm_path: str | Path, rows: Sequence[Row], out_dir: Path) -> dict[str, Any]:
    """Add the neural translations (``x-origin`` ``mt``) of every row's TMX to the memory,
    as ``bitext translate --tm-update`` does for one document. Returns the import counts."""
    def entries() -> Iterator[TmEntry]:
        for _, p in _tmx_files(rows, out_dir):
            for u in iter_units(p):
                props = dict(u.props)
                src, tgt = pick(u, "zh") or "", pick(u, "en") or ""
                if props.get("x-origin") != "mt" or not src.strip() or not tgt.strip():
                    continue
                yield TmEntry(source=src, target=tgt, tuid=u.tuid,
                              creationdate=dict(u.attrs).get("creationdate"),
                              props=[("x-origin", "mt"),
                                     ("x-engine", props.get("x-bitext-engine-signature", ""))])

    with TranslationMemory(tm_path, create=True) as tm:
        return tm.add_entries(entries()).as_dict()


__all__ = ["merge_tmx", "update_memory"]
