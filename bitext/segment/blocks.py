"""Building blocks and their segments: the one place block and segment ids are made.

Readers call :func:`make_block` for every structural unit they find, numbering blocks
1, 2, 3 … in document order (passthrough blocks included), which gives the stable ids
``p{index}`` and ``p{index}.s{k}``.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar

from bitext.document import INLINE_CODE_TAGS, Block, BlockKind, InlineCode, Segment
from bitext.segment.srx import JAVA_SPACE
from bitext.segment.zh import split_sentences

_SPLITTER: ContextVar[Callable[[str], list[str]] | None] = ContextVar("bitext_splitter", default=None)


@contextlib.contextmanager
def splitting(splitter: Callable[[str], list[str]] | None) -> Iterator[None]:
    """Use ``splitter`` (e.g. SRX rules' ``split``) instead of bitext's Chinese rules while
    reading; None keeps bitext's rules."""
    token = _SPLITTER.set(splitter)
    try:
        yield
    finally:
        _SPLITTER.reset(token)


def srx_in_force() -> bool:
    """Whether readers split with SRX rules (``splitting``) rather than bitext's own."""
    return _SPLITTER.get() is not None


def split(text: str) -> list[str]:
    """Sentences of ``text`` with the splitter in force (bitext's Chinese rules by default)."""
    fn = _SPLITTER.get()
    return fn(text) if fn is not None else split_sentences(text)

SPLIT_KINDS = frozenset({"paragraph", "list_item", "table_cell"})
"""Block kinds whose text is split into sentences; a heading is one segment."""


def segment_texts(kind: str, text: str, whole: bool = False) -> list[str]:
    """The segment texts of a block of ``kind`` with ``text`` (no ids); ``whole``: split the
    text as one, line breaks included (SRX rules on a CAT-style plain-text paragraph)."""
    if kind == "passthrough" or not text.strip():
        return []
    if whole and kind in SPLIT_KINDS:
        return split(text)
    if kind in SPLIT_KINDS:
        # A line break inside a block (HTML <br>) ends a sentence too.
        return [s for line in text.split("\n") for s in split(line)]
    # A heading is one segment per line (a <br> in it splits it, as in a CAT tool).
    return [line.strip() for line in text.split("\n") if line.strip()]


Marker = tuple  # (kind, num, tag, attrs[, html[, slash]])
"""What a marker character in a reader's text stands for: ``(kind, num, tag, attrs[, html[, slash]])``."""


_STOPS = frozenset("。？！")
"""Where OmegaT's Chinese rules end a sentence even before a tag."""


def _drop_br_after_stop(text: str, markers: Mapping[str, Marker]) -> str:
    """A line's closing ``<br>`` stays in its sentence (OmegaT shows ``…<br0>``) unless the
    sentence ends with 。？！ before it: OmegaT's rules break there, and the ``<br>`` is a
    segment of its own, without text (so it is left out here)."""
    j = len(text)
    while j > 0 and text[j - 1] in markers and markers[text[j - 1]][2] == "br":
        j -= 1
    if j < len(text) and text[:j].rstrip()[-1:] in _STOPS:
        return text[:j]
    return text


def _code_whole(text: str, pieces: list[str], markers: Mapping[str, Marker]) -> list[str]:
    """Sentences that a split left inside a code span (`` `G]... [--engine` ``) joined again
    (bitext's own rules only; a CAT tool's SRX rules split where they say): code is never
    cut in two."""
    if len(pieces) < 2 or _SPLITTER.get() is not None:
        return pieces
    spans, pos = [], 0
    for p in pieces:
        i = text.find(p, pos)
        if i < 0:
            return pieces
        spans.append((i, i + len(p)))
        pos = i + len(p)
    out: list[str] = []
    k = 0
    while k < len(pieces):
        j, open_codes = k, set[int]()
        while True:
            for ch in pieces[j]:
                m = markers.get(ch)
                if m is not None and m[2] in INLINE_CODE_TAGS:
                    (open_codes.add if m[0] == "open" else open_codes.discard)(m[1])
            if not open_codes or j == len(pieces) - 1:
                break
            j += 1
        out.append(pieces[k] if j == k else text[spans[k][0] : spans[j][1]])
        k = j + 1
    return out


def _holds_kept_code(text: str, markers: Mapping[str, Marker]) -> bool:
    """Whether ``text`` holds the marker of code kept as it is (its seventh field: the
    verbatim text of a code span or element with Chinese)."""
    return any(len(markers[ch]) > 6 and markers[ch][6] for ch in text if ch in markers)


PARAGRAPH_BREAKS = frozenset({"", "script", "style", "select", "textarea", "object", "embed"})
"""Inline HTML elements at which OmegaT's HTML filter ends a paragraph (a comment: no tag
name), measured with OmegaT itself: text on either side is a segment of its own, the
element in neither. (``<input>``, ``<img>``, ``<button>`` and ``<iframe>`` stay in the
sentence.)"""


def _split_at_breaks(text: str, markers: Mapping[str, Marker]) -> list[str]:
    """``text`` cut before and after each marker of a ``PARAGRAPH_BREAKS`` element (under a
    CAT tool's rules: as its HTML filter reads the paragraph)."""
    out, start = [], 0
    for k, ch in enumerate(text):
        m = markers.get(ch)
        if m is not None and m[0] == "ph" and m[2] in PARAGRAPH_BREAKS:
            out += [text[start:k], ch]
            start = k + 1
    out.append(text[start:])
    return [t for t in out if t] if len(out) > 1 else [text]


def _holds_kept(text: str, markers: Mapping[str, Marker]) -> bool:
    """Whether ``text`` holds a standalone code other than a line break (code kept as it
    is, an image, a comment, a footnote reference)."""
    return any(markers[ch][0] == "ph" and markers[ch][2] != "br" for ch in text if ch in markers)


Piece = tuple[str, tuple[InlineCode, ...], tuple[InlineCode, ...], tuple[InlineCode, ...]]
"""A segment's plain text, its codes, and the codes of tags-only pieces before and after it."""


def _with_codes(texts: list[str], markers: Mapping[str, Marker], rebuilt: bool = False) -> list[Piece]:
    """Marked segment texts → (plain text, codes, tags before, tags after); segments without
    text are dropped. ``rebuilt`` (the writer rebuilds the block from its segments:
    Markdown): the codes of a piece without text that holds more than line breaks
    (``。<br>`数据.txt``` split by a CAT tool's rules) join the segment before it (or after
    it), so that nothing is lost. Otherwise, under a CAT tool's rules, a piece without text
    is no segment (as in the CAT tool) and its codes go with the segment before it (or
    after it) as ``Segment.tags_after`` (``tags_before``), which only the document writer
    reads.

    With bitext's own rules a closing tag (or a Markdown footnote reference) that the split
    left at the start of the next sentence goes back to the end of the one before (and an
    opening tag left at the end of a sentence moves on); SRX rules split exactly where they
    say, as the CAT tool does.
    """
    if _SPLITTER.get() is None and len(texts) > 1:
        texts = list(texts)

        def said(t: str) -> bool:  # text beside the markers (a piece of tags only: False)
            return any(ch not in markers and not ch.isspace() for ch in t)

        for k in range(1, len(texts)):
            t = texts[k]
            j = i = 0
            # (white space between closing tags too: ``。<br></u> </i></b>``)
            while i < len(t) and (t[i].isspace() or (t[i] in markers and (
                    markers[t[i]][0] == "close" or markers[t[i]][2] == "fn"))):
                i += 1
                if not t[i - 1].isspace():
                    j = i
            if j:
                # back to the last sentence, with the pieces of tags only between
                # (``中文句子。<br></b>``: the <br> line, then the closing tag)
                b = k - 1
                while b > 0 and not said(texts[b]):
                    b -= 1
                texts[b] += "".join(texts[b + 1:k]) + t[:j]
                texts[b + 1:k] = [""] * (k - 1 - b)
                texts[k] = t[j:].lstrip()
        for k in range(len(texts) - 1):
            # a piece of tags only that opens an element (``<b><br>中文句子。</b>``) moves on
            # to the next sentence, with the pieces of tags only between
            t = texts[k]
            if t and not said(t) and any(markers[ch][0] == "open" for ch in t if ch in markers):
                n = k + 1
                while n < len(texts) - 1 and not said(texts[n]):
                    n += 1
                texts[n] = "".join(texts[k:n]) + texts[n]
                texts[k:n] = [""] * (n - k)
        for k in range(len(texts) - 1):
            t = texts[k]
            j = len(t)
            while j > 0 and t[j - 1] in markers and markers[t[j - 1]][0] == "open":
                j -= 1
            if j < len(t):
                texts[k + 1] = t[j:] + texts[k + 1]
                texts[k] = t[:j].rstrip()
        for k in range(1, len(texts)):
            # a standalone tag that the split left alone after a sentence (a footnote
            # reference after 。) stays with that sentence; so does a line of code kept as
            # it is after its <br> at the block's end (``。<br>`配置.yaml```: no segment of
            # its own, no text; one with a <br> after it opens the next line, below)
            t = texts[k].strip()
            if (t and texts[k - 1].strip() and not said(t)
                    and (all(markers[ch][2] != "br" for ch in t if ch in markers)
                         or (k == len(texts) - 1 and markers[t[-1]][2] != "br"
                             and _holds_kept_code(t, markers)))):
                texts[k - 1] += t
                texts[k] = ""
        for k in range(len(texts) - 1):
            # a line holding only code kept as it is, ending in its <br> (``<code>数据.txt</code>
            # <br>`` between two lines of a paragraph), opens the next line's sentence: no
            # segment of its own (it has no text), its tags lead the next one's
            t = texts[k].strip()
            if (t and not said(t) and markers.get(t[-1], ("", 0, ""))[2] == "br"
                    and _holds_kept_code(t, markers)):
                texts[k + 1] = t + texts[k + 1]
                texts[k] = ""
    if _SPLITTER.get() is None:
        texts = [_drop_br_after_stop(t, markers) for t in texts]
    out: list[Piece] = []
    carried: tuple[InlineCode, ...] = ()  # a textless piece's codes, for the next segment
    outside: tuple[InlineCode, ...] = ()  # the same under SRX rules, before the first one
    srx = _SPLITTER.get() is not None
    if srx and not rebuilt:
        texts = [p for t in texts for p in _split_at_breaks(t, markers)]
    for t in texts:
        plain: list[str] = []
        codes: list[InlineCode] = []
        n = 0
        for ch in t:
            m = markers.get(ch)
            if m is None:
                plain.append(ch)
                n += 1
            else:
                codes.append(InlineCode(m[0], n, m[1], m[2], m[3], *m[4:]))
        text = "".join(plain)
        ws = JAVA_SPACE if _SPLITTER.get() is not None else None  # a CAT tool's rules: trim as it does
        lead = len(text) - len(text.lstrip(ws))
        stripped = text.strip(ws)
        if not stripped:
            if rebuilt and _holds_kept(t, markers):
                if out:
                    prev, prev_codes, before, after = out[-1]
                    out[-1] = (prev, prev_codes + tuple(dataclasses.replace(c, pos=len(prev)) for c in codes),
                               before, after)
                else:
                    carried += tuple(dataclasses.replace(c, pos=0) for c in codes)
            elif srx and not rebuilt and codes:
                if out:
                    prev, prev_codes, before, after = out[-1]
                    out[-1] = (prev, prev_codes, before, after + tuple(codes))
                else:
                    outside += tuple(codes)
            continue
        codes = [dataclasses.replace(c, pos=min(max(c.pos - lead, 0), len(stripped))) for c in codes]
        out.append((stripped, carried + tuple(codes), outside, ()))
        carried = outside = ()
    return out


def code_spans(codes: tuple[InlineCode, ...]) -> tuple[tuple[int, int], ...]:
    """The spans of a segment's text inside inline code (``<code>make install</code>``, a
    Markdown code span): ``Segment.keep``, so that no engine changes code."""
    opened: dict[int, int] = {}
    out = []
    for c in codes:
        if c.tag not in INLINE_CODE_TAGS:
            continue
        if c.kind == "open":
            opened[c.num] = c.pos
        elif c.kind == "close" and c.num in opened:
            a = opened.pop(c.num)
            if c.pos > a:
                out.append((a, c.pos))
    return tuple(out)


def make_block(
    index: int,
    kind: BlockKind,
    text: str,
    *,
    level: int = 0,
    marker: str = "",
    raw: str = "",
    ordered: bool = False,
    markers: Mapping[str, Marker] | None = None,
    whole: bool = False,
    rebuilt: bool = False,
) -> Block:
    """Build block ``p{index}`` with its segments ``p{index}.s{k}`` (1-based).

    Headings are one segment per line; paragraphs, list items and table cells are split with
    the Chinese sentence rules, each line on its own (a list item never merges with a neighbour, since each
    is its own block); passthrough blocks get no segments.

    Args:
        index: 1-based block number in document order.
        kind: heading, paragraph, list_item, table_cell or passthrough.
        text: the block's visible text (inline markup removed).
        level: heading level or list nesting depth.
        marker: list marker or heading prefix, for writers.
        raw: the original source of the block, for writers.
        ordered: numbered list item.
        markers: characters in ``text`` that stand for inline tags (HTML reader); they
            become the segments' ``codes`` and are removed from the texts.
        whole: split ``text`` as one (line breaks included), not line by line.
        rebuilt: the writer rebuilds the block from its segments (Markdown): standalone
            codes of a piece without text are kept in a neighbouring segment.
    """
    bid = f"p{index}"
    if markers:
        pieces = _with_codes(_code_whole(text, segment_texts(kind, text, whole), markers), markers, rebuilt)
        text = "".join(ch for ch in text if ch not in markers)
    else:
        pieces = [(t, (), (), ()) for t in segment_texts(kind, text, whole)]
    segs = tuple(
        Segment(id=f"{bid}.s{k}", text=t, block_id=bid, codes=c, keep=code_spans(c),
                tags_before=before, tags_after=after)
        for k, (t, c, before, after) in enumerate(pieces, start=1)
    )
    return Block(
        id=bid,
        kind=kind,
        text=text,
        segments=segs,
        level=level,
        marker=marker,
        raw=raw,
        ordered=ordered,
    )
