"""HTML document writer: the same page with each block's text replaced by its translation.

It works on a deep copy of the tree the HTML reader parsed (``HtmlSource``): every
translated block's element keeps its tag and attributes, its inline content is replaced
by the English text (lxml escapes it), ``<html lang="en">`` is set and the charset
declaration becomes UTF-8 (the file is written in UTF-8). Menus, footers and other
boilerplate the reader skipped stay as they were. A gist gets a visible banner at the top
of ``<body>``; a block with a glossary term that could not be enforced gets a
``data-bitext-term-violation`` attribute and an HTML comment.

A document that did not come from the HTML reader is written as a simple page.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from bitext.files import atomic_write
from bitext.document import TranslatedDocument
from bitext.writers.txt import GIST_LABEL, block_target, line_targets, violations

GIST_STYLE = (
    "margin:0 0 1em 0;padding:.6em 1em;background:#fff3cd;color:#664d03;"
    "border:2px solid #e0a800;font:bold 15px/1.4 sans-serif"
)


_LETTER = re.compile(r"[^\W\d_]")


def _keeps(child: Any) -> bool:
    """Inline children without text (images, empty anchors around images) are kept."""
    if not isinstance(child.tag, str) or child.tag.lower() == "br":
        return False
    return _LETTER.search(child.text_content() or "") is None


def _links(child: Any) -> list[tuple[str, str]]:
    """``(href, text)`` of the links with text in an inline element (itself included)."""
    return [
        (a.get("href"), " ".join((a.text_content() or "").split()))
        for a in child.iter("a")
        if a.get("href") and _LETTER.search(a.text_content() or "")
    ]


def _replace_content(el: Any, text: str) -> None:
    """Replace an element's inline content (text and inline children) with ``text``.

    Block-level children stay; inline media (images) stay after the new text. Links are not
    lost: when one link holds all the element's text, the translation goes inside it;
    otherwise each link follows the translation as a numbered reference ``[1]`` whose
    ``title`` is the original link text.
    """
    from lxml import etree

    from bitext.readers.html import INLINE

    whole = _whole_link(el)
    if whole is not None:
        for child in list(whole):
            whole.remove(child)
        whole.text = text
        return
    links: list[tuple[str, str]] = []
    for child in list(el):
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if not tag or tag in INLINE:
            if _keeps(child):
                child.tail = None
            else:
                links.extend(_links(child))
                el.remove(child)  # its tail is inline content too
    el.text = text
    for k, (href, label) in enumerate(links, 1):
        ref = etree.Element("a", href=href, title=label)
        ref.text = f"[{k}]"
        if len(el):
            el[-1].tail = (el[-1].tail or "") + " "
        else:
            el.text = (el.text or "") + " "
        el.append(ref)


def _whole_link(el: Any) -> Any:
    """The one ``<a href>`` child that holds all of ``el``'s text (a linked title), or None."""
    anchors = [c for c in el if isinstance(c.tag, str) and c.tag.lower() == "a" and c.get("href")]
    if len(anchors) != 1 or any(isinstance(c.tag, str) and c.tag.lower() not in ("a", "img") for c in el):
        return None
    def norm(t: str | None) -> str:
        return "".join((t or "").split())

    return anchors[0] if norm(el.text_content()) == norm(anchors[0].text_content()) else None


def _replace_run(parent: Any, anchor: int, inline: tuple[int, ...], text: str) -> None:
    """Replace a run of bare text inside a container (inline media stay)."""
    from bitext.readers.html import INLINE

    children = list(parent)
    for i in sorted(inline, reverse=True):
        if 0 <= i < len(children) and not _keeps(children[i]):
            parent.remove(children[i])
    # Comments, media and skipped inline elements inside the run stay; their tails are
    # run text.
    for c in list(parent)[anchor + 1 :]:
        if isinstance(c.tag, str) and c.tag.lower() not in INLINE:
            break
        c.tail = None
    if anchor < 0:
        parent.text = text
    elif anchor < len(children):
        parent[anchor].tail = text


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

    from bitext.readers.html import HtmlSource, resolve_path

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
        targets.append((block, slot, found))
    for block, slot, el in reversed(targets):
        first, *more = line_targets(tdoc, block)
        viol = violations(tdoc, block)
        if slot.kind == "run":
            _replace_run(el, slot.anchor, slot.inline, first)
            at = slot.anchor + 1
        else:
            _replace_content(el, first)
            at = 0
        for k, line in enumerate(more):  # the source's <br> line breaks
            br = etree.Element("br")
            br.tail = line
            el.insert(at + k, br)
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

