"""Row-preserving editing and linting of glossary TSV files (``bitext glossary …``).

Translators keep glossaries for years, so an edit must change only the row it is about:
every other line (comments, blank lines, rows with odd spacing, extra columns) is written
back byte for byte, with the file's own line endings and BOM. Column order is kept; a
``note`` column (or a column an import brings) is appended at the end of the header when
needed. Writes are atomic (``bitext.files.atomic_write``) and go to the real file behind a
symlink, so the link itself survives.

``lint`` reports problems without refusing to read the file: exact duplicates, one
source with two targets, stray or full-width spaces, Han characters in targets,
nested-term conflicts, empty cells and rows with too many cells.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import regex

from bitext.errors import GlossaryError
from bitext.files import atomic_write
from bitext.terms.enforce import target_pattern
from bitext.terms.glossary import (
    MAX_TERM_CHARS,
    GlossaryEntry,
    header_names,
    is_comment,
    read_tsv_text,
)
from bitext.zh.text import HAN, fold

log = logging.getLogger(__name__)

DEFAULT_HEADER = ("source", "target", "note")


@dataclass
class Line:
    """One physical line of the file.

    Attributes:
        raw: the text without its line ending (written back verbatim unless ``cells`` changed).
        kind: ``header``, ``row``, ``comment`` or ``blank``.
        number: 1-based line number when read (0 for lines added since).
        cells: the tab-separated cells of header and row lines.
        dirty: set when ``cells`` changed; the line is then re-serialised.
    """

    raw: str
    kind: Literal["header", "row", "comment", "blank"]
    number: int = 0
    cells: list[str] = field(default_factory=list)
    dirty: bool = False

    def text(self) -> str:
        """The line as it will be written."""
        return "\t".join(self.cells) if self.dirty else self.raw


def _clean_value(value: str, what: str, path: str) -> str:
    # Every character str.splitlines() breaks on (U+2028, NEL, VT, FF, …), not only \n and \r:
    # a reader that splits on them would see a row cut in two.
    if "\t" in value or "".join(value.splitlines()) != value:
        raise GlossaryError(f"the {what} contains a tab or line break; glossary cells cannot hold them", path)
    return value.strip()


class GlossaryFile:
    """A glossary TSV held as lines, edited in place and saved atomically.

    Args:
        path: the glossary file (a symlink is followed on save).
        lines: its lines.
        newline: the line ending found in the file.
        bom: whether the file started with a UTF-8 BOM.
        final_newline: whether the last line ended with a line break.
    """

    def __init__(self, path: str | Path, lines: list[Line], newline: str = "\n", bom: bool = False,
                 final_newline: bool = True):
        self.path = Path(path)
        self.lines = lines
        self.newline = newline
        self.bom = bom
        self.final_newline = final_newline

    # -- reading ------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> GlossaryFile:
        """Read a glossary for editing.

        Raises:
            GlossaryError: missing or unreadable file, not UTF-8, no header row or a header
                without ``source``/``target``.
        """
        p = Path(path)
        tsv = read_tsv_text(p)
        lines: list[Line] = []
        header_seen = False
        for n, raw in tsv.lines:
            if not raw.strip():
                lines.append(Line(raw, "blank", n))
            elif is_comment(raw):
                lines.append(Line(raw, "comment", n))
            elif not header_seen:
                cells = raw.split("\t")
                header_names(cells, p, n)
                lines.append(Line(raw, "header", n, cells))
                header_seen = True
            else:
                lines.append(Line(raw, "row", n, raw.split("\t")))
        if not header_seen:
            raise GlossaryError("glossary is empty: it needs a header row 'source<TAB>target'", str(p))
        return cls(p, lines, tsv.newline, tsv.bom, tsv.final_newline)

    @classmethod
    def new(cls, path: str | Path, columns: Iterable[str] = DEFAULT_HEADER) -> GlossaryFile:
        """An empty glossary (header only) that ``save`` will create."""
        cols = list(columns)
        return cls(path, [Line("\t".join(cols), "header", 1, cols)])

    @property
    def header_line(self) -> Line:
        """The header line."""
        return next(ln for ln in self.lines if ln.kind == "header")

    @property
    def columns(self) -> list[str]:
        """Column names, lower-cased and stripped, in file order."""
        return [c.strip().lower() for c in self.header_line.cells]

    def _index(self, name: str) -> int | None:
        cols = self.columns
        return cols.index(name) if name in cols else None

    def _cell(self, line: Line, name: str) -> str:
        i = self._index(name)
        if i is None or i >= len(line.cells):
            return ""
        return line.cells[i].strip()

    def row_lines(self) -> list[Line]:
        """The data lines, in file order."""
        return [ln for ln in self.lines if ln.kind == "row"]

    def row(self, line: Line) -> GlossaryEntry:
        """The entry of a data line (the one row type every glossary command shares)."""
        return GlossaryEntry.from_cells(self.columns, line.cells, file=str(self.path),
                                        line=line.number)

    def rows(self) -> list[GlossaryEntry]:
        """All data rows (including invalid ones; ``lint`` reports those)."""
        return [self.row(ln) for ln in self.row_lines()]

    def find(self, source: str) -> list[Line]:
        """Data lines whose source equals ``source`` (full-width and case folded)."""
        key = fold(source.strip())
        return [ln for ln in self.row_lines() if fold(self._cell(ln, "source")) == key]

    def search(self, text: str) -> list[GlossaryEntry]:
        """Rows whose source or target contains ``text`` (case- and width-insensitive)."""
        key = fold(text.strip())
        out = []
        for ln in self.row_lines():
            r = self.row(ln)
            if key in fold(r.source) or key in fold(r.target):
                out.append(r)
        return out

    # -- editing ------------------------------------------------------------------------
    def ensure_column(self, name: str) -> int:
        """Index of column ``name``, appending it to the header when missing."""
        i = self._index(name)
        if i is not None:
            return i
        h = self.header_line
        h.cells = list(h.cells) + [name]
        h.dirty = True
        return len(h.cells) - 1

    def _set(self, line: Line, name: str, value: str) -> None:
        i = self.ensure_column(name)
        cells = list(line.cells)
        if i >= len(cells):
            cells += [""] * (i + 1 - len(cells))
        if cells[i] != value:
            cells[i] = value
            line.cells = cells
            line.dirty = True

    def add(
        self,
        source: str,
        target: str,
        note: str | None = None,
        *,
        replace: bool = False,
        extra: Iterable[tuple[str, str]] = (),
    ) -> Literal["added", "unchanged", "replaced"]:
        """Add a term, or change it with ``replace``.

        Returns:
            ``added`` (new row at the end), ``unchanged`` (same target and note already
            there) or ``replaced`` (existing rows updated in place).

        Raises:
            GlossaryError: empty source/target, a tab or line break in a value, or the
                source already present with another target or note and ``replace`` unset.
        """
        where = str(self.path)
        source = _clean_value(source, "source", where)
        target = _clean_value(target, "target", where)
        note_v = _clean_value(note, "note", where) if note is not None else None
        extra = [(k.strip().lower(), _clean_value(v, k, where)) for k, v in extra]
        if not source or not target:
            raise GlossaryError("source and target must not be empty", where)
        if source.startswith("#"):
            raise GlossaryError(
                f"source '{source}' starts with '#', which makes the line a comment in a glossary "
                "TSV; nothing written (write it with a full-width ＃ or put a word before it)",
                where,
            )
        existing = self.find(source)
        if existing:
            same = all(
                self._cell(ln, "target") == target
                and (note_v is None or self._cell(ln, "note") == note_v)
                and all(self._cell(ln, k) == v for k, v in extra)
                for ln in existing
            )
            if same:
                return "unchanged"
            if not replace:
                ln = existing[0]
                raise GlossaryError(
                    f"'{source}' is already in the glossary as '{self._cell(ln, 'target')}'"
                    + (f" (note '{self._cell(ln, 'note')}')" if self._cell(ln, "note") else "")
                    + "; use --replace to change it",
                    where,
                    ln.number or None,
                )
            for ln in existing:
                self._set(ln, "target", target)
                if note_v is not None:
                    self._set(ln, "note", note_v)
                for k, v in extra:
                    self._set(ln, k, v)
            return "replaced"
        if note_v:
            self.ensure_column("note")
        for k, v in extra:
            if v:
                self.ensure_column(k)
        cols = self.columns
        values = {"source": source, "target": target, "note": note_v or "", **dict(extra)}
        cells = [values.get(c, "") for c in cols]
        self.lines.append(Line("", "row", 0, cells, dirty=True))
        return "added"

    def remove(self, source: str) -> int:
        """Remove every row with this source; returns how many.

        Raises:
            GlossaryError: the source is not in the glossary.
        """
        found = self.find(source)
        if not found:
            raise GlossaryError(f"'{source.strip()}' is not in the glossary", str(self.path))
        ids = {id(ln) for ln in found}
        self.lines = [ln for ln in self.lines if id(ln) not in ids]
        return len(found)

    def edit(self, source: str, target: str | None = None, note: str | None = None) -> int:
        """Change the target and/or note of every row with this source; returns how many.

        Raises:
            GlossaryError: the source is not in the glossary, or an empty target.
        """
        where = str(self.path)
        found = self.find(source)
        if not found:
            raise GlossaryError(f"'{source.strip()}' is not in the glossary", where)
        if target is not None:
            target = _clean_value(target, "target", where)
            if not target:
                raise GlossaryError("the target must not be empty", where)
        if note is not None:
            note = _clean_value(note, "note", where)
        for ln in found:
            if target is not None:
                self._set(ln, "target", target)
            if note is not None:
                self._set(ln, "note", note)
        return len(found)

    # -- writing ------------------------------------------------------------------------
    def render(self) -> str:
        """The whole file as text (BOM excluded)."""
        body = self.newline.join(ln.text() for ln in self.lines)
        if self.final_newline or any(ln.number == 0 for ln in self.lines):
            body += self.newline
        return body

    def save(self, path: str | Path | None = None) -> Path:
        """Write atomically (to ``path`` or the file it came from, through any symlink)."""
        target = Path(path) if path is not None else self.path
        real = target.resolve() if target.is_symlink() else target
        with atomic_write(real, "w", encoding="utf-8-sig" if self.bom else "utf-8") as f:
            f.write(self.render())
        return real


# -- lint -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintIssue:
    """One lint finding."""

    line: int
    check: str
    severity: Literal["error", "warning"]
    message: str
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"line": self.line, "check": self.check, "severity": self.severity,
                "message": self.message, "source": self.source}


LINT_CHECKS = {
    "empty": "error",
    "columns": "error",
    "conflict": "error",
    "han-in-target": "error",
    "fullwidth-space": "error",
    "duplicate": "error",
    "spaces": "error",
    "too-long": "error",
    "nested": "warning",
}
"""Lint check → severity. Errors are defects to fix: they break loading, corrupt
translations, or make the exported glossary fail elsewhere (DeepL refuses repeated sources
and entries with leading/trailing spaces). ``nested`` is a warning: a longer term with its
own rendering (国家网信办 inside which 网信办 = CAC) is normal under leftmost-longest
matching; it is listed for review only."""


def _is_name(target: str) -> bool:
    """A proper name or acronym: every content word capitalised (``Multi-Level Protection Scheme``)."""
    words = [w for w in regex.findall(r"[\p{L}\p{N}][\p{L}\p{N}'’.+-]*", target)
             if w.lower() not in _SMALL_WORDS]
    return bool(words) and all(w[:1].isupper() or w[:1].isdigit() for w in words)


_SMALL_WORDS = frozenset(["a", "an", "and", "the", "of", "on", "in", "for", "to", "with", "by", "at", "from", "or"])


def _covers(target: str, sub_target: str) -> bool:
    """``sub_target``'s words appear in ``target`` in order, each possibly inflected
    (``algorithm`` in ``algorithmic recommendation``, ``artificial intelligence`` in
    ``artificial general intelligence``)."""
    if target_pattern(sub_target).search(target):
        return True
    have = [w.lower() for w in regex.findall(r"[\p{L}\p{N}]+", target)]
    i = 0
    for w in (w.lower() for w in regex.findall(r"[\p{L}\p{N}]+", sub_target)):
        while i < len(have) and not (have[i].startswith(w) or w.startswith(have[i][:max(4, len(have[i]) - 2)])):
            i += 1
        if i == len(have):
            return False
        i += 1
    return True


@functools.lru_cache(maxsize=1)
def _dictionary() -> dict[str, int]:
    import jieba

    tok = jieba.Tokenizer()
    tok.check_initialized()
    return tok.FREQ  # type: ignore[no-any-return]


def _cuts_a_word(key: str, sub: str) -> bool:
    """Every place of ``sub`` in ``key`` cuts a dictionary word in two at one of its edges
    (公安部 in 公安部门, 数据交易 in 数据交易所): then it is not a nested term."""
    words = _dictionary()
    start = key.find(sub)
    while start != -1:
        end = start + len(sub)
        crossing = [(i, j) for i in range(start + 1, end) for j in range(end + 1, len(key) + 1)]
        crossing += [(i, j) for i in range(start) for j in range(start + 1, end)]
        if not any(j - i <= 4 and words.get(key[i:j]) for i, j in crossing):
            return False
        start = key.find(sub, start + 1)
    return True


def lint(gf: GlossaryFile) -> list[LintIssue]:
    """Every problem in a glossary, in line order (see ``LINT_CHECKS``)."""

    issues: list[LintIssue] = []

    def add(line: int, check: str, message: str, source: str = "") -> None:
        sev = LINT_CHECKS[check]
        issues.append(LintIssue(line, check, sev, message, source))  # type: ignore[arg-type]

    cols = gf.columns
    ncols = len(cols)
    first: dict[str, tuple[int, str]] = {}  # folded source → (line, target)
    seen_pairs: dict[tuple[str, str], int] = {}
    sources: dict[str, str] = {}  # folded source → the source as written (last row wins)
    for ln in gf.row_lines():
        r = gf.row(ln)
        n = ln.number
        sources[fold(r.source)] = r.source
        if len(ln.cells) > ncols:
            add(n, "columns", f"row has {len(ln.cells)} cells but the header names {ncols} columns",
                r.source)
        for name, value in zip(cols, ln.cells):
            if "\u3000" in value:
                add(n, "fullwidth-space", f"full-width space (U+3000) in the {name} cell", r.source)
            elif value != value.strip(" \u00a0") or "  " in value or "\u00a0" in value:
                add(n, "spaces", f"stray spaces in the {name} cell: {value!r}", r.source)
        if not r.source or not r.target:
            missing = "source" if not r.source else "target"
            add(n, "empty", f"empty {missing} cell", r.source)
            continue
        long_cell = next((c for c, v in (("source", r.source), ("target", r.target))
                          if len(v) > MAX_TERM_CHARS), None)
        if long_cell is not None:
            value = r.source if long_cell == "source" else r.target
            add(n, "too-long", f"{long_cell} cell of {len(value):,} characters (limit "
                f"{MAX_TERM_CHARS}): a term, not a text", r.source[:40])
            continue
        han = HAN.findall(r.target)
        if han:
            add(n, "han-in-target", f"target '{r.target}' contains Chinese characters", r.source)
        key = fold(r.source)
        pair = (key, r.target.casefold())
        if pair in seen_pairs:
            add(n, "duplicate", f"'{r.source}' → '{r.target}' repeats line {seen_pairs[pair]}",
                r.source)
            continue
        seen_pairs[pair] = n
        if key in first and first[key][1] != r.target:
            add(n, "conflict",
                f"'{r.source}' has two targets: '{first[key][1]}' (line {first[key][0]}) and "
                f"'{r.target}'", r.source)
            continue
        first.setdefault(key, (n, r.target))
    # nested terms: a shorter source inside a longer one whose target lacks the shorter's
    # Only substrings as long as some source can be a source: the work per entry is
    # len(source) × (distinct source lengths), not the square of a long cell.
    lengths = sorted({len(k) for k in first})
    for key, (line, tgt) in sorted(first.items(), key=lambda kv: kv[1][0]):
        if not HAN.search(key):
            continue
        subs = {
            key[i : i + L]
            for L in lengths
            if L < len(key)
            for i in range(len(key) - L + 1)
            if key[i : i + L] in first
        }
        # report only the longest nested terms (网络安全和信息化, not also 信息化 inside it)
        subs = {a for a in subs if not any(a != b and a in b for b in subs)}
        if not subs or _is_name(tgt):
            continue  # a fixed name (Cyberspace Administration of China) is its own unit
        for sub in sorted(subs, key=key.find):
            sub_tgt = first[sub][1]
            if _covers(tgt, sub_tgt) or _cuts_a_word(key, sub):
                continue
            add(line, "nested",
                f"'{sources.get(key, key)}' contains '{sources.get(sub, sub)}' (line "
                f"{first[sub][0]}) but its target '{tgt}' does not contain '{sub_tgt}'",
                sources.get(key, key))
    issues.sort(key=lambda i: (i.line, i.check))
    return issues
