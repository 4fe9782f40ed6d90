"""Side-by-side HTML review page of a ``TranslatedDocument`` (``write(path, tdoc)``).

One self-contained UTF-8 file: inline CSS and one small inline script, both allowed by a
hash-based Content-Security-Policy that allows nothing else (no network, no images); the
page reads the same with scripts off (the tool bar is ``hidden`` until the script shows
it). The page is an lxml element tree serialised with lxml's HTML serialiser, so every
piece of user text (source, target, glossary entries, file names, messages) is escaped by
construction: a source containing ``<script>`` shows as text. Characters XML 1.0 forbids
are removed first (``xml_safe``). The file is written atomically. The skeleton, fonts,
script and Chinese-run wrapping are shared with the QA report and the alignment page
(``bitext.writers.htmlpage``).

Structure (stable, so tools such as ``bitext check`` and tests can read it back):

* ``<head>``: ``<meta charset="utf-8">``, the CSP, a viewport, ``<meta name="generator">``
  and ``<meta name="bitext-…">`` provenance (version, engine, engine signature, gist
  flag, source, one ``bitext-glossary`` per glossary as ``<sha256>  <path>``).
* ``<header>``: source file, engine and model, bitext version, glossaries with their
  SHA-256 (in ``<details class="provenance">``, folded on phones), and the counts
  (``<dd data-count="segments">`` …: segments, term hits, term success — ``n/a`` when the
  text has no term —, repaired terms, term violations, QA errors and warnings, TM
  matches); a count with a filter links to it (``<a data-show="show-flagged">``). When the
  engine writes gists, a ``<p class="gist-banner">`` says "word-by-word gist, not a
  translation". A ``<nav class="toc">`` lists the headings; ``div#tools`` holds the
  search box (``input#q``), the filters (radios "All rows", "Flagged only" = ``.has-error``,
  "TM only", "Gist only", "Repaired only") and the previous/next-flag buttons (keys
  ``p``/``n``).
* ``<table class="bitext">``: one ``<tbody class="block KIND" id="p3">`` per block (in
  document order) and one ``<tr class="seg" id="p3.s2">`` per segment with the cells
  ``td.sid`` (anchor link and badges), ``td.src`` (``lang="zh-CN"``) and ``td.tgt``
  (``lang="en"``); inside each cell the segment's text is the element with class
  ``text`` (highlights included, flags and suggestions outside it). Headings are
  ``<h2>``…``<h6>`` (the document's levels under the page's ``<h1>``, never skipping a
  level), list items ``<ul>``/``<ol>`` ``<li>`` indented by depth, passthrough blocks
  (image/link lines) shown verbatim and marked untranslated. Column headers are sticky;
  below 700 px the source stacks above the target.
* Glossary terms: ``<mark class="term" title="源 → target — note" tabindex="0">`` on both
  sides (focus or a tap shows the entry); a hit whose target is missing
  (``SegmentResult.violated_hits``: enforcement's violations and QA's term errors, TM
  matches included) is ``<mark class="term violation">``.
* Flags under the target: ``<ul class="flags">`` with ``li.flag.violation``,
  ``li.flag.repaired``, ``li.flag.qa-error`` / ``li.flag.qa-warning`` (``data-check``);
  rows carry ``origin-{mt,gist,tm}``, ``has-violation`` / ``has-error`` (any error,
  term violations included) / ``has-warning`` and ``has-repaired`` classes.
* Translation memory: exact matches get ``<span class="badge tm">`` and are drawn as
  translations, not in gist italics; fuzzy suggestions are listed in ``<div class="fuzzy">``.
* Every Chinese run outside a ``zh-CN`` cell (titles, messages quoting a term,
  untranslated targets) sits in ``<span lang="zh-CN">``; ``:lang(zh)`` selects a
  Simplified Chinese font stack.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bitext.document import Block, SegmentResult, TranslatedDocument
from bitext.files import atomic_write
from bitext.terms.enforce import target_pattern
from bitext.writers.htmlpage import add_text, el, finish, new_page, tools, wrap_zh

log = logging.getLogger(__name__)

GIST_BANNER = "word-by-word gist, not a translation"

CSS = """
:root { --fg:#1d1d1f; --muted:#595959; --line:#ddd; --term:#fff3b0; --bad:#b00020; --badbg:#fde7ea;
  --warn:#7a4f00; --warnbg:#fff4e0; --ok:#1b6e20; --tm:#0b57d0; }
body { font-size: 15px; line-height: 1.55; color: var(--fg); margin: 0 auto; max-width: 1400px;
  padding: 1rem 1.5rem; background: #fff; }
header { border-bottom: 2px solid var(--line); margin-bottom: 1rem; padding-bottom: .5rem; }
h1.page-title { font-size: 1.35rem; margin: .2rem 0 .6rem; }
.gist-banner { background: var(--badbg); color: var(--bad); border: 2px solid var(--bad);
  border-radius: 6px; padding: .6rem 1rem; font-size: 1.1rem; font-weight: 600; }
dl.provenance { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .15rem 1rem; margin: .5rem 0; }
dl.provenance dt { color: var(--muted); }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
ul.glossaries { margin: 0; padding-left: 1.1rem; }
.sha256 { color: var(--muted); font-size: .85em; word-break: break-all; }
dl.counts { display: flex; flex-wrap: wrap; gap: .4rem; margin: .6rem 0; }
dl.counts div { border: 1px solid var(--line); border-radius: 6px; padding: .2rem .7rem; text-align: center; }
dl.counts dt { color: var(--muted); font-size: .8rem; }
dl.counts dd { margin: 0; font-weight: 600; font-size: 1.1rem; }
dl.counts dd a { color: inherit; }
dl.counts .bad dd { color: var(--bad); }
.legend { color: var(--muted); font-size: .85rem; }
nav.toc details { margin: .4rem 0; }
nav.toc summary { cursor: pointer; font-weight: 600; }
nav.toc ol { margin: .3rem 0; padding-left: 1.4rem; columns: 2 22rem; }
nav.toc li.lvl-3 { margin-left: 1rem; } nav.toc li.lvl-4, nav.toc li.lvl-5, nav.toc li.lvl-6 { margin-left: 2rem; }
nav.toc .toc-en { color: var(--muted); }
table.bitext { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.bitext th { text-align: left; border-bottom: 2px solid var(--line); padding: .3rem .5rem;
  position: sticky; top: 0; background: #fff; z-index: 2; }
table.bitext col.sid { width: 7.5rem; }
tbody.block { border-top: 1px solid var(--line); }
tr.seg td { vertical-align: top; padding: .3rem .5rem; }
tr.seg:target { outline: 2px solid var(--tm); }
td.sid { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); }
td.sid a { color: inherit; }
td.src, td.tgt { overflow-wrap: anywhere; }
td.src h2, td.src h3, td.src h4, td.src h5, td.src h6,
td.tgt h2, td.tgt h3, td.tgt h4, td.tgt h5, td.tgt h6 { margin: .2rem 0; }
tbody.level-1 .text { font-size: 1.4rem; } tbody.level-2 .text { font-size: 1.2rem; }
tbody.level-3 .text { font-size: 1.05rem; } tbody.level-4 .text, tbody.level-5 .text, tbody.level-6 .text { font-size: 1rem; }
td ul, td ol { margin: 0; }
.depth-1 { margin-left: 1.5rem; } .depth-2 { margin-left: 3rem; } .depth-3 { margin-left: 4.5rem; }
.depth-4 { margin-left: 6rem; } .depth-5 { margin-left: 7.5rem; }
.list-cont { padding-left: 2.5rem; }
body.gist tr.origin-gist td.tgt .text { font-style: italic; color: #444; }
mark.term { background: var(--term); color: var(--fg); border-bottom: 1px dotted #7a6000; cursor: help; padding: 0 1px; }
mark.term.violation { background: var(--badbg); border-bottom: 2px solid var(--bad); }
mark.term:focus { outline: 2px solid var(--tm); }
mark.term:focus::after { content: " [" attr(title) "]"; font-size: .85em; background: #fff; color: var(--fg);
  border: 1px solid var(--line); border-radius: 3px; padding: 0 .2em; }
tr.has-violation td.tgt, tr.has-error td.tgt { background: #fff8f8; }
tr.has-violation td.sid, tr.has-error td.sid { border-left: 4px solid var(--bad); }
tr.has-warning td.sid { border-left: 4px solid var(--warn); }
ul.flags { list-style: none; margin: .3rem 0 0; padding: 0; font-size: .85rem; }
li.flag { border-radius: 4px; padding: .05rem .4rem; margin: .1rem 0; }
li.flag.violation, li.flag.qa-error { background: var(--badbg); color: var(--bad); }
li.flag.qa-warning { background: var(--warnbg); color: var(--warn); }
li.flag.repaired { color: var(--ok); }
.badge { display: inline-block; font-size: 11px; border-radius: 3px; padding: 0 4px; margin: 1px 2px 0 0;
  border: 1px solid currentColor; }
.badge.tm { color: #fff; background: var(--tm); border-color: var(--tm); }
.badge.origin-gist { color: var(--bad); }
.badge.alert { color: #fff; background: var(--bad); border-color: var(--bad); }
div.fuzzy { font-size: .85rem; border-left: 3px solid var(--tm); padding-left: .5rem; margin-top: .3rem; }
div.fuzzy p { margin: 0; color: var(--tm); }
div.fuzzy ol { padding-left: 1.2rem; }
.sim { font-weight: 600; color: var(--tm); }
tr.passthrough td { color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: .8rem; margin-top: 1.5rem; border-top: 1px solid var(--line); }
@media (max-width: 700px) {
  body { font-size: 16px; }
  table.bitext, table.bitext tbody, table.bitext tr, table.bitext td { display: block; width: auto; }
  table.bitext colgroup, table.bitext thead { display: none; }
  tbody.block { border-top: 2px solid var(--line); }
  tr.seg td { padding: .15rem .3rem; }
  td.sid { font-size: 11px; border-left-width: 0; }
  td.sid br { display: none; }
  tr.seg td.tgt { border-top: 1px dashed var(--line); }
  tr.has-violation, tr.has-error { border-left: 4px solid var(--bad); }
  tr.has-warning { border-left: 4px solid var(--warn); }
  .depth-1, .depth-2, .depth-3, .depth-4, .depth-5 { margin-left: .75rem; }
  .list-cont { padding-left: 1.2rem; }
  dl.provenance { grid-template-columns: minmax(0, 1fr); }
  dl.provenance dt { font-weight: 600; }
  nav.toc ol { columns: 1; }
  .gist-banner { font-size: 1rem; padding: .4rem .6rem; }
  h1.page-title { font-size: 1.15rem; }
}
details.provenance > summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
"""


# --- small tree helpers ------------------------------------------------------------------

_el = el
_add_text = add_text


def term_title(hit: Any, *, violated: bool = False) -> str:
    """Hover/focus text of a highlighted term: ``源 → target — note``."""
    e = hit.entry
    title = f"{e.source} → {e.target}"
    if e.note:
        title += f" — {e.note}"
    if violated:
        title += " — NOT in the translation (violation)"
    return title


def _marked(parent: Any, text: str, spans: Iterable[tuple[int, int, str, str]],
            kept: Iterable[tuple[int, str]] = ()) -> None:
    """Write ``text`` into ``parent`` with ``<mark>`` around ``(start, end, class, title)`` spans
    and ``<code class="kept">`` for ``(offset, text)`` code kept verbatim (see ``kept_codes``).

    Each mark is focusable (``tabindex="0"``) and shows its entry on focus, so a tap on a
    touch screen reveals what a mouse shows on hover."""
    pos = 0
    todo = sorted(kept, key=lambda k: k[0])  # stable: codes at one offset keep their order

    def plain(a: int, b: int) -> None:  # text[a:b], with the kept code that sits there
        while todo and todo[0][0] <= b:
            at, code = todo.pop(0)
            at = max(at, a)  # code inside a mark goes after it
            _add_text(parent, text[a:at])
            before = " " if at > 0 and text[at - 1].isascii() and text[at - 1].isalnum() else ""
            after = " " if at < len(text) and text[at].isascii() and text[at].isalnum() else ""
            _add_text(parent, before)
            _el(parent, "code", code, class_="kept", title="code: kept as in the source")
            _add_text(parent, after)
            a = at
        _add_text(parent, text[a:b])

    for start, end, cls, title in spans:
        if start < pos or end <= start:
            continue
        plain(pos, start)
        _el(parent, "mark", text[start:end], class_=cls, title=title, tabindex="0")
        pos = end
    plain(pos, len(text))


def kept_codes(seg: Any, r: SegmentResult) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Inline elements kept verbatim (``<code>`` holding Chinese, which no engine saw): their
    text and offset in the source sentence and in the translation (where the document
    writers place them)."""
    kept = [c for c in seg.codes if c.kind == "ph" and c.text]
    if not kept:
        return [], []
    from bitext.writers.tmx import placed_parts

    out: list[tuple[int, str]] = []
    cur = 0
    for p in placed_parts(seg, r.target, r.term_hits):
        if isinstance(p, str):
            piece = p.strip()
            at = r.target.find(piece, cur) if piece else -1
            if at >= 0:
                cur = at + len(piece)
        elif p.kind == "ph" and p.text:
            out.append((cur, p.text))
    return [(c.pos, c.text) for c in kept], out


def source_spans(r: SegmentResult) -> list[tuple[int, int, str, str]]:
    """Highlight spans of the glossary hits in the source text (each hit with its own entry)."""
    bad = set(r.violated_hits)
    spans = []
    for h in r.term_hits:
        violated = h in bad
        cls = "term violation" if violated else "term"
        spans.append((h.start, h.end, cls, term_title(h, violated=violated)))
    return sorted(spans, key=lambda s: (s[0], -s[1]))


@functools.lru_cache(maxsize=4096)
def _pattern(target: str) -> Any:
    return target_pattern(target)


def target_spans(r: SegmentResult) -> list[tuple[int, int, str, str]]:
    """Highlight spans of the glossary targets found in the translation (non-overlapping).

    When several entries share a target (国家网信办 and 国家互联网信息办公室 both give
    "Cyberspace Administration of China"), the title names every entry of this segment
    that matched, each with its own note, in source order."""
    by_target: dict[str, list[Any]] = {}
    for h in r.term_hits:
        if not h.entry.target.strip():
            continue
        same = by_target.setdefault(h.entry.target.casefold(), [])
        if all(x.entry.source != h.entry.source for x in same):
            same.append(h)
    found: list[tuple[int, int, str, str]] = []
    for hits in by_target.values():
        title = " | ".join(term_title(h) for h in hits)
        for m in _pattern(hits[0].entry.target).finditer(r.target):
            found.append((m.start(), m.end(), "term", title))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, str, str]] = []
    end = -1
    for s in found:
        if s[0] >= end:
            out.append(s)
            end = s[1]
    return out


# --- page parts ---------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 100:.1f}%"


def _head(head: Any, tdoc: TranslatedDocument) -> None:
    info = tdoc.info
    _el(head, "meta", name="generator", content=f"bitext {info.bitext_version}")
    _el(head, "meta", name="bitext-version", content=info.bitext_version)
    _el(head, "meta", name="bitext-engine", content=info.engine)
    _el(head, "meta", name="bitext-engine-signature", content=info.engine_signature)
    _el(head, "meta", name="bitext-gist", content="true" if info.is_gist else "false")
    _el(head, "meta", name="bitext-source", content=_source(tdoc))
    for path, sha in info.glossaries:
        _el(head, "meta", name="bitext-glossary", content=f"{sha}  {path}")
    _el(head, "meta", name="bitext-created", content=info.created)


def _title(tdoc: TranslatedDocument) -> str:
    name = Path(_source(tdoc)).name if _source(tdoc) else "document"
    gist = " (gist)" if tdoc.info.is_gist else ""
    return f"{name} — bitext side by side{gist}"


def _source(tdoc: TranslatedDocument) -> str:
    return tdoc.info.source_path or tdoc.document.path or ""


FILTERS = [
    ("show-all", "All rows", ""),
    ("show-flagged", "Flagged only", ".has-error"),
    ("show-tm", "TM only", ".origin-tm"),
    ("show-gist", "Gist only", ".origin-gist"),
    ("show-repaired", "Repaired only", ".has-repaired"),
]


def _count_link(dd: Any, value: str, show: str | None) -> None:
    if show is None:
        dd.text = value
    else:
        _el(dd, "a", value, href=f"#{show}", data_show=show)


def _header(body: Any, tdoc: TranslatedDocument) -> None:
    info = tdoc.info
    stats = tdoc.stats()
    header = _el(body, "header")
    src = _source(tdoc)
    h1 = _el(header, "h1", "Chinese → English: ", class_="page-title")
    _el(h1, "span", Path(src).name if src else "(in-memory text)", class_="doc-name")
    if info.is_gist:
        banner = _el(header, "p", None, class_="gist-banner", role="alert")
        _el(banner, "strong", "GIST — ")
        _add_text(
            banner,
            f"{GIST_BANNER}. The '{info.engine}' engine glossed the text word for word; "
            "read it for the gist only, and install a neural zh→en model "
            "(`bitext models install`) for a translation.",
        )
    prov = _el(header, "details", class_="provenance", open="open")
    _el(prov, "summary", "Provenance: source, engine, glossaries")
    dl = _el(prov, "dl", class_="provenance")
    _el(dl, "dt", "Source file")
    _el(_el(dl, "dd"), "code", src or "(none)", class_="source-path")
    title = tdoc.document.metadata.get("title") if tdoc.document.metadata else None
    if isinstance(title, str) and title.strip():
        _el(dl, "dt", "Title")
        _el(dl, "dd", title)
    _el(dl, "dt", "Engine")
    dd = _el(dl, "dd", info.engine, class_="engine")
    if info.is_gist:
        _add_text(dd, " (word-by-word gist)")
    _el(dl, "dt", "Engine / model")
    _el(_el(dl, "dd"), "code", info.engine_signature, class_="engine-signature")
    _el(dl, "dt", "bitext")
    _el(dl, "dd", info.bitext_version, class_="bitext-version")
    _el(dl, "dt", "Created (UTC)")
    _el(dl, "dd", info.created)
    _el(dl, "dt", "Glossaries")
    dd = _el(dl, "dd")
    if info.glossaries:
        ul = _el(dd, "ul", class_="glossaries")
        for path, sha in info.glossaries:
            li = _el(ul, "li")
            _el(li, "code", path, class_="glossary-path")
            _add_text(li, " ")
            _el(li, "span", f"sha256 {sha}", class_="sha256", title="SHA-256 of the glossary file")
    else:
        _add_text(dd, "none")

    counts = _el(header, "dl", class_="counts")
    viol = stats["term_violations"]
    items: list[tuple[str, str, str, bool, str | None]] = [
        ("segments", "Segments", str(stats["segments"]), False, "show-all"),
        ("term_hits", "Term hits", str(stats["term_hits"]), False, None),
        ("term_success", "Term success", _pct(stats["term_success"]), viol > 0, None),
        ("term_repaired", "Terms repaired", str(stats["term_repaired"]), False, "show-repaired"),
        ("term_violations", "Term violations", str(viol), viol > 0, "show-flagged"),
        ("qa_errors", "QA errors", str(stats["qa_errors"]), stats["qa_errors"] > 0, "show-flagged"),
        ("qa_warnings", "QA warnings", str(stats["qa_warnings"]), False, None),
        ("tm_exact", "TM matches", str(stats["tm_exact"]), False, "show-tm"),
    ]
    for key, label, value, bad, show in items:
        div = _el(counts, "div", class_=f"count {'bad' if bad else ''}".strip())
        _el(div, "dt", label)
        _count_link(_el(div, "dd", data_count=key), value, show)
    legend = _el(header, "p", None, class_="legend")
    _el(legend, "mark", "term", class_="term", title="glossary term (hover or focus for the entry)",
        tabindex="0")
    _add_text(legend, " glossary term (hover, tap or focus shows the entry) · ")
    _el(legend, "mark", "term", class_="term violation", title="glossary target missing",
        tabindex="0")
    _add_text(legend, " term not enforced · ")
    _el(legend, "span", "TM", class_="badge tm")
    _add_text(legend, " translation-memory match · click a segment id for its link")
    _toc(header, tdoc)
    tools(header, filters=[("Show", FILTERS)], flag_label="flag")


def _toc(parent: Any, tdoc: TranslatedDocument) -> None:
    """A table of contents of the headings (plain links: works without the script)."""
    heads = [b for b in tdoc.document.blocks if b.kind == "heading" and b.segments]
    if not heads:
        return
    nav = _el(parent, "nav", class_="toc", aria_label="Table of contents")
    det = _el(nav, "details", open="open") if len(heads) <= 12 else _el(nav, "details")
    _el(det, "summary", f"Contents ({len(heads)} headings)")
    ol = _el(det, "ol")
    for b in heads:
        li = _el(ol, "li", class_=f"lvl-{_heading_level(b)}")
        a = _el(li, "a", href=f"#{b.segments[0].id}")
        _el(a, "span", b.text, lang="zh-CN", class_="toc-zh")
        english = " ".join(
            tdoc.results[s.id].target for s in b.segments if s.id in tdoc.results
        ).strip()
        if english:
            _add_text(a, " — ")
            _el(a, "span", english, class_="toc-en")


def _block_classes(block: Block) -> str:
    cls = ["block", block.kind]
    if block.kind == "heading":
        cls.append(f"level-{_heading_level(block)}")
    if block.kind == "list_item":
        cls.append(f"depth-{max(0, block.level)}")
        cls.append("ordered" if block.ordered else "unordered")
    return " ".join(cls)


def _heading_level(block: Block) -> int:
    return min(6, max(1, block.level or 1))


def _container(cell: Any, block: Block, first: bool, tag_level: int = 2) -> Any:
    """The element inside a cell that receives a segment's text, per block kind.

    Headings become ``<h{tag_level}>``: the document's levels shifted under the page's
    own ``<h1>`` and never skipping a level, so the page outline stays valid."""
    if block.kind == "heading":
        return _el(cell, f"h{tag_level}", class_="text")
    if block.kind == "list_item":
        depth = min(5, max(0, block.level))
        if first:
            attrs = {"class_": f"list depth-{depth}"}
            tag = "ol" if block.ordered else "ul"
            if block.ordered:
                num = block.marker.rstrip(".)").strip()
                if num.isdigit():
                    attrs["start"] = num
            lst = _el(cell, tag, **attrs)
            return _el(lst, "li", class_="text")
        return _el(cell, "div", class_=f"text list-cont depth-{depth}")
    return _el(cell, "span", class_="text")


def _has_error(r: SegmentResult) -> bool:
    return bool(r.violated_hits) or any(f.severity == "error" for f in r.findings)


def _badges(cell: Any, r: SegmentResult) -> None:
    if r.origin == "tm":
        score = r.score if r.score is not None and math.isfinite(r.score) else 1.0
        _el(cell, "span", "TM", class_="badge tm",
            title=f"exact translation-memory match ({_pct(score)}), taken verbatim")
    elif r.origin == "gist":
        _el(cell, "span", "gist", class_="badge origin-gist", title=GIST_BANNER)
    elif r.origin == "mt":
        _el(cell, "span", "MT", class_="badge origin-mt", title="machine translation")
    else:
        _el(cell, "span", r.origin, class_=f"badge origin-{r.origin}")
    if r.tm_fuzzy:
        _el(cell, "span", f"fuzzy {len(r.tm_fuzzy)}", class_="badge fuzzy",
            title="translation-memory fuzzy suggestions below the translation")
    if _has_error(r):
        _el(cell, "span", "⚠", class_="badge alert", title="term violation or QA error",
            role="img", aria_label="error")


def _flags(cell: Any, r: SegmentResult) -> None:
    violated = r.violated_hits
    if not (violated or r.term_repaired or r.findings):
        return
    ul = _el(cell, "ul", class_="flags")
    for h in violated:
        _el(ul, "li", f"⚠ term not enforced: {h.entry.source} → {h.entry.target} is missing",
            class_="flag violation", title=term_title(h, violated=True))
    for h in r.term_repaired:
        _el(ul, "li", f"term repaired by re-decoding: {h.entry.source} → {h.entry.target}",
            class_="flag repaired", title=term_title(h))
    for f in r.findings:
        _el(ul, "li", f"QA {f.severity} [{f.check}]: {f.message}",
            class_=f"flag qa-{f.severity}", data_check=f.check)


def _fuzzy(cell: Any, fuzzy: Sequence[tuple[float, str, str]]) -> None:
    if not fuzzy:
        return
    div = _el(cell, "div", class_="fuzzy")
    _el(div, "p", "Translation-memory fuzzy matches:")
    ol = _el(div, "ol")
    for sim, fsrc, ftgt in fuzzy:
        li = _el(ol, "li")
        _el(li, "span", _pct(sim), class_="sim")
        _add_text(li, " ")
        _el(li, "span", fsrc, class_="fz-src", lang="zh-CN")
        _add_text(li, " → ")
        _el(li, "span", ftgt, class_="fz-tgt", lang="en")


def _row(tbody: Any, block: Block, seg_index: int, r: SegmentResult | None, seg: Any,
         tag_level: int = 2) -> None:
    classes = ["seg"]
    if r is not None:
        classes.append(f"origin-{r.origin}")
        if r.violated_hits:
            classes.append("has-violation")
        if _has_error(r):
            classes.append("has-error")
        elif r.findings:
            classes.append("has-warning")
        if r.term_repaired:
            classes.append("has-repaired")
    else:
        classes.append("has-error")
    tr = _el(tbody, "tr", id=seg.id, class_=" ".join(classes))
    sid = _el(tr, "td", class_="sid")
    _el(sid, "a", seg.id, href=f"#{seg.id}")
    _el(sid, "br")
    first = seg_index == 0
    src = _el(tr, "td", class_="src", lang="zh-CN")
    tgt = _el(tr, "td", class_="tgt", lang="en")
    if r is None:
        _el(src, "span", seg.text, class_="text")
        _el(_el(tgt, "ul", class_="flags"), "li", "no translation", class_="flag qa-error")
        return
    _badges(sid, r)
    src_kept, tgt_kept = kept_codes(seg, r)
    _marked(_container(src, block, first, tag_level), seg.text, source_spans(r), src_kept)
    _marked(_container(tgt, block, first, tag_level), r.target, target_spans(r), tgt_kept)
    _flags(tgt, r)
    _fuzzy(tgt, r.tm_fuzzy)


_ROWS_MARK = "bitext-rows-go-here"


def _block_body(table: Any, block: Block, tdoc: TranslatedDocument, level: int) -> tuple[int, int]:
    """Append the ``<tbody>`` of one block to ``table``.

    ``level`` is the heading level reached so far (the page's own ``<h1>`` is 1); returns
    ``(segment rows written, the level after this block)``.
    """
    tbody = _el(table, "tbody", id=block.id, class_=_block_classes(block))
    if block.kind == "passthrough" or not block.segments:
        row = _el(tbody, "tr", class_="passthrough")
        _el(row, "td", block.id, class_="sid")
        cell = _el(row, "td", colspan="2")
        _el(cell, "code", block.raw or block.text)
        _add_text(cell, " — carried through untranslated")
        return 0, level
    tag_level = 2
    if block.kind == "heading":
        level = tag_level = min(6, _heading_level(block) + 1, level + 1)
    for i, seg in enumerate(block.segments):
        _row(tbody, block, i, tdoc.results.get(seg.id), seg, tag_level)
    return len(block.segments), level


def _n_rows(tdoc: TranslatedDocument) -> int:
    return sum(len(b.segments) for b in tdoc.document.blocks
               if b.kind != "passthrough" and b.segments)


def build(tdoc: TranslatedDocument, *, rows: bool = True, n_rows: int | None = None,
          empty: bool | None = None) -> Any:
    """The page as an lxml ``<html>`` element (see the module docstring for its structure).

    With ``rows=False`` the table holds a placeholder comment where the block bodies go
    (:func:`iter_chunks` streams them); ``n_rows`` and ``empty`` then give the row count
    and whether the document has no blocks (default: from ``tdoc.document``).
    """
    from lxml import etree

    html, head, body = new_page(_title(tdoc))
    _head(head, tdoc)
    body.set("class", "gist" if tdoc.info.is_gist else "translation")
    _header(body, tdoc)
    main = _el(body, "main")
    table = _el(main, "table", class_="bitext", data_rows="tr.seg",
                data_search="td.src .text, td.tgt .text", data_flag=".has-error")
    colgroup = _el(table, "colgroup")
    _el(colgroup, "col", class_="sid")
    _el(colgroup, "col", class_="src")
    _el(colgroup, "col", class_="tgt")
    tr = _el(_el(table, "thead"), "tr")
    _el(tr, "th", "Segment", scope="col")
    _el(tr, "th", "Source (zh-CN)", scope="col")
    _el(tr, "th", "English (word-by-word gist)" if tdoc.info.is_gist else "English", scope="col")
    if rows:
        level = 1  # the page's own <h1>
        for block in tdoc.document.blocks:
            _, level = _block_body(table, block, tdoc, level)
    else:
        table.append(etree.Comment(_ROWS_MARK))
    if empty if empty is not None else not tdoc.document.blocks:
        _el(main, "p", "The document has no text to translate.", class_="empty")
    footer = _el(body, "footer")
    rows_n = n_rows if n_rows is not None else _n_rows(tdoc)
    _el(footer, "p", f"Written by bitext {tdoc.info.bitext_version} on {tdoc.info.created}; "
        f"{rows_n} segment rows. Self-contained page: one inline script (search, filters, "
        "flag navigation; the page reads the same without it), nothing loaded from the network.")
    return html


STREAM_BLOCKS = 256
"""Blocks serialised per chunk by :func:`iter_chunks` (bounded memory, few calls)."""


def page_parts(tdoc: TranslatedDocument, *, n_rows: int | None = None,
               empty: bool | None = None) -> tuple[str, str]:
    """The page before and after the block bodies (see :func:`build` for the arguments)."""
    root = build(tdoc, rows=False, n_rows=n_rows, empty=empty)
    _line_breaks(root)
    page = finish(root, CSS)
    head, tail = page.split(f"<!--{_ROWS_MARK}-->", 1)
    return head, tail


def rows_html(tdoc: TranslatedDocument, blocks: Sequence[Block], level: int = 1) -> tuple[str, int]:
    """The ``<tbody>`` elements of ``blocks`` as HTML text (results from ``tdoc``), and the
    heading level reached (pass it to the next call; 1 at the start of the page)."""
    from lxml import etree

    table = etree.Element("table")
    for block in blocks:
        _, level = _block_body(table, block, tdoc, level)
    _line_breaks(table)
    wrap_zh(table)
    return "".join(etree.tostring(tb, method="html", encoding="unicode") for tb in table), level


def iter_chunks(tdoc: TranslatedDocument) -> Iterator[str]:
    """The page as HTML5 text in pieces: the page around the table, then the block bodies
    a few hundred at a time, so that memory stays flat however long the document is.
    ``"".join(iter_chunks(tdoc)) == render(tdoc)``."""
    head, tail = page_parts(tdoc)
    yield head
    blocks = tdoc.document.blocks
    level = 1
    for i in range(0, len(blocks), STREAM_BLOCKS):
        text, level = rows_html(tdoc, blocks[i : i + STREAM_BLOCKS], level)
        yield text
    yield tail


def render(tdoc: TranslatedDocument) -> str:
    """The page as an HTML5 string."""
    return "".join(iter_chunks(tdoc))


_BREAK_AFTER = frozenset(
    ["head", "meta", "title", "style", "body", "header", "h1", "p", "dl", "dt", "dd", "div", "ul", "li",
     "table", "colgroup", "col", "thead", "tbody", "tr", "main", "footer", "nav", "details", "ol"]
)
_NO_BREAK_INSIDE = frozenset(["td", "th", "p", "dd", "dt", "h1", "li", "summary", "label", "legend"])


def _line_breaks(root: Any) -> None:
    """Put structural elements on their own lines, never touching text inside cells."""
    for node in root.iter():
        if not isinstance(node.tag, str) or node.tag not in _BREAK_AFTER or node.tail:
            continue
        if any(a.tag in _NO_BREAK_INSIDE for a in node.iterancestors()):
            continue
        node.tail = "\n"


def write(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the side-by-side review page to ``path`` (atomically).

    Args:
        path: the ``.html`` file.
        tdoc: the translated document.
    """
    n = 0
    with atomic_write(path, "w", encoding="utf-8") as f:
        for chunk in iter_chunks(tdoc):
            f.write(chunk)
            n += len(chunk)
    log.debug("wrote side-by-side HTML (%d characters) to %s", n, path)
