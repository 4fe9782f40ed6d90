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


def read(path: str | Path, fmt: str | None = None, **options: Any) -> Document:
    """Read a document with the reader for its format.

    ``options`` go to that reader (e.g. ``overwrite=True`` for XLIFF).
    """
    fmt = fmt or format_of(path)
    mod = importlib.import_module(READERS[fmt])
    return mod.read(path, **options)
