"""The machine-readable run summary that ``bitext translate --json`` prints.

``summary(tdoc, outputs=..., elapsed_s=...)`` returns plain JSON-ready data (str, int,
float, bool, None, lists, dicts), the same provenance the TMX header and HTML page carry:

.. code-block:: text

    {
      "input": "article.md", "format": "md", "encoding": "utf-8",
      "bitext_version": "0.1.0", "created": "20261127T143000Z",
      "engine": "gloss", "signature": "gloss:cedict+glossary", "is_gist": true,
      "glossaries": [{"path": "...", "sha256": "..."}],
      "stats": {"blocks", "segments", "term_hits", "term_repaired", "term_violations",
                "term_success", "tm_exact", "tm_fuzzy", "qa_errors", "qa_warnings"},
      "outputs": {"tmx": "article.tmx", "html": "article.html", "out": "article.en.md"},
      "elapsed_s": 0.42,
      "findings": [{"tuid", "check", "severity", "message"}],   # every QA finding, flat
      "segments": [{"id", "block_id", "kind", "source", "target", "origin", "score",
                    "term_hits": [{"source", "target", "note", "start", "end"}],
                    "term_repaired": [...], "term_violations": [...],
                    "findings": [{"check", "severity", "message"}],
                    "tm_fuzzy": [{"similarity", "source", "target"}]}]
    }

``findings`` uses the same keys as ``bitext check --json`` issues, so scripts can treat
both alike. Nothing here writes files; the CLI prints the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from bitext.document import SegmentResult, TranslatedDocument


def _num(x: float | None, places: int = 4) -> float | None:
    """A finite float rounded for display, or None (JSON has no NaN/Infinity)."""
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), places)


def term_entry(hit: Any) -> dict[str, Any]:
    """A ``TermHit`` as JSON: source, target, note and its character span in the source."""
    e = hit.entry
    return {"source": e.source, "target": e.target, "note": e.note, "start": hit.start, "end": hit.end}


def segment_entry(r: SegmentResult, kind: str) -> dict[str, Any]:
    """One segment's result as JSON."""
    return {
        "id": r.segment.id,
        "block_id": r.segment.block_id,
        "kind": kind,
        "source": r.segment.text,
        "target": r.target,
        "origin": r.origin,
        "score": _num(r.score),
        "term_hits": [term_entry(h) for h in r.term_hits],
        "term_repaired": [term_entry(h) for h in r.term_repaired],
        "term_violations": [term_entry(h) for h in r.violated_hits],  # QA term errors too (TM rows)
        "findings": [
            {"check": f.check, "severity": f.severity, "message": f.message} for f in r.findings
        ],
        "tm_fuzzy": [
            {"similarity": _num(sim), "source": src, "target": tgt} for sim, src, tgt in r.tm_fuzzy
        ],
    }


def summary(
    tdoc: TranslatedDocument, *, outputs: Mapping[str, str], elapsed_s: float
) -> dict[str, Any]:
    """The JSON summary of a translate run (see the module docstring for its shape).

    Args:
        tdoc: the translated document.
        outputs: output kind (``tmx``, ``html``, ``out``) → path written.
        elapsed_s: wall time of the run in seconds.
    """
    info = tdoc.info
    stats = dict(tdoc.stats())
    stats["term_success"] = _num(stats["term_success"]) if stats.get("term_success") is not None else None
    stats["tm_fuzzy"] = sum(1 for r in tdoc.results.values() if r.tm_fuzzy)
    kinds = {b.id: b.kind for b in tdoc.document.blocks}
    segments = [
        segment_entry(r, kinds.get(r.segment.block_id, "paragraph")) for r in tdoc.results.values()
    ]
    findings = [
        {"tuid": f.segment_id or r.segment.id, "check": f.check, "severity": f.severity,
         "message": f.message}
        for r in tdoc.results.values()
        for f in r.findings
    ]
    return {
        "input": info.source_path or tdoc.document.path or "",
        "format": tdoc.document.format,
        "encoding": tdoc.document.metadata.get("encoding"),
        "bitext_version": info.bitext_version,
        "created": info.created,
        "engine": info.engine,
        "signature": info.engine_signature,
        "is_gist": info.is_gist,
        "glossaries": [{"path": p, "sha256": sha} for p, sha in info.glossaries],
        "stats": stats,
        "outputs": {k: str(v) for k, v in outputs.items()},
        "elapsed_s": _num(elapsed_s, 3),
        "findings": findings,
        "segments": segments,
    }
