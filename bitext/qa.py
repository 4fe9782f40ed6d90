"""Quality checks on (source, target) pairs → ``Finding`` objects. Checks never raise.

Checks: ``term`` (glossary target missing), ``untranslated`` (Han left in the target),
``empty`` (no target). Number, identical and bracket checks extend this module.
"""

from __future__ import annotations

import regex

from bitext.glossary import Glossary
from bitext.model import Finding
from bitext.terms import missing_hits

HAN = regex.compile(r"\p{Han}")


def check_pair(
    segment_id: str, source: str, target: str, glossary: Glossary | None = None
) -> list[Finding]:
    """Run every check on one segment pair."""
    out: list[Finding] = []
    if not target.strip():
        out.append(Finding(segment_id, "empty", "error", "the target is empty"))
        return out
    if glossary:
        for h in missing_hits(target, glossary.match(source)):
            out.append(
                Finding(
                    segment_id,
                    "term",
                    "error",
                    f"'{h.entry.source}' should be rendered '{h.entry.target}'",
                )
            )
    han = HAN.findall(target)
    if han:
        out.append(
            Finding(
                segment_id,
                "untranslated",
                "error",
                f"Chinese characters left in the target: {''.join(han)[:20]}",
            )
        )
    return out
