"""HTML reader: a saved web page → headings, paragraphs, list items, cells.

By default the whole page is read, as a CAT tool reads it: ``<title>``, ``<meta
name="description|keywords">``, every text of ``<body>`` (navigation, link-only items,
footer) and Chinese ``alt``/``title``/``placeholder`` attributes; only ``script``,
``style``, ``svg``, form fields and the like are skipped. With ``article_only`` the reader
keeps the main article, as follows.

Inline elements inside a block (``<b>``, ``<em>``, ``<a>``, ``<span>``, images …) become the
segments' inline codes (``bitext.document.InlineCode``): numbered per block in order, as
OmegaT numbers its tags; an element wrapping the whole block, or a lone tag at its edge, is
not part of the segment (a CAT tool leaves those out too). ``<br>`` ends a line and is a
standalone code at the end of it (OmegaT's ``…<br0>``); whether the source wrote ``<br>`` or
``<br/>`` (and ``<img>`` or ``<img/>``) is read from the source text, since OmegaT spells the
tag accordingly.

Parsing uses ``lxml.html`` with network access off (the HTML parser never expands
DTD entities). The page is not modified; in article mode the reader

1. marks boilerplate: ``nav``/``aside``/``script``/``style``/``form``/``noscript``/
   ``iframe``/``template``/``button``/``select``, hidden elements, landmark roles
   (navigation, banner, contentinfo, complementary, search, menu), and elements whose
   class or id says menu, nav, breadcrumb, share, social, footer, comment, sidebar,
   related, advert, login …; ``header``/``footer`` outside the article too;
2. picks the article root: ``itemprop=articleBody``, else the ``<article>`` with the most
   Chinese text, else ``<main>``/``[role=main]``, else the container with the highest
   Chinese text score (readability-style: paragraph text counts for its parent and half
   for its grandparent, links discounted);
3. turns h1–h6, p, li, blockquote, dt/dd, figcaption, td/th and runs of bare text in
   containers into blocks (link-only and letter-less blocks are skipped).

``Document.source`` is an :class:`HtmlSource`: the parsed tree plus, for every block,
where its text lives, so the HTML document writer can put each translation back into the
same element of a copy of the page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bitext.document import INLINE_CODE_TAGS, VOID_ELEMENTS, Block, Document
from bitext.errors import FormatError
from bitext.files import decode_bytes, read_bytes
from bitext.readers.txt import join_lines
from bitext.segment.blocks import make_block
from bitext.segment.srx import JAVA_SPACE
from bitext.zh.text import is_han

log = logging.getLogger(__name__)

INLINE = frozenset(
    ["a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "button", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img", "ins", "kbd", "label", "mark", "nobr", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"]
)
"""Inline elements: their text belongs to the surrounding block."""

BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "caption", "center", "dd", "details", "dialog", "div",
     "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
     "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table",
     "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
)
"""HTML's block-level elements."""

HTML_ELEMENTS = BLOCK_TAGS | frozenset(
    ["html", "head", "body", "title", "base", "link", "meta", "style", "script", "noscript", "template",
     "iframe", "object", "embed", "param", "video", "audio", "source", "track", "picture", "canvas",
     "map", "area", "svg", "math", "colgroup", "col", "legend", "optgroup", "option", "select",
     "datalist", "textarea", "input", "output", "progress", "meter", "search", "frameset", "frame",
     "noframes", "dir", "listing", "plaintext", "xmp", "applet", "noembed", "isindex", "keygen", "menuitem"]
)
"""The elements HTML defines that are not inline (``INLINE``): an element it does not define
(``<blink>``, ``<marquee>``, ``<slot>``, Word's ``<o:p>``, a custom ``<x-date>``) is read by what it holds."""


def inline_element(el: Any) -> bool:
    """Whether ``el``'s text belongs to the sentence around it: an inline element, or one HTML
    does not define that holds no block element — Word's ``<st1:chsdate>`` date tags and
    ``<o:p>``, a custom ``<x-date>`` (the text after one was left untranslated)."""
    tag = _tag(el)
    if tag in INLINE:
        return True
    if tag in HTML_ELEMENTS or not tag:
        return False
    # (one holding more than a sentence's worth of elements is a container: a web app's
    # <app-root>; the bound keeps deep nestings of such tags linear)
    for k, d in enumerate(el.iterdescendants()):
        if k >= _INLINE_MAX_DESCENDANTS or _tag(d) in BLOCK_TAGS:
            return False
    return True


_INLINE_MAX_DESCENDANTS = 64
"""The most elements an unknown element may hold and still be inline."""


SKIP_TAGS = frozenset(
    ["nav", "aside", "script", "style", "form", "noscript", "iframe", "template", "button", "select", "textarea", "svg", "canvas", "object", "embed", "video", "audio", "map", "head", "title", "meta", "link", "input", "option", "math"]
)
PHRASING_KEEP = frozenset(
    ["input", "select", "textarea", "svg", "math", "canvas", "iframe", "object", "embed", "video",
     "audio", "map", "script", "noscript", "template", "output", "progress", "meter", "style", "link",
     "meta", "picture", "area", "param", "source", "track"]
)
"""Elements that can sit inside a sentence but are not its text (form controls, media,
scripts, formulas): inside a paragraph they are standalone codes, put back byte for byte
where they stood (``然后<input type="text">输入``), as comments there are."""
CODE_TAGS = frozenset({"pre"})
VERBATIM_INLINE = INLINE_CODE_TAGS
"""Inline elements holding code, keys or program output: one that holds Chinese is kept
byte for byte (a standalone code no engine sees), as a Markdown code span is; one without
stays text in its sentence (engines copy Latin through) so that the tags land around it."""
SKIP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"})
BOILERPLATE = re.compile(
    r"share|social|breadcrumb|crumbs?|comment|sidebar|footer|advert|jiathis|fenxiang|daohang|"
    r"login|signin|sign-in|register|copyright|recommend|related|qrcode|menu|navbar|navigation|"
    r"cookie|popup|subscribe|toolbar"
    r"|(?:^|[\s_-])(?:nav|ads?|side|foot|tags?|hot|rank\w*|pager|pagination|modal|banner)(?:$|[\s_-])",
    re.IGNORECASE,
)
"""Class/id words of menus, share widgets, comments, sidebars, footers, adverts, logins."""
ARTICLE_XPATHS = (
    "//*[@itemprop='articleBody']",
    "//article",
    "//main",
    "//*[@role='main']",
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


@dataclass(frozen=True)
class Slot:
    """Where a block's text lives in the tree.

    Attributes:
        path: XPath of the element (``tree.getpath``).
        kind: ``content`` (the element's inline content: its text and inline children) or
            ``run`` (bare text inside a container: the container's text when ``anchor``
            is -1, else the tail of child ``anchor``, plus the inline children listed).
        anchor: see ``kind``.
        inline: indices of the inline children belonging to a run.
        attr: for ``kind="attr"``: the attribute holding the text (``alt``, ``title``,
            ``placeholder``, a ``<meta>``'s ``content``).
    """

    path: str
    kind: str = "content"
    anchor: int = -1
    inline: tuple[int, ...] = ()
    attr: str = ""
    wrap: str = ""
    """XPath of the inline element that wraps all of the block's text and codes (a
    WeChat-style ``<span>`` around a section, ``<b>`` around a paragraph), which the
    segment leaves out as OmegaT does: the English goes inside it. Empty: none."""


@dataclass(frozen=True)
class HtmlSource:
    """Reader data for the HTML document writer.

    Attributes:
        tree: the parsed page (``lxml.etree._ElementTree``); never modified.
        slots: block id → :class:`Slot`.
        doctype: the page's doctype declaration ('' if none).
    """

    tree: Any
    slots: dict[str, Slot] = field(default_factory=dict)
    doctype: str = ""

    @property
    def elements(self) -> dict[str, Any]:
        """Block id → the element holding its text in ``tree`` (a run's container)."""
        out = {}
        for bid, slot in self.slots.items():
            el = resolve_path(self.tree, slot.path)
            if el is not None:
                out[bid] = el
        return out


_STEP = re.compile(r"^([^\[\]]+)(?:\[(\d+)\])?$")


def resolve_path(tree: Any, path: str) -> Any:
    """The element at ``path`` (as ``getpath`` writes it: ``/html/body/div[2]/p``), or None.

    Walked step by step in Python: libxml2's XPath recurses per step and fails on deep pages.
    """
    steps = path.strip("/").split("/")
    el = tree.getroot()
    if not steps or el is None:
        return None
    m = _STEP.match(steps[0])
    if m is None or m.group(1) != el.tag:
        return _xpath(tree, path)  # anything else (namespaces, comments): XPath as before
    for step in steps[1:]:
        m = _STEP.match(step)
        if m is None or "(" in step:
            return _xpath(tree, path)
        # (a tag with a colon, Word's <o:p> or <st1:chsdate>, is one name in an HTML tree)
        tag, nth = m.group(1), int(m.group(2) or 1)
        k = 0
        nxt = None
        for c in el:
            if c.tag == tag:
                k += 1
                if k == nth:
                    nxt = c
                    break
        if nxt is None:
            return _xpath(tree, path) if ":" in step else None
        el = nxt
    return el


def _xpath(tree: Any, path: str) -> Any:
    """The first element XPath finds at ``path``, or None (also when XPath cannot read it:
    an undefined namespace prefix)."""
    from lxml import etree

    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    return found[0] if found else None


_WORD_IF = re.compile(r"\[if [^\]>]*\]|\[endif\]")
"""The text lxml gives Word's downlevel-revealed conditionals (``<![if !supportLists]>``)."""


def _tag(el: Any) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _no_translate(el: Any) -> bool:
    """HTML's ``translate="no"`` (and the ``notranslate`` class translation services honour):
    the element's text is kept as it is."""
    return (el.get("translate") or "").strip().lower() == "no" or "notranslate" in (el.get("class") or "").split()


def _han_count(text: str) -> int:
    return sum(1 for ch in text if is_han(ch))


BR = "\u2028"
"""What ``<br>`` becomes in extracted text before normalisation."""


PAGE_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "canvas", "object", "embed", "video", "audio",
     "map", "head", "title", "meta", "link", "iframe", "textarea", "select", "option", "input", "math"]
)
"""Whole-page mode: only what is not text at all is skipped."""
TEXT_ATTRS = ("alt", "title", "placeholder")
"""Attributes whose text is translated in whole-page mode."""
META_NAMES = frozenset({"description", "keywords"})
_MARK0 = 0xE000


def element_markup(el: Any) -> str:
    """An element as a standalone code stores it (``InlineCode.html``): its HTML without its tail."""
    import copy

    from lxml import html as lxml_html

    clone = copy.deepcopy(el)
    clone.tail = None
    out = str(lxml_html.tostring(clone, encoding="unicode"))
    return drop_void_end_tags(out) if needs_void_fix(clone) else out


_LATE_VOID = ("embed", "source", "track", "wbr")
_VOID_END = re.compile(
    r"(<(embed|source|track|wbr)(?:\s+[^\s=>/]+(?:=\"[^\"]*\"|='[^']*'|=[^\s>\"']*)?)*\s*/?>)</\2>",
    re.IGNORECASE)


def needs_void_fix(root: Any) -> bool:
    """Whether HTML serialized from ``root`` needs ``drop_void_end_tags``: it holds an
    ``<embed>``, ``<source>``, ``<track>`` or ``<wbr>``, and no script or style mentions
    one of these tags (its text is not markup, and is left as it is)."""
    if next(root.iter(*_LATE_VOID), None) is None:
        return False
    for el in root.iter("script", "style", "textarea", "xmp", "title"):
        low = (el.text or "").lower()
        if any("<" + t in low for t in _LATE_VOID):
            return False
    return True


def drop_void_end_tags(markup: str) -> str:
    """Take out the end tags libxml2's serializer writes after ``<embed>``, ``<source>``,
    ``<track>`` and ``<wbr>`` (it does not know they are empty; HTML has no such end tags
    and the page did not write them)."""
    return _VOID_END.sub(r"\1", markup)


class Marks:
    """Marker characters standing for inline tags in a block's extracted text.

    Args:
        slash: for ``br``/``img``/``wbr`` elements, whether the source wrote them as empty
            tags (``<br/>``); OmegaT's tag text depends on it (``<br0/>`` or ``<br0>``).
    """

    def __init__(self, slash: dict[Any, bool] | None = None) -> None:
        self.table: dict[str, list] = {}  # char → [kind, pair key, tag, attrs(, html, slash)]
        self._pair = 0
        self.slash = slash or {}
        self.elements: dict[int, Any] = {}  # pair key → the element
        self.wrapper: Any = None  # see finish

    def pair(self, el: Any) -> tuple[str, str]:
        self._pair += 1
        self.elements[self._pair] = el
        attrs = tuple((str(k), str(v)) for k, v in el.attrib.items())
        o = chr(_MARK0 + len(self.table))
        self.table[o] = ["open", self._pair, _tag(el), attrs]
        c = chr(_MARK0 + len(self.table))
        self.table[c] = ["close", self._pair, _tag(el), ()]
        return o, c

    def ph(self, el: Any, text: str = "") -> str:
        """A standalone tag: an image, an inline element without text (a linked image), or
        an element kept verbatim (``text``: its visible text, see ``VERBATIM_INLINE``)."""
        self._pair += 1
        self.elements[self._pair] = el
        ch = chr(_MARK0 + len(self.table))
        # Word's <![if !supportLists]> … <![endif]> around a list number (read as comments):
        # a tag of the sentence, as OmegaT shows it (<!2>), not a comment that ends it
        word_if = not isinstance(el.tag, str) and _WORD_IF.fullmatch(el.text or "") is not None
        self.table[ch] = ["ph", self._pair, "!" if word_if else _tag(el),
                          tuple((str(k), str(v)) for k, v in el.attrib.items()),
                          element_markup(el), False if word_if else self.slash.get(el, True), text]
        return ch

    def br(self, el: Any) -> str:
        """A ``<br>`` inside a block: a standalone code (a CAT tool keeps it in the segment
        it ends: OmegaT's ``…<br0>``)."""
        self._pair += 1
        self.elements[self._pair] = el
        ch = chr(_MARK0 + len(self.table))
        self.table[ch] = ["ph", self._pair, "br", (), "<br>", self.slash.get(el, False)]
        return ch

    def finish(self, text: str) -> tuple[str, dict[str, tuple]]:
        """Drop tags at the block's edges that wrap it or stand alone there (a CAT tool keeps
        them out of the segment), number the rest from 0 in order; ``(text, markers)``.

        Sets ``wrapper``: the innermost dropped wrapping element that holds every code left
        in the segment (where the translation goes), or None."""
        table = self.table
        wrappers: list[Any] = []
        changed = True
        while changed and table:
            changed = False
            core = [i for i, ch in enumerate(text) if ch not in table and not ch.isspace()]
            if not core:
                return "".join(ch for ch in text if ch not in table), {}
            lo, hi = core[0], core[-1]
            lead = [ch for ch in text[:lo] if ch in table]
            trail = [ch for ch in text[hi + 1:] if ch in table]
            drop = set()
            for n, ch in enumerate(lead):  # pairs that wrap the whole text
                kind, key = table[ch][0], table[ch][1]
                close = next((m for m, t in enumerate(trail) if table[t][1] == key), None)
                if kind != "open" or close is None:
                    continue
                # ... and nothing that stays in the segment outside them: only pairs around
                # them and standalone tags without text (``<code>数据.txt</code><b>…</b>``,
                # ``<em><math>…</math></em><b>…</b>``: the bold is no wrapper)
                around = ({table[t][1] for t in lead[:n] if table[t][0] == "open"}
                          & {table[t][1] for t in trail[close + 1:] if table[t][0] == "close"})
                if all(table[t][1] in around or (table[t][0] == "ph" and not _has_text(table[t]))
                       for t in lead[:n] + trail[close + 1:]):
                    wrappers.append(self.elements.get(key))
                    drop.add(ch)
                    drop.update(t for t in trail if table[t][1] == key)
            # standalone tags at the edges, unless inside a pair that stays (OmegaT keeps
            # <a0><i1>首页</a0>: an icon inside a link at the start of a paragraph)
            inside = False
            for ch in lead:
                inside = inside or (table[ch][0] == "open" and ch not in drop)
                if table[ch][0] == "ph" and not _has_text(table[ch]) and not inside:
                    drop.add(ch)
            inside = False
            for ch in reversed(trail):
                inside = inside or (table[ch][0] == "close" and ch not in drop)
                if table[ch][0] == "ph" and not _has_text(table[ch]) and not inside:
                    drop.add(ch)
            if drop:
                text = "".join(ch for ch in text if ch not in drop)
                changed = True
        kept = [self.elements.get(table[ch][1]) for ch in text if ch in table]
        for w in reversed(wrappers):  # innermost last dropped
            if w is not None and all(e is not None and _within(e, w) for e in kept):
                self.wrapper = w
                break
        # numbered as OmegaT numbers a paragraph's tags: in order, an element kept as it is
        # taking one number for each element in it (``<v0><s1><t2></v0>``)
        nums: dict[int, int] = {}
        markers: dict[str, tuple] = {}
        nxt = 0
        for ch in text:
            if ch in table:
                kind, key, tag, attrs, *html = table[ch]
                if key not in nums:
                    nums[key] = nxt
                    nxt += _tag_count(self.elements.get(key)) if kind == "ph" else 1
                markers[ch] = (kind, nums[key], tag, attrs, *html)
        return text, markers


def _tag_count(el: Any) -> int:
    """How many tags OmegaT shows for an element kept as it is: one, or, when it holds
    elements, one for each of them too."""
    if el is None or not len(el):
        return 1
    return sum(1 for e in el.iter() if isinstance(e.tag, str))


def _within(el: Any, outer: Any) -> bool:
    """Whether ``el`` is ``outer`` or inside it."""
    return el is outer or any(a is outer for a in el.iterancestors())


def _has_text(row: list) -> bool:
    """A verbatim element's code (``<code>安装.exe</code>``): OmegaT shows its text in the
    segment, so it is no edge tag to drop."""
    return len(row) > 6 and bool(row[6])


_SPACES = re.compile("[" + re.escape(JAVA_SPACE.replace("\n", "")) + "]+")
"""White space that collapses to one space: Java's ``Character.isWhitespace`` (as OmegaT
collapses it), i.e. every Unicode space except the no-break ones (U+00A0, U+2007, U+202F)."""


def _norm(text: str) -> str:
    """HTML whitespace: source lines joined (no space between CJK), space runs collapsed
    (a no-break space ``&nbsp;`` is kept inside a line, as OmegaT keeps it).

    ``<br>`` line breaks (``BR``) become ``\n`` in the result, so that each visual line
    is segmented on its own (``bitext.segment.blocks``); empty lines are dropped.
    """
    out = []
    for part in text.split(BR):
        lines = [_SPACES.sub(" ", ln) for ln in part.split("\n")]
        joined = join_lines(lines).strip()
        if joined:
            out.append(joined)
    return "\n".join(out)


class _Extractor:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.body = root.find("body") if root.find("body") is not None else root
        self._total = max(1, _han_count(self.body.text_content()))
        self._skip_cache: dict[Any, bool] = {}
        self.article_root: Any = None

    # -- boilerplate --------------------------------------------------------------
    def self_skipped(self, el: Any, inside_root: bool) -> bool:
        tag = _tag(el)
        if not tag:
            return True  # comments, processing instructions
        if tag in SKIP_TAGS or _kept_inline(el):  # translate="no", hidden
            return True
        if tag in ("header", "footer") and not inside_root:
            return True
        if tag == "footer" and inside_root and el is not self.article_root:
            return True
        if (el.get("role") or "").lower() in SKIP_ROLES:
            return True
        if el is self.article_root:
            return False
        attrs = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if attrs and BOILERPLATE.search(attrs):
            # A wrapper around the whole article is not boilerplate, whatever its class says.
            if el.xpath(".//article|.//main|.//*[@itemprop='articleBody']"):
                return False
            if self.article_root is not None and any(a is el for a in self.article_root.iterancestors()):
                return False
            return not (_han_count(el.text_content()) > 0.6 * self._total and self._total > 50)
        return False

    def skipped(self, el: Any) -> bool:
        """Whether ``el`` or an ancestor is boilerplate."""
        if el in self._skip_cache:
            return self._skip_cache[el]
        inside = self.article_root is not None and (
            el is self.article_root or any(a is self.article_root for a in el.iterancestors())
        )
        res = self.self_skipped(el, inside)
        parent = el.getparent()
        if not res and parent is not None and el is not self.article_root:
            res = self.skipped(parent)
        self._skip_cache[el] = res
        return res

    # -- root ---------------------------------------------------------------------
    def find_root(self) -> Any:
        """The article root: semantic markup, unless text density clearly disagrees."""
        dense = self.densest()
        sem = self.semantic()
        if sem is None:
            return dense
        if sem is dense or any(a is sem for a in dense.iterancestors()) or any(
            a is dense for a in sem.iterancestors()
        ):
            return sem
        # e.g. comments marked up as <article> beside a plain <div> holding the story
        if _han_count(sem.text_content()) * 2 < _han_count(dense.text_content()):
            return dense
        return sem

    def semantic(self) -> Any:
        """The element that ``itemprop=articleBody``, ``<article>`` or ``<main>`` marks."""
        for xp in ARTICLE_XPATHS:
            cands = [e for e in self.root.xpath(xp) if not self.skipped(e)]
            if cands:
                best = max(cands, key=lambda e: len(_norm(e.text_content())))
                if len(_norm(best.text_content())) >= 20 or xp == ARTICLE_XPATHS[0]:
                    return best
        return None

    def densest(self) -> Any:
        """The container with the highest readability-style Chinese text score."""
        scores: dict[Any, float] = {}
        for el in self.body.iter():
            tag = _tag(el)
            if tag not in ("p", "div", "section", "td", "blockquote", "pre", "span") or self.skipped(el):
                continue
            if tag in ("div", "section", "td", "span"):
                own = (el.text or "") + "".join((c.tail or "") for c in el)
                n = _han_count(own) + 0.3 * len(own.strip())
                if tag == "span" and n < 20:
                    continue
            else:
                text = el.text_content()
                links = "".join(a.text_content() for a in el.iter("a"))
                n = _han_count(text) - _han_count(links) + 0.3 * (len(text.strip()) - len(links.strip()))
            if n <= 0:
                continue
            parent = el.getparent()
            if parent is not None:
                scores[parent] = scores.get(parent, 0.0) + n
                grand = parent.getparent()
                if grand is not None:
                    scores[grand] = scores.get(grand, 0.0) + n / 2
        if not scores:
            return self.body
        return max(scores, key=lambda e: scores[e])


def _inline_text(nodes: list[tuple[str, Any]], marks: Marks | None = None) -> str:
    """Visible text of inline content: ``("text", s)`` pieces and inline elements.

    With ``marks``, inline elements leave marker characters around their text (``img``
    one), which become the segments' inline codes."""
    out: list[str] = []

    def walk(el: Any) -> None:
        tag = _tag(el)
        if tag == "br":
            if marks is not None:
                out.append(marks.br(el))
            out.append(BR)
        elif not tag or tag in PHRASING_KEEP:  # a comment, a form control, a script …: verbatim
            if marks is not None:
                out.append(marks.ph(el))
        elif _kept_inline(el):  # translate="no" or hidden, deeper in: as in content_nodes
            if marks is not None:
                out.append(marks.ph(el, _shown(el)))
        elif marks is not None and (tag == "img" or (inline_element(el) and not (el.text_content() or "").strip())):
            out.append(marks.ph(el))
        elif marks is not None and tag in VERBATIM_INLINE and _han_count(el.text_content()):
            out.append(marks.ph(el, _SPACES.sub(" ", el.text_content())))
        elif tag and tag != "img" and (tag in INLINE or tag not in SKIP_TAGS):
            pair = marks.pair(el) if marks is not None and inline_element(el) else None
            if pair:
                out.append(pair[0])
            out.append(el.text or "")
            for c_ in el:
                walk(c_)
            if pair:
                out.append(pair[1])
        out.append(el.tail or "")

    for kind, v in nodes:
        if kind == "text":
            out.append(v or "")
        elif kind == "ph":  # kept as it is (see _Builder.content_nodes); its tail is text
            if marks is not None:
                # an inline element's text (translate="no", hidden) shows inside its tag, as
                # in OmegaT (<s0>网信办</s0>)
                out.append(marks.ph(v, _shown(v)))
            out.append(v.tail or "")
        else:
            walk(v)  # an inline element's tail belongs to the same run
    return "".join(out)


def _kept_inline(el: Any) -> bool:
    """An element whose text is not the page's to translate: ``translate="no"``,
    ``notranslate`` or hidden (``hidden``, ``aria-hidden``, ``display:none``)."""
    return _no_translate(el) or el.get("hidden") is not None or el.get("aria-hidden") == "true" \
        or _HIDDEN_STYLE.search(el.get("style") or "") is not None


def kept_whole(el: Any) -> bool:
    """An inline element that is one code with its text left as it is: ``<code>`` (…)
    holding Chinese, ``translate="no"``, hidden (the HTML writer keeps it byte for byte)."""
    return (_tag(el) in VERBATIM_INLINE and _han_count(el.text_content()) > 0) or _kept_inline(el)


def _shown(el: Any) -> str:
    """The text a kept inline element shows inside its code (OmegaT's ``<s0>网信办</s0>``)."""
    shown = _SPACES.sub(" ", el.text_content()).strip() if _tag(el) in INLINE else ""
    return shown if _LETTER.search(shown) else ""


def _link_only(el_nodes: list[tuple[str, Any]]) -> bool:
    """Whether all letters of the inline content sit inside links."""
    outside: list[str] = []

    def walk(el: Any, in_link: bool) -> None:
        tag = _tag(el)
        link = in_link or tag == "a"
        if tag and tag not in SKIP_TAGS and not link:
            outside.append(el.text or "")
        for c in el:
            walk(c, link)
        if not in_link:
            outside.append(el.tail or "")

    for kind, v in el_nodes:
        if kind == "text":
            outside.append(v or "")
        elif kind == "ph":
            outside.append(v.tail or "")
        else:
            walk(v, False)
    return _LETTER.search("".join(outside)) is None


class _Builder:
    def __init__(self, ex: _Extractor, tree: Any, whole_page: bool = False,
                 slash: dict[Any, bool] | None = None) -> None:
        self.ex = ex
        self.tree = tree
        self.whole_page = whole_page
        self.blocks: list[Block] = []
        self.slots: dict[str, Slot] = {}
        self.done: set[Any] = set()
        self.slash = slash or {}  # see _empty_tags

    def add(self, kind: str, nodes: list[tuple[str, Any]], slot: Slot, level: int = 0,
            marker: str = "", ordered: bool = False) -> None:
        marks = Marks(self.slash)
        text = _norm(_inline_text(nodes, marks))
        text, markers = marks.finish(text)
        plain = "".join(ch for ch in text if ch not in markers)
        if not plain or not _LETTER.search(plain):
            return
        if kind != "heading" and not self.whole_page and _link_only(nodes):
            return
        idx = len(self.blocks) + 1
        self.blocks.append(make_block(idx, kind, text, level=level, marker=marker, ordered=ordered,  # type: ignore[arg-type]
                                      markers=markers))
        if marks.wrapper is not None:
            slot = dataclasses.replace(slot, wrap=self.tree.getpath(marks.wrapper))
        self.slots[f"p{idx}"] = slot

    def add_attr(self, el: Any, attr: str) -> None:
        """A translatable attribute (``alt``, ``title``, ``placeholder``, meta ``content``)
        with Chinese in it (others are not the user's to translate)."""
        text = _norm(el.get(attr) or "")
        if not text or not _han_count(text):
            return
        idx = len(self.blocks) + 1
        self.blocks.append(make_block(idx, "paragraph", text))
        self.slots[f"p{idx}"] = Slot(self.tree.getpath(el), "attr", attr=attr)

    def content_nodes(self, el: Any) -> list[tuple[str, Any]]:
        """An element's own inline content (text + inline children, block children excluded)."""
        nodes: list[tuple[str, Any]] = [("text", el.text)]
        for c in el:
            inline = inline_element(c)
            if inline and not self.ex.skipped(c):
                nodes.append(("el", c))
            elif not _tag(c) or inline or _tag(c) in PHRASING_KEEP:
                # comments, form controls, scripts, hidden or boilerplate inline elements: one
                # standalone code each, kept byte for byte where it stood; the tail is text
                nodes.append(("ph", c))
        return nodes

    def walk(self, el: Any, list_level: int = -1) -> None:
        if self.ex.skipped(el):
            return
        tag = _tag(el)
        path = self.tree.getpath(el)
        if tag in CODE_TAGS:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.add("heading", self.content_nodes(el), Slot(path), level=int(tag[1]), marker=tag)
            return
        if tag in ("p", "dt", "dd", "figcaption", "caption", "summary"):
            self.add("paragraph", self.content_nodes(el), Slot(path))
            self.walk_children_blocks(el, list_level)
            return
        if tag == "li":
            parent = el.getparent()
            ordered = parent is not None and _tag(parent) == "ol"
            marker = "*"
            if ordered:
                try:
                    start = int(parent.get("start") or 1)
                except ValueError:
                    start = 1
                marker = f"{start + sum(1 for s in el.itersiblings(preceding=True) if _tag(s) == 'li')}."
            nodes = self.content_nodes(el)
            if _LETTER.search(_inline_text(nodes)):
                self.add("list_item", nodes, Slot(path), level=max(0, list_level),
                         marker=marker, ordered=ordered)
                self.walk_children_blocks(el, list_level)
                return
            # <li><p>…</p></li> (WeChat, CMS editors): the item's paragraphs are its text.
            for c in el:
                if _tag(c) in ("p", "section", "div") and not self.ex.skipped(c) and not any(
                    _tag(g) and not inline_element(g) for g in c
                ):
                    self.add("list_item", self.content_nodes(c), Slot(self.tree.getpath(c)),
                             level=max(0, list_level), marker=marker, ordered=ordered)
                    marker = ""
                else:
                    self.walk(c, list_level)
            return
        if tag in ("td", "th") and not any(_tag(c) and not inline_element(c) for c in el):
            self.add("table_cell", self.content_nodes(el), Slot(path))
            return
        if tag in ("ul", "ol"):
            for c in el:
                self.walk(c, list_level + 1)
            return
        # Container: runs of bare text between block children, then the block children.
        self.walk_children_blocks(el, list_level, runs=True)

    def walk_children_blocks(self, el: Any, list_level: int, runs: bool = False) -> None:
        path = self.tree.getpath(el)
        anchor = -1
        run: list[tuple[str, Any]] = [("text", el.text)]
        inline_idx: list[int] = []
        children = list(el)
        for i, c in enumerate(children):
            tag = _tag(c)
            if tag in PHRASING_KEEP and not runs:
                continue  # a code of the element's own text (see content_nodes)
            if not tag or inline_element(c):
                if runs and tag and not self.ex.skipped(c):
                    run.append(("el", c))
                    inline_idx.append(i)
                elif runs:
                    run.append(("text", c.tail))
                continue
            if runs:
                self.add("paragraph", run, Slot(path, "run", anchor, tuple(inline_idx)))
            self.walk(c, list_level)
            anchor, run, inline_idx = i, [("text", c.tail)], []
        if runs:
            self.add("paragraph", run, Slot(path, "run", anchor, tuple(inline_idx)))


def _outside_title(root: Any, art: Any, ex: _Extractor, page_title: str) -> Any:
    """The article's title when the chosen root does not contain it, else None.

    The page's only ``<h1>``; else the nearest element before the root whose class or
    id says ``title`` and whose short text (4–120 characters) is part of ``<title>``
    (or, when none is, the nearest such element).
    """
    h1s = [h for h in root.xpath("//body//h1") if not ex.skipped(h)]
    if len(h1s) == 1:
        return h1s[0]
    if h1s:
        return None
    cands = []
    for el in art.xpath(
        "preceding::*[contains(translate(@class,'TITLE','title'),'title') or "
        "contains(translate(@id,'TITLE','title'),'title')]"
    ):
        if _tag(el) in INLINE or ex.skipped(el) or any(_tag(c) not in INLINE for c in el if _tag(c)):
            continue
        text = _norm(el.text_content())
        if 4 <= len(text) <= 120 and _LETTER.search(text):
            cands.append((el, text))
    if not cands:
        return None
    page = "".join(page_title.split())
    for el, text in reversed(cands):  # nearest first
        if "".join(text.split()) in page:
            return el
    return cands[-1][0]


def parse_html(text: str, path: str | None = None, encoding: str = "utf-8",
               article_only: bool = False) -> Document:
    """Parse an HTML page (already decoded) into a :class:`Document`.

    The whole page by default: ``<title>``, ``<meta name="description|keywords">``, every
    visible text of ``<body>`` (navigation, footer, link-only items included) and the
    ``alt``/``title``/``placeholder`` attributes. ``article_only``: the article only, as
    the module docstring describes.
    """
    import lxml.html
    from lxml import etree

    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise FormatError("empty HTML document", path)
    # huge_tree: a page with a 10 MB data: image or 300 nested divs must keep every
    # paragraph (without it libxml2 silently drops what follows, in recovery mode). The size
    # of the input is bounded before reading; depth beyond libxml2's limit is refused below.
    parser = lxml.html.HTMLParser(
        no_network=True, remove_pis=True, huge_tree=True, default_doctype=False
    )
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise FormatError(f"cannot parse HTML: {e}", path) from None
    for err in parser.error_log:
        if "Excessive depth" in err.message:
            # libxml2 stops nesting at 2,048 and drops what follows: build the tree with the
            # standard library's tokenizer instead (no depth limit), so nothing is lost.
            log.warning("%s: elements nested deeper than libxml2's limit; read with the "
                        "fallback parser", path or "<html>")
            root = _deep_parse(text, path)
            break
        if err.type_name == "ERR_RESOURCE_LIMIT":
            raise FormatError(
                f"HTML too large to read whole ({err.message.split(',')[0]}, line {err.line}); "
                "nothing was translated rather than lose the rest",
                path,
            )
    _unnest_void(root)
    data_uris = [v for v in root.xpath("//@src|//@href|//@srcset|//@poster") if v.lstrip()[:5].lower() == "data:"]
    if data_uris:
        size = sum(len(v) for v in data_uris)
        log.warning("%s: %d data: URI payload(s) (%.1f MB) skipped: embedded files, not text",
                    path or "<html>", len(data_uris), size / 1e6)
    tree = root.getroottree()
    with _deep_recursion(_depth(root)):
        return _build(root, tree, path, encoding, article_only, _empty_tags(text, root))


MAX_HTML_DEPTH = 10_000
"""Deepest element nesting read at all: deeper pages are refused in one line (the extractor's
ancestor checks grow with depth squared)."""

def _unnest_void(root: Any) -> None:
    """Move out what libxml2 put inside an element that has no content in HTML: it does not
    know ``<embed>``, ``<source>``, ``<track>`` and ``<wbr>`` are empty and nests the text and
    elements after them inside (``文字<embed src="a.swf">后面的文字。</p>`` left the second
    half Chinese and wrote an ``</embed>`` the page never had). The text and elements go
    back after the element, where the page has them."""
    for el in [e for e in root.iter(*VOID_ELEMENTS) if e.text or len(e)]:
        parent = el.getparent()
        if parent is None:
            continue
        kids, tail = list(el), el.tail
        el.tail, el.text = el.text, None
        at = parent.index(el)
        for k, c in enumerate(kids):
            parent.insert(at + 1 + k, c)
        last = kids[-1] if kids else el
        last.tail = (last.tail or "") + (tail or "") or None


def _deep_parse(text: str, path: str | None) -> Any:
    """Build an lxml HTML tree with ``html.parser`` (for pages libxml2 cannot nest)."""
    import html.parser

    import lxml.html

    root = lxml.html.Element("html")
    stack = [root]
    body_seen = [False]

    def open_(tag: str, attrs: list[tuple[str, str | None]]) -> Any:
        parent = stack[-1]
        if tag == "html":
            for k, v in attrs:
                root.set(k, v or "")
            return None
        el = parent.makeelement(tag, {})
        for k, v in attrs:
            try:
                el.set(k, v or "")
            except ValueError:
                continue  # an attribute name XML cannot hold
        parent.append(el)
        return el

    def add_text(data: str) -> None:
        cur = stack[-1]
        if len(cur):
            last = cur[-1]
            last.tail = (last.tail or "") + data
        else:
            cur.text = (cur.text or "") + data

    class P(html.parser.HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            el = open_(tag, attrs)
            if el is not None and tag not in VOID_ELEMENTS:
                stack.append(el)
                if len(stack) > MAX_HTML_DEPTH:
                    raise FormatError(f"HTML nested more than {MAX_HTML_DEPTH:,} elements deep", path)

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            open_(tag, attrs)

        def handle_endtag(self, tag: str) -> None:
            for k in range(len(stack) - 1, 0, -1):
                if stack[k].tag == tag:
                    del stack[k:]
                    return

        def handle_data(self, data: str) -> None:
            add_text(data)

        def handle_comment(self, data: str) -> None:
            from lxml import etree

            c = etree.Comment(data.replace("--", "- -"))
            stack[-1].append(c)

    p = P(convert_charrefs=True)
    p.feed(text)
    p.close()
    if root.find("body") is None:  # the extractor looks for <body>
        body = root.makeelement("body", {})
        for child in list(root):
            if child.tag != "head":
                body.append(child)
        if root.text:
            body.text, root.text = root.text, None
        root.append(body)
    del body_seen
    return root


_EMPTY_TAG = re.compile(r"""<(br|img|wbr|input|embed)\b(?:[^>"']|"[^"]*"|'[^']*')*?(/?)\s*>""", re.IGNORECASE)
_NOT_MARKUP = re.compile(r"<!--.*?-->|<(script|style|textarea|title)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _empty_tags(text: str, root: Any) -> dict[Any, bool]:
    """For each ``br``/``img``/``wbr``/``input``/``embed`` element of the parsed page, whether the source wrote
    it as an empty tag (``<br/>``, ``<img …/>``) rather than ``<br>``: the parser forgets
    it, OmegaT does not (``<br0/>`` / ``<br0>``). Matched in document order; when the
    source's tags and the tree's elements do not pair up one to one (a parser repair), the
    source's majority spelling is used for all."""
    found = [(m.group(1).lower(), bool(m.group(2))) for m in _EMPTY_TAG.finditer(_NOT_MARKUP.sub("", text))]
    els = list(root.iter("br", "img", "wbr", "input", "embed"))
    if [t for t, _ in found] == [_tag(el) for el in els]:
        return {el: s for el, (_, s) in zip(els, found)}
    majority = 2 * sum(s for _, s in found) > len(found)
    return {el: majority for el in els}


def _depth(root: Any) -> int:
    """The nesting depth of an element tree (iterative)."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        el, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in el)
    return deepest


@contextlib.contextmanager
def _deep_recursion(depth: int) -> Any:
    """Room for the extractor's recursive walk (a few frames per level) on deep pages."""
    old = sys.getrecursionlimit()
    need = 4 * depth + 1000
    if need > old:
        sys.setrecursionlimit(need)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _build(root: Any, tree: Any, path: str | None, encoding: str,
           article_only: bool = False, slash: dict[Any, bool] | None = None) -> Document:
    """The blocks of a parsed page (the whole page, or its article only); ``slash``: see
    ``_empty_tags``."""
    ex = _Extractor(root)
    title_el = root.find(".//title")
    if not article_only:
        return _whole_page(root, tree, ex, title_el, path, encoding, slash)
    art = ex.find_root()
    ex.article_root = art
    ex._skip_cache.clear()
    b = _Builder(ex, tree, slash=slash)
    # A page title outside the chosen root comes first.
    if not art.xpath(".//h1") and _tag(art) != "body":
        head = _outside_title(root, art, ex, title_el.text_content() if title_el is not None else "")
        if head is not None:
            b.add("heading", b.content_nodes(head), Slot(tree.getpath(head)), level=1, marker="h1")
    b.walk(art)
    metadata: dict[str, Any] = {"encoding": encoding}
    if title_el is not None and (title_el.text or "").strip():
        metadata["title"] = _norm(title_el.text)
    lang = root.get("lang")
    if lang:
        metadata["lang"] = lang
    src = HtmlSource(tree=tree, slots=b.slots, doctype=tree.docinfo.doctype or "")
    return Document(path=path, format="html", blocks=tuple(b.blocks), metadata=metadata, source=src)


class _PageExtractor(_Extractor):
    """Whole-page mode: nothing is boilerplate, only non-text elements are skipped."""

    def self_skipped(self, el: Any, inside_root: bool) -> bool:
        tag = _tag(el)
        return not tag or tag in PAGE_SKIP_TAGS or _no_translate(el)


def _whole_page(root: Any, tree: Any, ex: _Extractor, title_el: Any, path: str | None,
                encoding: str, slash: dict[Any, bool] | None = None) -> Document:
    pex = _PageExtractor(root)
    pex.article_root = pex.body
    b = _Builder(pex, tree, whole_page=True, slash=slash)
    if title_el is not None and _han_count(title_el.text or ""):
        b.add("paragraph", [("text", title_el.text)], Slot(tree.getpath(title_el)))
    for meta in root.xpath("//head//meta[@name][@content]"):
        if (meta.get("name") or "").lower() in META_NAMES:
            b.add_attr(meta, "content")
    b.walk(pex.body)
    for el in pex.body.iter():
        if not isinstance(el.tag, str):
            continue
        if pex.skipped(el) and not (  # a form field's placeholder and tooltip are page text
                _tag(el) in ("input", "textarea") and el.getparent() is not None and not pex.skipped(el.getparent())):
            continue
        for attr in TEXT_ATTRS:
            if el.get(attr):
                b.add_attr(el, attr)
    # the text of a list's options and a text area's default text: form text on the page
    # (as OmegaT offers them), each its own segment
    for el in pex.body.iter("option", "textarea"):
        owner = next((a for a in el.iterancestors() if _tag(a) not in ("select", "optgroup", "datalist")), None)
        if _han_count(el.text or "") and len(el) == 0 and owner is not None and not pex.skipped(owner):
            b.add("paragraph", [("text", el.text)], Slot(tree.getpath(el)))
    metadata: dict[str, Any] = {"encoding": encoding, "scope": "page"}
    if title_el is not None and (title_el.text or "").strip():
        metadata["title"] = _norm(title_el.text)
    if root.get("lang"):
        metadata["lang"] = root.get("lang")
    src = HtmlSource(tree=tree, slots=b.slots, doctype=tree.docinfo.doctype or "")
    return Document(path=path, format="html", blocks=tuple(b.blocks), metadata=metadata, source=src)


def read(path: str | Path, article_only: bool = False, *, encoding: str | None = None,
         **_: Any) -> Document:
    """Read an HTML page: the whole page, or its article only (``article_only``).

    Raises:
        FormatError: unreadable, binary, undecodable or unparsable file.
    """
    data = read_bytes(path)
    forced = encoding
    text, encoding = decode_bytes(data, str(path), forced)
    if not forced and encoding in ("gb18030", "big5", "cp950"):
        text, encoding = _declared(data, text, encoding)
    return parse_html(text, str(path), encoding, article_only=article_only)


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _declared(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """Prefer the page's declared legacy Chinese charset when detection had to guess."""
    m = _CHARSET.search(data[:4096])
    if not m:
        return text, encoding
    declared = m.group(1).decode("ascii").lower()
    if declared in ("gb2312", "gbk", "gb18030", "x-gbk", "euc-cn"):
        want = "gb18030"
    elif declared in ("big5", "big5-hkscs", "cp950", "x-x-big5"):
        want = "big5"
    else:
        return text, encoding
    if want == encoding:
        return text, encoding
    for enc in ((want, "cp950") if want == "big5" else (want,)):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return text, encoding
