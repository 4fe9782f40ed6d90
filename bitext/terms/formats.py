"""Glossary import and export: CSV, TSV (with header, or the headerless two-column form
DeepL and Google accept) and TBX.

Reading understands:

* TSV/CSV with a header naming ``source``/``target`` (plus ``note`` and any other columns),
  a header of language codes (``zh-CN,en`` as Google's glossary CSVs have), or no header
  (column 1 source, column 2 target, column 3 note);
* TBX-Basic v3 (``tbx/text/body/conceptEntry/langSec/termSec/term``), in the
  ``urn:iso:std:iso:30042:ed-2`` or ``urn:iso:std:iso:30042:ed:3.0`` namespace (or none);
* TBX v2 (``martif/text/body/termEntry/langSet/tig/term``, also ``ntig/termGrp/term``).

Writing produces TSV, CSV, their two-column headerless forms, and TBX-Basic v3
(``urn:iso:std:iso:30042:ed-2``). Columns other than source/target/note travel through TBX
as entry-level ``<descrip type="COLUMN">`` (a ``domain`` column as the standard
``subjectField``) and the column order is recorded in the header, so TSV → TBX → TSV and
TSV → CSV → TSV keep every column.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from bitext import readers
from bitext.errors import FormatError
from bitext.files import atomic_write, parse_xml, read_text, require_file, xml_safe
from bitext.readers.tmx import lang_matches
from bitext.terms.edit import GlossaryFile
from bitext.terms.glossary import GlossaryEntry, split_tsv

log = logging.getLogger(__name__)

TBX_NS = "urn:iso:std:iso:30042:ed-2"
TBX_NAMESPACES = ("urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed:3.0")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

READ_FORMATS = ("tsv", "csv", "tbx")
WRITE_FORMATS = ("tsv", "csv", "tsv-2col", "csv-2col", "tbx")

_LANG_CODE = regex.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_COLUMNS_PREFIX = "bitext-columns:"
_BREAKS = regex.compile(r"[ \t]*[\t\r\n]+[ \t]*")

DATA_CATEGORIES = {"domain": "subjectField", "subject": "subjectField", "field": "subjectField"}
"""Glossary columns written as a standard TBX-Basic data category (the column name is kept
in the header so the column comes back under its own name)."""


@dataclass
class TermTable:
    """Terms with their columns, in order.

    Attributes:
        columns: column names in file order; always include ``source`` and ``target``.
        rows: the terms, as the one glossary row type (``GlossaryEntry``).
        skipped: entries that could not be read (e.g. a TBX concept without both languages).
    """

    columns: list[str] = field(default_factory=lambda: ["source", "target"])
    rows: list[GlossaryEntry] = field(default_factory=list)
    skipped: int = 0
    first_skipped: str = ""
    """Where the first skipped entry is (``line N``), for messages."""

    def add_column(self, name: str) -> None:
        """Append a column if it is new."""
        if name not in self.columns:
            self.columns.append(name)

    def append(self, row: dict[str, str], line: int = 0, file: str = "") -> None:
        """Add a term given as column → value."""
        self.rows.append(GlossaryEntry.from_cells(list(row), list(row.values()), file=file, line=line))


def format_of(path: str | Path, fmt: str | None = None, *, writing: bool = False) -> str:
    """Glossary format name from ``fmt`` or the extension (``bitext.readers.EXTENSIONS``).

    Raises:
        FormatError: unknown extension and no ``fmt`` (names the ``--format`` choices).
    """
    try:
        return readers.format_of(path, fmt, kind="glossary")
    except FormatError as e:
        allowed = WRITE_FORMATS if writing else READ_FORMATS
        ext = Path(path).suffix.lower()
        raise FormatError(
            f"cannot tell the glossary format from '{ext or '(no extension)'}'; use --format "
            + "|".join(allowed),
            e.file,
        ) from None


# -- reading ----------------------------------------------------------------------------


def _is_lang_header(cells: list[str]) -> bool:
    vals = [c.strip() for c in cells if c.strip()]
    return len(vals) >= 2 and all(_LANG_CODE.match(v) for v in vals) and any(
        v.lower().startswith("zh") for v in vals
    )


def _table_from_rows(
    rows: list[list[str]], path: str, source_lang: str, target_lang: str,
    line_numbers: list[int] | None = None,
) -> TermTable:
    table = TermTable()
    numbered = list(zip(line_numbers or range(1, len(rows) + 1), rows))
    numbered = [(n, r) for n, r in numbered if any(c.strip() for c in r)]
    numbered = [(n, r) for n, r in numbered if not (r and r[0].lstrip().startswith("#"))]
    rows = [r for _, r in numbered]
    line_of = {id(r): n for n, r in numbered}
    if not rows:
        return table
    first = [c.strip() for c in rows[0]]
    names = [c.lower() for c in first]
    if "source" in names and "target" in names:
        header = names
        body = rows[1:]
    elif _is_lang_header(first):
        low = [c.lower() for c in first]
        src_i = next((i for i, c in enumerate(low) if c.startswith(source_lang.lower())), 0)
        tgt_i = next((i for i, c in enumerate(low) if c.startswith(target_lang.lower())), 1)
        header = [f"col{i + 1}" for i in range(len(first))]
        header[src_i], header[tgt_i] = "source", "target"
        for i, c in enumerate(first):
            if i not in (src_i, tgt_i):
                header[i] = c  # other languages keep their code as column name
        body = rows[1:]
    else:
        width = max(len(r) for r in rows)
        header = ["source", "target", "note"][:width] + [f"col{i + 1}" for i in range(3, width)]
        body = rows
    table.columns = []  # the file's column order
    for name in header:
        table.add_column(name)
    for r in body:
        cells = [unescape_formula(c.strip()) for c in r] + [""] * (len(header) - len(r))
        if len(r) > len(header):
            for i in range(len(header), len(r)):
                table.add_column(f"col{i + 1}")
            header = header + [f"col{i + 1}" for i in range(len(header), len(r))]
        row = dict(zip(header, cells))
        if not row.get("source") or not row.get("target"):
            table.skipped += 1
            if not table.first_skipped:
                table.first_skipped = f"line {line_of.get(id(r), '?')}"
            continue
        table.append(row)
    return table


_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
"""A cell a spreadsheet would run as a formula (OWASP CSV injection), possibly already quoted."""


def escape_formula(value: str) -> str:
    """``value`` with a ``'`` in front when a spreadsheet would read it as a formula.

    Cells starting with ``= + - @``, a tab or CR are neutralised as OWASP advises; a cell
    that already starts with ``'`` before such a character gets one more, so that
    :func:`unescape_formula` gives back exactly the original.
    """
    return "'" + value if _FORMULA.match(value) else value


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula` (imports of files bitext or a careful tool exported)."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value) else value


def _read_text(path: str | Path) -> str:
    text, _ = read_text(path)
    return text


def read_tsv(path: str | Path, source_lang: str = "zh", target_lang: str = "en") -> TermTable:
    """Read a TSV glossary with or without a header (see module doc)."""
    text = _read_text(path)
    rows = [raw.split("\t") for _, raw in split_tsv(text).lines]
    return _table_from_rows(rows, str(path), source_lang, target_lang)


def read_csv(path: str | Path, source_lang: str = "zh", target_lang: str = "en") -> TermTable:
    """Read a CSV glossary with or without a header; ``;`` delimiters are detected."""
    text = _read_text(path)
    sample = text[:4096]
    delim = ","
    if sample.count(";") > sample.count(",") and sample.count(";") > sample.count("\t"):
        delim = ";"
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    try:
        start = 1
        for r in reader:
            rows.append(r)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as e:
        raise FormatError(f"malformed CSV: {e}", str(path), reader.line_num or None) from None
    return _table_from_rows(rows, str(path), source_lang, target_lang, lines)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _lang_of(el: Any) -> str:
    return (el.get(XML_LANG) or el.get("lang") or "").lower()


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _children(el: Any, *names: str) -> list[Any]:
    return [c for c in el if _local(c.tag) in names]


def _preferred_term(lang_el: Any) -> str:
    """First preferred term of a langSec/langSet (else the first term)."""
    candidates: list[tuple[int, str]] = []
    for holder in _children(lang_el, "termSec", "tig", "ntig"):
        term_el = None
        for t in holder.iter():
            if _local(t.tag) == "term":
                term_el = t
                break
        if term_el is None:
            continue
        status = ""
        for tn in holder.iter():
            if _local(tn.tag) == "termNote" and (tn.get("type") or "") in (
                "administrativeStatus", "normativeAuthorization"
            ):
                status = _text(tn)
        rank = 0 if status.startswith(("preferred", "admitted")) and "deprecated" not in status else 1
        if status.startswith(("deprecated", "superseded")):
            rank = 2
        candidates.append((rank, _text(term_el)))
    if not candidates:
        return ""
    candidates.sort(key=lambda c: c[0])
    return candidates[0][1]


def read_tbx(path: str | Path, source_lang: str = "zh", target_lang: str = "en") -> TermTable:
    """Read TBX v3 (``conceptEntry``) or TBX v2 (``martif``/``termEntry``) terms.

    Raises:
        FormatError: malformed XML, entities declared, or not a TBX document.
    """


    p = str(path)
    tree = parse_xml(path, p, "TBX", remove_comments=True)
    root = tree.getroot()
    kind = _local(root.tag)
    if kind not in ("tbx", "martif"):
        raise FormatError(f"not a TBX file: the root element is <{kind}>", p)
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if kind == "tbx" and ns and ns not in TBX_NAMESPACES:
        log.warning("%s: unknown TBX namespace %s; reading it anyway", p, ns)
    table = TermTable()
    # column order (and column → data category) recorded by our own writer
    type_to_col: dict[str, str] = {}
    recorded = False
    for el in root.iter():
        if _local(el.tag) == "p" and (el.text or "").startswith(_COLUMNS_PREFIX):
            recorded = True
            table.columns = []  # the file's own column order, source/target included
            for c in (el.text or "")[len(_COLUMNS_PREFIX):].split(","):
                name, _, dc = c.strip().partition("=")
                if name:
                    table.add_column(name)
                    if dc:
                        type_to_col[dc] = name
            break

    def col(dc: str) -> str:
        return type_to_col.get(dc, dc)

    entry_tag = "conceptEntry" if kind == "tbx" else "termEntry"
    for entry in root.iter():
        if _local(entry.tag) != entry_tag:
            continue
        row: dict[str, str] = {}
        notes: list[str] = []
        for c in entry:
            name = _local(c.tag)
            if name == "note":
                notes.append(_text(c))
            elif name in ("descrip", "admin") and c.get("type"):
                row.setdefault(col(c.get("type")), _text(c))
            elif name in ("descripGrp", "adminGrp"):
                for d in c:
                    if _local(d.tag) in ("descrip", "admin") and d.get("type"):
                        row.setdefault(col(d.get("type")), _text(d))
        source = target = ""
        for lang_el in _children(entry, "langSec", "langSet"):
            lang = _lang_of(lang_el)
            if not source and lang_matches(lang, source_lang):
                source = _preferred_term(lang_el)
            elif not target and lang_matches(lang, target_lang):
                target = _preferred_term(lang_el)
        if not source or not target:
            table.skipped += 1
            continue
        row["source"], row["target"] = source, target
        if notes:
            row["note"] = "; ".join(n for n in notes if n)
        for k in row:
            table.add_column(k)
        table.append(row)
    for c in ("target", "source"):
        if c not in table.columns:
            table.columns.insert(0, c)
    if "note" in table.columns and not recorded:
        table.columns.remove("note")
        table.columns.insert(2, "note")
    return table


def read_terms(
    path: str | Path, fmt: str | None = None, source_lang: str = "zh", target_lang: str = "en"
) -> TermTable:
    """Read a glossary in any supported format (``fmt`` or from the extension).

    Raises:
        FormatError: missing, unreadable or malformed file, unknown format.
    """
    p = require_file(path)
    kind = format_of(p, fmt)
    if kind.startswith("tsv"):
        table = read_tsv(p, source_lang, target_lang)
    elif kind.startswith("csv"):
        table = read_csv(p, source_lang, target_lang)
    elif kind == "tbx":
        table = read_tbx(p, source_lang, target_lang)
    else:
        raise FormatError(f"unknown glossary format '{kind}'", str(p))
    # every row has every column; a TSV cell holds no tab or line break
    table.rows = [
        GlossaryEntry.from_cells(
            table.columns, [_BREAKS.sub(" ", r.cell(c)).strip() for c in table.columns],
            file=r.file, line=r.line)
        for r in table.rows
    ]
    return table


# -- writing ----------------------------------------------------------------------------


def render(table: TermTable, fmt: str, *, source_lang: str = "zh", target_lang: str = "en",
           title: str = "", escape_formulas: bool = True) -> str:
    """The table as text in ``fmt`` (one of ``WRITE_FORMATS``).

    TSV and CSV cells that a spreadsheet would run as formulas get a ``'`` in front
    unless ``escape_formulas`` is False (imports undo it).
    """
    esc = escape_formula if escape_formulas else (lambda v: v)
    rows = table.rows
    if fmt.endswith("-2col"):  # DeepL and Google refuse repeated sources: keep the first
        seen: set[str] = set()
        rows = []
        for r in table.rows:
            if r.source not in seen:
                seen.add(r.source)
                rows.append(r)
    if fmt in ("tsv", "tsv-2col"):
        cols = table.columns if fmt == "tsv" else ["source", "target"]
        lines = [] if fmt == "tsv-2col" else ["\t".join(cols)]
        for r in rows:
            lines.append("\t".join(esc(_tsv_cell(r.cell(c))) for c in cols))
        return "\n".join(lines) + "\n"
    if fmt in ("csv", "csv-2col"):
        cols = table.columns if fmt == "csv" else ["source", "target"]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        if fmt == "csv":
            w.writerow(cols)
        for r in rows:
            w.writerow([esc(r.cell(c)) for c in cols])
        return buf.getvalue()
    if fmt == "tbx":
        return _render_tbx(table, source_lang, target_lang, title)
    raise FormatError(f"unknown glossary format '{fmt}'; use one of {', '.join(WRITE_FORMATS)}")


def _tsv_cell(v: str) -> str:
    return " ".join(v.replace("\t", " ").splitlines())


def _render_tbx(table: TermTable, source_lang: str, target_lang: str, title: str) -> str:
    from lxml import etree


    nsmap = {None: TBX_NS}
    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap=nsmap,  # type: ignore[dict-item]
                         attrib={"type": "TBX-Basic", "style": "dca", XML_LANG: target_lang})

    def sub(parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
        el = etree.SubElement(parent, f"{{{TBX_NS}}}{name}")
        for k, v in attrs.items():
            el.set(XML_LANG if k == "lang" else k, v)
        if text is not None:
            el.text = xml_safe(text)
        return el

    header = sub(root, "tbxHeader")
    fd = sub(header, "fileDesc")
    if title:
        sub(sub(fd, "titleStmt"), "title", title)
    sd = sub(fd, "sourceDesc")
    sub(sd, "p", "Exported by bitext")
    sub(sd, "p", _COLUMNS_PREFIX + ",".join(
        c + (f"={DATA_CATEGORIES[c]}" if c in DATA_CATEGORIES else "") for c in table.columns))
    body = sub(sub(root, "text"), "body")
    for i, r in enumerate(table.rows, start=1):
        ce = sub(body, "conceptEntry", id=f"c{i}")
        for c in table.columns:
            if c in ("source", "target", "note"):
                continue
            v = r.cell(c)
            if v:
                sub(ce, "descrip", v, type=DATA_CATEGORIES.get(c, c))
        if r.note:
            sub(ce, "note", r.note)
        for lang, key in ((source_lang, "source"), (target_lang, "target")):
            ls = sub(ce, "langSec", lang=lang)
            ts = sub(ls, "termSec")
            sub(ts, "term", r.cell(key))
    pis = (
        '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/'
        'DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
        'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    )
    xml = etree.tostring(root, encoding="unicode", pretty_print=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + pis + xml


def write_terms(path: str | Path, table: TermTable, fmt: str | None = None, *,
                source_lang: str = "zh", target_lang: str = "en", title: str = "",
                escape_formulas: bool = True) -> str:
    """Write ``table`` atomically in ``fmt`` (or from the extension); returns the format."""
    kind = format_of(path, fmt, writing=True)
    text = render(table, kind, source_lang=source_lang, target_lang=target_lang, title=title,
                  escape_formulas=escape_formulas)
    with atomic_write(path) as f:
        f.write(text)
    return kind


def table_from_glossary(gf: GlossaryFile) -> TermTable:
    """A ``TermTable`` of a glossary being edited (rows with both cells)."""
    table = TermTable(columns=[])
    for c in gf.columns:  # the glossary's own column order travels through every format
        table.add_column(c)
    for entry in gf.rows():
        if not entry.source or not entry.target:
            table.skipped += 1
            continue
        table.rows.append(entry)
    return table
