"""Chinese word segmentation with jieba, through a private ``jieba.Tokenizer`` instance.

Glossary terms are never cut: they are located first (leftmost-longest, the way the glossary
matcher finds them) and only the text between them goes through jieba. The terms are also
added to the private tokenizer's dictionary, so jieba's own statistics know them. No global
jieba state (``jieba.dt``) is touched; jieba's dictionary loads on first use (not at import),
once per process, and each segmenter gets its own copy of it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bitext.zh.text import fold

if TYPE_CHECKING:  # pragma: no cover
    import jieba

log = logging.getLogger(__name__)


def _fold(text: str) -> str:
    return fold(text)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


@functools.lru_cache(maxsize=1)
def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's default prefix dictionary, loaded once per process into a private tokenizer.

    It is never modified: every ``WordSegmenter`` works on its own copy.
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)
    base = jieba.Tokenizer()
    base.initialize()
    return base.FREQ, base.total


def _new_tokenizer() -> jieba.Tokenizer:
    """A private, initialised ``jieba.Tokenizer`` with its own copy of the dictionary."""
    import jieba

    freq, total = _base_dictionary()
    tok = jieba.Tokenizer()
    tok.FREQ = dict(freq)
    tok.total = total
    tok.initialized = True
    return tok


MAX_JIEBA_CHARS = 200
"""Longest text handed to jieba at once. jieba's HMM (Viterbi) copies its best paths at every
character, so its time grows with the square of an unpunctuated run; longer runs are cut
at the last punctuation or space inside the window, else after this many characters."""


def _bounded_pieces(text: str, limit: int = MAX_JIEBA_CHARS) -> list[tuple[int, str]]:
    """``(offset, piece)`` pieces of ``text``, each at most ``limit`` characters, in order."""
    n = len(text)
    if n <= limit:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    i = 0
    while i < n:
        end = min(n, i + limit)
        if end < n:
            cut = end
            for k in range(end - 1, i + limit // 2, -1):
                if not text[k].isalnum():
                    cut = k + 1
                    break
            end = cut
        out.append((i, text[i:end]))
        i = end
    return out


class WordSegmenter:
    """jieba word segmentation that keeps given terms whole.

    Args:
        terms: words that must never be cut (glossary sources, names). Matching folds
            full-width Latin and case, like ``bitext.terms.glossary.Glossary.match``.
    """

    def __init__(self, terms: Iterable[str] = ()):
        self._tok: jieba.Tokenizer | None = None
        self._terms: dict[str, str] = {}
        self._lengths: list[int] = []
        self._pending: list[str] = []
        self.add_terms(terms)

    @property
    def terms(self) -> list[str]:
        """The protected terms, sorted."""
        return sorted(self._terms.values())

    def add_terms(self, terms: Iterable[str]) -> None:
        """Protect more terms (cheap; the jieba dictionary learns them on next use)."""
        for t in terms:
            t = t.strip()
            if not t:
                continue
            key = _fold(t)
            if key not in self._terms:
                self._terms[key] = t
                self._pending.append(t)
        self._lengths = sorted({len(k) for k in self._terms}, reverse=True)

    def _tokenizer(self) -> jieba.Tokenizer:
        """The private tokenizer, built on first use, with pending terms added."""
        if self._tok is None:
            self._tok = _new_tokenizer()
        if self._pending:
            tok = self._tok
            for t in self._pending:
                # Terms are cut out before jieba runs; the dictionary entry (high frequency)
                # only informs jieba's statistics. Terms with Latin letters or digits stay out
                # of it: jieba would then split Latin words around them (M|AI|L in MAIL).
                if not any(_is_word_char(c) for c in _fold(t)):
                    tok.add_word(t, freq=max(10_000, tok.suggest_freq(t, tune=False) * 10))
            self._pending = []
        return self._tok

    def _term_spans(self, text: str) -> list[tuple[int, int]]:
        """Leftmost-longest, non-overlapping spans of protected terms in ``text``."""
        if not self._terms:
            return []
        f = _fold(text)
        spans: list[tuple[int, int]] = []
        i, n = 0, len(f)
        while i < n:
            end = 0
            for L in self._lengths:
                if i + L > n or f[i : i + L] not in self._terms:
                    continue
                if _is_word_char(f[i]) and i > 0 and _is_word_char(f[i - 1]):
                    continue
                if _is_word_char(f[i + L - 1]) and i + L < n and _is_word_char(f[i + L]):
                    continue
                end = i + L
                break
            if end:
                spans.append((i, end))
                i = end
            else:
                i += 1
        return spans

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` triples covering ``text`` exactly (whitespace included)."""
        tok = self._tokenizer()
        out: list[tuple[str, int, int]] = []
        pos = 0
        for start, end in self._term_spans(text) + [(len(text), len(text))]:
            if start > pos:
                for off, piece in _bounded_pieces(text[pos:start]):
                    base = pos + off
                    out.extend((w, base + a, base + b) for w, a, b in tok.tokenize(piece, HMM=True))
            if end > start:
                out.append((text[start:end], start, end))
            pos = end
        return out

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` (whitespace runs are dropped; HMM on for unknown words)."""
        return [w for w, _, _ in self.tokenize(text) if w.strip()]
