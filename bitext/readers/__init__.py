"""Readers: one module per input format, each with ``read(path) -> Document``.

``read`` picks the reader from the file extension (or ``fmt``). The registry is what
the CLI offers as choices.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bitext.document import Document, Pair
from bitext.errors import FormatError
from bitext.files import require_file
from bitext.segment.blocks import splitting

READERS: dict[str, str] = {
    "txt": "bitext.readers.txt",
    "md": "bitext.readers.md",
    "html": "bitext.readers.html",
    "xliff": "bitext.readers.xliff",
}
"""Format name → module with ``read(path) -> Document``."""

EXTENSIONS: dict[str, dict[str, str]] = {
    "document": {
        ".txt": "txt",
        ".text": "txt",
        ".md": "md",
        ".markdown": "md",
        ".html": "html",
        ".htm": "html",
        ".xhtml": "html",
        ".xlf": "xliff",
        ".xliff": "xliff",
        ".sdlxliff": "xliff",  # Trados Studio (XLIFF 1.2 with sdl: extensions)
        ".mqxliff": "xliff",  # memoQ (XLIFF 1.2 with mq: extensions)
    },
    "bilingual": {
        ".tmx": "tmx",
        ".xlf": "xliff",
        ".xliff": "xliff",
        ".sdlxliff": "xliff",
        ".mqxliff": "xliff",
        ".html": "html",  # the side-by-side page bitext translate writes
        ".htm": "html",
    },
    "glossary": {
        ".tsv": "tsv",
        ".tab": "tsv",
        ".txt": "tsv",
        ".csv": "csv",
        ".tbx": "tbx",
        ".xml": "tbx",
    },
}
"""THE extension registry: kind of file (``document`` to translate, ``bilingual`` pairs to
check, ``glossary``) → extension → format name. Every command takes its choices from here."""

PAIR_READERS: dict[str, str] = {
    "tmx": "bitext.readers.tmx",
    "xliff": "bitext.readers.xliff",
    "html": "bitext.readers.page",
}
"""Bilingual format name → module with ``read_pairs(path, …) -> Iterator[Pair]``."""

_UNKNOWN = {
    "document": "unsupported file type '{ext}'; use one of {choices}",
    "bilingual": "cannot check '{ext}' files; give a .tmx, .xlf/.xliff or the .html page bitext writes",
    "glossary": "cannot tell the glossary format from '{ext}'; use --format {formats}",
}


def format_of(path: str | Path, fmt: str | None = None, *, kind: str = "document") -> str:
    """Format name for a file of ``kind``: ``fmt`` when given, else from the extension.

    Raises:
        FormatError: unsupported extension.
    """
    if fmt:
        return fmt
    table = EXTENSIONS[kind]
    ext = Path(path).suffix.lower()
    try:
        return table[ext]
    except KeyError:
        raise FormatError(
            _UNKNOWN[kind].format(
                ext=ext or "(no extension)" if kind != "document" else ext or "(none)",
                choices=", ".join(sorted(table)),
                formats="|".join(sorted(set(table.values()))),
            ),
            str(path),
        ) from None


def read(path: str | Path, fmt: str | None = None, *, srx: Any = None, **options: Any) -> Document:
    """Read a document with the reader for its format.

    ``srx``: a ``bitext.segment.srx.Srx`` whose Chinese rules split sentences instead of
    bitext's own. ``options`` go to that reader (e.g. ``overwrite=True`` for XLIFF).
    """
    fmt = fmt or format_of(path)
    mod = importlib.import_module(READERS[fmt])
    splitter = (lambda text: srx.split(text, "zh-CN")) if srx is not None else None
    with splitting(splitter):
        return mod.read(path, **options)


def with_options(doc: Document, *, srx: Any = None, tmx_tags: str = "auto",
                 strip_scripts: bool = False) -> Document:
    """``doc`` with the output choices the writers read from its metadata.

    ``tmx_tags`` ``auto`` becomes ``omegat`` when ``srx`` speaks OmegaT's tag notation
    (OmegaT matches a foreign TMX's tags only as its own tag text), else ``tmx``. The SRX
    file is recorded by name and SHA-256.
    """
    import dataclasses

    meta = dict(doc.metadata)
    if tmx_tags == "auto":
        tmx_tags = "omegat" if srx is not None and getattr(srx, "omegat_tags", False) else "tmx"
    meta["tmx_tags"] = tmx_tags
    if srx is not None:
        meta["srx"] = f"{srx.name} sha256:{srx.sha256}"
    if strip_scripts:
        meta["strip_scripts"] = True
    return dataclasses.replace(doc, metadata=meta)


def read_pairs(
    path: str | Path,
    fmt: str | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> Iterator[Pair]:
    """``(id, source, target)`` pairs of a bilingual file: TMX (streamed), XLIFF 1.2/2.x or
    the side-by-side page.

    Raises:
        FormatError: unsupported, missing or malformed file.
    """
    p = require_file(path)
    kind = format_of(p, fmt, kind="bilingual")
    mod = importlib.import_module(PAIR_READERS[kind])
    if kind == "tmx":
        return mod.read_pairs(p, source_lang, target_lang)
    return mod.read_pairs(p)
