"""Chinese word segmentation with jieba, through a private ``jieba.Tokenizer`` instance.

Glossary terms are added to that instance's dictionary so a term is never cut. No global
jieba state is touched; the dictionary loads on first use, not at import.
"""

from __future__ import annotations

import logging
from typing import Iterable

log = logging.getLogger(__name__)


class WordSegmenter:
    """jieba word segmentation that keeps given terms whole.

    Args:
        terms: words that must never be cut (glossary sources, names).
    """

    def __init__(self, terms: Iterable[str] = ()):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._tok = jieba.Tokenizer()
        self._terms = sorted({t for t in terms if t.strip()})
        for t in self._terms:
            # A high frequency makes jieba prefer the whole term over its parts.
            self._tok.add_word(t, freq=max(10_000, self._tok.suggest_freq(t, tune=False) * 10))

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` (whitespace runs are dropped; HMM on for unknown words)."""
        return [w for w in self._tok.lcut(text, HMM=True) if w.strip()]

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` triples covering ``text`` (whitespace included)."""
        return list(self._tok.tokenize(text, HMM=True))
