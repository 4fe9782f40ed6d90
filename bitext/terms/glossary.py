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

import hashlib
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bitext.errors import GlossaryError
from bitext.files import check_input
from bitext.zh.text import SPACED_HAN, fold, unspace

log = logging.getLogger(__name__)

DEFAULT_GLOSSARY = Path(__file__).resolve().parent.parent / "data" / "zh-en-cyberpolicy.tsv"
"""The shipped glossary (a copy of ``glossaries/zh-en-cyberpolicy.tsv`` inside the package)."""
LEGAL_GLOSSARY = DEFAULT_GLOSSARY.with_name("zh-en-legal.tsv")
"""The shipped legal terms (``glossaries/zh-en-legal.tsv``)."""
SHIPPED_GLOSSARIES = (DEFAULT_GLOSSARY, LEGAL_GLOSSARY)
"""Every shipped glossary, in loading order."""
DATA_DIR_ENV = "BITEXT_DATA_DIR"
"""Environment variable naming the user data folder (default: the platform's, via platformdirs)."""
USER_GLOSSARY_NAME = "glossary.tsv"

REQUIRED_COLUMNS = ("source", "target")
CORE_COLUMNS = ("source", "target", "note")


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

    @classmethod
    def from_cells(
        cls, header: Sequence[str], cells: Sequence[str], *, file: str = "", line: int = 0
    ) -> GlossaryEntry:
        """An entry from a row's cells under ``header`` (lower-case column names); cells
        are stripped, missing ones read as empty, other columns go to ``extra`` in order."""
        values = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
        named = dict(zip(header, values))
        extra = tuple((h, v) for h, v in zip(header, values) if h not in CORE_COLUMNS)
        return cls(named.get("source", ""), named.get("target", ""), named.get("note", ""),
                   extra, file, line)

    def cell(self, column: str) -> str:
        """The value of a column (``source``, ``target``, ``note`` or an extra one; "" if absent)."""
        if column in CORE_COLUMNS:
            return str(getattr(self, column))
        return next((v for k, v in self.extra if k == column), "")

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"line", "source", "target", "note", <extra columns>…}``."""
        d: dict[str, Any] = {"line": self.line, "source": self.source, "target": self.target,
                             "note": self.note}
        for k, v in self.extra:
            d.setdefault(k, v)
        return d


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in a source text: ``text[start:end] == entry.source`` (modulo folding)."""

    start: int
    end: int
    entry: GlossaryEntry


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


@dataclass(frozen=True)
class TsvText:
    """A glossary file split into lines, as every glossary command reads it.

    Attributes:
        lines: ``(line_number, text)`` of every physical line (line ending removed).
        newline: the file's line ending (``\r\n``, ``\n`` or ``\r``).
        bom: the file started with a UTF-8 BOM.
        final_newline: the last line ended with a line break.
    """

    lines: tuple[tuple[int, str], ...]
    newline: str = "\n"
    bom: bool = False
    final_newline: bool = True


def split_tsv(text: str, *, bom: bool = False) -> TsvText:
    """Split decoded glossary text into numbered lines: THE line splitter of every glossary
    reader (load, edit, lint, import), so they agree on what a line is.

    Lines end at ``\r\n``, ``\n`` or a lone ``\r`` (old Mac files), never at U+2028 or NEL,
    which stay inside their cell.
    """
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text and "\n" not in text else "\n")
    final_newline = text.endswith(("\n", "\r"))
    raw = text.split(newline)
    if final_newline:
        raw = raw[:-1]
    if newline == "\n":
        raw = [r.removesuffix("\r") for r in raw]
    return TsvText(tuple(enumerate(raw, start=1)), newline, bom, final_newline)


def read_tsv_text(path: str | Path) -> TsvText:
    """Read a glossary file (UTF-8, BOM tolerated) into numbered lines.

    Raises:
        GlossaryError: missing or unreadable file, not UTF-8.
    """
    p = Path(path)
    try:
        check_input(p, "glossary", missing_ok=True)
        data = p.read_bytes()
    except FileNotFoundError:
        raise GlossaryError("no such glossary file", str(p)) from None
    except OSError as e:
        raise GlossaryError(f"cannot read glossary: {e.strerror}", str(p)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise GlossaryError("glossary is not UTF-8; re-save it as UTF-8", str(p), line) from None
    return split_tsv(text, bom=data.startswith(b"\xef\xbb\xbf"))


def is_comment(raw: str) -> bool:
    """A comment line (``#`` first, leading spaces allowed)."""
    return raw.lstrip().startswith("#")


def read_tsv(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read a glossary TSV: the header and ``(line_number, cells)`` rows (comments skipped).

    Raises:
        GlossaryError: unreadable file, not UTF-8, missing header or required column.
    """
    p = Path(path)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for n, raw in read_tsv_text(p).lines:
        if not raw.strip() or is_comment(raw):
            continue
        cells = raw.split("\t")
        if header is None:
            header = header_names(cells, p, n)
            continue
        rows.append((n, cells))
    if header is None:
        raise GlossaryError("glossary is empty: it needs a header row 'source<TAB>target'", str(p))
    return header, rows


def user_data_dir() -> Path:
    """The user's bitext data folder: ``$BITEXT_DATA_DIR``, else the platform's user data
    folder (``~/.local/share/bitext`` on Linux). Not created here."""
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("bitext", appauthor=False))


def user_glossary_path() -> Path:
    """The user glossary that ``bitext glossary add`` writes to (it may not exist yet)."""
    return user_data_dir() / USER_GLOSSARY_NAME


def load_entries(path: str | Path) -> list[GlossaryEntry]:
    """Load and validate one glossary TSV (``bitext.terms.loading`` reads CSV and TBX too).

    Raises:
        GlossaryError: naming file and line for a missing column, an empty cell, or one
            source with two different targets.
    """
    header, rows = read_tsv(path)
    return entries_from_rows(path, header, rows)


def entries_from_rows(
    path: str | Path, header: list[str], rows: Iterable[tuple[int, list[str]]]
) -> list[GlossaryEntry]:
    """Validated entries from a glossary's header and ``(line, cells)`` rows (any format).

    Raises:
        GlossaryError: as ``load_entries``.
    """
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
        for col in REQUIRED_COLUMNS:
            if header.index(col) >= len(cells):
                raise GlossaryError(
                    f"missing '{col}' cell: the row has {len(cells)} tab-separated cell(s), "
                    f"the header names {len(header)} columns",
                    str(path),
                    n,
                )
        entry = GlossaryEntry.from_cells(header, cells, file=str(path), line=n)
        source, target = entry.source, entry.target
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

    def provenance(self) -> tuple[tuple[str, str], ...]:
        """``(file name, sha256)`` of each glossary file, for output headers and reports
        (deliverables name files, never paths of the user's machine)."""
        return tuple((Path(p).name, sha) for p, sha in self.files)

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
        A heading spelled with spaces between its characters (``总　　则``) matches its term
        (``总则``) as a whole: such a hit's span includes the spaces.
        """
        if not self._by_key:
            return []
        f = fold(text)
        hits: list[TermHit] = []
        spaced = {}  # a heading written 总　　则 matches the term 总则 as a whole
        for m in SPACED_HAN.finditer(f):
            entry = self._by_key.get(unspace(m.group()))
            if entry is not None:
                spaced[m.start()] = TermHit(m.start(), m.end(), entry)
        i, n = 0, len(f)
        while i < n:
            found = spaced.get(i)
            for L in self._lengths if found is None else ():
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
