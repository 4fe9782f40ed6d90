"""Side-by-side HTML review page of a ``TranslatedDocument`` (``write(path, tdoc)``).

One self-contained UTF-8 file: inline CSS, no script, nothing fetched from the network.
The page is built as an lxml element tree and serialised with lxml's HTML serialiser,
so every piece of user text (source, target, glossary entries, file names, messages)
is escaped by construction: a source containing ``<script>`` shows as text. Characters
XML 1.0 forbids are removed first (``xml_safe``). The file is written atomically.

Structure (stable, so tools such as ``bitext check`` and tests can read it back):

* ``<head>``: ``<meta charset="utf-8">``, ``<meta name="generator">`` and
  ``<meta name="bitext-…">`` provenance (version, engine, engine signature, gist flag,
  source, one ``bitext-glossary`` per glossary as ``<sha256>  <path>``).
* ``<header>``: source file, engine and model, bitext version, glossaries with their
  SHA-256, and the counts (``<dd data-count="segments">`` …: segments, term hits, term
  success, repaired terms, term violations, QA errors and warnings, TM matches). When
  the engine writes gists, a ``<p class="gist-banner">`` says "word-by-word gist, not a
  translation".
* ``<table class="bitext">``: one ``<tbody class="block KIND" id="p3">`` per block (in
  document order) and one ``<tr class="seg" id="p3.s2">`` per segment with the cells
  ``td.sid`` (anchor link and badges), ``td.src`` (``lang="zh-CN"``) and ``td.tgt``
  (``lang="en"``); inside each cell the segment's text is the element with class
  ``text`` (highlights included, flags and suggestions outside it). Headings are wrapped in ``<h1>``…``<h6>`` of their level, list items
  in ``<ul>``/``<ol>`` ``<li>`` indented by depth, passthrough blocks (image/link lines)
  shown verbatim and marked untranslated.
* Glossary terms: ``<mark class="term" title="源 → target — note">`` on both sides;
  a hit whose target is missing is ``<mark class="term violation">``.
* Flags under the target: ``<ul class="flags">`` with ``li.flag.violation``,
  ``li.flag.repaired``, ``li.flag.qa-error`` / ``li.flag.qa-warning`` (``data-check``);
  rows carry ``has-violation`` / ``has-error`` / ``has-warning`` classes.
* Translation memory: exact matches get ``<span class="badge tm">``; fuzzy suggestions
  are listed in ``<div class="fuzzy">`` under the target.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from bitext.files import atomic_write
from bitext.document import Block, SegmentResult, TranslatedDocument
from bitext.writers.tmx import xml_safe

log = logging.getLogger(__name__)

GIST_BANNER = "word-by-word gist, not a translation"

CSS = """
:root { --fg:#1d1d1f; --muted:#666; --line:#ddd; --term:#fff3b0; --bad:#b00020; --badbg:#fde7ea;
  --warn:#8a5a00; --warnbg:#fff4e0; --ok:#1b6e20; --tm:#0b57d0; }
* { box-sizing: border-box; }
body { font: 15px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC",
  "Microsoft YaHei", sans-serif; color: var(--fg); margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem; }
header { border-bottom: 2px solid var(--line); margin-bottom: 1rem; padding-bottom: .5rem; }
h1.page-title { font-size: 1.35rem; margin: .2rem 0 .6rem; }
.gist-banner { background: var(--badbg); color: var(--bad); border: 2px solid var(--bad);
  border-radius: 6px; padding: .6rem 1rem; font-size: 1.1rem; font-weight: 600; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dl.provenance dt { color: var(--muted); }
dl.provenance dd { margin: 0; word-break: break-all; }
ul.glossaries { margin: 0; padding-left: 1.1rem; }
.sha256 { color: var(--muted); font-size: .85em; }
dl.counts { display: flex; flex-wrap: wrap; gap: .4rem; margin: .6rem 0; }
dl.counts div { border: 1px solid var(--line); border-radius: 6px; padding: .2rem .7rem; text-align: center; }
dl.counts dt { color: var(--muted); font-size: .8rem; }
dl.counts dd { margin: 0; font-weight: 600; font-size: 1.1rem; }
dl.counts .bad dd { color: var(--bad); }
.legend { color: var(--muted); font-size: .85rem; }
table.bitext { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.bitext th { text-align: left; border-bottom: 2px solid var(--line); padding: .3rem .5rem; }
table.bitext col.sid { width: 7.5rem; }
tbody.block { border-top: 1px solid var(--line); }
tr.seg td { vertical-align: top; padding: .3rem .5rem; }
tr.seg:target { outline: 2px solid var(--tm); }
td.sid { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); }
td.sid a { color: inherit; text-decoration: none; }
td.src, td.tgt { overflow-wrap: anywhere; }
td.src h1, td.src h2, td.src h3, td.src h4, td.src h5, td.src h6,
td.tgt h1, td.tgt h2, td.tgt h3, td.tgt h4, td.tgt h5, td.tgt h6 { margin: .2rem 0; }
td ul, td ol { margin: 0; }
.depth-1 { margin-left: 1.5rem; } .depth-2 { margin-left: 3rem; } .depth-3 { margin-left: 4.5rem; }
.depth-4 { margin-left: 6rem; } .depth-5 { margin-left: 7.5rem; }
.list-cont { padding-left: 2.5rem; }
body.gist td.tgt .text { font-style: italic; color: #444; }
mark.term { background: var(--term); border-bottom: 1px dotted #a08000; cursor: help; padding: 0 1px; }
mark.term.violation { background: var(--badbg); border-bottom: 2px solid var(--bad); }
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
tr.passthrough td { color: var(--muted); font-size: .9rem; }
tr.passthrough code { white-space: pre-wrap; }
footer { color: var(--muted); font-size: .8rem; margin-top: 1.5rem; border-top: 1px solid var(--line); }
"""


# --- small tree helpers ------------------------------------------------------------------


def _el(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
    """Append a child element; attribute names ending in ``_`` lose it (``class_``)."""
    from lxml import etree

    clean = {k.rstrip("_").replace("_", "-"): xml_safe(v) for k, v in attrs.items()}
    el = etree.SubElement(parent, tag, clean)
    if text is not None:
        el.text = xml_safe(text)
    return el


def _add_text(parent: Any, text: str) -> None:
    """Append text after the last child of ``parent`` (or as its text)."""
    text = xml_safe(text)
    if not text:
        return
    # parent[-1] is O(1) in lxml; len(parent) walks every child (quadratic on long segments)
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def term_title(hit: Any, *, violated: bool = False) -> str:
    """Hover text of a highlighted term: ``源 → target — note``."""
    e = hit.entry
    title = f"{e.source} → {e.target}"
    if e.note:
        title += f" — {e.note}"
    if violated:
        title += " — NOT in the translation (violation)"
    return title


def _marked(parent: Any, text: str, spans: Iterable[tuple[int, int, str, str]]) -> None:
    """Write ``text`` into ``parent`` with ``<mark>`` around ``(start, end, class, title)`` spans."""
    pos = 0
    for start, end, cls, title in spans:
        if start < pos or end <= start:
            continue
        _add_text(parent, text[pos:start])
        _el(parent, "mark", text[start:end], class_=cls, title=title)
        pos = end
    _add_text(parent, text[pos:])


def source_spans(r: SegmentResult) -> list[tuple[int, int, str, str]]:
    """Highlight spans of the glossary hits in the source text."""
    bad = set(r.term_violations)
    spans = []
    for h in r.term_hits:
        violated = h in bad
        cls = "term violation" if violated else "term"
        spans.append((h.start, h.end, cls, term_title(h, violated=violated)))
    return sorted(spans, key=lambda s: (s[0], -s[1]))


@functools.lru_cache(maxsize=4096)
def _pattern(target: str) -> Any:
    from bitext.terms.enforce import target_pattern

    return target_pattern(target)


def target_spans(r: SegmentResult) -> list[tuple[int, int, str, str]]:
    """Highlight spans of the glossary targets found in the translation (non-overlapping)."""
    found: list[tuple[int, int, str, str]] = []
    seen: set[str] = set()
    for h in r.term_hits:
        key = h.entry.target.casefold()
        if key in seen or not h.entry.target.strip():
            continue
        seen.add(key)
        for m in _pattern(h.entry.target).finditer(r.target):
            found.append((m.start(), m.end(), "term", term_title(h)))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int, str, str]] = []
    end = -1
    for s in found:
        if s[0] >= end:
            out.append(s)
            end = s[1]
    return out


# --- page parts ---------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _head(html: Any, tdoc: TranslatedDocument) -> None:
    info = tdoc.info
    head = _el(html, "head")
    _el(head, "meta", charset="utf-8")
    _el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _el(head, "meta", name="generator", content=f"bitext {info.bitext_version}")
    _el(head, "meta", name="bitext-version", content=info.bitext_version)
    _el(head, "meta", name="bitext-engine", content=info.engine)
    _el(head, "meta", name="bitext-engine-signature", content=info.engine_signature)
    _el(head, "meta", name="bitext-gist", content="true" if info.is_gist else "false")
    _el(head, "meta", name="bitext-source", content=_source(tdoc))
    for path, sha in info.glossaries:
        _el(head, "meta", name="bitext-glossary", content=f"{sha}  {path}")
    _el(head, "meta", name="bitext-created", content=info.created)
    name = Path(_source(tdoc)).name if _source(tdoc) else "document"
    gist = " (gist)" if info.is_gist else ""
    _el(head, "title", f"{name} — bitext side by side{gist}")
    _el(head, "style", CSS)


def _source(tdoc: TranslatedDocument) -> str:
    return tdoc.info.source_path or tdoc.document.path or ""


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
    dl = _el(header, "dl", class_="provenance")
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
    items: list[tuple[str, str, str, bool]] = [
        ("segments", "Segments", str(stats["segments"]), False),
        ("term_hits", "Term hits", str(stats["term_hits"]), False),
        ("term_success", "Term success", _pct(stats["term_success"]), stats["term_violations"] > 0),
        ("term_repaired", "Terms repaired", str(stats["term_repaired"]), False),
        ("term_violations", "Term violations", str(stats["term_violations"]), stats["term_violations"] > 0),
        ("qa_errors", "QA errors", str(stats["qa_errors"]), stats["qa_errors"] > 0),
        ("qa_warnings", "QA warnings", str(stats["qa_warnings"]), False),
        ("tm_exact", "TM matches", str(stats["tm_exact"]), False),
    ]
    for key, label, value, bad in items:
        div = _el(counts, "div", class_=f"count {'bad' if bad else ''}".strip())
        _el(div, "dt", label)
        _el(div, "dd", value, data_count=key)
    legend = _el(header, "p", None, class_="legend")
    _el(legend, "mark", "term", class_="term", title="glossary term (hover for the entry)")
    _add_text(legend, " glossary term (hover shows the entry) · ")
    _el(legend, "mark", "term", class_="term violation", title="glossary target missing")
    _add_text(legend, " term not enforced · ")
    _el(legend, "span", "TM", class_="badge tm")
    _add_text(legend, " translation-memory match · click a segment id for its link")


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


def _container(cell: Any, block: Block, first: bool) -> Any:
    """The element inside a cell that receives a segment's text, per block kind."""
    if block.kind == "heading":
        return _el(cell, f"h{_heading_level(block)}", class_="text")
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
    if r.term_violations or any(f.severity == "error" for f in r.findings):
        _el(cell, "span", "⚠", class_="badge alert", title="term violation or QA error")


def _flags(cell: Any, r: SegmentResult) -> None:
    if not (r.term_violations or r.term_repaired or r.findings):
        return
    ul = _el(cell, "ul", class_="flags")
    for h in r.term_violations:
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


def _row(tbody: Any, block: Block, seg_index: int, r: SegmentResult | None, seg: Any) -> None:
    classes = ["seg"]
    if r is not None:
        classes.append(f"origin-{r.origin}")
        if r.term_violations:
            classes.append("has-violation")
        if any(f.severity == "error" for f in r.findings):
            classes.append("has-error")
        elif r.findings:
            classes.append("has-warning")
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
    _marked(_container(src, block, first), seg.text, source_spans(r))
    _marked(_container(tgt, block, first), r.target, target_spans(r))
    _flags(tgt, r)
    _fuzzy(tgt, r.tm_fuzzy)


_ROWS_MARK = "bitext-rows-go-here"


def _block_body(table: Any, block: Block, tdoc: TranslatedDocument) -> int:
    """Append the ``<tbody>`` of one block to ``table``; returns its segment rows."""
    tbody = _el(table, "tbody", id=block.id, class_=_block_classes(block))
    if block.kind == "passthrough" or not block.segments:
        row = _el(tbody, "tr", class_="passthrough")
        _el(row, "td", block.id, class_="sid")
        cell = _el(row, "td", colspan="2")
        _el(cell, "code", block.raw or block.text)
        _add_text(cell, " — carried through untranslated")
        return 0
    for i, seg in enumerate(block.segments):
        _row(tbody, block, i, tdoc.results.get(seg.id), seg)
    return len(block.segments)


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

    html = etree.Element("html", lang="en")
    _head(html, tdoc)
    body = _el(html, "body", class_="gist" if tdoc.info.is_gist else "translation")
    _header(body, tdoc)
    main = _el(body, "main")
    table = _el(main, "table", class_="bitext")
    colgroup = _el(table, "colgroup")
    _el(colgroup, "col", class_="sid")
    _el(colgroup, "col", class_="src")
    _el(colgroup, "col", class_="tgt")
    tr = _el(_el(table, "thead"), "tr")
    _el(tr, "th", "Segment")
    _el(tr, "th", "Source (zh-CN)")
    _el(tr, "th", "English (word-by-word gist)" if tdoc.info.is_gist else "English")
    if rows:
        for block in tdoc.document.blocks:
            _block_body(table, block, tdoc)
    else:
        table.append(etree.Comment(_ROWS_MARK))
    if empty if empty is not None else not tdoc.document.blocks:
        _el(main, "p", "The document has no text to translate.", class_="empty")
    footer = _el(body, "footer")
    rows_n = n_rows if n_rows is not None else _n_rows(tdoc)
    _el(footer, "p", f"Written by bitext {tdoc.info.bitext_version} on {tdoc.info.created}; "
        f"{rows_n} segment rows. Self-contained page: no scripts, nothing loaded from the network.")
    return html


STREAM_BLOCKS = 256
"""Blocks serialised per chunk by :func:`iter_chunks` (bounded memory, few calls)."""


def page_parts(tdoc: TranslatedDocument, *, n_rows: int | None = None,
               empty: bool | None = None) -> tuple[str, str]:
    """The page before and after the block bodies (see :func:`build` for the arguments)."""
    from lxml import etree

    root = build(tdoc, rows=False, n_rows=n_rows, empty=empty)
    _line_breaks(root)
    page = etree.tostring(root, method="html", encoding="unicode", doctype="<!DOCTYPE html>") + "\n"
    head, tail = page.split(f"<!--{_ROWS_MARK}-->", 1)
    return head, tail


def rows_html(tdoc: TranslatedDocument, blocks: Sequence[Block]) -> str:
    """The ``<tbody>`` elements of ``blocks`` as HTML text (results from ``tdoc``)."""
    from lxml import etree

    table = etree.Element("table")
    for block in blocks:
        _block_body(table, block, tdoc)
    _line_breaks(table)
    return "".join(etree.tostring(tb, method="html", encoding="unicode") for tb in table)


def iter_chunks(tdoc: TranslatedDocument) -> Iterator[str]:
    """The page as HTML5 text in pieces: the page around the table, then the block bodies
    a few hundred at a time, so that memory stays flat however long the document is.
    ``"".join(iter_chunks(tdoc)) == render(tdoc)``."""
    head, tail = page_parts(tdoc)
    yield head
    blocks = tdoc.document.blocks
    for i in range(0, len(blocks), STREAM_BLOCKS):
        yield rows_html(tdoc, blocks[i : i + STREAM_BLOCKS])
    yield tail


def render(tdoc: TranslatedDocument) -> str:
    """The page as an HTML5 string."""
    return "".join(iter_chunks(tdoc))


_BREAK_AFTER = frozenset(
    ["head", "meta", "title", "style", "body", "header", "h1", "p", "dl", "dt", "dd", "div", "ul", "li", "table", "colgroup", "col", "thead", "tbody", "tr", "main", "footer"]
)
_NO_BREAK_INSIDE = frozenset(["td", "th", "p", "dd", "dt", "h1", "li"])


def _line_breaks(root: Any) -> None:
    """Put structural elements on their own lines, never touching text inside cells."""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in _BREAK_AFTER or el.tail:
            continue
        if any(a.tag in _NO_BREAK_INSIDE for a in el.iterancestors()):
            continue
        el.tail = "\n"


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
