"""Plain-text reader: paragraphs of a ``.txt`` file become paragraph blocks.

With SRX rules in force (``--srx``), paragraphs follow CAT-tool convention instead: a
blank line separates paragraphs, and the rules split each paragraph (line breaks included).

Chinese text files usually put one paragraph per line (often indented with full-width
spaces ``　　``), sometimes separated by blank lines. Some are hard-wrapped at a fixed
width; a blank-line separated chunk whose lines all reach about the same display width,
most of them not ending a sentence, is joined back into one paragraph, unless a line
opens a paragraph of its own (an article ``第二条``, an item ``一、`` ``（一）``, a bullet,
an indentation the first line does not have) or some lines hold no Chinese (code, English). Everything else: each
non-blank line is a paragraph, except that a line ending mid-sentence (in ``，`` ``、`` or an
opening bracket) goes on in the next line. ``Document.source`` records the separators so that
the text writer rebuilds the same layout.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bitext.document import Block, Document
from bitext.files import read_text
from bitext.segment.blocks import make_block, srx_in_force
from bitext.segment.zh import CLOSERS, ELLIPSIS, FULL_STOPS
from bitext.zh.text import is_han

log = logging.getLogger(__name__)

_ENDS = FULL_STOPS | ELLIPSIS | CLOSERS | frozenset(".!?;:：")


@dataclass(frozen=True)
class TxtSource:
    """Layout of a text file, for the writer.

    Attributes:
        gaps: for each block, the number of blank lines before it.
        newline: the file's line ending (``\\n`` or ``\\r\\n``).
        trailing_newline: whether the file ended with a line ending.
    """

    gaps: tuple[int, ...]
    newline: str = "\n"
    trailing_newline: bool = True


def join_lines(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between CJK characters, one space otherwise."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and not (_cjk(out[-1]) or _cjk(line[0])):
            out += " "
        out += line
    return out


def _cjk(ch: str) -> bool:
    o = ord(ch)
    return is_han(ch) or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or ch in "“”‘’"


def _display_width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether a chunk of lines looks like one paragraph wrapped at a fixed width.

    Every line but the last reaches nearly the same display width (wide characters count
    two), and at most half of them end a sentence.
    """
    if len(lines) < 2:
        return False
    # A line that opens a paragraph of its own (indented when the first is not, a
    # numbered article or item: 第二条, 一、, （一）, 2.) or a line without Chinese among
    # Chinese ones (code, an English line, a number) is no wrapped continuation.
    han = [any(is_han(ch) for ch in ln) for ln in lines]
    if any(han) and not all(han):
        return False
    first_indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
    for ln in lines[1:]:
        indent = ln[: len(ln) - len(ln.lstrip())]
        if (indent and indent != first_indent) or _OPENS_PARAGRAPH.match(ln.lstrip()):
            return False
    body = [ln.strip() for ln in lines]
    widths = [_display_width(ln) for ln in body]
    width = max(widths)
    if width < 40:
        return False
    if any(w < 0.85 * width for w in widths[:-1]):
        return False
    ends = sum(1 for ln in body[:-1] if ln[-1] in _ENDS)
    return ends * 2 <= len(body) - 1 and not (len(body) == 2 and ends)


_OPENS_PARAGRAPH = re.compile(
    r"第[零〇一二三四五六七八九十百千0-9]+[条章节款编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[)）]|"
    r"\d{1,3}[.、)）]\D|[•●▪■◆・*-]\s")
"""The start of a numbered article, section or item, or a bullet: a paragraph of its own."""

_CONTINUES = frozenset("，、,（(“《【")
"""A line ending in one of these goes on in the next line (a wrapped sentence)."""


def _line_paragraphs(chunk: list[str]) -> list[list[str]]:
    """One paragraph per line, except that a line ending mid-sentence (``，`` ``、`` …)
    is joined with the next."""
    paras: list[list[str]] = []
    for ln in chunk:
        if paras and paras[-1][-1].rstrip()[-1:] in _CONTINUES:
            paras[-1].append(ln)
        else:
            paras.append([ln])
    return paras


def _split_lines(text: str) -> Iterator[str]:
    """``text.split("\n")`` lazily (no list of every line of a long file)."""
    start = 0
    while True:
        j = text.find("\n", start)
        if j < 0:
            yield text[start:]
            return
        yield text[start:j]
        start = j + 1


def iter_blocks(text: str) -> Iterator[tuple[Block, int]]:
    """The paragraph blocks of normalised text (``\n`` line ends), each with the number of
    blank lines before it (0 for the first), lazily: memory stays flat for long files."""
    cat = srx_in_force()  # CAT convention: a blank line separates paragraphs
    index = 0

    def blocks_of(n_blank: int, chunk: list[str]) -> Iterator[tuple[Block, int]]:
        nonlocal index
        if cat:
            paras = [chunk]
        else:
            paras = [chunk] if _hard_wrapped(chunk) else _line_paragraphs(chunk)
        for k, para in enumerate(paras):
            raw = "\n".join(para)
            # With SRX rules the paragraph is split as the CAT tool splits it: line breaks
            # stay in the text, where the rules see them (OmegaT's segments keep them).
            body = raw.strip() if cat else join_lines(para)
            if body == raw:
                body = raw  # one string object for both (long documents: half the text)
            kind = "paragraph" if any(ch.isalpha() for ch in body) else "passthrough"
            index += 1
            gap = n_blank if k == 0 and index > 1 else 0
            yield make_block(index, kind, body, raw=raw, whole=cat), gap  # type: ignore[arg-type]

    blank = 0
    cur: list[str] = []
    for line in _split_lines(text):
        if line.strip():
            cur.append(line)
            continue
        if cur:
            yield from blocks_of(blank, cur)
            cur, blank = [], 0
        blank += 1
    if cur:
        yield from blocks_of(blank, cur)


def normalise(text: str) -> tuple[str, str, bool]:
    """``(text with \n line ends, the file's newline, whether it ended with one)``."""
    newline = "\r\n" if "\r\n" in text else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, newline, text.endswith("\n")


def read(path: str | Path, *, encoding: str | None = None, **_: Any) -> Document:
    """Read a text file into paragraph blocks.

    Raises:
        FormatError: unreadable, binary or undecodable file.
    """
    text, encoding = read_text(path, encoding)
    text, newline, trailing = normalise(text)
    blocks: list[Block] = []
    gaps: list[int] = []
    for block, gap in iter_blocks(text):
        blocks.append(block)
        gaps.append(gap)
    src = TxtSource(tuple(gaps), newline, trailing)
    return Document(
        path=str(path),
        format="txt",
        blocks=tuple(blocks),
        metadata={"encoding": encoding},
        source=src,
    )
