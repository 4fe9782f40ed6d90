"""English sentence splitting with pysbd (rule-based, offline).

The pysbd segmenter is built on first use and cached; nothing is loaded at import.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Split English text into sentences.

    Args:
        text: a paragraph of English text.

    Returns:
        Sentences, trimmed at the edges, none empty (abbreviations such as ``U.S.``,
        ``e.g.`` and numbers such as ``3.5%`` are not split).
    """
    if not text or not text.strip():
        return []
    return [s.strip() for s in _segmenter().segment(text) if s and s.strip()]
