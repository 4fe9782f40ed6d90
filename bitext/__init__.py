"""bitext: offline Chinese→English translation and bilingual alignment toolkit.

The public face, exported lazily (``import bitext`` loads no jieba, CTranslate2, lxml or
click; each name imports its module on first use)::

    import bitext

    tdoc = bitext.translate("notice.md", glossaries=["mine.tsv"])
    bitext.write_outputs(tdoc, tmx="notice.tmx", html="notice.html")
    pair = bitext.align("zh.txt", "en.txt", presplit=True)

Families live in subpackages (see README "How it works"): ``readers``/``writers`` (one
module per format), ``segment``, ``zh``, ``terms``, ``engines``, ``qa``, ``alignment``;
``pipeline`` and ``api`` tie them together; ``cli`` is the click front end.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # functions (bitext.api)
    "read": "bitext.api",
    "translate": "bitext.api",
    "align": "bitext.api",
    "load_engine": "bitext.api",
    "load_glossary": "bitext.api",
    "open_memory": "bitext.api",
    "write_outputs": "bitext.api",
    # types
    "Document": "bitext.document",
    "TranslatedDocument": "bitext.document",
    "Pair": "bitext.document",
    "Glossary": "bitext.terms.glossary",
    "GlossaryEntry": "bitext.terms.glossary",
    "TranslationMemory": "bitext.tm",
    "Engine": "bitext.engines.base",
    "Translation": "bitext.engines.base",
    "Alignment": "bitext.alignment",
    "AlignedPair": "bitext.alignment.documents",
    # errors
    "BitextError": "bitext.errors",
    "FormatError": "bitext.errors",
    "GlossaryError": "bitext.errors",
    "EngineError": "bitext.errors",
    "EngineUnavailableError": "bitext.errors",
    "ConfigError": "bitext.errors",
    "AlignmentError": "bitext.errors",
    "ModelPackageError": "bitext.errors",
}
"""Public name → module defining it (imported on first attribute access)."""

__all__ = [
    "AlignedPair",
    "Alignment",
    "AlignmentError",
    "BitextError",
    "ConfigError",
    "Document",
    "Engine",
    "EngineError",
    "EngineUnavailableError",
    "FormatError",
    "Glossary",
    "GlossaryEntry",
    "GlossaryError",
    "ModelPackageError",
    "Pair",
    "TranslatedDocument",
    "Translation",
    "TranslationMemory",
    "__version__",
    "align",
    "load_engine",
    "load_glossary",
    "open_memory",
    "read",
    "translate",
    "write_outputs",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'bitext' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from bitext.alignment import Alignment
    from bitext.alignment.documents import AlignedPair
    from bitext.api import (
        align,
        load_engine,
        load_glossary,
        open_memory,
        read,
        translate,
        write_outputs,
    )
    from bitext.document import Document, Pair, TranslatedDocument
    from bitext.engines.base import Engine, Translation
    from bitext.terms.glossary import Glossary, GlossaryEntry
    from bitext.tm import TranslationMemory
