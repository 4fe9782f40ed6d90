"""THE glossary loader: shipped glossaries, the user glossary, then the user's files.

``translate``, ``check``, ``align`` and the library API (``bitext.api``) all load their
glossary through ``load_glossaries``. Files may be TSV, CSV or TBX (by extension, else
sniffed); a file given twice (also through a link) is read once. This module sits above
``glossary`` (rows, matching) and ``formats`` (CSV/TBX readers), which it joins.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bitext.terms.formats import read_terms
from bitext.terms.glossary import (
    SHIPPED_GLOSSARIES,
    Glossary,
    GlossaryEntry,
    entries_from_rows,
    file_sha256,
    load_entries,
    user_glossary_path,
)


def glossary_format(path: str | Path) -> str:
    """``tsv``, ``csv`` or ``tbx``: from the extension, else sniffed from the first bytes."""
    ext = Path(path).suffix.lower()
    if ext in (".tsv", ".tab"):
        return "tsv"
    if ext == ".csv":
        return "csv"
    if ext in (".tbx", ".xml"):
        return "tbx"
    try:
        with open(path, "rb") as f:
            head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return "tsv"  # the TSV reader names the problem
    if head.startswith(b"<"):
        return "tbx"
    first = head.split(b"\n", 1)[0]
    return "csv" if b"," in first and b"\t" not in first else "tsv"


def load_file(path: str | Path) -> list[GlossaryEntry]:
    """The validated entries of one glossary file in any format.

    Raises:
        GlossaryError: malformed TSV rows (file and line named).
        FormatError: unreadable or malformed CSV/TBX.
    """
    kind = glossary_format(path)
    if kind == "tsv":
        return load_entries(path)
    table = read_terms(path, kind)
    cols = list(table.columns)
    return entries_from_rows(path, cols, [(r.line or i + 2, [r.cell(c) for c in cols])
                                          for i, r in enumerate(table.rows)])


def load_glossaries(
    paths: Iterable[str | Path] = (), *, defaults: bool = True, user: bool = True
) -> Glossary:
    """The glossary translate, check and align use.

    Layers, later winning: the shipped glossaries (``defaults``), the user glossary
    (``user``, when it exists), then ``paths`` (TSV, CSV or TBX). A file given twice
    (also through a link) is loaded once, at its first place.
    """
    order: list[Path] = []
    if defaults:
        order += [p for p in SHIPPED_GLOSSARIES if p.exists()]
    if user:
        up = user_glossary_path()
        if up.is_file():
            order.append(up)
    order += [Path(p) for p in paths]
    seen: set[Path] = set()
    entries: list[GlossaryEntry] = []
    files: list[tuple[str, str]] = []
    for p in order:
        try:
            key = p.resolve()
        except OSError:
            key = p
        if key in seen:
            continue
        seen.add(key)
        entries.extend(load_file(p))
        files.append((str(p), file_sha256(p)))
    return Glossary(entries, files)
