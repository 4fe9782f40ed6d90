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
from collections.abc import Callable, Iterable
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


SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦邹孟熊秦邱尹薛闫段雷侯陶黎贺顾毛郝龚邵钱覃戴"
    "莫孔汤"
)
"""Common one-character surnames that are rarely words on their own (于, 高, 金, 方 … are
left out: they are too often a preposition or an adjective)."""

SPEECH_VERBS = frozenset("说道问答称笑喊叫")
"""Verbs that follow a speaker's name (李明说, 张华问)."""


def split_name_before_verb(words: list[tuple[str, int, int]],
                           is_word: Callable[[str], bool] = lambda w: False,
                           ) -> list[tuple[str, int, int]]:
    """Re-cut ``surname | given+verb`` as ``surname+given | verb``: jieba cuts 李明说 as
    李 | 明说 ("to say explicitly"), so the name is lost; a common surname standing alone
    before a two-character word that ends in a speech verb becomes a two-character name
    and the verb. An unknown three-character word (``is_word`` False) made of a surname,
    a character and a speech verb (张华问, guessed by jieba's HMM) is cut the same way.

    Example:
        >>> [w for w, _, _ in split_name_before_verb([("李", 0, 1), ("明说", 1, 3)])]
        ['李明', '说']
    """
    out: list[tuple[str, int, int]] = []
    k = 0
    while k < len(words):
        w, a, b = words[k]
        if (w in SURNAMES and k + 1 < len(words) and len(words[k + 1][0]) == 2
                and words[k + 1][0][1] in SPEECH_VERBS and "\u4e00" <= words[k + 1][0][0] <= "\u9fff"):
            nw, na, nb = words[k + 1]
            out.append((w + nw[0], a, na + 1))
            out.append((nw[1], na + 1, nb))
            k += 2
            continue
        if (len(w) == 3 and w[0] in SURNAMES and w[2] in SPEECH_VERBS
                and "\u4e00" <= w[1] <= "\u9fff" and not is_word(w)):
            out.append((w[:2], a, a + 2))
            out.append((w[2], a + 2, b))
            k += 1
            continue
        out.append((w, a, b))
        k += 1
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
        """``(word, start, end)`` triples covering ``text`` exactly (whitespace included).

        A two-character name before a speech verb is one word even where jieba prefers a
        dictionary word (李|明说 → 李明|说; see ``split_name_before_verb``)."""
        tok = self._tokenizer()
        out: list[tuple[str, int, int]] = []
        pos = 0
        for start, end in self._term_spans(text) + [(len(text), len(text))]:
            if start > pos:
                for off, piece in _bounded_pieces(text[pos:start]):
                    base = pos + off
                    out.extend(split_name_before_verb(
                        [(w, base + a, base + b) for w, a, b in tok.tokenize(piece, HMM=True)],
                        lambda w: bool(tok.FREQ.get(w))))
            if end > start:
                out.append((text[start:end], start, end))
            pos = end
        return out

    def cut(self, text: str) -> list[str]:
        """Words of ``text`` (whitespace runs are dropped; HMM on for unknown words)."""
        return [w for w, _, _ in self.tokenize(text) if w.strip()]
