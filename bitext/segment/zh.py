"""Chinese sentence segmentation by rules.

This module owns the sentence rules every reader uses for Chinese text:

* split after 。！？； (and the half-width ideographic stop ｡) — always;
* split after the half-width forms ``. ! ? ;`` only where they end a *Chinese*
  sentence (after a Han character, a full-width mark or a closing bracket), so
  numbers (``5.64亿``, ``3.5%``, ``2024.7.31``), Latin abbreviations (``U.S.``,
  ``e.g.``, ``No. 5``) and English text are never cut;
* split after an ellipsis ``……`` (``⋯⋯``, ``...``), unless the text goes on with
  ``等`` or a comma;
* closing quotes and brackets (”’」』）》 …) stay with the sentence they close, and a
  closing quote followed by a comma does not end the sentence;
* URLs and e-mail addresses are never cut (a half-width stop right after one ends the
  sentence when Chinese text follows: ``press@cac.gov.cn.谢谢``);
* nothing else splits, except that a "sentence" longer than ``MAX_SENTENCE_CHARS``
  (2,000 characters: no sentence-ending punctuation for that long, a table dump or a
  run-on text) is cut at the last clause mark (，、：,;: …) or space before the limit,
  else at the limit, with a warning; it is never held whole through the pipeline.

Whitespace at segment edges is trimmed; the text is otherwise exactly the user's.
"""

from __future__ import annotations

import logging
import re

from bitext.segment.verbatim import URL_TAIL
from bitext.zh.text import is_han

log = logging.getLogger(__name__)

FULL_STOPS = frozenset("。！？；｡︒﹒﹗﹖")
"""Full-width terminators: always end a sentence."""

HALF_STOPS = frozenset(".!?;．")
"""Half-width terminators (and the full-width period ．, also a decimal point in ５．６４):
end a sentence only in a Chinese context."""

ELLIPSIS = frozenset("…⋯")

CLOSERS = frozenset("”’」』）》〉】〕〗〙］｝)]}»›")
"""Closing quotes and brackets that stay with the sentence they close."""

CONTINUERS = frozenset("，、,：:")
"""A closing quote followed by one of these does not end the sentence (“好。”，他说)."""

_PROTECT = re.compile(
    r"""
    (?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+   # URLs with a scheme
    | www\.[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+             # bare www. hosts
    | [A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+   # e-mail addresses
    """,
    re.VERBOSE,
)


def _protected(text: str) -> bytearray:
    """Mark characters inside URLs and e-mail addresses (never split there); one byte each."""
    mask = bytearray(len(text))
    for m in _PROTECT.finditer(text):
        end = m.end()
        # Trailing punctuation belongs to the sentence, not the URL.
        while end > m.start() and text[end - 1] in URL_TAIL:
            end -= 1
        if end > m.start():
            mask[m.start() : end] = b"\x01" * (end - m.start())
    return mask


_CANDIDATE = re.compile("[" + re.escape("".join(sorted(FULL_STOPS | HALF_STOPS | ELLIPSIS))) + "]")
"""Characters where a sentence may end; the splitter jumps from one to the next."""

MAX_SENTENCE_CHARS = 2000
"""Longest segment the splitter returns; longer runs are cut (see the module docstring)."""

_CLAUSE_MARKS = frozenset("，、：,;:；")


def cut_long(sentence: str, limit: int = MAX_SENTENCE_CHARS) -> list[str]:
    """``sentence`` in pieces of at most ``limit`` characters, cut after the last clause
    mark or space before each limit (at the limit when there is none); one warning."""
    if len(sentence) <= limit:
        return [sentence]
    out: list[str] = []
    start, n = 0, len(sentence)
    while n - start > limit:
        end = start + limit
        lo = start + limit // 4
        cut = max(sentence.rfind(c, lo, end) for c in _CLAUSE_MARKS)
        if cut < 0:
            cut = max(sentence.rfind(c, lo, end) for c in " \t\u3000")
        cut = cut + 1 if cut >= 0 else end
        if cut <= start:
            cut = end
        piece = sentence[start:cut].strip()
        if piece:
            out.append(piece)
        start = cut
    tail = sentence[start:].strip()
    if tail:
        out.append(tail)
    log.warning(
        "a sentence of %s characters with no sentence-ending punctuation (%s…) was cut into %d "
        "pieces of at most %d characters (at clause marks or spaces where possible)",
        f"{n:,}", sentence[:12], len(out), limit,
    )
    return out


def _is_cjk_mark(ch: str) -> bool:
    """Full-width punctuation, CJK symbols and curly closing quotes."""
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or ch in CLOSERS or ch in "“‘"


def _chinese_before(ch: str) -> bool:
    return is_han(ch) or _is_cjk_mark(ch)


def _next_visible(text: str, i: int) -> str:
    """The first non-space character at or after ``i`` ('' at the end)."""
    n = len(text)
    while i < n and text[i].isspace():
        i += 1
    return text[i] if i < n else ""


def _half_stop_ends(text: str, i: int) -> bool:
    """Whether the half-width terminator at ``i`` ends a Chinese sentence."""
    ch = text[i]
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if not prev:
        return False
    if ch in ".．":
        if prev.isascii() and prev.isalpha():
            return False  # U.S.  e.g.  No. 5  English text
        if prev.isdigit():
            # 5.64亿 / 2024.7.31 / "1.加强…" list numbers stay; "增长了35.下一句" splits.
            j = i - 1
            while j >= 0 and text[j].isdigit():
                j -= 1
            return j >= 0 and is_han(text[j]) and is_han(_next_visible(text, i + 1) or "a")
        if _chinese_before(prev) or prev in "%‰":
            # 报告.pdf / 网信.中国 style names and ../docs paths: a letter, digit, dot or
            # slash right after the dot.
            return not (nxt.isascii() and (nxt.isalnum() or nxt in "./\\_-~"))
        return False
    # ! ? ;
    if _chinese_before(prev) or prev in "%‰":
        return True
    if prev.isascii() and prev.isalnum():
        return is_han(_next_visible(text, i + 1) or "a")
    return False


def _stop_at(text: str, i: int, mask: list[bool] | bytearray) -> int:
    """If a sentence ends with the terminator at ``i``, return the run's length, else 0."""
    ch = text[i]
    if mask[i]:
        return 0
    if ch in FULL_STOPS:
        return 1
    if ch in ELLIPSIS:
        j = i
        while j < len(text) and text[j] in ELLIPSIS:
            j += 1
        return j - i if j - i >= 2 else 0
    if ch == "." and text.startswith("...", i):
        j = i
        while j < len(text) and text[j] == ".":
            j += 1
        prev = text[i - 1] if i > 0 else ""
        return j - i if prev and (_chinese_before(prev) or prev.isdigit()) else 0
    if ch in HALF_STOPS and _half_stop_ends(text, i):
        return 1
    if ch in HALF_STOPS and i > 0 and mask[i - 1] and is_han(_next_visible(text, i + 1) or "a"):
        return 1  # 请联系press@cac.gov.cn.谢谢 : a URL or e-mail address ends the sentence
    return 0


def split_sentences(text: str) -> list[str]:
    """Split Chinese text into sentences by the rules in the module docstring.

    Args:
        text: one paragraph (or any run of text); internal newlines are kept.

    Returns:
        Sentences, trimmed at the edges, none empty. Joining them (with the whitespace
        that was trimmed) gives back ``text``.

    Examples:
        >>> split_sentences("注册用户已突破5.64亿。增长3.5%！")
        ['注册用户已突破5.64亿。', '增长3.5%！']
    """
    if not text or not text.strip():
        return []
    mask = _protected(text)
    n = len(text)
    out: list[str] = []
    start = 0
    m = _CANDIDATE.search(text)
    i = m.start() if m else n
    while i < n:
        run = _stop_at(text, i, mask)
        if not run:
            m = _CANDIDATE.search(text, i + 1)  # jump to the next terminator (linear time)
            i = m.start() if m else n
            continue
        ellipsis = text[i] in ELLIPSIS or (text[i] == "." and run > 1)
        j = i + run
        # Absorb further terminators and closing quotes/brackets: 。”）  ？！  ……”
        quotes = text.count('"', start, i) % 2 == 1  # an ASCII quote is still open
        while j < n:
            c = text[j]
            if c in FULL_STOPS or c in ELLIPSIS or c in "!?" or c in CLOSERS:
                j += 1
            elif c == '"' and quotes:
                quotes = False
                j += 1
            else:
                break
        nxt = text[j] if j < n else ""
        if nxt in CONTINUERS or (ellipsis and nxt in "等"):
            i = j
            continue
        seg = text[start:j].strip()
        if seg:
            out.extend(cut_long(seg))
        start = j
        i = j
    tail = text[start:].strip()
    if tail:
        out.extend(cut_long(tail))
    return out
