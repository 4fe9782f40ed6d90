"""HTML document writer: the same page with each block's text replaced by its translation.

It works on a deep copy of the tree the HTML reader parsed (``HtmlSource``): every
translated block's element keeps its tag and attributes, its inline content is replaced
by the English text (lxml escapes it) with the sentence's inline tags (``<b>``, ``<em>``,
``<a href>``, images …, the segments' ``InlineCode``s) placed around the right English words
by the XLIFF writer's anchor-and-interpolate placement; translated attributes (``alt``,
``title``, ``placeholder``, ``<meta name="description">``) get their English; ``lang="en"``
is set on ``<html>`` and on elements that said ``zh…``; the charset declaration becomes
UTF-8 (the file is written in UTF-8). The page's scripts stay unless the document asks
(``--strip-scripts``). With ``--article-only``, menus, footers and other boilerplate the
reader skipped stay as they were. A gist gets a visible banner at the top
of ``<body>``; a block with a glossary term that could not be enforced gets a
``data-bitext-term-violation`` attribute and an HTML comment.

A document that did not come from the HTML reader is written as a simple page.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from bitext.document import TranslatedDocument
from bitext.files import atomic_write
from bitext.readers.html import (
    PHRASING_KEEP,
    HtmlSource,
    drop_void_end_tags,
    element_markup,
    inline_element,
    kept_whole,
    needs_void_fix,
    resolve_path,
)
from bitext.readers.xliff import Token
from bitext.writers.tmx import placed_parts
from bitext.writers.txt import (
    GIST_LABEL,
    block_target,
    line_numbers,
    segment_targets,
    untranslated,
    violations,
    wide_indent,
)
from bitext.writers.xliff import fill

GIST_STYLE = (
    "margin:0 0 1em 0;padding:.6em 1em;background:#fff3cd;color:#664d03;"
    "border:2px solid #e0a800;font:bold 15px/1.4 sans-serif"
)


_LETTER = re.compile(r"[^\W\d_]")


def _keeps(child: Any) -> bool:
    """Inline children kept where they stand unless they come back as codes: comments,
    form controls, scripts, media (``PHRASING_KEEP``), elements without text (images,
    empty anchors around images) and elements kept whole (``<code>`` with Chinese,
    ``translate="no"``)."""
    if not isinstance(child.tag, str):
        return True
    tag = child.tag.lower()
    if tag == "br":
        return False
    return tag in PHRASING_KEEP or _LETTER.search(child.text_content() or "") is None or kept_whole(child)


def _code_elements(el: Any, slot: Any, kind: str) -> dict[str, list[Any]]:
    """The element's inline children that a standalone code may stand for (an image, a
    comment, a form control), by the markup the reader stored, in document order. Read
    before anything changes; the writer moves these very elements among the English words
    (so an ``alt`` translated meanwhile is kept, and nothing is left twice). ``kind``:
    ``run`` (the slot's run of children) or ``content`` (all of ``el``'s)."""
    if kind == "run":
        kids = list(el)
        cands = [kids[i] for i in slot.inline if 0 <= i < len(kids)]
    else:
        cands = [c for c in el if _inline_child(c)]
    out: dict[str, list[Any]] = {}

    def add(c: Any) -> None:
        out.setdefault(element_markup(c), []).append(c)
        if isinstance(c.tag, str) and _is_pair(c):  # an image inside <b>…</b> is a code too
            for d in c:
                add(d)

    for c in cands:
        add(c)
    return out


def _drop(parent: Any, child: Any, moved: set[int]) -> None:
    """Remove an inline child whose text the English replaces. What it holds that is no
    text and that no code of the segment stands for (``moved``: the elements the English's
    tokens hold) stays where the child stood: a comment, script, image or form control at a
    segment's edge, which the reader leaves out of the segment as OmegaT does."""
    at = parent.index(child)
    keep: list[Any] = []

    def walk(el: Any) -> None:
        for d in el:
            if id(d) in moved:
                continue
            if _keeps(d) and not (isinstance(d.tag, str) and _is_pair(d)):
                keep.append(d)
            elif isinstance(d.tag, str):
                walk(d)

    walk(child)
    child.tail = None
    parent.remove(child)
    for k, d in enumerate(keep):
        d.getparent().remove(d)
        d.tail = None
        parent.insert(at + k, d)


def _is_pair(child: Any) -> bool:
    """Whether the reader made the child two codes around its text (an inline element with
    text, digits too: ``<b>12,345</b>``), which the English's tokens rebuild."""
    tag = child.tag.lower() if isinstance(child.tag, str) else ""
    return (bool(tag) and inline_element(child) and tag not in ("img", "br")
            and bool((child.text_content() or "").strip()) and not kept_whole(child))


def _inline_child(child: Any) -> bool:
    tag = child.tag.lower() if isinstance(child.tag, str) else ""
    return not tag or inline_element(child) or tag in PHRASING_KEEP


def _replace_content(el: Any, used: list[Any]) -> int:
    """Clear an element's inline content (text and inline children) for the English.

    Block-level children stay; so do images, comments, form controls, scripts and ``<br>``
    at the text's edges that do not come back as codes (``used``: the children the English's
    tokens now hold), where they stood. Returns how many kept children now stand before the
    text (where the tokens go).
    """
    moved = {id(c) for c in used}
    edge = _edge_breaks(el)
    lead, before_text = 0, not (el.text or "").strip()
    for child in list(el):
        if not _inline_child(child):
            before_text = False
            continue
        if id(child) in moved:  # among the English words now
            before_text = False
            child.tail = None
            el.remove(child)
        elif (_keeps(child) or id(child) in edge) and not _is_pair(child):
            lead += before_text
            before_text = before_text and not (child.tail or "").strip()
            child.tail = None
        else:
            before_text = False
            _drop(el, child, moved)  # its tail is inline content too
    el.text = None
    return lead


def _edge_breaks(el: Any) -> set[int]:
    """The ``<br>`` children before all of ``el``'s text or after all of it (a paragraph
    opening with a blank line): no segment holds them, so they stay where they are."""
    return _run_edge_breaks(el.text, list(el))


def _run_edge_breaks(text: str | None, kids: list[Any]) -> set[int]:
    """``_edge_breaks`` of a run: ``text`` and then the children ``kids`` (with their tails)."""
    texts = [(text or "").strip()]
    for c in kids:
        # (an element's text counts even without letters: a number, 12,345, is a segment's)
        texts.append("" if not isinstance(c.tag, str) or c.tag.lower() in PHRASING_KEEP
                     or c.tag.lower() == "br" or kept_whole(c) else _visible(c).strip())
        texts.append((c.tail or "").strip())
    out = set()
    for k, c in enumerate(kids):
        if isinstance(c.tag, str) and c.tag.lower() == "br" and (
                not any(texts[: 2 * k + 1]) or not any(texts[2 * k + 2:])):
            out.add(id(c))
    return out


def _opens_text(br: Any) -> bool:
    """Whether nothing visible stands before ``br`` in its parent (a <br> opening the text)."""
    parent = br.getparent()
    if parent is None or (parent.text or "").strip():
        return False
    for sib in br.itersiblings(preceding=True):
        if (sib.tail or "").strip() or (not _keeps(sib) and _visible(sib).strip()):
            return False
    return True


def _visible(el: Any) -> str:
    """``el``'s text less what kept children (scripts, comments, controls, images) hold."""
    out = [el.text or ""]
    for c in el:
        if not _keeps(c):
            out.append(_visible(c))
        out.append(c.tail or "")
    return "".join(out)


def _scope(el: Any, kind: str, anchor: int) -> list[Any]:
    """The ``<br>`` elements of a block's inline content, in order: inside ``el`` (kind
    "content") or in the run of bare text after child ``anchor`` of ``el`` (kind "run")."""
    if kind == "run":
        kids = _run_children(el, anchor)
    else:
        kids = [c for c in el if not isinstance(c.tag, str) or inline_element(c)]
    out: list[Any] = []
    for c in kids:
        out.extend(b for b in c.iter() if isinstance(b.tag, str) and b.tag.lower() == "br"
                   and _inline_up_to(b, el))
    return out


def _run_children(parent: Any, anchor: int) -> list[Any]:
    """The children of a run of bare text after child ``anchor`` of ``parent`` (comments and
    inline elements), up to the next block element."""
    kids = []
    for c in list(parent)[anchor + 1:]:
        if isinstance(c.tag, str) and not inline_element(c):
            break
        kids.append(c)
    return kids


def _inline_up_to(node: Any, top: Any) -> bool:
    """Whether every element between ``node`` and its ancestor ``top`` is inline."""
    for a in node.iterancestors():
        if a is top:
            return True
        if not inline_element(a):
            return False
    return True


def _line_indents(el: Any, kind: str, anchor: int) -> tuple[str, list[str]]:
    """A block's indentation in the source (``wide_indent``: plain white space is the page's
    formatting, which HTML collapses): its text's and each line's after a ``<br>``."""
    first = el.text if kind != "run" or anchor < 0 else list(el)[anchor].tail
    return wide_indent(first), [wide_indent(b.tail) for b in _scope(el, kind, anchor)]


def _restore_indents(el: Any, kind: str, anchor: int, lead: int,
                     indents: tuple[str, list[str]]) -> None:
    """Put a block's source indentation (``_line_indents``) back before its English: at the
    start of the text when nothing kept stands before it, and after each ``<br>`` when the
    English has as many as the source."""
    first, lines = indents
    if first and not lead:
        if kind == "run" and anchor >= 0:
            el[anchor].tail = first + (el[anchor].tail or "")
        else:
            el.text = first + (el.text or "")
    if not any(lines):
        return
    brs = _scope(el, kind, anchor)
    if len(brs) == len(lines):
        for b, ind in zip(brs, lines):
            if ind and not (b.tail or "").startswith(ind):
                b.tail = ind + (b.tail or "").lstrip()


def _home(tree: Any, el: Any, slot: Any) -> tuple[Any, str]:
    """Where a block's tagged English goes: ``(element, "content" or "run")``; inside the
    element that wraps all of the block's text (``Slot.wrap``, left out of the segment), so
    that it stays, with the images, comments and scripts it holds beside the text."""
    if slot.wrap:
        inner = resolve_path(tree, slot.wrap)
        if inner is not None:
            return inner, "content"
    return el, slot.kind


def _replace_run(parent: Any, anchor: int, inline: tuple[int, ...], used: list[Any]) -> int:
    """Clear a run of bare text inside a container for the English (``used``: the children
    the English's tokens now hold; they rebuild the run's tagged elements). Comments, media
    and skipped inline elements inside the run stay. Returns how many of them now stand
    before the run's text (a comment opening it)."""
    children = list(parent)
    run = {id(children[i]) for i in inline if 0 <= i < len(children)}
    before = parent.text if anchor < 0 else (children[anchor].tail if anchor < len(children) else "")
    moved = {id(c) for c in used}
    kids = _run_children(parent, anchor)
    edge = _run_edge_breaks(before, kids)
    lead, before_text = 0, not (before or "").strip()
    for c in kids:  # the run's children, and comments between them
        tail, c.tail = c.tail, None  # run text
        if id(c) in moved:
            parent.remove(c)
            before_text = False
        elif id(c) in run and (not _keeps(c) or _is_pair(c)) and id(c) not in edge:
            _drop(parent, c, moved)
            before_text = False
        else:  # stays where it is
            lead += before_text
            before_text = before_text and not (tail or "").strip()
    if anchor < 0:
        parent.text = None
    elif anchor < len(children):
        parent[anchor].tail = None
    return lead


def _tagged(tdoc: TranslatedDocument, block: Any, elements: dict[str, list[Any]] | None = None,
            used: list[Any] | None = None) -> list[Any]:
    """The block's English as tokens with its inline tags and line breaks placed. A
    standalone code takes the source element it stands for from ``elements`` (see
    ``_code_elements``; appended to ``used``), else a copy made from its markup."""
    from lxml import etree
    from lxml import html as lxml_html

    out: list[Any] = []
    line_of = line_numbers(block)
    tail_br = 0  # <br> codes after the previous segment's text, placed with it
    targets = segment_targets(tdoc, block, line_of)
    for k, seg in enumerate(block.segments):
        res = tdoc.results.get(seg.id)
        target = targets[k]
        # <br> codes at the head of a segment close a line of kept code before its text
        # (see bitext.segment.blocks), those after its text and before a closing tag end
        # its line inside that element (``中文句子。<br></b>``); the others are not placed:
        # line breaks put them back, or they stay where they stood (a paragraph's edge)
        lead_br = (sum(1 for c in seg.codes if c.tag == "br" and c.pos == 0)
                   + sum(1 for c in seg.tags_before if c.tag == "br"))
        gap = line_of[k] - (line_of[k - 1] if k else 0) - lead_br - tail_br
        if k and gap > 0:  # the source's <br> line breaks
            out.extend(Token("solo", elem=etree.Element("br")) for _ in range(gap))
        elif out and not tail_br:
            out.append(Token("text", " "))
        parts = placed_parts(seg, target, res.term_hits if res is not None else ()) if seg.codes else (target,)
        # the tags a CAT tool's rules left in pieces without text, back around the sentence
        parts = (*seg.tags_before, *parts, *seg.tags_after)
        last = max((i for i, p in enumerate(parts) if isinstance(p, str) and p.strip()), default=-1)
        head = True  # before the segment's first text
        tail_br = 0
        for i, p in enumerate(parts):
            if isinstance(p, str) and p.strip():
                head = False
            if not isinstance(p, str) and p.tag == "br":
                if (head and lead_br) or (i > last >= 0 and not head):
                    # the source's own <br> where there is one (so it is not also kept
                    # where it stood): the first not yet placed (after text, not one
                    # opening its element's text, which stays where it is)
                    brs = (elements or {}).get(p.html or "<br>") or []
                    pick = next((b for b in brs if head or not _opens_text(b)), None)
                    if pick is not None:
                        brs.remove(pick)
                        out.append(Token("solo", elem=pick))
                        if used is not None:
                            used.append(pick)
                    else:
                        out.append(Token("solo", elem=etree.Element("br")))
                    tail_br += i > last
                continue
            if isinstance(p, str):
                out.append(Token("text", p))
            elif p.kind == "close":
                out.append(Token("close", pair=p.num))
            elif p.kind == "ph" and p.html:
                same = (elements or {}).get(p.html)
                if same:
                    out.append(Token("solo", elem=same.pop(0)))
                    if used is not None:
                        used.append(out[-1].elem)
                else:
                    out.append(Token("solo", elem=lxml_html.fragment_fromstring(p.html)))
            else:
                el = _element(p.tag, p.attrs)
                out.append(Token("open" if p.kind == "open" else "solo", pair=p.num if p.kind == "open" else None, elem=el))
    # tags whose other end is in no segment (an unbalanced source) are dropped
    opens = {t.pair for t in out if t.kind == "open"}
    closes = {t.pair for t in out if t.kind == "close"}
    return [t for t in out if t.kind not in ("open", "close") or (t.pair in opens and t.pair in closes)]


def _element(tag: str, attrs: Any) -> Any:
    """A new element ``tag`` with ``attrs``; also a name XML does not allow but an HTML page
    uses (Word's ``st1:chsdate``), made as the HTML parser makes it."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        return etree.Element(tag, dict(attrs))
    except ValueError:
        shell = lxml_html.fragment_fromstring(f"<{tag}></{tag}>", create_parent="div")[0]
        for k, v in attrs:
            shell.set(k, v)
        return shell


def _insert_tokens(parent: Any, at: int, tokens: list[Any], after_text: bool) -> None:
    """Put tokens into ``parent`` at child position ``at`` (text goes into ``parent.text``
    when ``at`` is 0 and ``after_text`` is False, else into the tail of child ``at - 1``)."""
    from lxml import etree


    tmp = etree.Element("tmp")
    fill(tmp, tokens)
    lead = tmp.text or ""
    if at == 0:
        parent.text = (parent.text or "") + lead if after_text else lead
    else:
        parent[at - 1].tail = lead
    for k, child in enumerate(list(tmp)):
        parent.insert(at + k, child)


def _fix_charset(root: Any) -> None:
    head = root.find("head")
    found = False
    for meta in root.iter("meta"):
        if meta.get("charset") is not None:
            meta.set("charset", "utf-8")
            found = True
        elif (meta.get("http-equiv") or "").lower() == "content-type":
            # libxml2 drops http-equiv Content-Type when serialising: use <meta charset>.
            meta.attrib.clear()
            meta.set("charset", "utf-8")
            found = True
    if not found:
        from lxml import etree

        if head is None:
            head = etree.Element("head")
            root.insert(0, head)
        meta = etree.Element("meta", charset="utf-8")
        head.insert(0, meta)


def render(tdoc: TranslatedDocument) -> bytes:
    """The English HTML page as UTF-8 bytes."""
    import lxml.html
    from lxml import etree


    doc = tdoc.document
    src = doc.source
    if not isinstance(src, HtmlSource):
        return _simple_page(tdoc)
    tree = copy.deepcopy(src.tree)
    root = tree.getroot()
    # Resolve every slot before changing anything (changes would shift positions).
    targets = []
    for block in doc.blocks:
        slot = src.slots.get(block.id)
        if slot is None or not block.segments:
            continue
        found = resolve_path(tree, slot.path)
        if found is None:
            continue
        home = _home(tree, found, slot)
        codes = _code_elements(home[0], slot, home[1]) if slot.kind != "attr" else {}
        targets.append((block, slot, found, home, codes))
    for block, slot, el, home, codes in reversed(targets):
        if untranslated(tdoc, block):
            continue  # nothing Chinese in it (an English paragraph, a number): left as it was
        viol = violations(tdoc, block)
        if slot.kind == "attr":
            el.set(slot.attr, block_target(tdoc, block))
            continue
        used: list[Any] = []
        tokens = _tagged(tdoc, block, codes, used)  # the English, its tags and line breaks
        indents = _line_indents(home[0], home[1], slot.anchor)
        if home[1] == "run":
            lead = _replace_run(el, slot.anchor, slot.inline, used)
            _insert_tokens(el, slot.anchor + 1 + lead, tokens, False)
        else:
            lead = _replace_content(home[0], used)
            _insert_tokens(home[0], lead, tokens, False)
        _restore_indents(home[0], home[1], slot.anchor, lead, indents)
        if slot.kind != "run" and viol:
            el.set("data-bitext-term-violation", "; ".join(viol))
        if viol:
            comment = etree.Comment(
                " bitext: glossary term not enforced: " + "; ".join(viol).replace("--", "—") + " "
            )
            if slot.kind != "run":
                el.append(comment)
            elif slot.anchor < 0:
                el.insert(0, comment)
                comment.tail, el.text = el.text, None
    root.set("lang", "en")
    for el in root.iter():
        # lang="zh…" on elements whose text is now English
        if isinstance(el.tag, str) and el is not root and (el.get("lang") or "").lower().startswith("zh"):
            el.set("lang", "en")
    if doc.metadata.get("strip_scripts"):
        for script in list(root.iter("script", "noscript")):
            parent = script.getparent()
            if parent is not None:
                if script.tail:
                    prev = script.getprevious()
                    if prev is not None:
                        prev.tail = (prev.tail or "") + script.tail
                    else:
                        parent.text = (parent.text or "") + script.tail
                parent.remove(script)
    _fix_charset(root)
    if tdoc.info.is_gist:
        body = root.find("body")
        banner = etree.Element("div", {"class": "bitext-gist", "role": "note", "style": GIST_STYLE})
        banner.text = GIST_LABEL
        if body is not None:
            body.insert(0, banner)
            banner.tail = "\n"
        title = root.find(".//title")
        if title is not None:
            title.text = "[GIST] " + (title.text or "")
    html_bytes = lxml.html.tostring(tree, encoding="utf-8", method="html", doctype=src.doctype or None)
    if needs_void_fix(root):
        html_bytes = drop_void_end_tags(html_bytes.decode("utf-8")).encode("utf-8")
    if not html_bytes.endswith(b"\n"):
        html_bytes += b"\n"
    return html_bytes


def _simple_page(tdoc: TranslatedDocument) -> bytes:
    """A plain HTML page for a document that was not read from HTML."""
    import lxml.html
    from lxml import etree

    doc = tdoc.document
    root = etree.Element("html", lang="en")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    title = etree.SubElement(head, "title")
    title.text = ("[GIST] " if tdoc.info.is_gist else "") + str(doc.metadata.get("title") or Path(doc.path or "document").name)
    body = etree.SubElement(root, "body")
    if tdoc.info.is_gist:
        banner = etree.SubElement(body, "div", {"class": "bitext-gist", "role": "note", "style": GIST_STYLE})
        banner.text = GIST_LABEL
    current_list: Any = None
    for block in doc.blocks:
        if block.kind == "passthrough" or not block.segments:
            current_list = None
            continue
        text = block_target(tdoc, block)
        if block.kind == "list_item":
            tag = "ol" if block.ordered else "ul"
            if current_list is None or current_list.tag != tag:
                current_list = etree.SubElement(body, tag)
            el = etree.SubElement(current_list, "li")
        else:
            current_list = None
            tag = f"h{max(1, min(6, block.level or 1))}" if block.kind == "heading" else "p"
            el = etree.SubElement(body, tag)
        el.text = text
        el.set("id", block.id)
        viol = violations(tdoc, block)
        if viol:
            el.set("data-bitext-term-violation", "; ".join(viol))
    return lxml.html.tostring(root, encoding="utf-8", method="html", doctype="<!DOCTYPE html>") + b"\n"


def write(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the English HTML page atomically (UTF-8)."""
    data = render(tdoc)
    with atomic_write(path, "wb", encoding=None) as f:
        f.write(data)

