"""Building blocks and their segments: the one place block and segment ids are made.

Readers call :func:`make_block` for every structural unit they find, numbering blocks
1, 2, 3 … in document order (passthrough blocks included), which gives the stable ids
``p{index}`` and ``p{index}.s{k}``.
"""

from __future__ import annotations

from bitext.document import Block, BlockKind, Segment
from bitext.segment.zh import split_sentences

SPLIT_KINDS = frozenset({"paragraph", "list_item", "table_cell"})
"""Block kinds whose text is split into sentences; a heading is one segment."""


def segment_texts(kind: str, text: str) -> list[str]:
    """The segment texts of a block of ``kind`` with ``text`` (no ids)."""
    if kind == "passthrough" or not text.strip():
        return []
    if kind in SPLIT_KINDS:
        # A line break inside a block (HTML <br>) ends a sentence too.
        return [s for line in text.split("\n") for s in split_sentences(line)]
    return [" ".join(line.strip() for line in text.split("\n") if line.strip())]


def make_block(
    index: int,
    kind: BlockKind,
    text: str,
    *,
    level: int = 0,
    marker: str = "",
    raw: str = "",
    ordered: bool = False,
) -> Block:
    """Build block ``p{index}`` with its segments ``p{index}.s{k}`` (1-based).

    Headings are one segment; paragraphs, list items and table cells are split with
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
    """
    bid = f"p{index}"
    segs = tuple(
        Segment(id=f"{bid}.s{k}", text=t, block_id=bid)
        for k, t in enumerate(segment_texts(kind, text), start=1)
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
