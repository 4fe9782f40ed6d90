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
    # pieces are joined again as the original text has them; what pysbd leaves out
    # (it drops a trailing "?!" after "sentence.") joins the sentence before it.
    spans: list[list[int]] = []
    pos = 0
    for piece in pieces:
        start = text.find(piece, pos)
        if start < 0:  # pysbd changed the text: split it ourselves
            return _fallback(text)
        end = start + len(piece)
        gap = text[pos:start]
        if spans and (start == spans[-1][1] or gap.strip()):
            spans[-1][1] = end
        else:
            spans.append([start, end])
        pos = end
    if text[pos:].strip():
        if spans:
            spans[-1][1] = len(text.rstrip())
        else:
            spans.append([len(text) - len(text.lstrip()), len(text.rstrip())])
    if spans and text[: spans[0][0]].strip():  # something before the first piece
        spans[0][0] = len(text) - len(text.lstrip())
    return [text[a:b] for a, b in spans]


@functools.lru_cache(maxsize=1)
def _boundary() -> Any:
    import regex

    return regex.compile(r"(?<=[.!?][\"'”’)\]]*)\s+(?=[\p{Lu}\"'“‘(\[])")


def _fallback(text: str) -> list[str]:
    """Sentences cut after ``.!?`` (and closing quotes) before a space and a capital or an
    opening quote: every character of ``text`` is kept."""
    return [p for p in (q.strip() for q in _boundary().split(text.strip())) if p]
