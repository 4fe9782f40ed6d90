"""The document model every stage shares: Document → Block → Segment, plus run results.

All classes are frozen dataclasses so that any stage can be tested alone. Segment ids
are stable: block ``p{n}`` (1-based, in document order, counting every block) and
sentence ``s{k}`` (1-based within its block), joined as ``p3.s2``. Every output
(TMX ``tuid``, HTML anchors, XLIFF ids, JSON) carries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table_cell", "passthrough"]
"""``passthrough`` blocks (image-only lines, lines without letters, code) are carried untranslated."""

Origin = Literal["mt", "gist", "tm", "passthrough", "locked"]
"""``locked``: the existing translation of a reviewed/final XLIFF unit, kept as it is."""


VOID_ELEMENTS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)
"""HTML's elements without content or end tag (the HTML reader, and OmegaT's tag text)."""

INLINE_CODE_TAGS = frozenset({"code", "kbd", "samp", "tt", "var"})
"""Inline elements holding code, keys or program output (HTML's, and a Markdown code span's
``code``): their text is never translated when it holds Chinese, never cut by a sentence
split, and the punctuation at their inside edge is theirs."""


@dataclass(frozen=True)
class InlineCode:
    """An inline tag inside a segment (``<b>``, ``<em>``, ``<a href>``, ``<br>``).

    The engine sees ``Segment.text`` only; codes travel beside it and writers put them back
    (TMX inline codes, the translated page's elements).

    Attributes:
        kind: ``open`` / ``close`` (the two ends of an element) or ``ph`` (standalone).
        pos: offset in ``Segment.text`` where the tag sits.
        num: the tag's number within its block, from 0 in order (both ends of an element
            share it), as CAT tools number tags (OmegaT's ``<b0>…</b0>``).
        tag: the element name (``b``, ``em``, ``a``, ``br``).
        attrs: the element's attributes, to rebuild it.
        html: for ``ph``: the element as HTML (an image, or a link around an image).
        slash: for ``ph``: the source wrote the element as an empty tag (``<br/>``,
            ``<img …/>``): OmegaT shows it as ``<br0/>``, and as ``<br0>`` when written
            ``<br>``.
        text: for ``ph``: the visible text of an element kept verbatim (``<code>`` holding
            Chinese, never translated), which OmegaT shows between the element's tags
            (``<c0>安装.exe</c0>``).
    """

    kind: Literal["open", "close", "ph"]
    pos: int
    num: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    html: str = ""
    slash: bool = True
    text: str = ""


@dataclass(frozen=True)
class Segment:
    """One sentence (or heading / list item) to translate.

    Attributes:
        id: stable id, ``p3.s2``.
        text: the source text exactly as the user wrote it (not normalised), without tags.
        block_id: id of the containing block (``p3``).
        codes: inline tags inside the sentence, in order (see :class:`InlineCode`).
        locked_target: the existing translation of a reviewed/final unit (XLIFF): kept,
            never retranslated, but written to the TMX and checked by QA.
        keep: ``(start, end)`` spans of ``text`` marked not to be translated (XLIFF's
            ``translate="no"``): engines copy them byte for byte, as addresses and paths.
        tags_before, tags_after: inline codes of a piece of tags only that a CAT tool's
            SRX rules left before (only before a block's first sentence) or after this
            sentence (``中文句子。<br></b>`` split after 。): no part of the sentence (the TMX
            leaves them out, as the CAT tool does), but the document writer puts them back
            around it, so that no tag is lost.
    """

    id: str
    text: str
    block_id: str
    codes: tuple[InlineCode, ...] = ()
    locked_target: str | None = None
    keep: tuple[tuple[int, int], ...] = ()
    tags_before: tuple[InlineCode, ...] = ()
    tags_after: tuple[InlineCode, ...] = ()


@dataclass(frozen=True)
class Block:
    """A structural unit of a document.

    Attributes:
        id: ``p{n}``.
        kind: heading, paragraph, list_item, table_cell or passthrough.
        text: the block's source text (inline markup already removed).
        segments: the block's sentences; empty for passthrough blocks.
        level: heading level (1–6) or list nesting depth (0-based).
        marker: list marker (``*``, ``-``, ``1.``) or Markdown heading prefix, for writers.
        raw: the original source lines of the block (writers copy passthrough blocks verbatim).
        ordered: for list items, whether the list is numbered.
    """

    id: str
    kind: BlockKind
    text: str
    segments: tuple[Segment, ...] = ()
    level: int = 0
    marker: str = ""
    raw: str = ""
    ordered: bool = False

    @property
    def translatable(self) -> bool:
        """Whether the block carries segments to translate."""
        return self.kind != "passthrough" and bool(self.segments)


@dataclass(frozen=True)
class Document:
    """A read document.

    Attributes:
        path: the file it came from (None for in-memory text).
        format: reader name: ``txt``, ``md``, ``html``, ``xliff``, ``presplit``.
        blocks: blocks in document order.
        metadata: e.g. Markdown YAML front matter (raw text under ``front_matter``),
            HTML ``title``, detected ``encoding``.
        source: reader-private data that a writer of the same format needs to rebuild the
            document (e.g. the lxml tree of an HTML page). Excluded from comparisons.
    """

    path: str | None
    format: str
    blocks: tuple[Block, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: Any = field(default=None, compare=False, repr=False)

    @property
    def segments(self) -> list[Segment]:
        """All segments in document order."""
        return [s for b in self.blocks for s in b.segments]


@dataclass(frozen=True)
class Finding:
    """A QA finding on one segment (checks return findings, they never raise).

    Attributes:
        segment_id: the segment (TMX ``tuid``).
        check: ``term``, ``number``, ``untranslated``, ``empty``, ``identical``, ``brackets`` …
        severity: ``error`` or ``warning``.
        message: human-readable explanation.
    """

    segment_id: str
    check: str
    severity: Literal["error", "warning"]
    message: str


@dataclass(frozen=True)
class SegmentResult:
    """The translation of one segment with everything outputs must report.

    Attributes:
        segment: the source segment.
        target: the final English text.
        origin: ``mt`` (neural), ``gist`` (gloss engine), ``tm`` (memory match), ``passthrough``.
        score: engine score (log-prob) or TM similarity, when known.
        term_hits: glossary hits found in the source (``bitext.terms.glossary.TermHit``).
        term_repaired: hits that were missing after translation and were repaired.
        term_violations: hits whose target is still missing (flagged in every output).
        findings: QA findings.
        tm_fuzzy: fuzzy TM suggestions ``(similarity, source, target)`` shown to the user.
    """

    segment: Segment
    target: str
    origin: Origin = "mt"
    score: float | None = None
    term_hits: tuple[Any, ...] = ()
    term_repaired: tuple[Any, ...] = ()
    term_violations: tuple[Any, ...] = ()
    findings: tuple[Finding, ...] = ()
    tm_fuzzy: tuple[tuple[float, str, str], ...] = ()

    @property
    def violated_hits(self) -> tuple[Any, ...]:
        """Every term hit whose target is missing: ``term_violations`` plus the hits QA's
        ``term`` errors name that enforcement did not report (a TM match is taken verbatim,
        not enforced, yet QA still finds its missing term). One hit per QA finding."""
        out = list(self.term_violations)
        covered = {h.entry.target.casefold() for h in out}
        for f in self.findings:
            if f.check != "term" or f.severity != "error":
                continue
            for h in self.term_hits:
                if f.message.startswith(f"'{h.entry.source}' ") and h.entry.target.casefold() not in covered:
                    out.append(h)
                    covered.add(h.entry.target.casefold())
                    break
        return tuple(out)


@dataclass(frozen=True)
class RunInfo:
    """Provenance recorded in every output header (reproducibility).

    Attributes:
        bitext_version: package version.
        engine: engine name (``gloss``, ``argos``, ``ct2``).
        engine_signature: engine + model id + options, as ``Engine.signature()`` returns.
        is_gist: True when the engine produces word-by-word gists, not translations.
        glossaries: ``(path, sha256)`` of each glossary used, in order.
        source_path: input file.
        created: ISO-8601 UTC timestamp, ``YYYYMMDDTHHMMSSZ`` as TMX wants it.
    """

    bitext_version: str
    engine: str
    engine_signature: str
    is_gist: bool
    glossaries: tuple[tuple[str, str], ...]
    source_path: str
    created: str


@dataclass(frozen=True)
class TranslatedDocument:
    """A document with one result per segment, ready for the writers."""

    document: Document
    results: Mapping[str, SegmentResult]
    info: RunInfo

    def result(self, segment_id: str) -> SegmentResult:
        """The result of one segment."""
        return self.results[segment_id]

    def stats(self) -> dict[str, Any]:
        """Counts reported in JSON summaries and output headers.

        ``term_violations`` counts every missing term (``SegmentResult.violated_hits``),
        whatever the segment's origin; ``term_success`` is None when the text has no term hit.
        """
        res = list(self.results.values())
        hits = sum(len(r.term_hits) for r in res)
        viol = sum(len(r.violated_hits) for r in res)
        return {
            "blocks": len(self.document.blocks),
            "segments": len(res),
            "term_hits": hits,
            "term_repaired": sum(len(r.term_repaired) for r in res),
            "term_violations": viol,
            "term_success": max(0.0, (hits - viol) / hits) if hits else None,
            "tm_exact": sum(1 for r in res if r.origin == "tm"),
            "qa_errors": sum(1 for r in res for f in r.findings if f.severity == "error"),
            "qa_warnings": sum(1 for r in res for f in r.findings if f.severity == "warning"),
        }


@dataclass(frozen=True)
class Pair:
    """One bilingual unit read from a TMX, XLIFF or review page (for QA and memories).

    Attributes:
        id: the unit's id (TMX ``tuid``, XLIFF unit id, page anchor; ``#n`` when absent).
        source: Chinese text.
        target: English text (empty when missing).
        keep: ``(start, end)`` spans of ``source`` marked not to be translated (XLIFF's
            protected spans): their Chinese may stand in the target.
    """

    id: str
    source: str
    target: str
    keep: tuple[tuple[int, int], ...] = ()
