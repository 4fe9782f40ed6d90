"""XLIFF writer: the input XLIFF with targets filled in, inline tags carried over.

This module owns putting translations back into the XLIFF tree read by
``bitext.readers.xliff`` (1.x and 2.x) and placing the source's inline tags in the target.

What changes (on a copy of the tree; units the reader left out are untouched):

* XLIFF 1.x: each translated ``<trans-unit>`` gets a ``<target>`` (after ``<source>`` /
  ``<seg-source>``; an existing one is emptied, its other attributes kept) with
  ``state="needs-review-translation"`` and ``state-qualifier`` ``exact-match`` (memory) or
  ``mt-suggestion`` (engine), ``xml:lang`` the file's ``target-language`` (set to ``en``
  where missing). Fuzzy memory matches become ``<alt-trans origin="bitext-tm"
  match-quality="87">``; glossary terms that could not be enforced become ``<note
  from="bitext">`` (both replaced, not duplicated, on a rerun).
* XLIFF 2.x: each translated ``<segment>`` gets a ``<target>`` and ``state="translated"``
  (``subState`` ``bitext:tm`` / ``bitext:mt``); ``trgLang`` is set to ``en`` where missing.
* A word-by-word gist is not a translation: 1.x ``state="needs-translation"`` with
  ``state-qualifier="mt-suggestion"``, 2.x ``state="initial"`` (``subState`` ``bitext:gist``).
* Reviewed units (locked: 1.x ``translated``/``final``/``signed-off``, 2.x
  ``translated``/``reviewed``/``final``) are never touched.

Inline tags: the engine saw the text only. Each tag goes back where it belongs, in three
tries, the first whose result is well-formed wins:

1. anchored: a paired tag whose content is Latin/digits found verbatim in the target, or
   glossary terms whose English is found, wraps that text; a standalone tag touching such
   a term or token sits next to its English; tags at the very start/end stay there;
   everything else at the proportional position snapped to a word start (opening tags),
   a word end (closing tags) or a word boundary (standalone tags);
2. the same without anchors (order of tags kept);
3. every tag at its proportional position snapped to the nearest word boundary (always
   well-formed, the source order is kept).

Standalone tags are never dropped; paired tags always wrap a (possibly empty) span.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import regex

from bitext.document import SegmentResult, TranslatedDocument
from bitext.errors import FormatError
from bitext.files import atomic_write, xml_safe
from bitext.readers.xliff import Token, UnitRef, XliffSource, elements, local
from bitext.segment.verbatim import verbatim_spans
from bitext.terms.enforce import target_pattern
from bitext.writers.txt import wide_indent
from bitext.zh.numerals import parse_int
from bitext.zh.text import HAN as _HAN

log = logging.getLogger(__name__)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PUNCT_OR_SPACE = regex.compile(r"^[\p{P}\p{S}\s]*$")
_LATIN_TAIL = regex.compile(r"[A-Za-z0-9][A-Za-z0-9._/%+-]*$")
_LATIN_HEAD = regex.compile(r"^[A-Za-z0-9][A-Za-z0-9._/%+-]*")
_OPENERS = set("([{\"'“‘«<")
_OPEN_Q, _CLOSE_Q = set("《〈「『“‘（(【[〔"), set("》〉」』”’）)】]〕")
_OPEN_T, _CLOSE_T = set("\"'“‘«([<"), set("\"'”’»)]>")


# --------------------------------------------------------------------------- placement

def _boundaries(t: str) -> tuple[list[int], list[int], list[int]]:
    """Word starts, word ends and all boundaries of the target (sorted positions); none
    inside a span kept verbatim (``bitext.segment.verbatim``)."""
    m = len(t)
    starts = [0]
    ends = [m]
    for i in range(m):
        ch = t[i]
        prev = t[i - 1] if i else " "
        if not ch.isspace() and (prev.isspace() or prev in _OPENERS) and i:
            starts.append(i)
        if i and not prev.isspace() and (ch.isspace() or (not ch.isalnum() and prev.isalnum()
                                                          and ch not in "-'’")):
            ends.append(i)
    # never inside an address, a path or a file name (C:\数据\文件.txt is one word)
    inside = {p for a, b in verbatim_spans(t) for p in range(a + 1, b)}
    starts = sorted(set(starts) - inside)
    ends = sorted(set(ends) - inside)
    return starts, ends, sorted(set(starts) | set(ends))


def _nearest(points: list[int], q: float) -> int:
    i = bisect.bisect_left(points, q)
    cands = points[max(0, i - 1) : i + 1]
    return min(cands, key=lambda p: (abs(p - q), p))


def _edge(s: str, t: str, p: int) -> int | None:
    """Target position for source positions at the sentence edges (or before end punctuation)."""
    n, m = len(s), len(t)
    if p <= 0 or _PUNCT_OR_SPACE.match(s[:p]):
        lead = len(t) - len(t.lstrip("\"'“‘([{《 "))
        return 0 if p <= 0 else lead
    if p >= n:
        return m
    if _PUNCT_OR_SPACE.match(s[p:]):
        trail = len(t) - len(t.rstrip(".!?;:,。！？\"'”’)]}》 "))
        return m - trail
    return None


def _find_near(pattern: Any, t: str, q: float, avoid: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """The match of ``pattern`` in ``t`` nearest to position ``q`` that overlaps none of
    the spans in ``avoid`` (taken by another tag pair with the same text: two ``code``)."""
    best = None
    for mo in pattern.finditer(t):
        if any(mo.start() < b and a < mo.end() for a, b in avoid):
            continue
        d = abs(mo.start() - q)
        if best is None or d < best[0]:
            best = (d, mo.start(), mo.end())
    return (best[1], best[2]) if best else None


def _term_spans(s: str, t: str, hits: Sequence[Any]) -> list[tuple[int, int, int, int]]:
    """``(src_start, src_end, tgt_start, tgt_end)`` of glossary hits found in the target."""
    n, m = max(len(s), 1), len(t)
    out: list[tuple[int, int, int, int]] = []
    done: list[str] = []  # the target text of each span in out
    for h in hits:
        try:
            pat = target_pattern(h.entry.target)
        except Exception:  # noqa: BLE001 - an odd glossary target must not break writing
            log.debug("no pattern for glossary target %r", h.entry.target)
            continue
        # a term (or a span kept as it is) met twice takes two places in the target, in
        # source order
        taken = [(x[2], x[3]) for x in out]
        same = [x[3] for x, g in zip(out, done) if g == h.entry.target]
        found = None
        if same:
            found = _find_near(pat, t, h.start * m / n, [*taken, (0, max(same))])
        if found is None:
            found = _find_near(pat, t, h.start * m / n, taken)
        if found:
            out.append((h.start, h.end, found[0], found[1]))
            done.append(h.entry.target)
    return out


def _verbatim(c: str, t: str, q: float, avoid: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    c = c.strip()
    if not c or _HAN.search(c) or _PUNCT_OR_SPACE.match(c):
        return None
    found = _find_near(regex.compile(regex.escape(c)), t, q, avoid)
    if found is None:
        found = _find_near(regex.compile(regex.escape(c), regex.IGNORECASE), t, q, avoid)
    return found


def _anchor_span(s: str, t: str, a: int, b: int, terms: list[tuple[int, int, int, int]],
                 avoid: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    n, m = max(len(s), 1), len(t)
    content = s[a:b]
    if not content.strip():
        return None
    found = _verbatim(content, t, a * m / n, avoid)
    if found:
        return found
    inside = [x for x in terms if a <= x[0] and x[1] <= b]
    if not inside:
        return None
    covered = sum(x[1] - x[0] for x in inside)
    meaningful = len(regex.sub(r"[\p{P}\p{S}\s]", "", content))
    if meaningful and covered / meaningful >= 0.6:
        return min(x[2] for x in inside), max(x[3] for x in inside)
    return None


_ZH_STOPS = regex.compile(r"[。！？!?]+")
_EN_STOPS = regex.compile(r"[.!?。！？]+[\"'”’)\]]*(?=\s|$)")


def _anchor_point(s: str, t: str, p: int, terms: list[tuple[int, int, int, int]]) -> int | None:
    n, m = max(len(s), 1), len(t)
    before = s[:p].rstrip()
    if before and before[-1] in "。！？!?":
        k = len(_ZH_STOPS.findall(before))
        stops = [mo.end() for mo in _EN_STOPS.finditer(t)]
        if len(stops) >= k and stops[k - 1] < m:
            return stops[k - 1]
    for x in terms:
        if x[1] == p:
            return x[3]
        if x[0] == p:
            return x[2]
    mo = _LATIN_TAIL.search(s[:p])
    if mo:
        found = _verbatim(mo.group(0), t, mo.start() * m / n)
        if found:
            return found[1]
    mo = _LATIN_HEAD.match(s[p:])
    if mo:
        found = _verbatim(mo.group(0), t, p * m / n)
        if found:
            return found[0]
    return None


_LABEL_ZH = regex.compile(r"第([〇零一二两三四五六七八九十百千\d]{1,8})(条|章|节|款|项|编)")
_LABEL_EN = {"条": "Article", "章": "Chapter", "节": "Section", "款": "Paragraph", "项": "Item", "编": "Part"}
"""A law's article, chapter … labels (``第二十一条``) and their English (``Article 21``), as the
gist engine writes them and translations usually do: where the English has one, it anchors
the tags around it (``**第一条**`` → ``**Article 1**``)."""
_LATIN_TOKEN = regex.compile(r"[A-Za-z0-9][A-Za-z0-9._/%+-]*[A-Za-z0-9]")


def _knots(s: str, t: str, terms: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    """Source → target position pairs known for sure, increasing in both.

    The sentence ends, Latin/number tokens found verbatim in the target, a law's labels
    (``第二十一条`` ↔ ``Article 21``, ``_LABEL_ZH``) and glossary terms whose English was
    found; positions between them are interpolated, so a long code such as
    ``GB/T 22239-2019`` does not skew where the tags after it go.
    """
    n, m = max(len(s), 1), len(t)
    pts = [(0, 0), (len(s), m)]
    for mo in _LATIN_TOKEN.finditer(s):
        found = _verbatim(mo.group(0), t, mo.start() * m / n)
        if found:
            pts += [(mo.start(), found[0]), (mo.end(), found[1])]
    for mo in _LABEL_ZH.finditer(s):
        value = parse_int(mo.group(1))
        if value is None:
            continue
        pat = regex.compile(rf"\b{_LABEL_EN[mo.group(2)]}\s+{value}\b", regex.IGNORECASE)
        found = _find_near(pat, t, mo.start() * m / n)
        if found:
            pts += [(mo.start(), found[0]), (mo.end(), found[1])]
    for x in terms:
        pts += [(x[0], x[2]), (x[1], x[3])]
    pts.sort()
    kept: list[tuple[int, int]] = []
    for p in pts:
        if kept and p[1] < kept[-1][1]:
            continue  # a crossing anchor (reordered term): the earlier one wins
        kept.append(p)
    if kept[-1] != (len(s), m):
        kept.append((len(s), m))
    return kept


def _interp(knots: list[tuple[int, int]], p: int) -> float:
    """Target position of source position ``p`` by linear interpolation between knots."""
    i = bisect.bisect_right(knots, (p, float("inf"))) - 1
    i = max(0, min(i, len(knots) - 2))
    (a, ta), (b, tb) = knots[i], knots[i + 1]
    if b <= a:
        return float(tb if p >= b else ta)
    return ta + (tb - ta) * (min(max(p, a), b) - a) / (b - a)


def anchor_hits(segment: Any, hits: Sequence[Any]) -> list[Any]:
    """The glossary hits plus the segment's untranslated spans (``Segment.keep``, copied
    as they are, as hits whose target is their source): where they sit in the English
    anchors the tags around them (``place_tags``)."""
    if not segment.keep:
        return list(hits)
    from bitext.terms.glossary import GlossaryEntry, TermHit

    text = segment.text
    kept = [TermHit(a, b, GlossaryEntry(text[a:b], text[a:b])) for a, b in segment.keep]
    return sorted([*hits, *kept], key=lambda h: h.start)


def _anchors(r: SegmentResult) -> list[Any]:
    return anchor_hits(r.segment, r.term_hits)


def place_tags(
    tokens: Sequence[Token], lead: int, source: str, target: str, hits: Sequence[Any] = ()
) -> list[Token]:
    """The target as tokens: ``target`` text with the source's tags placed in it.

    Args:
        tokens: the flattened source (``bitext.readers.xliff.tokenize``).
        lead: characters trimmed from the start of the flattened source.
        source: the segment text the engine saw (flattened source, trimmed).
        target: the translation.
        hits: glossary hits of the source (``TermHit``, offsets into ``source``).
    """
    n, m = len(source), len(target)
    events: list[tuple[int, int, Token]] = []  # (source position, token index, token)
    pos = 0
    for i, tok in enumerate(tokens):
        if tok.kind == "text":
            pos += len(tok.text)
        else:
            events.append((min(max(pos - lead, 0), n), i, tok))
    if not events:
        return [Token("text", target)]
    spans: dict[int, list[int]] = {}
    for sp, i, tok in events:
        if tok.pair is not None:
            spans.setdefault(tok.pair, []).append(sp)
    starts, ends, bounds = _boundaries(target)
    terms = _term_spans(source, target, hits)
    knots = _knots(source, target, terms)
    # pairs around text kept as it is (XLIFF protected spans, inline code) sit exactly
    # around that text in the target, in every attempt; no other tag goes inside them
    kept_hits = {(h.start, h.end) for h in hits if h.entry.source == h.entry.target}
    kept = {pair: (w[0], w[1]) for pair, w in spans.items() if len(w) == 2 and (w[0], w[1]) in kept_hits}
    keep_at: dict[int, tuple[int, int]] = {}  # pair → where its text stands in the target
    for pair, where in kept.items():
        found = next(((ta, tb) for sa, sb, ta, tb in terms if (sa, sb) == where), None)
        if found is not None:
            keep_at[pair] = found

    def outside_kept(tpos: int, sp: int) -> int:
        for pair, (ta, tb) in keep_at.items():
            if ta <= tpos <= tb and ta < tb:  # at an edge, too: the side it was on in the source
                return ta if sp <= spans[pair][0] else tb
        return tpos

    def proportional(p: int, kind: str) -> int:
        e = _edge(source, target, p)
        if e is not None:
            return e
        q = _interp(knots, p)
        pos = _nearest(starts if kind == "start" else ends if kind == "end" else bounds, q)
        # A tag just inside 《…》 / “…” in the source stays inside the target's quotes.
        if kind == "end" and 0 < p and source[p - 1] in _CLOSE_Q and pos < m and target[pos] in _CLOSE_T:
            pos += 1
        elif kind == "start" and p < n and source[p] in _OPEN_Q and pos and target[pos - 1] in _OPEN_T:
            pos -= 1
        return pos

    def kind_of(tok: Token) -> str:
        if tok.kind == "open" or tok.role == "start":
            return "start"
        if tok.kind == "close" or tok.role == "end":
            return "end"
        return "solo"

    def attempt(anchored: bool, uniform: bool) -> list[tuple[int, int, Token]]:
        placed = []
        span_anchor: dict[int, tuple[int, int] | None] = {}
        last_solo = 0  # standalone tags keep their source order (two images, two codes)
        solo_sp = -1  # … and those from one source position stay together (a row of logos)
        for sp, i, tok in events:
            k = kind_of(tok)
            tpos: int | None = None
            if tok.pair in keep_at and tok.kind in ("open", "close"):
                ta, tb = keep_at[tok.pair]  # type: ignore[index]
                placed.append((ta if tok.kind == "open" else tb, i, tok))
                continue
            if anchored:
                if tok.pair is not None and len(spans.get(tok.pair, ())) == 2:
                    if tok.pair not in span_anchor:
                        a, b = spans[tok.pair]
                        # pairs around the same text (two `code`) take different places
                        same = [v for q, v in span_anchor.items() if v is not None
                                and source[slice(*spans[q])].strip() == source[a:b].strip()
                                and (spans[q][1] <= a or b <= spans[q][0])]  # not nested
                        span_anchor[tok.pair] = _anchor_span(source, target, a, b, terms, same)
                    anc = span_anchor[tok.pair]
                    if anc is not None:
                        tpos = anc[0] if k == "start" else anc[1]
                else:
                    tpos = _anchor_point(source, target, sp, terms)
            if tpos is None:
                if uniform:
                    e = _edge(source, target, sp)
                    tpos = e if e is not None else _nearest(bounds, _interp(knots, sp))
                else:
                    tpos = proportional(sp, k)
            if k == "solo":
                together = solo_sp >= 0 and not source[solo_sp:sp].strip()  # only spaces between
                tpos = last_solo = last_solo if together else max(tpos, last_solo)
                solo_sp = sp
            placed.append((outside_kept(tpos, sp), i, tok))
        # A paired tag around source text must not collapse to nothing in the target.
        opened: dict[int, int] = {}
        for j, (tpos, i, tok) in enumerate(placed):
            if tok.kind == "open" and tok.pair is not None:
                opened[tok.pair] = tpos
            elif tok.kind == "close" and tok.pair in opened:
                a, b = spans[tok.pair]
                start = opened[tok.pair]
                if b > a and tpos <= start < m and tok.pair not in keep_at:
                    pool = bounds if uniform else ends
                    nxt = bisect.bisect_right(pool, start)
                    placed[j] = (outside_kept(pool[nxt] if nxt < len(pool) else m, b), i, tok)
        return placed

    attempts: tuple[tuple[bool, bool, bool], ...] = (
        (True, False, True), (True, False, False), (False, False, False), (False, True, False))
    if target == source:  # nothing changed (all kept or untranslatable): tags where they stood
        attempts = ()
        placed = list(events)
    for anchored, uniform, ranked in attempts:
        placed = attempt(anchored, uniform)
        if ranked:
            # tags that meet at one place in the target: ends, then standalone tags, then
            # starts; tags from one place in the source keep their source order
            # (下载链接<img></a> → "download link<img></a>")
            rank = {"end": 0, "solo": 1, "start": 2}
            src_at = {i: sp for sp, i, _ in events}
            group: dict[int, int] = {}
            for _, i, tok in placed:
                group[src_at[i]] = min(group.get(src_at[i], 2), rank[kind_of(tok)])
            placed.sort(key=lambda x: (x[0], group[src_at[x[1]]], x[1]))
        else:
            placed.sort(key=lambda x: (x[0], x[1]))
        if _well_formed(placed):
            break
    else:
        if attempts:  # every tag in source order at its proportional place: well formed
            placed, q = [], 0
            for sp, i, tok in events:
                q = max(q, _nearest(bounds, _interp(knots, sp)))
                placed.append((q, i, tok))
    out: list[Token] = []
    cur = 0
    for tpos, _, tok in placed:
        if tpos > cur:
            out.append(Token("text", target[cur:tpos]))
            cur = tpos
        out.append(tok)
    if cur < m:
        out.append(Token("text", target[cur:]))
    return _keep_inside(out, kept, source)


def _keep_inside(out: list[Token], kept: dict[int, tuple[int, int]], source: str) -> list[Token]:
    """A tag pair around text kept as it is (``kept``: pair → its source span) holds
    exactly that text in the target: what the placement put inside besides it goes out, and
    the kept text, placed elsewhere, comes in."""
    if not kept:
        return out
    for pair, where in kept.items():
        text = source[where[0]:where[1]]
        io = next((k for k, t in enumerate(out) if t.kind == "open" and t.pair == pair), None)
        ic = next((k for k, t in enumerate(out) if t.kind == "close" and t.pair == pair), None)
        if io is None or ic is None or ic < io or any(t.kind != "text" for t in out[io + 1:ic]):
            continue
        inner = "".join(t.text for t in out[io + 1:ic])
        if inner == text:
            continue
        at = inner.find(text)
        if at >= 0:
            before, after = inner[:at], inner[at + len(text):]
        else:  # the kept text stands outside: take the occurrence nearest the pair
            found = [(min(abs(k - io), abs(k - ic)), k, j) for k, t in enumerate(out)
                     if t.kind == "text" and not io <= k <= ic
                     for j in [t.text.find(text)] if j >= 0]
            if not found:
                continue
            _, k, j = min(found)
            out[k] = Token("text", out[k].text[:j] + out[k].text[j + len(text):])
            before, after = "", inner
        out[io + 1:ic] = [Token("text", text)]
        ic = io + 2
        out.insert(ic + 1, Token("text", after))
        out.insert(io, Token("text", before))
    merged: list[Token] = []
    for t in out:
        if t.kind == "text" and merged and merged[-1].kind == "text":
            merged[-1] = Token("text", merged[-1].text + t.text)
        elif t.kind != "text" or t.text:
            merged.append(t)
    return merged


def _well_formed(placed: Sequence[tuple[int, int, Token]]) -> bool:
    stack: list[int | None] = []
    started: set[int] = set()
    for _, _, tok in placed:
        if tok.kind == "open":
            stack.append(tok.pair)
        elif tok.kind == "close":
            if not stack or stack[-1] != tok.pair:
                return False
            stack.pop()
        elif tok.role == "start" and tok.pair is not None:
            started.add(tok.pair)
        elif tok.role == "end" and tok.pair is not None and tok.pair not in started:
            return False
    return not stack


def fill(el: Any, tokens: Sequence[Token]) -> None:
    """Append the tokens' text and elements to an (empty) element, rebuilding nesting."""
    stack = [el]

    def add_text(text: str) -> None:
        parent = stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    for tok in tokens:
        if tok.kind == "text":
            if tok.text:
                add_text(tok.text)
        elif tok.kind == "open":
            new = copy.deepcopy(tok.elem)
            stack[-1].append(new)
            stack.append(new)
        elif tok.kind == "close":
            stack.pop()
        else:
            new = copy.deepcopy(tok.elem)
            new.tail = None
            stack[-1].append(new)


# --------------------------------------------------------------------------- the writer

def _clear(el: Any) -> None:
    tail = el.tail
    for c in list(el):
        el.remove(c)
    el.text = None
    el.tail = tail


def _qn(ref_el: Any, name: str) -> str:
    from lxml import etree

    ns = etree.QName(ref_el).namespace
    return f"{{{ns}}}{name}" if ns else name


def _target_for(parent: Any, after_names: Sequence[str]) -> Any:
    from lxml import etree

    target = None
    anchor = None
    for c in parent:
        name = local(c.tag)
        if name == "target" and target is None:
            target = c
        if name in after_names:
            anchor = c
    if target is not None:
        _clear(target)
        return target
    if anchor is None:  # pragma: no cover - the reader only offers units with a source
        raise ValueError("unit without <source>")
    target = etree.Element(_qn(anchor, "target"))
    prev = anchor.getprevious()
    indent = prev.tail if prev is not None else parent.text
    tail = anchor.tail
    anchor.addnext(target)
    if indent is not None and not indent.strip():
        anchor.tail = indent
    target.tail = tail
    return target


def _write_1(tree: Any, src: XliffSource, tdoc: TranslatedDocument, refs: dict[str, tuple[Any, UnitRef]]) -> None:
    from lxml import etree

    by_unit: dict[Any, list[tuple[str, UnitRef]]] = {}
    for sid, (unit, ref) in refs.items():
        by_unit.setdefault(unit, []).append((sid, ref))
    for unit, items in by_unit.items():
        results = [tdoc.result(sid) for sid, _ in items]
        file_el = next((a for a in unit.iterancestors() if local(a.tag) == "file"), None)
        lang = "en"
        if file_el is not None:
            if not file_el.get("target-language"):
                file_el.set("target-language", "en")
            lang = file_el.get("target-language") or "en"
        old_target = next((c for c in unit if local(c.tag) == "target"), None)
        kept = {
            m.get("mid"): copy.deepcopy(m) for m in (old_target.iter() if old_target is not None else ())
            if local(m.tag) == "mrk" and m.get("mtype") == "seg"
        }
        target = _target_for(unit, ("source", "seg-source"))
        if target.get(XML_LANG) is None:
            target.set(XML_LANG, lang)
        all_tm = all(r.origin == "tm" for r in results)
        # a word-by-word gist is no translation: the unit still needs one
        gist = any(r.origin == "gist" for r in results)
        target.set("state", "needs-translation" if gist else "needs-review-translation")
        target.set("state-qualifier", "exact-match" if all_tm else "mt-suggestion")
        if items[0][1].mid is None:
            sid, ref = items[0]
            r = results[0]
            fill(target, _indented(ref, place_tags(ref.tokens, ref.lead, r.segment.text, r.target, _anchors(r))))
        else:
            _fill_segmented(unit, target, dict(zip((ref.mid for _, ref in items), zip(items, results))),
                            kept)
        # bitext's own annotations: replaced on every run
        for c in list(unit):
            if (local(c.tag) == "alt-trans" and c.get("origin") == "bitext-tm") or (
                local(c.tag) == "note" and c.get("from") == "bitext"
            ):
                unit.remove(c)
        tail = target.tail
        last = target
        for r in results:
            for v in r.term_violations:
                note = etree.Element(_qn(unit, "note"), {"from": "bitext", "priority": "2"})
                note.text = f"glossary term not enforced: {v.entry.source} → {v.entry.target}"
                note.tail = tail
                last.addnext(note)
                last = note
        for (_, ref), r in zip(items, results):
            for sim, fsrc, ftgt in _fuzzy(r):
                attrs = {"origin": "bitext-tm", "match-quality": str(round(sim * 100))}
                if ref.mid is not None:
                    attrs["mid"] = ref.mid
                alt = etree.Element(_qn(unit, "alt-trans"), attrs)
                etree.SubElement(alt, _qn(unit, "source")).text = fsrc
                t = etree.SubElement(alt, _qn(unit, "target"), {XML_LANG: lang})
                t.text = ftgt
                alt.tail = tail
                last.addnext(alt)
                last = alt


def _fill_segmented(unit: Any, target: Any, done: dict[Any, Any], kept: dict[Any, Any]) -> None:
    """Mirror ``<seg-source>`` in the target: each ``<mrk mtype="seg">`` gets its translation.

    Segments not translated in this run keep the target's existing ``<mrk>`` (``kept``,
    by ``mid``) or, when the target had none, a copy of the source segment.
    """
    seg_source = next(c for c in unit if local(c.tag) == "seg-source")
    target.text = seg_source.text
    for child in seg_source:
        if not isinstance(child.tag, str):
            continue
        if local(child.tag) == "mrk" and child.get("mtype") == "seg" and child.get("mid") in done:
            (_sid, ref), r = done[child.get("mid")]
            mrk = copy.deepcopy(child)
            for c in list(mrk):
                mrk.remove(c)
            mrk.text = None
            fill(mrk, place_tags(ref.tokens, ref.lead, r.segment.text, r.target, _anchors(r)))
        elif local(child.tag) == "mrk" and child.get("mtype") == "seg" and child.get("mid") in kept:
            mrk = kept[child.get("mid")]  # a segment already translated (or locked) stays
        else:  # untranslatable piece (empty segment, tag between segments): copied
            mrk = copy.deepcopy(child)
        mrk.tail = child.tail
        target.append(mrk)
    # Chinese runs sentences together; English segments need a space between them.
    kids = [c for c in target if isinstance(c.tag, str)]
    for a, b in itertools.pairwise(kids):
        if (
            local(a.tag) == local(b.tag) == "mrk" and a.get("mtype") == b.get("mtype") == "seg"
            and (a.get("mid") in done or b.get("mid") in done) and not a.tail
        ):
            text = "".join(a.itertext())
            if text and not text[-1].isspace() and not _HAN.search(text[-1]):
                a.tail = " "


def _fuzzy(r: SegmentResult) -> Sequence[tuple[float, str, str]]:
    return [(s, xml_safe(a), xml_safe(b)) for s, a, b in r.tm_fuzzy]


def _write_2(tree: Any, src: XliffSource, tdoc: TranslatedDocument, refs: dict[str, tuple[Any, UnitRef]]) -> None:
    root = tree.getroot()
    if refs and not root.get("trgLang"):
        root.set("trgLang", "en")
    for sid, (seg, ref) in refs.items():
        r = tdoc.result(sid)
        target = _target_for(seg, ("source",))
        seg.set("state", "initial" if r.origin == "gist" else "translated")  # a gist is no translation
        seg.set("subState", "bitext:tm" if r.origin == "tm" else f"bitext:{r.origin}")
        fill(target, _indented(ref, place_tags(ref.tokens, ref.lead, r.segment.text, r.target, _anchors(r))))


def _indented(ref: UnitRef, placed: list[Token]) -> list[Token]:
    """The target with the source's indentation before it when the source opens with wide
    spaces (``　　第一条…``: layout, not text, kept as in the other document formats)."""
    first = ref.tokens[0] if ref.tokens else None
    if first is None or first.kind != "text":
        return placed
    ws = wide_indent(first.text[: ref.lead])
    return [Token("text", ws), *placed] if ws else placed


def write(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the translated XLIFF (atomic). The document must come from the XLIFF reader."""
    src = tdoc.document.source
    if not isinstance(src, XliffSource):
        raise FormatError("the XLIFF writer needs a document read by the XLIFF reader", str(path))
    tree = copy.deepcopy(src.tree)
    copied = elements(tree)
    refs: dict[str, tuple[Any, UnitRef]] = {}
    for sid, ref in src.segments.items():
        if sid not in tdoc.results or tdoc.results[sid].origin == "locked":
            continue  # reviewed units stay exactly as they were
        refs[sid] = (copied[ref.unit_index], ref)
    # Characters XML forbids must not reach the tree (lxml refuses them).
    clean: dict[str, SegmentResult] = {}
    for sid in refs:
        r = tdoc.result(sid)
        if xml_safe(r.target) != r.target:
            from dataclasses import replace

            r = replace(r, target=xml_safe(r.target))
        clean[sid] = r
    tdoc = TranslatedDocument(tdoc.document, {**tdoc.results, **clean}, tdoc.info)
    if src.major == 1:
        _write_1(tree, src, tdoc, refs)
    else:
        _write_2(tree, src, tdoc, refs)
    data = _splice(src, tree, [(ref.unit_index, el) for el, ref in refs.values()])
    if data is None:  # fall back to serialising the whole tree
        data = etree_bytes(tree)
    with atomic_write(path, "wb") as f:
        f.write(data)


def etree_bytes(tree: Any) -> bytes:
    """The whole tree serialised by lxml (UTF-8, with an XML declaration)."""
    from lxml import etree

    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8")) + b"\n"


# --------------------------------------------------------------------------- byte-preserving output

_START_TAG = regex.compile(r"<[^\s/>!?][^\s/>]*(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_SKIPPED = regex.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", regex.DOTALL)
"""A comment, CDATA section or processing instruction (``element_spans`` steps over them)."""
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def element_spans(text: str) -> list[list[int]] | None:
    """``[start, start_tag_end, end]`` of every element of an XML text, in document order.

    A small scanner (comments, CDATA, processing instructions, the DOCTYPE and quoted
    attribute values are skipped correctly). Returns None when the text does not scan as
    well-formed markup.
    """
    spans: list[list[int]] = []
    stack: list[int] = []
    find = text.find
    n = len(text)
    i = find("<")
    while i >= 0:
        if text.startswith(("<!--", "<![CDATA[", "<?"), i):
            mo = _SKIPPED.match(text, i)
            if mo is None:  # unterminated
                return None
            i = find("<", mo.end())
            continue
        if text.startswith("<!", i):  # DOCTYPE, with an internal subset and quoted literals
            j, depth, quote = i + 2, 0, ""
            while j < n:
                c = text[j]
                if quote:
                    if c == quote:
                        quote = ""
                elif c in "\"'":
                    quote = c
                elif c == "[":
                    depth += 1
                elif c == "]":
                    depth -= 1
                elif c == ">" and depth <= 0:
                    break
                j += 1
            if j >= n:
                return None
            i = find("<", j + 1)
            continue
        if text.startswith("</", i):
            j = find(">", i)
            if j < 0 or not stack:
                return None
            spans[stack.pop()][2] = j + 1
            i = find("<", j + 1)
            continue
        mo = _START_TAG.match(text, i)
        if mo is None:
            return None
        end = mo.end()
        if text[end - 2] == "/":
            spans.append([i, end, end])
        else:
            stack.append(len(spans))
            spans.append([i, end, -1])
        i = find("<", end)
    return spans if not stack else None


def _decode(raw: bytes, encoding: str | None) -> tuple[str, str, bytes] | None:
    """``(text, codec, bom)`` of the input file's bytes, or None when they cannot be decoded."""
    import codecs

    bom = b""
    codec = (encoding or "utf-8").lower()
    for mark, name in _BOMS:
        if raw.startswith(mark):
            bom, codec = mark, name
            break
    else:
        if codec in ("utf-16", "utf16"):
            return None  # UTF-16 without a byte order mark: let lxml write it anew
    try:
        codecs.lookup(codec)
        return raw[len(bom):].decode(codec), codec, bom
    except (LookupError, UnicodeDecodeError):
        return None


def _splice(src: XliffSource, tree: Any, changed: Sequence[tuple[int, Any]]) -> bytes | None:
    """The input file with only the changed units (and added attributes) rewritten.

    Every byte outside the translated ``<trans-unit>`` (1.x) / ``<segment>`` (2.x)
    elements is the input's own: untouched units, comments, character references,
    attribute quoting, the XML declaration and the file's encoding are kept. Returns None
    (the caller serialises the whole tree) when the input cannot be handled this way;
    the result is checked to parse to the same document as the modified tree.
    """
    from lxml import etree

    if not src.raw:
        return None
    dec = _decode(src.raw, src.tree.docinfo.encoding)
    if dec is None:
        return None
    text, codec, bom = dec
    spans = element_spans(text)
    old_els = elements(src.tree)
    if spans is None or len(spans) != len(old_els):
        log.debug("XLIFF input does not scan; writing the whole tree")
        return None
    out_text = etree.tostring(tree, encoding="unicode")
    out_spans = element_spans(out_text)
    new_els = elements(tree)
    if out_spans is None or len(out_spans) != len(new_els):  # pragma: no cover - lxml's own output
        return None
    old_index = {e: k for k, e in enumerate(old_els)}
    new_index = {e: k for k, e in enumerate(new_els)}
    crlf = "\r\n" in text[: spans[0][0] + 4096]
    edits: list[tuple[int, int, str]] = []
    for k, new in dict(changed).items():  # (position in the input, element in the output)
        a, _, b = spans[k]
        na, _, nb = out_spans[new_index[new]]
        piece = out_text[na:nb]
        edits.append((a, b, piece.replace("\n", "\r\n") if crlf else piece))
    # Attributes the writer adds outside the units (target-language, trgLang).
    containers = [(src.tree.getroot(), tree.getroot())]
    if src.major == 1:
        containers += list(zip(
            (e for e in old_els if local(e.tag) == "file"),
            (e for e in new_els if local(e.tag) == "file"),
        ))
    for old, new in containers:
        if dict(old.attrib) == dict(new.attrib):
            continue
        if any(new.get(k) != v for k, v in old.attrib.items()):
            return None
        added = "".join(
            f' {k}="{_attr_escape(v)}"' for k, v in new.attrib.items() if k not in old.attrib
        )
        _, tag_end, _ = spans[old_index[old]]
        at = tag_end - 2 if text[tag_end - 2] == "/" else tag_end - 1
        edits.append((at, at, added))
    edits.sort()
    parts = []
    cur = 0
    for a, b, piece in edits:
        if a < cur:  # pragma: no cover - units never overlap
            return None
        parts.append(text[cur:a])
        parts.append(piece)
        cur = b
    parts.append(text[cur:])
    result = "".join(parts)
    try:
        data = bom + result.encode(codec, errors="xmlcharrefreplace")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=True)
        check = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, UnicodeError, ValueError) as e:
        log.debug("spliced XLIFF rejected (%s); writing the whole tree", e)
        return None
    if etree.tostring(check, encoding="unicode") != etree.tostring(tree.getroot(), encoding="unicode"):
        log.debug("spliced XLIFF differs from the tree; writing the whole tree")
        return None
    return data


def _attr_escape(v: str) -> str:
    return (v.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;"))
