"""Terminology enforcement, engine-agnostic: protect → translate → verify → repair → flag.

1. **Protect**: every glossary hit in the source is replaced by its English target
   (code-switched input). Neural models and the gloss engine copy Latin spans through,
   so the term usually survives translation verbatim.
2. **Translate** the protected sentences in one batch.
3. **Verify** each hit: its target must occur in the output (case-insensitive, plural and
   possessive forms tolerated), once per occurrence in the source.
4. **Repair** (engines with ``supports_prefix``): a missed term is forced by re-decoding
   with a ``target_prefix`` that ends with the glossary target (see ``repair_missing``).
5. **Flag** what still fails: it becomes a violation that every output shows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import regex

from bitext.engines.base import Engine, Translation
from bitext.glossary import Glossary, TermHit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Enforced:
    """The enforced translation of one sentence."""

    text: str
    score: float | None
    hits: tuple[TermHit, ...]
    repaired: tuple[TermHit, ...]
    violations: tuple[TermHit, ...]


def protect(text: str, hits: Sequence[TermHit]) -> str:
    """Replace each hit by its target, adding a space where it would touch a Latin word."""
    out: list[str] = []
    pos = 0
    for h in hits:
        out.append(text[pos : h.start])
        tgt = h.entry.target
        # What precedes may be the previous hit's target (adjacent terms): look at the output.
        before = next((piece for piece in reversed(out) if piece), "")[-1:]
        after = text[h.end] if h.end < len(text) else ""
        if before and before.isascii() and before.isalnum():
            tgt = " " + tgt
        if after and after.isascii() and after.isalnum():
            tgt = tgt + " "
        out.append(tgt)
        pos = h.end
    out.append(text[pos:])
    return "".join(out)


def target_pattern(target: str) -> "regex.Pattern[str]":
    """Regex finding a glossary target in English output, tolerating inflection.

    Case-insensitive; whitespace runs and hyphens are interchangeable; a trailing plural
    (``s``/``es``) or possessive (``'s``/``’s``/``'``) is accepted; word boundaries are
    required on alphanumeric edges.
    """
    # spaces and hyphens are interchangeable: "open source" matches "open-source" and back
    parts = [regex.escape(p) for p in regex.split(r"[\s\-‐]+", target.strip()) if p]
    core = r"(?:\s+|\s*[\-‐]\s*)".join(parts)
    left = r"(?<![\p{L}\p{N}])" if target[:1].isalnum() else ""
    right = r"(?:e?s|['’]s?)?(?![\p{L}\p{N}])" if target[-1:].isalnum() else ""
    return regex.compile(left + core + right, regex.IGNORECASE)


def count_target(output: str, target: str) -> int:
    """How many times ``target`` occurs in ``output`` (see ``target_pattern``)."""
    return len(target_pattern(target).findall(output))


def missing_hits(output: str, hits: Sequence[TermHit]) -> list[TermHit]:
    """The hits whose target does not occur in ``output`` often enough.

    A term that occurs twice in the source must occur twice in the target; the later
    occurrences are the ones reported missing.
    """
    by_target: dict[str, list[TermHit]] = {}
    for h in hits:
        by_target.setdefault(h.entry.target.casefold(), []).append(h)
    # Targets that contain another target (e.g. "CAC" inside "CAC chief") would double count;
    # subtract occurrences of longer targets that contain the shorter one.
    missing: list[TermHit] = []
    for key, group in by_target.items():
        found = count_target(output, group[0].entry.target)
        for other_key, other in by_target.items():
            if other_key != key and key in other_key:
                found -= min(found, count_target(output, other[0].entry.target))
        if found < len(group):
            missing.extend(group[found:])
    return sorted(missing, key=lambda h: h.start)


def repair_missing(
    engine: Engine,
    source: str,
    protected: str,
    output: Translation,
    missing: Sequence[TermHit],
) -> tuple[str, float | None]:
    """Force missed terms into the output by prefix-constrained re-decoding.

    For each missed term, the output is cut where the term belongs and re-decoded with a
    ``target_prefix`` ending in the glossary target, so the model continues fluently after
    the term. Where the term belongs is taken from the attention (the target token that
    attends most to the term's source span) when the engine returned it, else from the
    term's relative position in the source.

    Returns:
        The repaired text and its score (unchanged text when nothing could be done).
    """
    text, score = output.text, output.score
    if not engine.supports_prefix:
        return text, score
    for hit in missing:
        cut = _cut_point(source, hit, output, text)
        prefix = (text[:cut].rstrip() + " " + hit.entry.target).strip()
        res = engine.translate_batch([protected], target_prefixes=[prefix])[0]
        cand = res.text
        if count_target(cand, hit.entry.target) > count_target(text, hit.entry.target):
            text, score = cand, res.score
    return text, score


def _cut_point(source: str, hit: TermHit, output: Translation, text: str) -> int:
    """Character offset in ``text`` before which the missed term should go."""
    att, stoks, ttoks = output.attention, output.source_tokens, output.target_tokens
    if att and stoks and ttoks and text == output.text:
        # Map the hit's character span to source token indices.
        spans, pos = [], 0
        for i, tok in enumerate(stoks):
            piece = tok.replace("▁", "")
            j = source.find(piece, pos) if piece else -1
            if j >= 0:
                spans.append((i, j, j + len(piece)))
                pos = j + len(piece)
        src_idx = {i for i, a, b in spans if a < hit.end and b > hit.start}
        if src_idx:
            best_t, best_w = None, -1.0
            for t, row in enumerate(att[: len(ttoks)]):
                w = sum(row[i] for i in src_idx if i < len(row))
                if w > best_w:
                    best_t, best_w = t, w
            if best_t is not None:
                prefix_text = "".join(ttoks[:best_t]).replace("▁", " ").strip()
                return min(len(prefix_text), len(text))
    # Fallback: proportional position, snapped back to a word boundary.
    rel = hit.start / max(1, len(source))
    cut = int(rel * len(text))
    while 0 < cut < len(text) and text[cut - 1] != " ":
        cut -= 1
    return cut


def enforce_batch(
    engine: Engine, texts: Sequence[str], glossary: Glossary | None
) -> list[Enforced]:
    """Translate ``texts`` with ``engine`` and enforce ``glossary`` on each result."""
    all_hits = [tuple(glossary.match(t)) if glossary else () for t in texts]
    protected = [protect(t, h) for t, h in zip(texts, all_hits)]
    outputs = engine.translate_batch(protected, return_attention=engine.supports_prefix)
    if len(outputs) != len(texts):
        from bitext.errors import EngineError

        raise EngineError(
            f"engine '{engine.name}' returned {len(outputs)} results for {len(texts)} sentences"
        )
    results: list[Enforced] = []
    for src, prot, hits, out in zip(texts, protected, all_hits, outputs):
        text, score = out.text, out.score
        missing = missing_hits(text, hits)
        repaired: list[TermHit] = []
        if missing:
            text, score = repair_missing(engine, prot, prot, out, missing)
            still = missing_hits(text, hits)
            repaired = [h for h in missing if h not in still]
            missing = still
            for h in missing:
                log.info("term not enforced: %s → %s in %r", h.entry.source, h.entry.target, src)
        results.append(Enforced(text, score, hits, tuple(repaired), tuple(missing)))
    return results
