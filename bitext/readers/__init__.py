"""Readers: one module per input format, each with ``read(path) -> Document``.

``read`` picks the reader from the file extension (or ``fmt``). The registry is what
the CLI offers as choices.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from bitext.errors import FormatError
from bitext.document import Document

READERS: dict[str, str] = {
    "txt": "bitext.readers.txt",
    "md": "bitext.readers.md",
    "html": "bitext.readers.html",
    "xliff": "bitext.readers.xliff",
}
"""Format name → module with ``read(path) -> Document``."""

EXTENSIONS: dict[str, str] = {
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
}


def format_of(path: str | Path) -> str:
    """Format name for a file, from its extension.

    Raises:
        FormatError: unsupported extension.
    """
    ext = Path(path).suffix.lower()
    try:
        return EXTENSIONS[ext]
    except KeyError:
        raise FormatError(
            f"unsupported file type '{ext or '(none)'}'; use one of "
            + ", ".join(sorted(EXTENSIONS)),
            str(path),
        ) from None


def read(path: str | Path, fmt: str | None = None, *, srx: Any = None, **options: Any) -> Document:
    """Read a document with the reader for its format.

    ``srx``: a ``bitext.segment.srx.Srx`` whose Chinese rules split sentences instead of
    bitext's own. ``options`` go to that reader (e.g. ``overwrite=True`` for XLIFF).
    """
    from bitext.segment.blocks import splitting

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
