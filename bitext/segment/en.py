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
    pieces = [s.strip() for s in _segmenter().segment(text) if s and s.strip()]
    # Keep the user's text byte for byte: a cut with no space at it (pysbd splits
    # "see ../docs/guide.md" after the first dot) is no sentence boundary, so such
    # pieces are joined again as the original text has them.
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in pieces:
        start = text.find(piece, pos)
        if start < 0:  # pysbd changed the text: keep its pieces as they are
            return pieces
        end = start + len(piece)
        if spans and start == spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
            out[-1] = text[spans[-1][0] : end]
        else:
            spans.append((start, end))
            out.append(piece)
        pos = end
    return out
