"""Markdown document writer: the English Markdown with the source's structure.

Front matter is copied verbatim; headings keep their ATX/setext markers and level; list
items keep their indentation, marker and numbering; blockquote prefixes and table rows
are rebuilt; passthrough blocks (image-only lines, code) are copied verbatim;
paragraphs are the segment targets joined with a space. Translated text is escaped just
enough that it cannot turn into Markdown structure or raw HTML. A gist labels itself
right after the front matter; glossary terms that could not be enforced are flagged in an
inline HTML comment at the end of their block's line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from bitext.document import Block, TranslatedDocument
from bitext.files import atomic_write
from bitext.readers.md import (
    _BR,
    PARA_INDENT,
    MdLayout,
    MdSource,
    inline_link_targets,
    inline_media,
    raw_text,
)
from bitext.writers.tmx import placed_parts
from bitext.writers.txt import (
    GIST_LABEL,
    line_numbers,
    line_targets,
    segment_targets,
    untranslated,
    violations,
)

_BR_END = re.compile(f"((?:{_BR.pattern}\\s*)+)$", re.IGNORECASE)
"""A line's closing ``<br>`` tags."""
_LEADING = re.compile(
    r"^(#{1,6}(?=\s|$)|>|[*+-](?=\s|$)|=+\s*$|(?:[-*_]\s*){3,}$|\d{1,9}(?=[.)](?:\s|$)))"
)


def escape_inline(text: str) -> str:
    """Escape translated text for Markdown: raw HTML, and a leading block marker."""
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    text = text.replace("`", "\\`")
    text = text.replace("*", "\\*")
    m = _LEADING.match(text)
    if m:
        if m.group(1)[0].isdigit():
            end = m.end()
            text = text[:end] + "\\" + text[end:]
        else:
            text = "\\" + text
    return text


_OPEN = {"b": "**", "strong": "**", "em": "*", "i": "*", "s": "~~", "a": "["}
_CLOSE = {"b": "**", "strong": "**", "em": "*", "i": "*", "s": "~~"}


def tagged_lines(tdoc: TranslatedDocument, block: Block) -> list[str] | None:
    """The block's English per source line with its inline markup (``**bold**``, ``*em*``,
    ``[text](url)``) around the right words; None when the block has no inline codes."""
    if not any(seg.codes for seg in block.segments):
        return None
    lines: list[list[tuple[str, str]]] = []  # per line: (kind, text): text / open / close / code
    line_of = line_numbers(block)
    href: dict[int, str] = {}
    fence: dict[int, str] = {}  # open code spans: their backticks (their text is not escaped)
    after_code = False
    targets = segment_targets(tdoc, block, line_of)
    for k, seg in enumerate(block.segments):
        res = tdoc.results.get(seg.id)
        target = targets[k]
        if not lines or line_of[k] != line_of[k - 1]:
            lines.append([])
        elif lines[-1]:
            lines[-1].append(("text", " "))
        line = lines[-1]
        parts = placed_parts(seg, target, res.term_hits if res is not None else ()) if seg.codes else (target,)
        for p in parts:
            if isinstance(p, str):
                if after_code and p[:1].isalnum():
                    p = " " + p  # after a code span placed before a word
                after_code = False
                if fence:
                    line.append(("text", p))  # code text: not escaped
                else:
                    line.append(("text", escape_inline(p) if not line else _escape_mid(p)))
            elif p.kind == "ph":
                last = next((t for kind, t in reversed(line) if kind != "close"), "")
                if last[-1:].isalnum() or (line and line[-1][0] == "image" and p.tag == "img"):
                    line.append(("text", " "))  # after a word (emphasis closed on it), between images
                # a code span with Chinese, an image, a footnote reference
                line.append(("image" if p.tag == "img" else "code", p.html))
                after_code = True
            elif p.kind in ("open", "close") and "raw" in dict(p.attrs):
                line.append(("code", dict(p.attrs)["raw"]))  # inline HTML: its own tags, verbatim
            elif p.kind == "open" and p.tag == "code":
                fence[p.num] = dict(p.attrs).get("fence", "`")
                line.append(("open", fence[p.num]))
            elif p.kind == "close" and p.tag == "code":
                line.append(("close", fence.pop(p.num, "`")))
                after_code = True
            elif p.kind == "open":
                href[p.num] = dict(p.attrs).get("href", "")
                line.append(("open", dict(p.attrs).get("mark") or _OPEN.get(p.tag, "")))
            elif p.kind == "close":
                line.append(("close", f"]({href.get(p.num, '')})" if p.tag == "a"
                             else dict(p.attrs).get("mark") or _CLOSE.get(p.tag, "")))
    return [_join_markup(parts) for parts in lines]


def _join_markup(parts: list[tuple[str, str]]) -> str:
    """One line's pieces joined so that the Markdown still parses as the source did: white
    space just inside ``*``/``**``/``~~``/`` ` ``/``[`` … ``]`` goes outside them (``* zh*``
    is no emphasis), and emphasis left around nothing is dropped (``****`` would show)."""
    out = list(parts)
    for i, (kind, s) in enumerate(out):
        if kind == "open" and i + 1 < len(out) and out[i + 1][0] == "text":
            t = out[i + 1][1]
            lead = t[: len(t) - len(t.lstrip())]
            if lead and t.strip():
                out[i] = (kind, lead + s)
                out[i + 1] = ("text", t.lstrip())
    for i in range(len(out) - 1, 0, -1):
        kind, s = out[i]
        if kind == "close" and out[i - 1][0] == "text":
            t = out[i - 1][1]
            trail = t[len(t.rstrip()):]
            if trail and t.strip():
                out[i] = (kind, s + trail)
                out[i - 1] = ("text", t.rstrip())
    for i in range(len(out) - 1):
        (k1, a), (k2, b) = out[i], out[i + 1]
        if k1 == "open" and k2 == "close" and a.strip() in ("*", "**", "~~", "_", "__"):
            # only the white space moved outside the pair stays
            out[i], out[i + 1] = ("text", a[: len(a) - len(a.lstrip())]), ("text", b[len(b.rstrip()):])
    return "".join(s for _, s in out)


def _placed(media: str, placed: list[str]) -> bool:
    """Whether an image (or a linked image) of the source came back as a code among the
    English words; each code counts once (``placed`` shrinks)."""
    for html in placed:
        if html in media:
            placed.remove(html)
            return True
    return False


def _escape_mid(text: str) -> str:
    return re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text).replace("`", "\\`").replace("*", "\\*")


def _comment(lines: list[str]) -> str:
    body = "; ".join(lines).replace("--", "—")
    return f"<!-- bitext: glossary term not enforced: {body} -->"


def render(tdoc: TranslatedDocument) -> str:
    """The English Markdown document as a string."""
    doc = tdoc.document
    src = doc.source if isinstance(doc.source, MdSource) else None
    out: list[str] = []
    if src and src.front_matter:
        out += src.front_matter.split("\n")
        out.append("")
    elif doc.metadata.get("front_matter"):
        out += ["---", *str(doc.metadata["front_matter"]).split("\n"), "---", ""]
    if tdoc.info.is_gist:
        out += [f"> **{GIST_LABEL}**", ""]
    row: list[str] = []
    row_prefix = ""
    prev: MdLayout | None = None

    def flush_row() -> None:
        nonlocal row
        if row:
            out.append(row_prefix + "| " + " | ".join(row) + " |")
            row = []

    for i, block in enumerate(doc.blocks):
        lay = src.layouts[i] if src and i < len(src.layouts) else _default_layout(block, prev)
        if lay.style != "cell":
            flush_row()
        if i:
            shared = os.path.commonprefix([lay.prefix, prev.prefix]) if prev else ""
            blank = re.match(r"[> ]*", shared).group(0).rstrip()  # type: ignore[union-attr]
            if lay.gap_prefix is not None:  # blank lines outside its container
                blank = lay.gap_prefix
            out += [blank] * lay.gap
        prev = lay
        tagged = tagged_lines(tdoc, block) if block.segments else None
        # lines joined by a line break as the source writes it (``<br/>``, ``<br />``)
        brk = next(iter(_BR.findall(block.raw or "")), "<br>")
        if tagged is not None:  # links, bold, italic around the English words
            target = brk.join(tagged)
        else:
            target = brk.join(escape_inline(t) for t in line_targets(tdoc, block)) if block.segments else ""
        if block.segments and block.raw:
            # images and link addresses inside translated text are not lost: they follow
            # the translation (links kept inline need no reference)
            raw = raw_text(block.raw, lay.style)
            linked = {(c.attrs[0][1].split() or [""])[0].strip("<>")
                      for s in block.segments for c in s.codes if c.tag == "a" and c.attrs}
            placed = [c.html for s in block.segments for c in s.codes if c.kind == "ph" and c.tag == "img"]
            media = [m for m in inline_media(raw) if not _placed(m, placed)]
            media += [f"<{u}>" for u in inline_link_targets(raw) if u.strip("<>") not in linked]
            if media:
                target = " ".join([target, *media])
            # a line's closing <br> after 。？！ is no tag of the sentence (OmegaT splits
            # before it): the segments leave it out, the English line keeps it
            end = _BR_END.search(raw)
            spare = len(_BR.findall(raw)) - len(_BR.findall(target))
            if end and spare > 0:
                target += "".join(_BR.findall(end.group(1))[-spare:])
        # nothing Chinese in it (an English paragraph or cell): its source as it was
        untouched = bool(block.raw) and untranslated(tdoc, block)
        if lay.style in ("cell0", "cell"):
            if lay.style == "cell0":
                row_prefix = lay.prefix
            # a pipe in the English escaped (not one already escaped)
            cell = re.sub(r"(?<!\\)\|", r"\\|", target) if block.segments and not untouched else block.raw
            viol = violations(tdoc, block)
            row.append(cell + (" " + _comment(viol) if viol else ""))
            continue
        if untouched and lay.style in ("para", "list", "atx", "setext"):
            raw_lines = block.raw.split("\n")
            indent = PARA_INDENT.match(raw_lines[0]).group(0)  # type: ignore[union-attr]
            base = lay.prefix[: len(lay.prefix) - len(indent)] if lay.style == "para" and \
                lay.prefix.endswith(indent) else lay.prefix
            out += [(base + ln) if ln else base.rstrip() for ln in raw_lines]
        elif block.kind == "passthrough" or not block.segments:
            for ln in (block.raw or block.text).split("\n"):  # (white space of code lines kept)
                out.append((lay.prefix + ln) if ln else lay.prefix.rstrip())
        elif lay.style == "html":  # text of an HTML block: its own tags around the English
            text = lay.wrap[0] + (block.raw if untouched else target) + lay.wrap[1]
            if lay.join and out:  # the next text of the same line
                out[-1] += text
            else:
                out.append(lay.prefix + text)
        elif block.kind == "heading" and lay.style == "setext":
            out.append(lay.prefix + target)
            out.append(lay.prefix + ("=" if block.marker == "=" else "-") * max(3, min(len(target), 80)))
        elif block.kind == "heading":
            marker = block.marker if block.marker.startswith("#") else "#" * max(1, min(6, block.level or 1))
            # After "## " a leading "1." is no list marker: "## 1. Main content", not "1\.".
            target = re.sub(r"^(\d{1,9})\\([.)])", r"\1\2", target)
            out.append(f"{lay.prefix}{marker} {target}")
        elif block.kind == "list_item":
            marker = block.marker or ("1." if block.ordered else "*")
            indent = lay.indent if src else "  " * block.level
            out.append(f"{lay.prefix}{indent}{marker} {target}")
        elif block.marker.startswith("[^"):  # a footnote definition keeps its label
            out.append(f"{lay.prefix}{block.marker} {target}")
        else:
            out.append(lay.prefix + target)
        viol = violations(tdoc, block)
        if viol:
            # Inline, at the end of the block's text line: invisible when rendered, and it
            # cannot split a list or a table.
            k = -2 if lay.style == "setext" else -1
            out[k] += " " + _comment(viol)
    flush_row()
    text = (src.newline if src else "\n").join(out)
    if not src or src.trailing_newline:
        text += src.newline if src else "\n"
    return text


def _default_layout(block: Block, prev: MdLayout | None) -> MdLayout:
    """Layout for a document that did not come from the Markdown reader."""
    style = {"heading": "atx", "list_item": "list", "passthrough": "pass"}.get(block.kind, "para")
    gap = 0 if (style == "list" and getattr(prev, "style", "") == "list") else 1
    return MdLayout(gap=gap, prefix="", style=style, indent="  " * block.level)


def write(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the English Markdown document atomically (UTF-8)."""
    with atomic_write(path) as f:
        f.write(render(tdoc))
