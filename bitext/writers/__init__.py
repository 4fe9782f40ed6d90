"""Writers: one module per output format, each with ``write(path, tdoc)``; all atomic.

``tmx`` (TMX 1.4b), ``sidebyside`` (the HTML review page) and ``json`` describe a
``TranslatedDocument``; the document writers (``DOC_WRITERS``) rebuild the English
document in the input's own format.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from bitext.document import TranslatedDocument

DOC_WRITERS: dict[str, str] = {
    "txt": "bitext.writers.txt",
    "md": "bitext.writers.md",
    "html": "bitext.writers.htmldoc",
    "xliff": "bitext.writers.xliff",
}
"""Input format → module writing the translated document in that format."""


def write_tmx(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the TMX 1.4b file of a translated document."""
    from bitext.writers.tmx import write

    write(path, tdoc)


def write_html(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the side-by-side HTML review page."""
    from bitext.writers.sidebyside import write

    write(path, tdoc)


def write_document(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the English document in the input's format."""
    mod = importlib.import_module(DOC_WRITERS[tdoc.document.format])
    mod.write(path, tdoc)
