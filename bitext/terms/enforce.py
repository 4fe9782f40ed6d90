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

Addresses, paths and file names in a sentence (:mod:`bitext.segment.verbatim`) are hidden
from the engine behind placeholders (``ZQX0Z``), which engines copy like the Latin of a
protected term, and are put back byte for byte afterwards; a placeholder the engine lost is
not worth a re-decoding: its span goes in at the word nearest its place in the source (on
the project's small test models, which rarely copy placeholders, repairs made documents
with addresses 2.5 times slower). They are no glossary hits and are not counted as such.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from bitext.engines.base import Engine, EngineContext, Progress, Translation
from bitext.errors import EngineError
from bitext.segment.verbatim import verbatim_spans
from bitext.terms.glossary import Glossary, GlossaryEntry, TermHit

log = logging.getLogger(__name__)

MAX_REPAIRS_PER_SENTENCE = 24
"""Re-decodings tried per sentence; a sentence with hundreds of term hits (a pasted table
run together) would otherwise cost hundreds of full decodes. What is left is flagged."""


@dataclass(frozen=True)
class Enforced:
    """The enforced translation of one sentence."""

    text: str
    score: float | None
    hits: tuple[TermHit, ...]
    repaired: tuple[TermHit, ...]
    violations: tuple[TermHit, ...]


_VERBATIM = "<verbatim>"
"""``GlossaryEntry.file`` of the placeholder entries standing for verbatim spans."""


def hold_verbatim(text: str, hits: Sequence[TermHit], keep: Sequence[tuple[int, int]] = ()
                  ) -> tuple[list[TermHit], list[tuple[str, str, float]]]:
    """The glossary hits plus one placeholder hit per address, path or file name of ``text``
    and per ``keep`` span (glossary hits inside one are dropped), in order; and the
    ``(placeholder, span, relative position in the source)`` triples."""
    spans: list[tuple[int, int]] = []
    for s, e in sorted([*keep, *verbatim_spans(text)]):
        if spans and s < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    if not spans:
        return list(hits), []
    kept = [h for h in hits if not any(h.start < e and s < h.end for s, e in spans)]
    held: list[tuple[str, str, float]] = []
    k = 0
    for s, e in spans:
        while f"ZQX{k}Z".casefold() in text.casefold():
            k += 1
        ph = f"ZQX{k}Z"
        k += 1
        kept.append(TermHit(s, e, GlossaryEntry(text[s:e], ph, file=_VERBATIM)))
        held.append((ph, text[s:e], s / max(1, len(text))))
    return sorted(kept, key=lambda h: h.start), held


def put_back(output: str, held: Sequence[tuple[str, str, float]]) -> str:
    """``output`` with each placeholder of ``held`` replaced by its span (see
    ``hold_verbatim``); one the engine lost goes in before the word nearest its relative
    place in the source (at the end: before the final stop)."""
    for ph, span, rel in held:
        pat = re.compile(r"(?<![A-Za-z0-9])" + re.escape(ph) + r"(?![A-Za-z0-9])", re.IGNORECASE)
        new, n = pat.subn(span.replace("\\", "\\\\"), output, count=1)
        if not n:
            end = re.search(r"[.!?。！？]*\s*$", output)
            stop = end.start() if end else len(output)
            starts = [m.start() for m in re.finditer(r"(?<!\S)\S", output[:stop])] + [stop]
            cut = min(starts, key=lambda p: abs(p - rel * stop))
            left, right = output[:cut].rstrip(), output[cut:].lstrip()
            glue = " " if right and right[0] not in ".,;:!?)。，；：！？" else ""
            new = (left + " " + span + glue + right).strip()
        output = new
    return output


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


@functools.lru_cache(maxsize=4096)
def target_pattern(target: str) -> re.Pattern[str]:
    r"""Regex finding a glossary target in English output, tolerating inflection.

    Case-insensitive; whitespace runs and hyphens are interchangeable; a trailing plural
    (``s``/``es``) or possessive (``'s``/``’s``/``'``) is accepted; word boundaries are
    required on alphanumeric edges (a letter or digit, ``[^\W_]``, must not touch them).

    The standard ``re`` engine is used on purpose: ``regex`` with IGNORECASE takes time
    cubic in a long literal (a 4,000-letter target took minutes); ``re`` is linear.
    """
    # spaces and hyphens are interchangeable: "open source" matches "open-source" and back
    parts = [re.escape(p) for p in re.split(r"[\s\-‐]+", target.strip()) if p]
    core = r"(?:\s+|\s*[\-‐]\s*)".join(parts)
    left = r"(?<![^\W_])" if target[:1].isalnum() else ""
    right = r"(?:e?s|['’]s?)?(?![^\W_])" if target[-1:].isalnum() else ""
    return re.compile(left + core + right, re.IGNORECASE)


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


def protected_spans(protected: str, hits: Sequence[TermHit]) -> list[tuple[int, int] | None]:
    """Where each hit's glossary target lies in the protected text (None when not found).

    ``protect`` writes the targets in source order, so each is searched for after the
    previous one. Hit offsets refer to the original source; attention refers to the tokens
    of the protected text that was translated, hence this mapping.
    """
    spans: list[tuple[int, int] | None] = []
    pos = 0
    folded = protected.casefold()
    for h in hits:
        tgt = h.entry.target.casefold()
        j = folded.find(tgt, pos) if tgt else -1
        if j < 0:
            spans.append(None)
            continue
        spans.append((j, j + len(tgt)))
        pos = j + len(tgt)
    return spans


@dataclass
class _RepairState:
    """One sentence under repair."""

    source: str
    protected: str
    hits: tuple[TermHit, ...]
    output: Translation  # the current best result (the first pass's, or an accepted repair)
    todo: list[TermHit]
    forced: int = 0  # characters of ``text`` fixed by earlier repairs (later cuts stay after)
    tries: dict[int, int] = field(default_factory=dict)  # id(hit) → repair attempts

    @property
    def text(self) -> str:
        """The current output text."""
        return self.output.text

    @property
    def score(self) -> float | None:
        """The current output's score."""
        return self.output.score


def repair_missing(
    engine: Engine,
    source: str,
    protected: str,
    output: Translation,
    missing: Sequence[TermHit],
    *,
    hits: Sequence[TermHit] | None = None,
) -> tuple[str, float | None]:
    """Force missed terms into the output by prefix-constrained re-decoding.

    For each missed term, the output is cut where the term belongs and re-decoded with a
    ``target_prefix`` ending in the glossary target, so the model continues fluently after
    the term. Where the term belongs is taken from the attention (the target token that
    attends most to the term's span in the protected source) when the engine returned it,
    else from the term's relative position in the source.

    Args:
        engine: the engine that produced ``output`` (needs ``supports_prefix``).
        source: the original source sentence (hit offsets refer to it).
        protected: the text that was actually translated (``protect(source, hits)``).
        output: the engine's result for ``protected`` (with attention, ideally).
        missing: the hits whose target is missing from ``output.text``.
        hits: all hits of the sentence (default: ``missing``); used to verify that a
            repair does not lose another term.

    Returns:
        The repaired text and its score (unchanged text when nothing could be done).
    """
    state = _RepairState(
        source, protected, tuple(hits if hits is not None else missing), output,
        list(missing),
    )
    _repair_states(engine, [state])
    return state.text, state.score


def _repair_states(
    engine: Engine, states: Sequence[_RepairState], context: EngineContext | None = None
) -> None:
    """Repair many sentences, one missed term per sentence per engine call (batched)."""
    if not engine.supports_prefix:
        return
    while True:
        round_items: list[tuple[_RepairState, TermHit, str]] = []
        for st in states:
            if sum(st.tries.values()) >= MAX_REPAIRS_PER_SENTENCE:
                st.todo.clear()
            while st.todo:
                hit = st.todo.pop(0)
                if hit not in missing_hits(st.text, st.hits):
                    continue  # an earlier repair already brought it in
                span = _span_in_protected(st, hit)
                # First try where the attention points, then (second try) the proportional
                # position; never before text fixed by earlier repairs, nor before the
                # occurrences of the same target that belong to earlier hits.
                guide = st.output if st.tries.get(id(hit), 0) == 0 else Translation(st.text)
                cut = max(_cut_point(st.protected, span, guide, st.text), st.forced,
                          _after_earlier_occurrences(st, hit))
                cut = min(cut, len(st.text))
                head = _drop_partial_term(st.text[:cut].rstrip(), hit.entry.target)
                if _ends_with(head, hit.entry.target):  # never "CAC CAC": one word further on
                    nxt = regex.match(r"\s*[^\s]+", st.text[cut:])
                    if nxt is None:
                        st.tries[id(hit)] = st.tries.get(id(hit), 0) + 1
                        continue
                    cut += nxt.end()
                    head = st.text[:cut].rstrip()
                prefix = (head + " " + hit.entry.target).strip() if head else hit.entry.target
                round_items.append((st, hit, prefix))
                break
        if not round_items:
            return
        res = engine.translate_batch(
            [st.protected for st, _, _ in round_items],
            target_prefixes=[p for _, _, p in round_items],
            return_attention=True,
            context=context,
        )
        for (st, hit, prefix), cand in zip(round_items, res):
            st.tries[id(hit)] = st.tries.get(id(hit), 0) + 1
            cand = _drop_repeated_term(cand, prefix, hit.entry.target)
            before = missing_hits(st.text, st.hits)
            after = missing_hits(cand.text, st.hits)
            gained = count_target(cand.text, hit.entry.target) > count_target(st.text, hit.entry.target)
            if gained and len(after) <= len(before):
                # Accept; a term the re-decoding lost (traded for this one) is queued again,
                # to be forced after this prefix, unless it was tried twice already.
                st.output = cand
                st.forced = min(len(prefix), len(cand.text))
                for h in after:  # occurrences of one target are interchangeable: requeue all
                    if st.tries.get(id(h), 0) < 2 and h not in st.todo:
                        st.todo.append(h)
            elif st.tries[id(hit)] < 2 and hit not in st.todo:
                st.todo.append(hit)  # one more try, at the proportional position


_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")


def _squash(text: str) -> str:
    return regex.sub(r"[^\p{L}\p{N}]+", "", text).casefold()


def _ends_with(head: str, target: str) -> bool:
    m = None
    for m in target_pattern(target).finditer(head):
        pass
    return m is not None and not head[m.end() :].strip(" -‐")


def _drop_partial_term(head: str, target: str) -> str:
    """``head`` without the words at its end that start (or are) ``target``: the model had
    begun the term there ("… the Cybersecurity" + "Cybersecurity Law"), so forcing the
    target after them would write it twice."""
    t = _squash(target)
    cut = len(head)
    for w in reversed(list(_WORD.finditer(head))):
        tail = head[w.start() :]
        if regex.search(r"[^\p{L}\p{N}\s'’\-‐]", tail):
            break  # punctuation in between: the term was not begun here
        piece = _squash(tail)
        if len(piece) > len(t):
            break
        if len(piece) >= 3 and t.startswith(piece) and piece != t:
            cut = w.start()
    return head[:cut].rstrip(" -‐")


def _drop_repeated_term(cand: Translation, prefix: str, target: str) -> Translation:
    """The candidate without the words right after the forced target that repeat it or its
    ending ("cybersecurity cybersecurity", "Cybersecurity security")."""
    text = cand.text
    if not text.startswith(prefix):
        return cand
    t = _squash(target)
    rest = text[len(prefix) :]
    words = list(_WORD.finditer(rest))
    end = 0
    for k, w in enumerate(words):
        if rest[end if k else 0 : w.start()].strip(" -‐"):
            break  # punctuation in between: a new clause
        piece = _squash(rest[: w.end()])
        if len(piece) >= 3 and (t.endswith(piece) or piece == t):
            end = w.end()
        else:
            break
    if not end:
        return cand
    new = prefix + rest[end:]
    return Translation(regex.sub(r"\s{2,}", " ", new), cand.score)


def _after_earlier_occurrences(st: _RepairState, hit: TermHit) -> int:
    """Offset after the output occurrences of ``hit``'s target that earlier hits account for."""
    key = hit.entry.target.casefold()
    k = sum(1 for h in st.hits if h.entry.target.casefold() == key and h.start < hit.start)
    if k == 0:
        return 0
    found = list(target_pattern(hit.entry.target).finditer(st.text))
    if len(found) < k:
        return 0
    end = found[k - 1].end()
    nxt = regex.search(r"\s\S", st.text[end:])
    return end + nxt.start() + 1 if nxt else len(st.text)


def _span_in_protected(st: _RepairState, hit: TermHit) -> tuple[int, int]:
    """The character span of ``hit`` in the protected text (proportional guess if not found)."""
    try:
        idx = st.hits.index(hit)
        span = protected_spans(st.protected, st.hits)[idx]
    except ValueError:
        span = None
    if span is not None:
        return span
    scale = len(st.protected) / max(1, len(st.source))
    return int(hit.start * scale), max(int(hit.start * scale) + 1, int(hit.end * scale))


def _cut_point(protected: str, span: tuple[int, int], output: Translation, text: str) -> int:
    """Character offset in ``text`` (a word start) before which the missed term should go.

    Args:
        protected: the translated source text.
        span: the term's character span in ``protected``.
        output: the engine result whose attention/tokens describe ``text``.
        text: the current output text.
    """
    start, end = span
    att, stoks, ttoks = output.attention, output.source_tokens, output.target_tokens
    starts = [m.start() for m in regex.finditer(r"\S+", text)]
    if att and stoks and ttoks and text == output.text:
        # Map source tokens to character spans of the protected text.
        src_idx: set[int] = set()
        pos = 0
        for i, tok in enumerate(stoks):
            piece = tok.replace("\u2581", "")
            if not piece or (piece.startswith("<") and piece.endswith(">")):
                continue
            j = protected.find(piece, pos)
            if j < 0:
                continue
            pos = j + len(piece)
            if j < end and pos > start:
                src_idx.add(i)
        if src_idx:
            best_t, best_w = None, -1.0
            for t, row in enumerate(att[: len(ttoks)]):
                w = sum(row[i] for i in src_idx if i < len(row))
                if w > best_w:
                    best_t, best_w = t, w
            if best_t is not None:
                # The wrong rendering may span several tokens: start at the first token of the
                # run that attends to the term about as much as the best one does.
                while best_t > 0 and sum(
                    att[best_t - 1][i] for i in src_idx if i < len(att[best_t - 1])
                ) >= 0.5 * best_w:
                    best_t -= 1
                head = "".join(ttoks[:best_t]).replace("\u2581", " ")
                words = head.split()
                if words and not ttoks[best_t].startswith("\u2581") and not head.endswith(" "):
                    words = words[:-1]  # the chosen token continues a word: cut before that word
                n = len(words)
                return starts[n] if n < len(starts) else len(text)
    # Fallback: proportional position, snapped back to a word start.
    rel = start / max(1, len(protected))
    cut = int(rel * len(text))
    before = [s for s in starts if s <= cut]
    return before[-1] if before else 0


def enforce_batch(
    engine: Engine,
    texts: Sequence[str],
    glossary: Glossary | None,
    *,
    progress: Progress | None = None,
    keep: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> list[Enforced]:
    """Translate ``texts`` with ``engine`` and enforce ``glossary`` on each result.

    Args:
        engine: a built engine.
        texts: source sentences.
        glossary: terms to enforce (None: none).
        progress: handed to the engine, which calls it per finished sub-batch (term-repair
            calls report too; callers clamp the total).
        keep: per text, spans not to translate (``Segment.keep``), copied byte for byte.
    """
    held_all = [hold_verbatim(t, glossary.match(t) if glossary else (), keep[i] if keep else ())
                for i, t in enumerate(texts)]
    all_hits = [tuple(h) for h, _ in held_all]
    protected = [protect(t, h) for t, h in zip(texts, all_hits)]
    context = EngineContext(
        glossary=glossary if engine.native_glossary else None, progress=progress
    )
    # Attention is only needed to place repairs, i.e. when some sentence has glossary hits
    # (placeholders of verbatim spans nearly always come through; a lost one is placed by
    # its position in the source).
    glossary_hits = any(h.entry.file != _VERBATIM for hs in all_hits for h in hs)
    outputs = engine.translate_batch(
        protected, return_attention=engine.supports_prefix and glossary_hits, context=context
    )
    if len(outputs) != len(texts):
        raise EngineError(
            f"engine '{engine.name}' returned {len(outputs)} results for {len(texts)} sentences"
        )
    first_missing = [[h for h in missing_hits(out.text, hits) if h.entry.file != _VERBATIM]
                     for out, hits in zip(outputs, all_hits)]
    states = [
        _RepairState(src, prot, hits, out, list(miss))
        for src, prot, hits, out, miss in zip(texts, protected, all_hits, outputs, first_missing)
    ]
    _repair_states(engine, [st for st, miss in zip(states, first_missing) if miss], context)
    results: list[Enforced] = []
    for st, miss, (_, held) in zip(states, first_missing, held_all):
        still = missing_hits(st.text, st.hits) if miss else []
        repaired = tuple(h for h in miss if h not in still)
        for h in still:
            log.info("term not enforced: %s → %s in %r", h.entry.source, h.entry.target, st.source)

        def terms(hits: Sequence[TermHit]) -> tuple[TermHit, ...]:
            return tuple(h for h in hits if h.entry.file != _VERBATIM)

        text = put_back(st.text, held) if held else st.text
        results.append(Enforced(text, st.score, terms(st.hits), terms(repaired), terms(still)))
    return results
