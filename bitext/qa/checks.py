"""Quality checks on (source, target) pairs → ``Finding`` objects. Checks never raise.

``check_pair`` runs on every translated segment (``bitext translate``) and on every unit
of a file under review (``bitext check``). Checks and severities:

* ``empty`` (error): the target is empty while the source is not;
* ``term`` (error): a glossary source occurs in the source but its target is missing from
  the target (case-insensitive, plural and possessive forms and space/hyphen variants
  tolerated; see ``bitext.terms.enforce.target_pattern``); one finding per missing term, however
  often it occurs (a repeated term may be rendered once and then referred to);
* ``number`` (error): a number in the source is not expressed in the target, with Chinese
  units and numerals understood (``5.64亿`` = 564 million; see ``bitext.qa.numbers``);
* ``untranslated`` (error): Han characters left in the target;
* ``identical`` (warning): the target is a copy of the source;
* ``brackets`` / ``quotes`` (warning): the target leaves a bracket or quote pair open
  that the source closes.

Everything is regex work on one segment; no dictionary or model is loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import regex

from bitext.document import Finding
from bitext.terms.glossary import Glossary
from bitext.zh.text import HAN, fold

log = logging.getLogger(__name__)

_LETTER_WORD = regex.compile(r"(?<![\p{L}\p{N}])\p{L}{2,}(?![\p{L}\p{N}])")

CHECKS = ("empty", "term", "number", "untranslated", "identical", "brackets", "quotes")
"""Every check name a ``Finding`` may carry."""

# (name, openers, closers) — source side includes the CJK forms a translation turns into ASCII.
_PAIRS_SRC = (
    ("parentheses", "(（", ")）"),
    ("square brackets", "[【〔［", "]】〕］"),
    ("braces", "{｛", "}｝"),
)
_PAIRS_TGT = (
    ("parentheses", "(", ")"),
    ("square brackets", "[", "]"),
    ("braces", "{", "}"),
)


def _balanced(text: str, openers: str, closers: str) -> bool:
    depth = 0
    for ch in text:
        if ch in openers:
            depth += 1
        elif ch in closers:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _quotes_balanced(text: str, source: bool) -> bool:
    opens = "“「『" if source else "“"
    closes = "”」』" if source else "”"
    if not _balanced(text, opens, closes):
        return False
    return text.count('"') % 2 == 0


def _bracket_findings(segment_id: str, source: str, target: str) -> list[Finding]:
    out: list[Finding] = []
    for (name, so, sc), (_, to, tc) in zip(_PAIRS_SRC, _PAIRS_TGT):
        if not any(ch in target for ch in to + tc):
            continue
        if not _balanced(target, to, tc) and _balanced(source, so, sc):
            out.append(
                Finding(segment_id, "brackets", "warning", f"unbalanced {name} in the target")
            )
    if ('"' in target or "“" in target or "”" in target) and not _quotes_balanced(
        target, False
    ) and _quotes_balanced(source, True):
        out.append(Finding(segment_id, "quotes", "warning", "unbalanced quotation marks in the target"))
    return out


def _identical(source: str, target: str) -> bool:
    ns, nt = "".join(source.split()), "".join(target.split())
    if len(ns) != len(nt):  # folding keeps lengths: cheap early exit for almost every pair
        return False
    if fold(ns) != fold(nt):
        return False
    # A copied Chinese sentence, or a real English sentence (3+ words) left as is; codes,
    # numbers, names and acronyms ("5G", "GB/T 35273-2020", "WTO") legitimately stay.
    return bool(HAN.search(source)) or len(_LETTER_WORD.findall(source)) >= 3


def _kept_spans(source: str, keep: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The source's spans that are copied, not translated: ``keep`` plus its addresses,
    paths and file names."""
    from bitext.segment.verbatim import verbatim_spans

    return {*keep, *verbatim_spans(source)}


def _without_kept(source: str, target: str, kept: set[tuple[int, int]]) -> str:
    """``target`` less the source's kept spans (``_kept_spans``) it holds (an address such
    as ``https://a.cn/数据.htm`` keeps its Chinese; that is no untranslated text)."""
    for a, b in sorted(kept, key=lambda s: s[0] - s[1]):  # longest first
        if b > a and source[a:b] in target:
            target = target.replace(source[a:b], " ", 1)
    return target


def check_pair(
    segment_id: str,
    source: str,
    target: str,
    glossary: Glossary | None = None,
    *,
    checks: Sequence[str] | None = None,
    keep: Sequence[tuple[int, int]] = (),
) -> list[Finding]:
    """Run every check (or only ``checks``) on one segment pair.

    Args:
        segment_id: the segment id or TMX ``tuid`` the findings carry.
        source: the Chinese text.
        target: the English text.
        glossary: terms to verify (None or empty: no ``term`` check).
        checks: names from ``CHECKS`` to run; None runs all.
        keep: spans of ``source`` marked not to be translated (``Segment.keep``): their
            Chinese may stand in the target. Addresses, paths and file names
            (:mod:`bitext.segment.verbatim`) count so too.

    Returns:
        Findings in check order: empty, term, number, untranslated, identical, brackets,
        quotes. An empty target yields only ``empty``.
    """
    want = set(CHECKS if checks is None else checks)
    out: list[Finding] = []
    if not target.strip():
        if source.strip() and "empty" in want:
            out.append(Finding(segment_id, "empty", "error", "the target is empty"))
        return out
    if not source.strip():
        return out
    identical = _identical(source, target)
    kept = _kept_spans(source, keep)
    # A Chinese source copied into the target is one problem (untranslated + identical),
    # not also one term and number error per term and number it happens to contain.
    copied = identical and bool(HAN.search(source))
    if glossary and "term" in want and not copied:
        from bitext.terms.enforce import missing_hits

        # Presence, not counts: "网信办…网信办…" may well read "The CAC … it …". One hit per
        # distinct target; missing_hits still discounts a target found only inside a longer one.
        first: dict[str, object] = {}
        for h in glossary.match(source):
            if not any(h.start < b and a < h.end for a, b in kept):  # (not inside a kept span)
                first.setdefault(h.entry.target.casefold(), h)
        for h in missing_hits(target, list(first.values())):  # type: ignore[arg-type]
            out.append(
                Finding(
                    segment_id,
                    "term",
                    "error",
                    f"'{h.entry.source}' should be rendered '{h.entry.target}'",
                )
            )
    if "number" in want and not copied:
        from bitext.qa.numbers import missing_numbers

        # numbers inside an address or a kept span (www.4hou.com) are no quantities
        chars = list(source)
        for a, b in kept:
            chars[a:b] = " " * (b - a)
        for q in missing_numbers("".join(chars), _without_kept(source, target, kept)):
            out.append(
                Finding(
                    segment_id,
                    "number",
                    "error",
                    f"number {q.describe()} from the source is missing in the target",
                )
            )
    han = HAN.findall(_without_kept(source, target, kept)) if HAN.search(target) else []
    if han and "untranslated" in want:
        out.append(
            Finding(
                segment_id,
                "untranslated",
                "error",
                f"Chinese characters left in the target: {''.join(han)[:20]}",
            )
        )
    if "identical" in want and identical:
        out.append(Finding(segment_id, "identical", "warning", "the target is identical to the source"))
    if want & {"brackets", "quotes"}:
        out.extend(f for f in _bracket_findings(segment_id, source, target) if f.check in want)
    return out
