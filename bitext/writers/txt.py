"""Plain-text document writer, plus the helpers every document writer shares.

The English text keeps the paragraph layout of the source file (one paragraph per line,
or blank-line separated, as the reader recorded). Passthrough lines are copied verbatim.
A word-by-word gist labels itself on its first line; terms that could not be enforced
are listed at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from bitext.document import Block, TranslatedDocument
from bitext.files import atomic_write
from bitext.readers.txt import TxtSource

GIST_LABEL = (
    "WORD-BY-WORD GIST, NOT A TRANSLATION: produced by the bitext gloss engine from "
    "dictionary entries; use it to get the gist only."
)
"""The label every document output carries when ``tdoc.info.is_gist`` is true."""


def block_target(tdoc: TranslatedDocument, block: Block) -> str:
    """The English text of a block: its segment targets joined with a space.

    A segment without a result keeps its source text (never silently dropped).
    """
    return " ".join(t for t in segment_targets(tdoc, block) if t)


def segment_targets(tdoc: TranslatedDocument, block: Block,
                    lines: Sequence[int] | None = None) -> list[str]:
    """Each segment's English with its white space normalised (a segment without a result
    keeps its source text), a clause continuing the sentence before it (``continued``):
    within one source line when ``lines`` (``line_numbers``) is given."""
    out: list[str] = []
    previous = ""
    for k, seg in enumerate(block.segments):
        res = tdoc.results.get(seg.id)
        t = " ".join((res.target if res is not None else seg.text).split())
        if lines is not None and k and lines[k] != lines[k - 1]:
            previous = ""
        if t:
            t = previous = continued(previous, t)
        out.append(t)
    return out


_CLAUSE_END = (";", ",", ":")
_FUNCTION_WORDS = frozenset([
    "where", "whereas", "if", "when", "whenever", "unless", "and", "or", "but", "nor", "the",
    "a", "an", "any", "all", "each", "every", "no", "this", "that", "these", "those", "such",
    "in", "on", "at", "for", "to", "by", "with", "without", "from", "of", "within", "under",
    "upon", "after", "before", "during", "until", "since", "once", "as", "it", "its", "they",
    "their", "there", "then", "also", "other", "others", "who", "which", "whose", "whom",
    "what", "whether", "while", "although", "though", "because", "so", "otherwise", "however",
    "moreover", "furthermore", "besides", "either", "neither", "both", "only", "even", "still",
    "yet", "further", "including", "except", "according", "subject",
])
"""Words that open a clause in lower case: a segment the split after ``；`` made starts with a
capital (``Where the circumstances are serious``) that the sentence around it does not have."""


def continued(previous: str, target: str) -> str:
    """``target`` as the continuation of ``previous`` in one sentence: Chinese splits after
    ``；``, so a law's ``…罚款；情节严重的，…`` is two segments whose English reads ``…fine;
    Where the circumstances are serious, …``; after ``;``, ``,`` or ``:`` a capitalised
    function word is lowered (``…fine; where the circumstances …``). Names, acronyms and
    other words keep their capital."""
    if not previous.endswith(_CLAUSE_END):
        return target
    word = target.split(" ", 1)[0].rstrip(",.;:")
    if len(word) > 1 and word[0].isupper() and word[1:].islower() and word.lower() in _FUNCTION_WORDS:
        return target[0].lower() + target[1:]
    return target


def line_targets(tdoc: TranslatedDocument, block: Block) -> list[str]:
    """The block's English text per source line (lines without a segment left out).

    Blocks whose text has line breaks (HTML ``<br>``, Markdown hard breaks) were
    segmented line by line; this groups the segment targets back into those lines (by
    where each segment's text is found, so also after a CAT tool's SRX rules).
    """
    if "\n" not in block.text:
        return [block_target(tdoc, block)]
    lines = groupby(zip(line_numbers(block), block.segments), key=lambda p: p[0])
    return [block_target(tdoc, Block(block.id, block.kind, block.text, tuple(s for _, s in segs)))
            for _, segs in lines]


def line_numbers(block: Any) -> list[int]:
    """For each segment of the block, the source line (``<br>``-separated) it is on."""
    lines = block.text.split("\n")
    out = []
    li, rest = 0, lines[0] if lines else ""
    for seg in block.segments:
        while li + 1 < len(lines) and seg.text not in rest:
            li += 1
            rest = lines[li]
        at = rest.find(seg.text)
        if at >= 0:
            rest = rest[at + len(seg.text):]
        out.append(li)
    return out


def violations(tdoc: TranslatedDocument, block: Block) -> list[str]:
    """One line per glossary term not enforced in the block: ``p3.s2: 网信办 → CAC``."""
    out = []
    for seg in block.segments:
        res = tdoc.results.get(seg.id)
        if res is None:
            continue
        for hit in res.term_violations:
            entry = getattr(hit, "entry", hit)
            src = getattr(entry, "source", str(entry))
            tgt = getattr(entry, "target", "")
            out.append(f"{seg.id}: {src} → {tgt}")
    return out


def all_violations(tdoc: TranslatedDocument) -> list[str]:
    """Every non-enforced term of the document, in order."""
    return [v for b in tdoc.document.blocks for v in violations(tdoc, b)]


def untranslated(tdoc: TranslatedDocument, block: Block) -> bool:
    """Whether every segment of the block was copied as it was (nothing Chinese in it: code,
    an English paragraph, a number): writers then write the block's source as it was."""
    return bool(block.segments) and all(
        (r := tdoc.results.get(s.id)) is not None and r.origin == "passthrough" for s in block.segments)


def block_text(tdoc: TranslatedDocument, block: Block) -> str:
    """A block of the English text file: its translation, or its source lines as they were
    when nothing in it was translated (a passthrough block, code or an English line without
    Chinese: indentation and line breaks kept)."""
    if block.kind == "passthrough" or not block.segments or (block.raw and untranslated(tdoc, block)):
        return block.raw or block.text
    return leading_space(block.raw or "") + block_target(tdoc, block)


_WIDE_SPACE = re.compile(r"[\u00a0\u2002\u2003\u2009\u3000]")


def wide_indent(text: str | None) -> str:
    """The white space opening ``text`` when it has wide spaces (``　　第一条…``,
    ``&emsp;&emsp;``, ``&nbsp;``), which Chinese texts indent paragraphs and lines with; ""
    for plain white space (a page's or a file's own formatting)."""
    ws = (text or "")[: len(text or "") - len((text or "").lstrip())]
    return ws if _WIDE_SPACE.search(ws) else ""


def leading_space(raw: str) -> str:
    """The indentation a paragraph opens with (``　　第一条…``: Chinese laws indent by two
    ideographic spaces), which the English keeps as OmegaT's target file does: it is layout,
    not text to translate."""
    return raw[: len(raw) - len(raw.lstrip())].rpartition("\n")[2]


def iter_lines(tdoc: TranslatedDocument) -> Iterator[str]:
    """The English text document line by line, line endings included (streamed: memory
    stays flat however long the document is)."""
    doc = tdoc.document
    src = doc.source if isinstance(doc.source, TxtSource) else None
    nl = src.newline if src else "\n"
    lines: Iterator[str] = _lines(tdoc, src)
    prev = next(lines, None)
    for line in lines:
        yield prev + nl  # type: ignore[operator]
        prev = line
    if prev is not None:
        yield prev + (nl if not src or src.trailing_newline else "")
    elif not src or src.trailing_newline:
        yield nl


def _lines(tdoc: TranslatedDocument, src: Any) -> Iterator[str]:
    doc = tdoc.document
    if tdoc.info.is_gist:
        yield from (f"[{GIST_LABEL}]", "")
    for i, block in enumerate(doc.blocks):
        if i:
            gap = src.gaps[i] if src and i < len(src.gaps) else 1
            yield from [""] * gap
        yield block_text(tdoc, block)
    viol = all_violations(tdoc)
    if viol:
        yield from ("", "[Glossary terms not enforced — check these segments:]")
        yield from (f"  {v}" for v in viol)


def render(tdoc: TranslatedDocument) -> str:
    """The English text document as a string."""
    return "".join(iter_lines(tdoc))


def write(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the English text document atomically (UTF-8), line by line."""
    with atomic_write(path) as f:
        for line in iter_lines(tdoc):
            f.write(line)
