"""Markdown reader: a ``.md`` file → headings, paragraphs, list items, table cells, passthrough.

What it understands (CommonMark-ish, line based, no dependency):

* YAML front matter (``---`` … ``---`` at the top; Hugo TOML ``+++`` too) → ``metadata["front_matter"]`` (the raw
  YAML between the fences), never translated;
* ATX (``## x``) and setext (``x`` / ``===``) headings, with level and marker;
* bullet and numbered lists with nesting (marker, level, ordered); a list item's
  indented continuation paragraphs become paragraph blocks of their own;
* paragraphs (soft-wrapped lines joined: no space between CJK characters);
* blockquotes (parsed recursively, ``> `` prefix kept for the writer);
* pipe tables (one ``table_cell`` block per cell);
* fenced code (also inside list items), indented code, ``$$`` math, template tags alone on a
  line (``{{< figure … >}}``, ``{% … %}``), thematic breaks, link reference definitions, HTML
  comments, ``<pre>``,
  ``<script>``, ``<style>`` (up to their closing marker, blank lines included) → passthrough;
* other HTML blocks: an element with inline content alone on its line,
  ``<p align="center">简介</p>``, is translated between its own tags; in a multi-line block
  each text with Chinese between block-level tags is translated in place (``<td>名称</td>``),
  every other line and tag passes through;
* footnote definitions (``[^1]: 脚注。``) → paragraphs whose label the writer keeps;
* image-only lines (``[![](x.png)](url)``, ``![](a.png)``) and lines without any letter
  (dates, counters, ``|``) → passthrough blocks carried untranslated; a line that is only a
  link (``* [首页](url)``, a table of contents) is translated, the link kept around the English.

Inline markup (emphasis, code spans, links inside a sentence, inline HTML, escapes) is
removed from ``Block.text`` so that only visible text is translated (links, emphasis and
code spans come back around the English as inline codes; a code span with Chinese in it is
one standalone code, never translated, copied byte for byte); ``Block.raw`` keeps
the source lines, and ``Document.source`` (:class:`MdSource`) keeps the layout the
Markdown writer needs to rebuild the document.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bitext.document import INLINE_CODE_TAGS, Block, Document
from bitext.errors import FormatError
from bitext.files import read_text
from bitext.readers.txt import join_lines
from bitext.segment.blocks import make_block

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MdLayout:
    """How one block sits in the Markdown source.

    Attributes:
        gap: blank lines before the block.
        prefix: container prefix of every line (``"> "`` inside a blockquote, or the
            indentation of a list item's continuation paragraph).
        style: ``atx``, ``setext``, ``list``, ``para``, ``cell`` (``cell0`` starts a table
            row) or ``pass``.
        indent: leading spaces of a list item.
        wrap: for style ``html`` (a one-line HTML block, ``<p align="center">…</p>``, or a
            text of a line inside a multi-line HTML block): the source text written before
            and after the English (the element's tags, indentation).
        join: for style ``html``: the block continues the previous block's output line (the
            second cell of ``<tr><td>名称</td><td>说明</td></tr>``).
        gap_prefix: what the blank lines before the block hold when they stand outside its
            container (``""`` before a block quote that follows another one: two quotes, not
            one); None: the prefix the block shares with the one before (``>`` inside a quote).
    """

    gap: int = 1
    prefix: str = ""
    style: str = "para"
    indent: str = ""
    wrap: tuple[str, str] = ("", "")
    join: bool = False
    gap_prefix: str | None = None


@dataclass(frozen=True)
class MdSource:
    """Reader data for the Markdown writer.

    Attributes:
        front_matter: the front matter lines verbatim, fences included ('' if none).
        layouts: one :class:`MdLayout` per block.
        newline: the file's line ending.
        trailing_newline: whether the file ended with a line ending.
    """

    front_matter: str
    layouts: tuple[MdLayout, ...]
    newline: str = "\n"
    trailing_newline: bool = True


# --- inline markup -------------------------------------------------------------------

_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
_LINK = re.compile(r"\[([^\[\]]*)\]\((?:[^()\s]*|[^()]*\([^()]*\)[^()]*|[^)]*)\)")
_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+|[^<>\s@]+@[^<>\s@]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~", re.DOTALL)
_LETTER = re.compile(r"[^\W\d_]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

_PUA = 0xE000  # private-use placeholders for code spans and escapes


_MARKS: ContextVar[dict[str, list] | None] = ContextVar("bitext_md_marks", default=None)
_MARK0 = 0xF0000  # plane-15 private use: markers for inline markup kept as codes


def _mark(kind: str, key: int, tag: str, attrs: tuple = (), raw: str = "", text: str = "") -> str:
    """A marker character for one inline code; ``raw``: a standalone code's markup, ``text``:
    the visible text of one kept verbatim (``InlineCode.text``)."""
    marks = _MARKS.get()
    assert marks is not None
    ch = chr(_MARK0 + len(marks))
    marks[ch] = [kind, key, tag, attrs] + ([raw] if raw else []) + ([True, text] if text else [])
    return ch


_FOOTREF = re.compile(r"\[\^[^\]\s]+\](?!:)")
"""A footnote reference (``[^1]``) inside a sentence."""


def _footref(m: re.Match[str], keep: Any) -> str:
    """A footnote reference: one standalone code, copied as it is after the English."""
    marks = _MARKS.get()
    if marks is None or len(marks) > 60000:
        return keep(m.group(0))
    return _mark("ph", len(marks), "fn", (), m.group(0))


_TEMPLATE = re.compile(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}")
"""A Hugo shortcode (``{{< ref "文档.md" >}}``) or a Liquid/Jinja tag or expression."""


def _template(m: re.Match[str], keep: Any) -> str:
    """A template tag inside a sentence: one standalone code, copied byte for byte."""
    marks = _MARKS.get()
    if marks is None or len(marks) > 60000:
        return keep(m.group(0))
    return _mark("ph", len(marks), "code", (), m.group(0), m.group(0))


def _code(m: re.Match[str], keep: Any) -> str:
    """A code span: its text stays in the sentence between ``code`` markers (the writer
    puts the backticks back around it), or, when it holds Chinese, the whole span becomes
    one standalone code that no engine sees (code is never translated)."""
    body = m.group(2).strip() or m.group(2)
    marks = _MARKS.get()
    if marks is None or len(marks) > 60000:
        return keep(body)
    if _HAN.search(body):
        return _mark("ph", len(marks), "code", (), m.group(0), body)
    return _pair("code", keep(body), (("fence", m.group(1)),), (("fence", m.group(1)),))


def _image(m: re.Match[str]) -> str:
    """An image: one standalone code, copied as it is where it stood among the English
    words (inside its link for a linked image); dropped from the text when not reading."""
    marks = _MARKS.get()
    if marks is None or len(marks) > 60000:
        return ""
    return _mark("ph", len(marks), "img", (), m.group(0))


@functools.cache
def _emphasis_parser() -> Any:
    """markdown-it with its emphasis rule alone (made once)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable("emphasis")


def _emphasis(text: str) -> str:
    """Bold and italics read as CommonMark reads them (its delimiter-run rules: flanking,
    the rule of three, no underscore emphasis inside a word), with markdown-it's emphasis
    rule alone: ``*斜体***加粗**`` is italics then bold, ``foo__bar__baz`` no emphasis,
    ``***全部***`` both. Each becomes a pair of markers (a ``mark`` attribute keeps an
    underscore spelling for the writer); unmatched stars and underscores stay text."""
    if "*" not in text and "_" not in text:
        return text
    tokens = _emphasis_parser().parseInline(text)
    kids = tokens[0].children if tokens and tokens[0].children is not None else []
    marks = _MARKS.get()
    if marks is not None and len(marks) > 60000:
        marks = None
    out: list[str] = []
    stack: list[int] = []
    for t in kids:
        if t.type in ("em_open", "strong_open", "em_close", "strong_close"):
            if marks is None:
                continue
            tag = "em" if t.tag == "em" else "b"
            attrs: tuple = ((("mark", t.markup),) if t.markup.startswith("_") else ())
            if t.nesting == 1:
                stack.append(len(marks))
                out.append(_mark("open", stack[-1], tag, attrs))
            else:
                out.append(_mark("close", stack.pop(), tag, attrs))
        elif t.type == "softbreak":
            out.append("\n")
        else:
            out.append(t.content)
    return "".join(out)


def _pair(tag: str, body: str, attrs: tuple = (), close_attrs: tuple = ()) -> str:
    marks = _MARKS.get()
    if marks is None or len(marks) > 60000:
        return body
    key = len(marks)
    return _mark("open", key, tag, attrs) + body + _mark("close", key, tag, close_attrs)


def plain(text: str) -> str:
    """``text`` without inline-code markers."""
    return re.sub("[\U000F0000-\U000FFFFD]", "", text)


def block_markers(text: str) -> dict[str, tuple]:
    """The markers of one block's text, numbered from 0 in order (``make_block(markers=…)``)."""
    marks = _MARKS.get() or {}
    nums: dict[int, int] = {}
    out: dict[str, tuple] = {}
    for ch in text:
        m = marks.get(ch)
        if m is not None:
            nums.setdefault(m[1], len(nums))
            out[ch] = (m[0], nums[m[1]], m[2], m[3], *m[4:])
    # a marker whose partner is not in this block (markup across blocks) is dropped
    keys: dict[int, set[str]] = {}
    for ch, (kind, num, *_rest) in out.items():
        keys.setdefault(num, set()).add(kind)
    out = {ch: v for ch, v in out.items() if keys[v[1]] in ({"open", "close"}, {"ph"})}
    # pairs that cross (``**粗体***斜体***粗体**`` read as b, em, b overlapping) are dropped:
    # tags must nest to be placed in the English
    stack: list[int] = []
    crossing: set[int] = set()
    for ch in text:
        v = out.get(ch)
        if v is None or v[0] == "ph":
            continue
        if v[0] == "open":
            stack.append(v[1])
        elif stack and stack[-1] == v[1]:
            stack.pop()
        else:
            crossing.add(v[1])
            if v[1] in stack:
                stack.remove(v[1])
    if not crossing:
        return out
    renum: dict[int, int] = {}
    kept: dict[str, tuple] = {}
    for ch in text:
        v = out.get(ch)
        if v is not None and v[1] not in crossing:
            kept[ch] = (v[0], renum.setdefault(v[1], len(renum)), *v[2:])
    return kept


def strip_inline(text: str) -> str:
    """Visible text of Markdown inline content (markup removed, link texts kept).

    Images disappear (their alt text is not translated; while a document is read, each is
    a standalone code that the writer puts back where it stood), links keep their text,
    autolinks their address, emphasis/strike/code markers and inline HTML tags go,
    escapes and HTML entities are resolved. While a document is read, links, bold,
    italic and strike-through leave marker characters around their text that become the
    segments' inline codes (the Markdown writer puts the markup back around the English).
    """
    saved: list[str] = []

    def keep(s: str) -> str:
        saved.append(s)
        return chr(_PUA + len(saved) - 1)

    text = _TEMPLATE.sub(lambda m: _template(m, keep), text)
    text = _CODE.sub(lambda m: _code(m, keep), text)
    text = _FOOTREF.sub(lambda m: _footref(m, keep), text)
    text = _ESCAPE.sub(lambda m: keep(m.group(1)), text)
    text = _LINKED_IMAGE.sub(_image, text)  # a linked image is one code, link and all
    text = _IMAGE.sub(_image, text)

    def link(m: re.Match[str]) -> str:
        url = m.group(0)[len(m.group(1)) + 3 : -1]
        return _pair("a", m.group(1), (("href", url),)) if m.group(1).strip() else m.group(1)

    for _ in range(3):  # nested brackets: [![](img)](url) → [](url) → ''
        new = _LINK.sub(link, text)
        new = _REF_LINK.sub(lambda m: m.group(1), new)
        if new == text:
            break
        text = new
    text = _AUTOLINK.sub(lambda m: keep(m.group(1)), text)
    text = _inline_html(text, keep)
    text = _line_breaks(text)
    text = _TAG.sub("", text)
    text = _emphasis(text)
    for _ in range(2):
        text = _STRIKE.sub(lambda m: _pair("s", m.group(1)), text)
    text = html.unescape(text)
    text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)  # gaps left by removed images/tags
    text = re.sub(r"[\uE000-\uF8FF]", lambda m: _restore(m.group(0), saved), text)
    return text


_HTML_PAIR = re.compile(
    r"<(?P<tag>code|kbd|samp|var|tt|b|strong|i|em|u|s|del|ins|mark|sup|sub|span|small|big|font|"
    r"abbr|cite|q|a)(?P<attrs>\s[^<>]*)?>(?P<body>.*?)</(?P=tag)\s*>", re.DOTALL | re.IGNORECASE)
_HTML_SOLO = re.compile(r"<img\s[^<>]*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_VERBATIM = INLINE_CODE_TAGS
_NO_TRANSLATE = re.compile(
    r"""\btranslate\s*=\s*["']?no\b|\bclass\s*=\s*["'][^"']*\bnotranslate\b""", re.IGNORECASE)
"""HTML's "do not translate" on an inline element (``translate="no"``, ``class="notranslate"``)."""


def _inline_html(text: str, keep: Any) -> str:
    """Inline HTML inside Markdown text: an element's tags travel as codes around its text
    (``<span class="x">中文</span>``: the writer writes the same tags around the English);
    ``<code>``/``<kbd>``/``<samp>``/``<var>``/``<tt>`` holding Chinese, elements marked
    ``translate="no"``, images and comments are standalone codes copied verbatim (no engine
    sees them)."""
    marks = _MARKS.get()
    if marks is None:
        return text

    def pair(m: re.Match[str]) -> str:
        if len(marks) > 60000:
            return m.group(0)
        tag = m.group("tag").lower()
        body = m.group("body")
        if (tag in _VERBATIM and _HAN.search(body)) or _NO_TRANSLATE.search(m.group("attrs") or ""):
            return _mark("ph", len(marks), tag, (), m.group(0), html.unescape(_TAG.sub("", body)))
        open_tag = m.group(0)[: m.start("body") - m.start()]
        close_tag = m.group(0)[m.end("body") - m.start():]
        inner = keep(body) if tag in _VERBATIM else body  # code text is not Markdown
        return _pair(tag, inner, (("raw", open_tag),), (("raw", close_tag),))

    for _ in range(3):  # nested elements: the outer one first, the inner ones on the next pass
        new = _HTML_PAIR.sub(pair, text)
        if new == text:
            break
        text = new
    return _HTML_SOLO.sub(
        lambda m: _mark("ph", len(marks), "img" if m.group(0)[1:4].lower() == "img" else "comment",
                        (), m.group(0)) if len(marks) <= 60000 else "", text)


_NOTHING_TO_SAY = re.compile(r"[\s\U000F0000-\U000FFFFD]*")
_STOP_END = re.compile(r"[。？！][\s\U000F0000-\U000FFFFD]*$")


def _line_breaks(text: str) -> str:
    """``<br>``: a line break between two lines with something to say, or after a sentence's
    end, where the lines are segmented apart; any other (at a line's start or end, doubled,
    or before or after a line of markers only, such as a code span with Chinese alone on
    its line) is a standalone code kept where it stood."""
    marks = _MARKS.get()
    parts = _BR.split(text)
    brs = _BR.findall(text)
    # per <br>, whether all that follows it is kept text only (a code span, a template
    # tag: no words, but not nothing), read once from the end
    kept_after = [False] * len(brs)
    quiet = blank = True
    for k in range(len(brs) - 1, -1, -1):
        quiet = quiet and _NOTHING_TO_SAY.fullmatch(parts[k + 1]) is not None
        blank = blank and not parts[k + 1].strip()
        kept_after[k] = quiet and not blank
    out = [parts[0]]
    line = parts[0]
    for br, part, kept in zip(brs, parts[1:], kept_after):
        said = not _NOTHING_TO_SAY.fullmatch(line) and not _NOTHING_TO_SAY.fullmatch(part)
        # after 。？！ the sentence ends before the tag (as OmegaT splits): a line apart,
        # unless all that follows is kept text, which stays with the sentence and so keeps
        # its <br>
        stop = _STOP_END.search(line) is not None and not kept
        if said or stop or marks is None or len(marks) > 60000:
            out.append("\n" + part)
            line = part
        else:
            out.append(_mark("ph", len(marks), "br", (), br) + part)
            line += part
    return "".join(out)


def _restore(ch: str, saved: list[str]) -> str:
    i = ord(ch) - _PUA
    return saved[i] if 0 <= i < len(saved) else ch


_LINKED_IMAGE = re.compile(r"\[\s*!\[[^\]]*\]\([^)]*\)\s*\]\([^)]*\)")


def inline_media(text: str) -> list[str]:
    """Images (and linked images) inside Markdown inline content, verbatim, in order."""
    out = []
    for m in re.finditer(f"{_LINKED_IMAGE.pattern}|{_IMAGE.pattern}", text):
        out.append(m.group(0))
    return out


_LINK_TARGET = re.compile(r"(?<!!)\[(?!\s*!\[)[^\[\]]*\]\(\s*<?([^()\s<>]+)>?(?:\s+[\"'(][^)]*)?\)")


def inline_link_targets(text: str) -> list[str]:
    """Addresses of the inline links (not images) inside Markdown inline content, in order.

    The translated sentence loses the link markup (the link text is translated with the
    sentence), so writers append these addresses to keep the references.
    """
    return [m.group(1) for m in _LINK_TARGET.finditer(text)]


def is_passthrough(text: str) -> bool:
    """Whether Markdown text is only images and non-letters (logos, dates, counters).

    ``[![](x.png)](url)``, ``![](a.png)71536``, ``2024-08-01 11:27`` and ``|`` are
    passthrough; ``见[通知](url)。`` and a link alone, ``[第一章 总则](#ch1)`` (a table of
    contents, a menu: the HTML writer translates a page's navigation too), are not.
    """
    t = _IMAGE.sub("", text)
    for _ in range(3):
        new = _LINK.sub(lambda m: m.group(1), t)
        new = _REF_LINK.sub(lambda m: m.group(1), new)
        if new == t:
            break
        t = new
    t = _AUTOLINK.sub("", t)
    t = _TAG.sub("", t)
    t = html.unescape(t)
    return _LETTER.search(t) is None


# --- block structure -----------------------------------------------------------------

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})")
_HR = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"^( *)([*+-]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*$)")
_TASK = re.compile(r"^(\[[ xX]\])[ \t]+(?=\S)")
_UITEM = re.compile(r"^( *)([•●▪■◆・])[ \t]*(\S.*)$")
"""Bullets typed as characters (• ● ■ …), common in Chinese documents, are list items too."""


def _match_item(line: str) -> re.Match[str] | None:
    """A list item line: groups (indent, marker, content)."""
    return _ITEM.match(line) or _UITEM.match(line)
_QUOTE = re.compile(r"^ {0,3}>[ ]?")
_REFDEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_FOOTDEF = re.compile(r"^ {0,3}(\[\^[^\]\s]+\]:)[ \t]+(\S.*)$")
"""A footnote definition (``[^1]: 脚注内容。``): its text is translated, its label kept."""
_HTML_BLOCK = re.compile(
    r"^ {0,3}(?:<!--|<\?|<![A-Za-z]|<!\[CDATA\[|</?(?:address|article|aside|audio|blockquote|body|"
    r"caption|center|details|dialog|div|dl|fieldset|figcaption|figure|footer|form|frame|h[1-6]|"
    r"head|header|hr|html|iframe|img|legend|li|link|main|meta|nav|noscript|ol|p|picture|pre|"
    r"script|section|source|style|summary|table|tbody|td|textarea|tfoot|th|thead|tr|ul|video|"
    r"br|dt|dd)\b)",
    re.IGNORECASE,
)
_RAW_TAG_END = re.compile(r"</(?:script|pre|style|textarea)>", re.IGNORECASE)
_HTML_RAW_END = {"<!--": re.compile(r"-->"), "<?": re.compile(r"\?>"), "<![": re.compile(r"\]\]>")}
"""Where raw text (never translated) that starts with each opener ends; other raw text (a
``<pre>``, ``<script>`` …) ends at ``_RAW_TAG_END``."""
_HTML_RAW_BLOCKS = (
    # CommonMark's HTML blocks 1–5 end at a closing marker, not at a blank line: their text
    # (code, scripts, comments, processing instructions, declarations) is never translated
    (re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)", re.IGNORECASE), _RAW_TAG_END),
    (re.compile(r"^ {0,3}<!--"), _HTML_RAW_END["<!--"]),
    (re.compile(r"^ {0,3}<\?"), _HTML_RAW_END["<?"]),
    (re.compile(r"^ {0,3}<!\[CDATA\["), _HTML_RAW_END["<!["]),
    (re.compile(r"^ {0,3}<![A-Za-z]"), re.compile(r">")),
)
_HTML_RAW_INLINE = re.compile(r"<(?:script|pre|style|textarea)(?:[\s>]|$)|<!--|<\?|<!\[CDATA\[",
                              re.IGNORECASE)
"""Where raw text (never translated) starts inside a line of an HTML block."""
_HTML_BLOCK_TAGS = re.compile(
    r"(?:[ \t]*(?:</?(?:address|article|aside|blockquote|body|caption|center|details|dialog|div|"
    r"dl|dt|dd|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|html|legend|li|main|nav|"
    r"ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul|br)\b[^<>]*>"
    r"|<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>"
    r"|<(?P<raw>script|pre|style|textarea)\b.*?</(?P=raw)\s*>)[ \t]*)+",
    re.IGNORECASE,
)
"""A run of block-level tags and closed raw elements (comments, scripts …), with the white space
around it, inside a line of an HTML block: the source text between translated texts."""
_HTML_LINE = re.compile(
    r"^ {0,3}<(?P<tag>p|div|center|h[1-6]|summary|figcaption|dt|dd)(?:\s[^<>]*)?>"
    r"(?P<body>.*\S.*)</(?P=tag)>\s*$", re.IGNORECASE)
"""One HTML element with inline content on a line of its own."""
_BLOCK_TAG = re.compile(r"</?(?:p|div|center|h[1-6]|table|tr|td|th|ul|ol|li|details|summary|"
                        r"figure|figcaption|dl|dt|dd|blockquote|pre|section|article|script|style)\b",
                        re.IGNORECASE)

_MATH_OPEN = re.compile(r"^ {0,3}\$\$")
_MATH_CLOSE = re.compile(r"\$\$\s*$")
_TEMPLATE_LINE = re.compile(r"^ {0,3}(?:\{\{[<%].*[>%]\}\}|\{%.*%\}|\{\{.*\}\})\s*$")
"""A line that is only a Hugo shortcode (``{{< figure … >}}``) or a Liquid/Jinja tag."""

_TABLE_DELIM = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


@dataclass
class _Spec:
    kind: str
    text: str
    raw: str
    layout: MdLayout
    level: int = 0
    marker: str = ""
    ordered: bool = False


def _starts_block(line: str) -> bool:
    """Whether a line interrupts a paragraph."""
    return bool(
        _ATX.match(line)
        or _FENCE.match(line)
        or _HR.match(line)
        or _QUOTE.match(line)
        or _HTML_BLOCK.match(line)
        or bool((m := _match_item(line)) and (m.group(3) or "").strip())
    )


def _raw_open_after(line: str, raw_end: re.Pattern[str] | None) -> re.Pattern[str] | None:
    """The end marker of a raw region (``<pre>``, ``<script>``, a comment …) still open after
    this line of an HTML block, given the one open before it (None: none)."""
    pos = 0
    if raw_end is not None:
        m = raw_end.search(line)
        if not m:
            return raw_end
        pos = m.end()
    while m := _HTML_RAW_INLINE.search(line, pos):
        end = next((e for opener, e in _HTML_RAW_END.items() if m.group(0).startswith(opener)),
                   _RAW_TAG_END)
        closed = end.search(line, m.end())
        if not closed:
            return end
        pos = closed.end()
    return None


def _drop_columns(line: str, width: int) -> str:
    """``line`` without its first ``width`` columns (tabs count to the next multiple of 4; a
    tab that straddles the cut leaves its remaining columns as spaces; fewer leading white
    space columns than ``width``: that white space goes)."""
    col = 0
    for k, ch in enumerate(line):
        if col >= width:
            return line[k:]
        if ch == "\t":
            col = (col // 4 + 1) * 4
            if col > width:
                return " " * (col - width) + line[k + 1:]
        elif ch == " " or col < width and k < width and ch == ">":
            col += 1
        else:
            return line[k:]
    return ""


_CODE_CHARS = re.compile(r"[{}\[\];=<>$#/\\|`\"]|[A-Za-z0-9_]\(")


PARA_INDENT = re.compile(
    r"(?:[ \t\u3000\u00a0]|&(?:emsp|ensp|nbsp|thinsp|#0*12288|#[xX]0*3000|#0*160|#[xX]0*[aA]0);)*")
"""A paragraph's indentation: spaces, and the ideographic or entity spaces Chinese texts
indent with (``&emsp;&emsp;``, ``　　``); the English paragraph keeps it."""


def _indented_prose(lines: list[str]) -> bool:
    """Whether an indented block is Chinese prose indented by four spaces (a text file saved
    as ``.md``), not code: every line at least a third Chinese, none with a character code is
    made of (``print("你好")``, ``# 注释``, ``a = 1``, ``{…}`` stay code; ``增长3.5%（同比）`` is prose)."""
    body = [ln.strip() for ln in lines if ln.strip()]
    return bool(body) and all(
        not _CODE_CHARS.search(ln) and 3 * len(_HAN.findall(ln)) >= len(ln.replace(" ", "")) for ln in body)


def _translatable(text: str) -> bool:
    """Whether Markdown inline text would be translated (not only links, images, non-letters)."""
    return bool(plain(text).strip()) and not is_passthrough(text)


def _split_row(line: str) -> list[str]:
    s = line.strip()
    s = s.removeprefix("|")
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


class _Parser:
    """Line-based block parser; recursion handles blockquotes."""

    def __init__(self) -> None:
        self.specs: list[_Spec] = []

    def add(self, kind: str, text: str, raw: str, gap: int, prefix: str, style: str, **kw: Any) -> None:
        wrap = kw.pop("wrap", ("", ""))
        untranslated = kind != "passthrough" and (not plain(text).strip() or (
            style != "cell0" and style != "cell" and is_passthrough(raw_text(raw, style))))
        if untranslated and style == "html":
            raw = wrap[0] + raw + wrap[1]  # the whole line, its tags with it
        if untranslated:
            kind, style = "passthrough", "pass"
        if kind == "passthrough" and style not in ("cell", "cell0"):
            style = "pass"
        if style != "html":
            wrap = ("", "")
        self.specs.append(_Spec(kind, text, raw, MdLayout(gap, prefix, style, kw.pop("indent", ""), wrap), **kw))

    def html_block(self, lines: list[str], gap: int, prefix: str) -> None:
        """A multi-line HTML block (``<table>``, ``<div align="center">``, ``<details>`` …).

        Each text between block-level tags that holds Chinese is translated in place, between
        the source's own tags and indentation (``    <td>名称</td>`` → ``    <td>Name</td>``;
        several texts of one line stay on that line). Everything else (tags, attributes,
        lines without Chinese, scripts, styles, ``<pre>``, comments) is copied byte for byte.
        """
        verbatim: list[str] = []
        raw_end: re.Pattern[str] | None = None

        def flush() -> None:
            nonlocal gap
            if verbatim:
                self.add("passthrough", "", "\n".join(verbatim), gap, prefix, "pass")
                verbatim.clear()
                gap = 0

        for line in lines:
            inside = raw_end is not None
            raw_end = _raw_open_after(line, raw_end)
            if inside or raw_end is not None:  # a line of a <pre>, <script>, comment … : verbatim
                verbatim.append(line)
                continue
            pieces: list[tuple[str, str]] = []  # (source text before, text to translate)
            literal, pos = "", 0
            for m in [*_HTML_BLOCK_TAGS.finditer(line), None]:
                part = line[pos: m.start() if m else len(line)]
                body = part.strip(" \t")
                if body and _HAN.search(_TAG.sub("", body)) and _translatable(body):
                    lead = part[: len(part) - len(part.lstrip(" \t"))]
                    pieces.append((literal + lead, body))
                    literal = part[len(lead) + len(body):]
                else:
                    literal += part
                if m:
                    literal += m.group(0)
                    pos = m.end()
            if not pieces:
                verbatim.append(line)
                continue
            flush()
            for k, (before, body) in enumerate(pieces):
                after = literal if k == len(pieces) - 1 else ""
                opened = re.findall(r"<(h[1-6])\b", before, re.IGNORECASE)
                kind, level, marker = "paragraph", 0, ""
                if opened and not re.search(r"</h[1-6]\s*>\s*$", before, re.IGNORECASE):
                    kind, level, marker = "heading", int(opened[-1][1]), opened[-1].lower()
                text = strip_inline(body).strip() if kind == "heading" else _md_text([body])
                self.specs.append(_Spec(kind, text, body, MdLayout(gap, prefix, "html", "", (before, after), k > 0),
                                        level=level, marker=marker))
                gap = 0
        flush()

    def _raw_block(self, lines: list[str], end: re.Pattern[str], start: int, gap: int, prefix: str) -> None:
        """A comment, ``<pre>``, ``<script>`` … up to its closing marker, verbatim; Chinese
        text after the marker on its last line (``<!-- 注 --> 文字``: shown on the page) is
        translated there, the line's start kept as it is."""
        last = lines[-1]
        mm = end.search(last, start if len(lines) == 1 else 0)
        tail = last[mm.end():] if mm else ""
        body = tail.strip()
        if not (body and _HAN.search(_TAG.sub("", body)) and _translatable(body)):
            self.add("passthrough", "", "\n".join(lines), gap, prefix, "pass")
            return
        if len(lines) > 1:
            self.add("passthrough", "", "\n".join(lines[:-1]), gap, prefix, "pass")
            gap = 0
        lead = len(tail) - len(tail.lstrip())
        wrap = (last[: mm.end() + lead], tail[lead + len(body):])  # type: ignore[union-attr]
        self.add("paragraph", _md_text([body]), body, gap, prefix, "html", wrap=wrap)

    def paragraph(self, lines: list[str], gap: int, prefix: str) -> None:
        """A paragraph; lines that are only links/images split it into line groups."""
        flags = [is_passthrough(ln) for ln in lines]
        if all(flags) or not any(flags):
            self._para(lines, gap, prefix, passthrough=all(flags))
            return
        start = 0
        for i in range(1, len(lines) + 1):
            if i == len(lines) or flags[i] != flags[start]:
                self._para(lines[start:i], gap if start == 0 else 0, prefix, passthrough=flags[start])
                start = i

    def _para(self, lines: list[str], gap: int, prefix: str, passthrough: bool) -> None:
        raw = "\n".join(lines)
        if passthrough:
            self.add("passthrough", "", raw, gap, prefix, "pass")
            return
        indent = PARA_INDENT.match(lines[0]).group(0)  # type: ignore[union-attr]
        text = _md_text([lines[0][len(indent):], *lines[1:]])
        self.add("paragraph", text, raw, gap, prefix + indent, "para")

    def parse(self, orig: list[str], prefix: str = "") -> None:
        """Parse the lines of a container. Structure is read with tabs expanded to 4 columns;
        whatever passes through (code, HTML, templates) is copied from ``orig``, tabs kept."""
        lines = [ln.expandtabs(4) if "\t" in ln else ln for ln in orig]
        i, n = 0, len(lines)
        gap = 0
        list_indents: list[int] = []
        while i < n:
            line = lines[i]
            if not line.strip():
                gap += 1
                i += 1
                continue
            if gap and not line.startswith(" "):
                list_indents = []  # an unindented block after a blank line ends the list
            m = _FENCE.match(line)
            if m:
                fence = m.group(2)
                j = i + 1
                while j < n and not re.match(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$", lines[j]):
                    j += 1
                j = min(j + 1, n)
                self.add("passthrough", "", "\n".join(orig[i:j]), gap, prefix, "pass")
                gap, i = 0, j
                continue
            if _MATH_OPEN.match(line):  # a display-math block ($$ … $$): verbatim
                j = i if _MATH_CLOSE.search(line.strip()[2:]) else i + 1
                while j < n and not _MATH_CLOSE.search(lines[j]):
                    j += 1
                j = min(j + 1, n)
                self.add("passthrough", "", "\n".join(orig[i:j]), gap, prefix, "pass")
                gap, i = 0, j
                continue
            if _TEMPLATE_LINE.match(line):  # a Hugo shortcode or Liquid/Jinja tag on its own line
                self.add("passthrough", "", orig[i], gap, prefix, "pass")
                gap, i = 0, i + 1
                continue
            m = _ATX.match(line)
            if m:
                level = len(m.group(1))
                body = m.group(2) or ""
                self.add("heading", strip_inline(body).strip(), line, gap, prefix, "atx",
                         level=level, marker=m.group(1))
                gap, i = 0, i + 1
                continue
            m = _FOOTDEF.match(line)
            if m and not is_passthrough(m.group(2)):
                self.add("paragraph", _md_text([m.group(2)]), line, gap, prefix, "para", marker=m.group(1))
                gap, i = 0, i + 1
                continue
            if _HR.match(line) or _REFDEF.match(line):
                self.add("passthrough", "", orig[i], gap, prefix, "pass")
                gap, i = 0, i + 1
                continue
            m = _HTML_LINE.match(line)
            if m and (i + 1 == n or not lines[i + 1].strip()) and not _BLOCK_TAG.search(m.group("body")):
                # one element with inline content on its own line (<p align="center">简介</p>):
                # its text is translated between its own tags; other HTML blocks pass through
                tag = m.group("tag").lower()
                body = m.group("body")
                wrap = (line[: m.start("body")], line[m.end("body"):])
                if tag[0] == "h" and tag[1:].isdigit():
                    self.add("heading", strip_inline(body).strip(), body, gap, prefix, "html",
                             level=int(tag[1]), marker=tag, wrap=wrap)
                else:
                    self.add("paragraph", _md_text([body]), body, gap, prefix, "html", wrap=wrap)
                gap, i = 0, i + 1
                continue
            if _HTML_BLOCK.match(line):
                for start, end in _HTML_RAW_BLOCKS:
                    m = start.match(line)
                    if m:  # verbatim up to the closing marker (blank lines included)
                        j = i
                        while j < n and not end.search(lines[j], m.end() if j == i else 0):
                            j += 1
                        j = min(j + 1, n)
                        self._raw_block(orig[i:j], end, m.end(), gap, prefix)
                        break
                else:  # up to a blank line; the Chinese text on its lines is translated
                    j, raw = i, None
                    while j < n and (lines[j].strip() or raw is not None):  # (not inside a <pre>)
                        raw = _raw_open_after(lines[j], raw)
                        j += 1
                    self.html_block(orig[i:j], gap, prefix)
                gap, i = 0, j
                continue
            if _QUOTE.match(line):
                j = i
                inner: list[str] = []
                while j < n and lines[j].strip():
                    q = _QUOTE.match(lines[j])
                    if q:
                        inner.append(_drop_columns(orig[j], q.end()))
                    elif _starts_block(lines[j]):
                        break
                    else:
                        inner.append(orig[j])  # lazy continuation
                    j += 1
                sub = _Parser()
                sub.parse(inner, prefix + "> ")
                for k, spec in enumerate(sub.specs):
                    if k == 0:
                        spec.layout = replace(spec.layout, gap=gap, gap_prefix=prefix.rstrip())
                    self.specs.append(spec)
                gap, i = 0, j
                continue
            if "|" in line and i + 1 < n and _TABLE_DELIM.match(lines[i + 1]) and "-" in lines[i + 1]:
                j = i
                first = True
                while j < n and lines[j].strip() and "|" in lines[j]:
                    if j == i + 1:
                        self.add("passthrough", "", orig[j], 0, prefix, "pass")
                    else:
                        for c, cell in enumerate(_split_row(lines[j])):
                            style = "cell0" if c == 0 else "cell"
                            text = strip_inline(cell).strip()
                            kind = "passthrough" if not text or is_passthrough(cell) else "table_cell"
                            self.add(kind, text, cell, gap if first else 0, prefix, style, level=c)
                            first = False
                    j += 1
                gap, i = 0, j
                continue
            m = _match_item(line)
            if m and (m.group(3) or "").strip() or (m and list_indents):
                i = self._item(lines, orig, i, gap, prefix, list_indents)
                gap = 0
                continue
            if len(line) - len(line.lstrip(" ")) >= 4:  # an indented code block: verbatim
                j = k = i + 1
                while k < n and (not lines[k].strip() or lines[k].startswith("    ")):
                    k += 1
                    if lines[k - 1].strip():
                        j = k  # trailing blank lines are not part of it
                if not _indented_prose(lines[i:j]):
                    self.add("passthrough", "", "\n".join(orig[i:j]), gap, prefix, "pass")
                    gap, i = 0, j
                    continue
            # Paragraph (possibly a setext heading).
            j = i + 1
            para = [line]
            setext = None
            while j < n and lines[j].strip():
                if _SETEXT.match(lines[j]) and not is_passthrough(" ".join(para)):
                    setext = lines[j]
                    break
                if _starts_block(lines[j]):
                    break
                para.append(lines[j])
                j += 1
            if setext is not None:
                ch = setext.strip()[0]
                text = _md_text(para)
                self.add("heading", text, "\n".join(para + [setext]), gap, prefix, "setext",
                         level=1 if ch == "=" else 2, marker=ch)
                j += 1
            else:
                self.paragraph(orig[i : i + len(para)], gap, prefix)
            gap, i = 0, j

    def _item(self, lines: list[str], orig: list[str], i: int, gap: int, prefix: str, indents: list[int]) -> int:
        """Parse a list item starting at line ``i``; returns the next line index."""
        n = len(lines)
        m = _match_item(lines[i])
        assert m is not None
        indent_s, marker, first = m.group(1), m.group(2), m.group(3) or ""
        task = _TASK.match(first)
        if task:  # GFM task list: "- [ ] text" keeps its box with the marker
            marker, first = f"{marker} {task.group(1)}", first[task.end():]
        d = len(indent_s)
        while indents and d < indents[-1]:
            indents.pop()
        if not indents or d > indents[-1]:
            indents.append(d)
        level = len(indents) - 1
        content_col = m.start(3) if m.group(3) is not None else m.end()
        # First paragraph of the item: the marker line plus lazy/indented continuation lines.
        j = i + 1
        para = [lines[i]]
        while j < n and lines[j].strip() and not _starts_block(lines[j]) and not _match_item(lines[j]):
            para.append(lines[j])
            j += 1
        # Continuation blocks after blank lines, indented to the content column.
        rest: list[list[str]] = []
        k = j
        fence = ""  # the fence of a code block open in the item
        while k < n:
            b = k
            while b < n and not lines[b].strip():
                b += 1
            if b == k or b >= n:
                break
            ind = len(lines[b]) - len(lines[b].lstrip(" "))
            if ind < content_col or _match_item(lines[b]):
                break
            e = b
            while e < n:
                line = lines[e]
                if not fence and (not line.strip() or _match_item(line)):
                    break
                if fence and line.strip() and len(line) - len(line.lstrip(" ")) < content_col:
                    break  # a fenced code block in the item runs on across blank lines, not out of it
                f = _FENCE.match(_drop_columns(line, content_col))
                if f and not fence:
                    fence = f.group(2)
                elif f and f.group(2)[0] == fence[0] and len(f.group(2)) >= len(fence) and \
                        not line.strip().strip(fence[0]):
                    fence = ""
                e += 1
            rest.append(orig[k:e])
            k = e
        if rest:
            whole = "\n".join(orig[i:j] + [ln for chunk in rest for ln in chunk])
            if is_passthrough(whole):
                self.add("passthrough", "", whole, gap, prefix, "pass")
                return k
        first_lines = [first] + [ln.strip() for ln in para[1:]]
        ordered = marker[0].isdigit()
        if is_passthrough("\n".join(para)[len(indent_s) + len(marker):]):
            self.add("passthrough", "", "\n".join(orig[i:j]), gap, prefix, "pass")
        else:
            text = _md_text(first_lines)
            self.add("list_item", text, "\n".join(orig[i:j]), gap, prefix, "list", level=level,
                     marker=marker, ordered=ordered, indent=indent_s)
        if rest:  # parsed as blocks of their own (paragraphs, code, tables …) at the content column
            self.parse([_drop_columns(ln, content_col) for chunk in rest for ln in chunk],
                       prefix + " " * content_col)
        return k if rest else j


def raw_text(raw: str, style: str) -> str:
    """The inline content of a block's raw source (markers removed), for passthrough checks."""
    if style == "atx":
        m = _ATX.match(raw)
        return (m.group(2) or "") if m else raw
    if style == "list":
        lines = raw.split("\n")
        m = _match_item(lines[0])
        if m:
            lines[0] = m.group(3) or ""
        return "\n".join(lines)
    if style == "setext":
        return "\n".join(raw.split("\n")[:-1])
    return raw


def _md_text(lines: list[str]) -> str:
    """Visible text of a block's lines: soft breaks joined, hard breaks and ``<br>`` kept
    as ``\n`` (each line is then segmented on its own)."""
    groups: list[list[str]] = [[]]
    for k, line in enumerate(lines):
        stripped = line.rstrip()
        hard = line.endswith("  ") or (stripped.endswith("\\") and not stripped.endswith("\\\\"))
        groups[-1].append(_unbreak(strip_inline(line)))
        if hard and k < len(lines) - 1:
            groups.append([])
    text = "\n".join(part for part in (join_lines(g) for g in groups) if part)
    return re.sub(r"[ \t]*\n\s*", "\n", text).strip()


def _unbreak(line: str) -> str:
    """Drop a hard line break marker (two trailing spaces or a backslash)."""
    line = line.rstrip()
    return line[:-1] if line.endswith("\\") and not line.endswith("\\\\") else line


def _front_matter(lines: list[str]) -> int:
    """Number of lines of YAML (``---``) or TOML (``+++``, Hugo) front matter at the top (0 if none)."""
    if not lines or lines[0].strip() not in ("---", "+++"):
        return 0
    ends = ("---", "...") if lines[0].strip() == "---" else ("+++",)
    for k in range(1, min(len(lines), 500)):
        if lines[k].strip() in ends:
            return k + 1
    return 0


def read(path: str | Path, *, encoding: str | None = None, **_: Any) -> Document:
    """Read a Markdown file.

    Raises:
        FormatError: unreadable, binary or undecodable file; nesting too deep to parse.
    """
    text, encoding = read_text(path, encoding)
    return parse_markdown(text, str(path), encoding)


def parse_markdown(text: str, path: str | None = None, encoding: str = "utf-8") -> Document:
    """Parse Markdown text into a :class:`Document` (see the module docstring)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    trailing = text.endswith(("\n", "\r"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    nfm = _front_matter(lines)
    metadata: dict[str, Any] = {"encoding": encoding}
    fm_raw = ""
    if nfm:
        fm_raw = "\n".join(lines[:nfm])
        metadata["front_matter"] = "\n".join(lines[1 : nfm - 1])
        for ln in lines[1 : nfm - 1]:
            m = re.match(r"^title\s*[:=]\s*(.+?)\s*$", ln)
            if m:
                metadata["title"] = m.group(1).strip("'\"")
                break
    p = _Parser()
    token = _MARKS.set({})
    try:
        try:
            p.parse(lines[nfm:])
        except RecursionError:
            raise FormatError("Markdown nested too deeply (block quotes or lists) to read", path) from None
        blocks: list[Block] = []
        layouts: list[MdLayout] = []
        for spec in p.specs:
            text = spec.text if spec.kind != "passthrough" else ""
            markers = block_markers(text)
            text = "".join(ch for ch in text if ch in markers or not ("\U000F0000" <= ch <= "\U000FFFFD"))
            blocks.append(
                make_block(
                    len(blocks) + 1,
                    spec.kind,  # type: ignore[arg-type]
                    text,
                    level=spec.level,
                    marker=spec.marker,
                    raw=spec.raw,
                    ordered=spec.ordered,
                    markers=markers,
                    rebuilt=True,
                )
            )
            layouts.append(spec.layout)
    finally:
        _MARKS.reset(token)
    if "title" not in metadata:
        for b in blocks:
            if b.kind == "heading":
                metadata["title"] = b.text
                break
    src = MdSource(fm_raw, tuple(layouts), newline, trailing)
    return Document(path=path, format="md", blocks=tuple(blocks), metadata=metadata, source=src)
