"""The translate pipeline: Document → (TM lookup) → engine batches → term enforcement → QA.

``translate_document`` is what ``bitext translate`` calls; it returns a
``TranslatedDocument`` that every writer consumes.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Sequence
from typing import Protocol

from bitext import __version__
from bitext.document import Document, Finding, RunInfo, SegmentResult, TranslatedDocument
from bitext.engines.base import Engine, Progress
from bitext.files import xml_safe
from bitext.qa.checks import check_pair
from bitext.terms.enforce import enforce_batch
from bitext.terms.glossary import Glossary
from bitext.zh.text import HAN

log = logging.getLogger(__name__)

BATCH_SEGMENTS = 64
"""Segments handed per call to engines without token batching (``gloss``)."""
NEURAL_BATCH_SEGMENTS = 2048
"""Segments handed per call to neural engines (``supports_prefix``), which sort by length
and batch by tokens inside and report progress per sub-batch: larger calls mean fuller
sub-batches and far fewer term-repair rounds. Measured on 929 segments with the default
glossary (tiny model; ``enforce_batch`` per call of N segments): H200 int8_float16 N=64
8.6 s, 512 5.6 s, all 4.5 s; 16 CPU threads 25.8 / 18.3 / 12.9 s. Bounded because the
attention kept for term repair grows with the call (~40 KB per segment as 4-byte floats)."""


class Memory(Protocol):
    """What the pipeline needs of a translation memory (``bitext.tm.TranslationMemory``)."""

    def lookup_exact(self, text: str) -> str | None:
        """The stored target of an exact (normalised) source match, or None."""

    def lookup_fuzzy(self, text: str, threshold: float) -> Sequence[object]:
        """Fuzzy suggestions at or above ``threshold`` (best first)."""


def utc_stamp() -> str:
    """``YYYYMMDDTHHMMSSZ`` now, as TMX dates are written."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def run_info(doc: Document, engine: Engine, glossary: Glossary | None) -> RunInfo:
    """Provenance for output headers.

    Files are named by file name (glossaries with their SHA-256), never by the path on
    this machine: outputs are deliverables and travel.
    """
    from pathlib import PurePath

    return RunInfo(
        bitext_version=__version__,
        engine=engine.name,
        engine_signature=engine.signature(),
        is_gist=engine.is_gist,
        glossaries=glossary.provenance() if glossary else (),
        source_path=PurePath(doc.path).name if doc.path else "",
        created=utc_stamp(),
    )


def _qa(segment_id: str, source: str, target: str, glossary: Glossary | None) -> list[Finding]:
    return check_pair(segment_id, source, target, glossary)


def translate_document(
    doc: Document,
    engine: Engine,
    glossary: Glossary | None = None,
    *,
    tm: Memory | None = None,
    tm_fuzzy: float | None = None,
    progress: Progress | None = None,
) -> TranslatedDocument:
    """Translate every segment of ``doc`` and enforce the glossary.

    Args:
        doc: the read document.
        engine: a built engine.
        glossary: terms to enforce (None: none).
        tm: a ``bitext.tm.TranslationMemory``; exact matches are taken verbatim.
        tm_fuzzy: threshold for fuzzy suggestions recorded with the results.
        progress: called with the number of segments just finished.
    """
    segments = doc.segments
    results: dict[str, SegmentResult] = {}
    todo = []
    for seg in segments:
        if seg.locked_target is not None:  # a reviewed unit: kept, and checked
            hits = tuple(glossary.match(seg.text)) if glossary else ()
            results[seg.id] = SegmentResult(
                segment=seg, target=seg.locked_target, origin="locked", term_hits=hits,
                findings=tuple(_qa(seg.id, seg.text, seg.locked_target, glossary)),
            )
            if progress:
                progress(1)
            continue
        if not HAN.search(seg.text):  # nothing Chinese (<!-- INFO END -->, code, a URL): kept as is
            results[seg.id] = SegmentResult(segment=seg, target=seg.text, origin="passthrough",
                                            score=1.0)
            if progress:
                progress(1)
            continue
        exact = tm.lookup_exact(seg.text) if tm is not None else None
        if exact is not None:
            hits = tuple(glossary.match(seg.text)) if glossary else ()
            gist = bool(getattr(tm, "is_gist", None)) and tm.is_gist(seg.text)  # type: ignore[attr-defined]
            results[seg.id] = SegmentResult(
                segment=seg,
                target=exact,
                origin="gist" if gist else "tm",  # a gist stored with --allow-gist stays a gist
                score=1.0,
                term_hits=hits,
                findings=tuple(_qa(seg.id, seg.text, exact, glossary)),
            )
            if progress:
                progress(1)
        else:
            todo.append(seg)
    origin = "gist" if engine.is_gist else "mt"
    size = NEURAL_BATCH_SEGMENTS if engine.supports_prefix else BATCH_SEGMENTS
    for i in range(0, len(todo), size):
        chunk: Sequence = todo[i : i + size]
        done = 0

        def tick(n: int, total: int = len(chunk)) -> None:
            nonlocal done
            step = min(n, total - done)  # term-repair calls after the first pass count no more
            if step > 0 and progress is not None:
                progress(step)
                done += step

        enforced = enforce_batch(
            engine, [s.text for s in chunk], glossary, progress=tick if progress else None
        )
        for seg, e in zip(chunk, enforced):
            fuzzy: tuple = ()
            if tm is not None and tm_fuzzy is not None:
                fuzzy = tuple(tm.lookup_fuzzy(seg.text, tm_fuzzy))
            results[seg.id] = SegmentResult(
                segment=seg,
                target=xml_safe(e.text),  # engines may echo control characters; no output can hold them
                origin=origin,  # type: ignore[arg-type]
                score=e.score,
                term_hits=e.hits,
                term_repaired=e.repaired,
                term_violations=e.violations,
                findings=tuple(_qa(seg.id, seg.text, e.text, glossary)),
                tm_fuzzy=fuzzy,
            )
        if progress and len(chunk) > done:
            progress(len(chunk) - done)  # engines that do not report, empty sentences
    ordered = {s.id: results[s.id] for s in segments}
    return TranslatedDocument(doc, ordered, run_info(doc, engine, glossary))
