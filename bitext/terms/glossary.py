"""Glossaries: load and validate TSV files, and match terms in Chinese text.

Format (exact): UTF-8 (a BOM is tolerated), a header row, required columns ``source`` and
``target``, optional ``note`` and any other columns (kept in ``GlossaryEntry.extra``).
Lines starting with ``#`` are comments; blank lines are skipped.

Matching is leftmost-longest: at each position the longest term wins, so nested terms
(网信办 inside 国家网信办) and overlapping ones resolve the way a translator expects.
Full-width Latin letters/digits and Latin case are folded for matching only; offsets
always refer to the user's original text.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bitext.errors import GlossaryError
from bitext.files import check_input

log = logging.getLogger(__name__)

DEFAULT_GLOSSARY = Path(__file__).resolve().parent.parent / "data" / "zh-en-cyberpolicy.tsv"
"""The shipped glossary (a copy of ``glossaries/zh-en-cyberpolicy.tsv`` inside the package)."""

REQUIRED_COLUMNS = ("source", "target")


@dataclass(frozen=True)
class GlossaryEntry:
    """One term.

    Attributes:
        source: Chinese term.
        target: English rendering that must appear in translations.
        note: optional note.
        extra: other columns, ``(name, value)`` in file order.
        file: the file it came from.
        line: 1-based line number in that file.
    """

    source: str
    target: str
    note: str = ""
    extra: tuple[tuple[str, str], ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a source text: ``text[start:end] == entry.source`` (modulo folding)."""

    start: int
    end: int
    entry: GlossaryEntry


T2S_TABLE = Path(__file__).resolve().parent.parent / "data" / "zh-t2s.tsv"
"""Traditional → simplified single-character map (``scripts/make_t2s_table.py``, CC-CEDICT)."""


@functools.lru_cache(maxsize=1)
def _t2s() -> dict[str, str]:
    """The traditional → simplified map, read once per process (empty if the file is absent)."""
    try:
        lines = T2S_TABLE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    out = {}
    for line in lines:
        if line and not line.startswith("#"):
            t, _, simp = line.partition("\t")
            if len(t) == 1 and len(simp) == 1:
                out[t] = simp
    return out


def fold(text: str) -> str:
    """Fold for matching, keeping the length (offsets stay valid).

    Full-width ASCII → ASCII, the ideographic space → a space, Latin case folded, and
    traditional characters → simplified, so glossary terms (written in simplified) match
    documents in traditional characters too.
    """
    t2s = _t2s()
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            ch = chr(o - 0xFEE0)
        elif o == 0x3000:
            ch = " "
        elif o >= 0x3400:
            out.append(t2s.get(ch, ch))
            continue
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


MAX_TERM_CHARS = 200
"""Longest source or target a glossary entry may have (characters); longer cells are refused
by loading and by ``glossary lint`` with the line number (a term, not a text: a 1 MB cell
would make matching and lint crawl)."""


def file_sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file (recorded in output headers)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def header_names(cells: list[str], path: str | Path, line: int) -> list[str]:
    """The lower-cased column names of a header row.

    Raises:
        GlossaryError: ``source`` or ``target`` is missing (names file and line).
    """
    names = [c.strip().lower() for c in cells]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise GlossaryError(
            f"header row lacks column(s) {', '.join(missing)}; the first row must name "
            "the tab-separated columns, e.g. 'source<TAB>target<TAB>note'",
            str(path),
            line,
        )
    return names


def read_tsv(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read a glossary TSV: the header and ``(line_number, cells)`` rows (comments skipped).

    Raises:
        GlossaryError: unreadable file, not UTF-8, missing header or required column.
    """
    p = Path(path)
    try:
        check_input(p, "glossary", missing_ok=True)
        data = p.read_bytes()
    except OSError as e:
        raise GlossaryError(f"cannot read glossary: {e.strerror}", str(p)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise GlossaryError("glossary is not UTF-8; re-save it as UTF-8", str(p), line) from None
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = header_names(cells, p, n)
            continue
        rows.append((n, cells))
    if header is None:
        raise GlossaryError("glossary is empty: it needs a header row 'source<TAB>target'", str(p))
    return header, rows


def load_entries(path: str | Path) -> list[GlossaryEntry]:
    """Load and validate one glossary file.

    Raises:
        GlossaryError: naming file and line for a missing column, an empty cell, or one
            source with two different targets.
    """
    header, rows = read_tsv(path)
    src_i, tgt_i = header.index("source"), header.index("target")
    note_i = header.index("note") if "note" in header else None
    entries: list[GlossaryEntry] = []
    seen: dict[str, GlossaryEntry] = {}
    for n, cells in rows:
        if len(cells) > len(header) and not any(c.strip() for c in cells[len(header):]):
            cells = cells[: len(header)]  # trailing tabs (spreadsheet exports) are no cells
        if len(cells) > len(header):
            raise GlossaryError(
                f"row has {len(cells)} cells but the header names {len(header)} columns",
                str(path),
                n,
            )
        for col, i in (("source", src_i), ("target", tgt_i)):
            if i >= len(cells):
                raise GlossaryError(
                    f"missing '{col}' cell: the row has {len(cells)} tab-separated cell(s), "
                    f"the header names {len(header)} columns",
                    str(path),
                    n,
                )
        cells = cells + [""] * (len(header) - len(cells))
        source, target = cells[src_i].strip(), cells[tgt_i].strip()
        if not source or not target:
            col = "source" if not source else "target"
            raise GlossaryError(f"empty '{col}' cell", str(path), n)
        for col, value in (("source", source), ("target", target)):
            if len(value) > MAX_TERM_CHARS:
                raise GlossaryError(
                    f"'{col}' cell of {len(value):,} characters is over the {MAX_TERM_CHARS}-character "
                    "limit for a term; a glossary holds terms, not texts",
                    str(path),
                    n,
                )
        prev = seen.get(fold(source))  # ＡＩ and AI are the same term for the matcher
        if prev is not None:
            if prev.target != target:
                raise GlossaryError(
                    f"'{source}' has two different targets: '{prev.target}' (line {prev.line}) "
                    f"and '{target}'; keep one",
                    str(path),
                    n,
                )
            continue
        extra = tuple(
            (h, cells[i]) for i, h in enumerate(header) if i not in (src_i, tgt_i, note_i)
        )
        entry = GlossaryEntry(
            source=source,
            target=target,
            note=cells[note_i].strip() if note_i is not None else "",
            extra=extra,
            file=str(path),
            line=n,
        )
        seen[fold(source)] = entry
        entries.append(entry)
    return entries


class Glossary:
    """A set of terms from one or more files (later files win) with a leftmost-longest matcher."""

    def __init__(
        self, entries: Iterable[GlossaryEntry] = (), files: Sequence[tuple[str, str]] = ()
    ):
        self._by_key: dict[str, GlossaryEntry] = {}
        for e in entries:
            self._by_key[fold(e.source)] = e
        self.files: tuple[tuple[str, str], ...] = tuple(files)
        self._lengths = sorted({len(k) for k in self._by_key}, reverse=True)

    @classmethod
    def load(cls, paths: Sequence[str | Path]) -> Glossary:
        """Load several glossary files; an entry in a later file replaces an earlier one."""
        entries: list[GlossaryEntry] = []
        files = []
        for p in paths:
            entries.extend(load_entries(p))
            files.append((str(p), file_sha256(p)))
        return cls(entries, files)

    def __len__(self) -> int:
        return len(self._by_key)

    def __iter__(self) -> Iterator[GlossaryEntry]:
        return iter(self._by_key.values())

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def get(self, source: str) -> GlossaryEntry | None:
        """The entry for a source term, or None."""
        return self._by_key.get(fold(source))

    def match(self, text: str) -> list[TermHit]:
        """Find terms in ``text``: leftmost-longest, non-overlapping, in text order.

        Latin-only terms match only on word boundaries (``AI`` does not match inside ``MAIL``).
        """
        if not self._by_key:
            return []
        f = fold(text)
        hits: list[TermHit] = []
        i, n = 0, len(f)
        while i < n:
            found = None
            for L in self._lengths:
                if i + L > n:
                    continue
                entry = self._by_key.get(f[i : i + L])
                if entry is None:
                    continue
                if _is_word_char(f[i]) and i > 0 and _is_word_char(f[i - 1]):
                    continue
                if _is_word_char(f[i + L - 1]) and i + L < n and _is_word_char(f[i + L]):
                    continue
                found = TermHit(i, i + L, entry)
                break
            if found is None:
                i += 1
            else:
                hits.append(found)
                i = found.end
        return hits
