"""TMX 1.4b writer: streamed with ``lxml.etree.xmlfile`` and written atomically.

Two entry points: ``write_units`` (any stream of ``TmxUnit`` — used by the translation
memory export and the aligner) and ``write`` (a ``TranslatedDocument``, used by
``bitext translate``). Output validates against the TMX 1.4 DTD: header attributes
creationtool, creationtoolversion, segtype="sentence", o-tmf, adminlang, srclang,
datatype, creationdate; ``tu`` children in DTD order (notes, props, then ``tuv``s);
``xml:lang`` on every ``tuv``. Characters XML 1.0 forbids are removed.

Properties written by ``write`` (all ``x-`` types, as TMX 1.4 asks for user-defined ones):

Header (provenance, so that any file can be reproduced):
    ``x-bitext-version``            bitext version that wrote the file.
    ``x-bitext-engine``             engine name (``gloss``, ``argos``, ``ct2``).
    ``x-bitext-engine-signature``   engine + model id + options (``Engine.signature()``).
    ``x-bitext-gist``               ``true`` when the engine writes word-by-word gists
                                    (a header ``note`` then says so in words too).
    ``x-bitext-glossary``           one per glossary file, in load order:
                                    ``<sha256>  <path>`` (the ``sha256sum`` line format).
    ``x-document``                  the source document path.
    ``x-bitext-segments``           number of units.
    ``x-bitext-term-hits``          glossary occurrences found in the source.
    ``x-bitext-term-violations``    occurrences whose target is missing in the output.
    ``x-bitext-term-success``       ``(hits - violations) / hits`` as a decimal, 4 places;
                                    ``n/a`` when the text has no term hit.
    ``x-bitext-tm-exact``           units taken verbatim from a translation memory.
    ``x-bitext-qa-errors``          QA findings of severity ``error``.

Unit (``tu``, ``tuid`` = segment id such as ``p3.s2``):
    ``x-document``                  source document path.
    ``x-block-kind``                ``heading``, ``paragraph``, ``list_item``, ``table_cell``.
    ``x-bitext-engine`` / ``x-bitext-engine-signature``   as in the header.
    ``x-origin``                    ``mt`` (neural), ``gist`` (word-by-word), ``tm`` (memory
                                    match), ``locked`` (a reviewed XLIFF unit's own target),
                                    ``passthrough``.
    ``x-bitext-origin``             ``gist`` on word-by-word gists: ``bitext tm import``
                                    refuses them unless ``--allow-gist``.
    ``x-score``                     engine log-probability or TM similarity, when known.
    ``x-tm-match``                  ``exact`` for translation-memory matches.
    ``x-tm-fuzzy``                  one per fuzzy memory suggestion: ``0.82: 源 → target``.
    ``x-bitext-keep``               one per span of the source kept as it is (an XLIFF
                                    protected span, inline code): ``bitext check`` takes its
                                    Chinese in the target for no untranslated text.
    ``x-term``                      one per glossary hit: ``网信办 → CAC``.
    ``x-term-repaired``             one per hit forced in by re-decoding: ``网信办 → CAC``.
    ``x-term-violation``            one per hit still missing: ``网信办 → CAC``.

Inline tags (``Segment.codes``: HTML ``<b>``/``<em>``/``<a>``…, Markdown emphasis and links)
are written as TMX 1.4b inline codes — ``<bpt i x type>``/``<ept i>`` (``<it pos>`` when the
other end lies in another segment), ``<ph x type>`` — holding the native markup, and placed
in the target with the XLIFF writer's anchor-and-interpolate placement. With
``metadata["tmx_tags"] == "omegat"`` they are written as OmegaT's tag text instead
(``<b0>…</b0>``, numbered per paragraph), because OmegaT 3.6 reads a foreign TMX's inline
codes only as dropped text by default and then matches nothing tagged.

Notes: every term violation (``term violation: …``) and every QA finding
(``QA error [number]: …``) becomes a ``note`` on its unit.
"""

from __future__ import annotations

import datetime as _dt
import html
import logging
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bitext import __version__
from bitext.document import INLINE_CODE_TAGS, VOID_ELEMENTS, TranslatedDocument
from bitext.files import atomic_write, xml_safe
from bitext.readers.xliff import Token
from bitext.writers.xliff import anchor_hits, place_tags

log = logging.getLogger(__name__)

SRC_LANG = "zh-CN"
TGT_LANG = "en"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

@dataclass(frozen=True)
class TmxUnit:
    """One translation unit to write.

    Attributes:
        tuid: unit id (segment id for documents, bead id for alignments).
        source: source text (Chinese).
        target: target text (English).
        props: ``(type, value)`` pairs written as ``<prop>`` on the ``tu``.
        notes: ``<note>`` texts on the ``tu`` (violations, QA findings).
        creationdate: ``YYYYMMDDTHHMMSSZ``; omitted when None.
        changedate: ``YYYYMMDDTHHMMSSZ``; omitted when None.
        srclang: source ``xml:lang``.
        tgtlang: target ``xml:lang``.
        attrs: other ``<tu>`` attributes (``creationid``, ``usagecount`` …), written as given.
        source_parts / target_parts: when not empty, the segment as text pieces (``str``)
            and inline tags (``bitext.document.InlineCode``), written as inline codes.
        tag_style: ``tmx`` (TMX 1.4b ``<bpt>``/``<ept>``/``<it>``/``<ph>``) or ``omegat``
            (OmegaT's tag text ``<b0>…</b0>``, which OmegaT matches with its default settings).
    """

    tuid: str | None
    source: str
    target: str
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    creationdate: str | None = None
    changedate: str | None = None
    srclang: str = SRC_LANG
    tgtlang: str = TGT_LANG
    attrs: tuple[tuple[str, str], ...] = ()
    source_parts: tuple[Any, ...] = ()
    target_parts: tuple[Any, ...] = ()
    tag_style: str = "tmx"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def write_units(
    path: str | Path,
    units: Iterable[TmxUnit],
    *,
    header_props: Sequence[tuple[str, str]] = (),
    header_notes: Sequence[str] = (),
    srclang: str = SRC_LANG,
    datatype: str = "plaintext",
    creationdate: str | None = None,
) -> int:
    """Stream ``units`` into a TMX 1.4b file at ``path`` (atomic). Returns the unit count."""
    from lxml import etree

    count = 0
    with atomic_write(path, "wb") as f, etree.xmlfile(f, encoding="UTF-8") as xf:
        xf.write_declaration()
        xf.write(etree.Comment(" TMX 1.4b written by bitext "), pretty_print=True)
        with xf.element("tmx", version="1.4"):
            header = etree.Element(
                "header",
                creationtool="bitext",
                creationtoolversion=__version__,
                segtype="sentence",
                **{"o-tmf": "bitext"},
                adminlang="en",
                srclang=srclang,
                datatype=datatype,
                creationdate=creationdate or _now(),
            )
            for text in header_notes:
                etree.SubElement(header, "note").text = xml_safe(text)
            for ptype, value in header_props:
                etree.SubElement(header, "prop", type=ptype).text = xml_safe(str(value))
            xf.write(header, pretty_print=True)
            with xf.element("body"):
                for u in units:
                    xf.write(_tu(u), pretty_print=True)
                    count += 1
    return count


def _tu(u: TmxUnit):  # type: ignore[no-untyped-def]
    from lxml import etree

    attrs = {}
    if u.tuid is not None:
        attrs["tuid"] = xml_safe(u.tuid)
    if u.creationdate:
        attrs["creationdate"] = u.creationdate
    if u.changedate:
        attrs["changedate"] = u.changedate
    for k, v in u.attrs:
        attrs.setdefault(k, xml_safe(v))
    tu = etree.Element("tu", **attrs)
    for text in u.notes:
        etree.SubElement(tu, "note").text = xml_safe(text)
    for ptype, value in u.props:
        etree.SubElement(tu, "prop", type=ptype).text = xml_safe(str(value))
    for lang, text, parts in ((u.srclang, u.source, u.source_parts), (u.tgtlang, u.target, u.target_parts)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        seg = etree.SubElement(tuv, "seg")
        if parts:
            _fill_seg(seg, parts, u.tag_style)
        else:
            seg.text = xml_safe(text)
    return tu


TMX_TYPES = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "ulined", "a": "link",
             "font": "font", "img": "image", "br": "lb"}


def omegat_tag(code: Any) -> str:
    """OmegaT's text for an inline tag: ``<b0>``, ``</b0>``, ``<i1/>`` (first letter + number;
    a standalone tag written ``<br>``/``<img …>`` in the source is ``<br2>``/``<i3>``). An
    element kept as it is that holds elements or text (``<video><source><track></video>``, a
    ``<math>`` formula, ``<progress>70%</progress>``) is all its tags, numbered on from its
    own number (the reader leaves room for them), with its text, as OmegaT shows it:
    ``<v0><s1><t2></v0>``."""
    letter = "br" if code.tag == "br" else (code.tag[:1] or "f")
    if code.kind == "open":
        return f"<{letter}{code.num}>"
    if code.kind == "close":
        return f"</{letter}{code.num}>"
    inner = _inner_elements(code)
    if inner is not None:
        return _omegat_tree(inner, [code.num])
    if getattr(code, "text", ""):  # an element kept verbatim: OmegaT shows its text inside
        return f"<{letter}{code.num}>{code.text}</{letter}{code.num}>"
    empty = _EMPTY_ELEMENT.fullmatch((getattr(code, "html", "") or "").strip())
    if empty:
        # an element with an end tag and nothing in it but white space (``<iframe …></iframe>``,
        # Word's ``<span>&nbsp;&nbsp; </span>`` after a list number): a pair around it
        inner = html.unescape(empty.group(2))
        return f"<{letter}{code.num}>{inner}</{letter}{code.num}>"
    return f"<{letter}{code.num}/>" if getattr(code, "slash", True) else f"<{letter}{code.num}>"


def _inner_elements(code: Any) -> Any:
    """The element a standalone code keeps as it is, when it holds elements or text (else
    None)."""
    markup = getattr(code, "html", "") or ""
    if code.kind != "ph" or "<" not in markup[1:]:
        return None
    from lxml import etree
    from lxml import html as lxml_html

    try:
        el = lxml_html.fragment_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None
    if not isinstance(el.tag, str) or (bool(getattr(code, "text", "")) and not len(el)):
        return None  # (code kept verbatim with text only: its ``text``, below)
    return el if len(el) or (el.text or "").strip() else None


def _omegat_tree(el: Any, counter: list[int]) -> str:
    """OmegaT's tags for ``el`` and everything in it, numbered from ``counter[0]`` on in
    document order (void elements standalone, the others pairs around their text)."""
    num = counter[0]
    counter[0] += 1
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    letter = "br" if tag == "br" else (tag[:1] or "f")
    inner = (el.text or "") + "".join(
        (_omegat_tree(c, counter) if isinstance(c.tag, str) else "") + (c.tail or "") for c in el)
    if tag in VOID_ELEMENTS:  # (what the parser nested inside one follows it)
        return f"<{letter}{num}>{inner}"
    return f"<{letter}{num}>{inner}</{letter}{num}>"


_EMPTY_ELEMENT = re.compile(r"<([A-Za-z][\w:-]*)\b[^>]*>((?:\s|&nbsp;|&#160;)*)</\1\s*>", re.IGNORECASE)
"""An element written with its end tag and only white space between (not a void element)."""


def native(code: Any) -> str:
    """The HTML the inline code stands for (``<a href="…">``, ``</a>``)."""
    fence = dict(code.attrs).get("fence") if code.tag == "code" else None
    if fence:  # a Markdown code span's backticks
        return fence
    raw = dict(code.attrs).get("raw") or dict(code.attrs).get("mark")
    if raw:  # inline HTML in Markdown, as written (or its underscore emphasis)
        return str(raw)
    if code.kind == "close":
        return f"</{code.tag}>"
    if code.kind == "ph" and getattr(code, "html", ""):
        return str(code.html)
    attrs = "".join(f' {k}="{v.replace("&", "&amp;").replace(chr(34), "&quot;")}"' for k, v in code.attrs)
    return f"<{code.tag}{attrs}{'/' if code.kind == 'ph' else ''}>"


def _fill_seg(seg: Any, parts: Sequence[Any], style: str) -> None:
    from lxml import etree

    def add_text(t: str) -> None:
        if len(seg):
            seg[-1].tail = (seg[-1].tail or "") + xml_safe(t)
        else:
            seg.text = (seg.text or "") + xml_safe(t)

    if style == "omegat":
        for p in parts:
            add_text(p if isinstance(p, str) else omegat_tag(p))
        return
    kinds: dict[int, set[str]] = {}
    for p in parts:
        if not isinstance(p, str):
            kinds.setdefault(p.num, set()).add(p.kind)
    for p in parts:
        if isinstance(p, str):
            add_text(p)
            continue
        n = str(p.num + 1)
        typ = TMX_TYPES.get(p.tag, f"x-{p.tag}")
        if p.kind == "ph":
            el = etree.SubElement(seg, "ph", x=n, type=typ)
        elif kinds[p.num] == {"open", "close"}:
            el = etree.SubElement(seg, "bpt", i=n, x=n, type=typ) if p.kind == "open" else etree.SubElement(seg, "ept", i=n)
        else:
            el = etree.SubElement(seg, "it", pos="begin" if p.kind == "open" else "end", x=n, type=typ)
        el.text = xml_safe(native(p))


def code_parts(text: str, codes: Sequence[Any]) -> tuple[Any, ...]:
    """``text`` with its inline codes as pieces for ``TmxUnit.source_parts``."""
    out: list[Any] = []
    cur = 0
    for c in codes:
        if c.pos > cur:
            out.append(text[cur : c.pos])
            cur = c.pos
        out.append(c)
    if cur < len(text):
        out.append(text[cur:])
    return tuple(out)


def placed_parts(seg: Any, target: str, hits: Sequence[Any] = ()) -> tuple[Any, ...]:
    """The target with the source segment's inline codes placed (anchor-and-interpolate)."""
    tokens = []
    cur = 0
    by_tok: dict[int, Any] = {}
    for c in seg.codes:
        if c.pos > cur:
            tokens.append(Token("text", seg.text[cur : c.pos]))
            cur = c.pos
        tok = Token({"open": "open", "close": "close"}.get(c.kind, "solo"), pair=c.num if c.kind != "ph" else None)
        by_tok[id(tok)] = c
        tokens.append(tok)
    if cur < len(seg.text):
        tokens.append(Token("text", seg.text[cur:]))
    if target == seg.text:  # copied as it was (no Chinese in it): every tag where it stood
        return tuple(t.text if t.kind == "text" else by_tok[id(t)] for t in tokens if t.kind != "text" or t.text)
    # text kept as it is (code) anchors the tags around it, as a term does
    placed = place_tags(tokens, 0, seg.text, target, anchor_hits(seg, hits))
    import regex

    head = regex.compile(_EDGE_HEAD, regex.V1)
    parts = [t.text if t.kind == "text" else by_tok[id(t)] for t in placed if t.kind != "text" or t.text]
    # Punctuation and spaces at the inside edge of a tag go outside it: "<b>, word</b>" → ", <b>word</b>".
    for k in range(len(parts) - 1):
        a, b = parts[k], parts[k + 1]
        if not isinstance(a, str) and a.kind == "open" and isinstance(b, str) and a.tag not in INLINE_CODE_TAGS:
            m = head.match(b)
            if m and m.end() < len(b):
                parts = parts[:k] + [m.group(0), a, b[m.end():]] + parts[k + 2 :]
    for k in range(len(parts) - 1, 0, -1):
        a, b = parts[k - 1], parts[k]
        if isinstance(a, str) and not isinstance(b, str) and b.kind == "close":
            m = regex.search(r"\s+$", a)
            if m and m.start() > 0:
                parts = parts[: k - 1] + [a[: m.start()], b, m.group(0)] + parts[k + 1 :]
    # An element kept verbatim (<code>安装.exe</code>) reads as a word in English: spaced.
    def kept(p: Any) -> bool:
        return not isinstance(p, str) and p.kind == "ph" and bool(getattr(p, "text", ""))

    spaced: list[Any] = []
    for k, p in enumerate(parts):
        if isinstance(p, str) and k == 1 and kept(parts[0]):
            p = _uncap(p)  # the sentence starts with the code: the capital belongs to it
        if kept(p):
            if spaced and isinstance(spaced[-1], str) and regex.search(r"[^\s(\[“‘\"'/]$", spaced[-1]):
                spaced[-1] += " "
            elif spaced and kept(spaced[-1]):
                spaced.append(" ")
        elif isinstance(p, str) and spaced and kept(spaced[-1]) and regex.match(r"[\w(\[“‘]", p):
            p = " " + p
        spaced.append(p)
    return tuple(p for p in spaced if not isinstance(p, str) or p)


def _uncap(text: str) -> str:
    """``Is deploy …`` → ``is deploy …`` after a kept code that starts the sentence (common
    words only: a name keeps its capital)."""
    import regex

    m = regex.match(r"\s*(\w+)", text)
    if m and m.group(1).lower() in _LOWER_AFTER_CODE:
        return text[: m.start(1)] + m.group(1).lower() + text[m.end(1):]
    return text


_LOWER_AFTER_CODE = frozenset(
    ["is", "are", "was", "were", "be", "has", "have", "had", "can", "will", "would", "should", "must", "may", "might", "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "as", "by", "it", "its", "this", "that", "these", "those", "also", "not"])
"""Words that a kept code starting a sentence leaves lower-case (``<code>x</code> is …``)."""

_EDGE_HEAD = r"^[\s\p{P}--[\p{Ps}\p{Pi}\"'“‘]]+"
"""Punctuation (not opening brackets/quotes) and spaces at the start of a tagged span."""


def _fmt_score(score: float | None) -> str | None:
    if score is None or not math.isfinite(score):
        return None
    return f"{score:.4f}"


def term_label(hit: Any) -> str:
    """``source → target`` of a ``TermHit`` (the value of ``x-term`` props)."""
    return f"{hit.entry.source} → {hit.entry.target}"


def header_props(tdoc: TranslatedDocument) -> list[tuple[str, str]]:
    """The provenance and count props of a translated document's header."""
    info = tdoc.info
    stats = tdoc.stats()
    props: list[tuple[str, str]] = [
        ("x-bitext-version", info.bitext_version),
        ("x-bitext-engine", info.engine),
        ("x-bitext-engine-signature", info.engine_signature),
        ("x-bitext-gist", "true" if info.is_gist else "false"),
    ]
    props += [("x-bitext-glossary", f"{sha}  {path}") for path, sha in info.glossaries]
    props += [
        ("x-document", info.source_path or tdoc.document.path or ""),
        ("x-bitext-segments", str(stats["segments"])),
        ("x-bitext-term-hits", str(stats["term_hits"])),
        ("x-bitext-term-violations", str(stats["term_violations"])),
        ("x-bitext-term-success",
         "n/a" if stats["term_success"] is None else f"{stats['term_success']:.4f}"),
        ("x-bitext-tm-exact", str(stats["tm_exact"])),
        ("x-bitext-qa-errors", str(stats["qa_errors"])),
    ]
    encoding = tdoc.document.metadata.get("encoding")
    if encoding:
        props.append(("x-bitext-source-encoding", str(encoding)))
    return props


GIST_NOTE = (
    "word-by-word gist, not a translation: the '{engine}' engine wrote word-for-word "
    "glosses in the target segments; install a neural zh→en model for translations."
)


def header_notes(tdoc: TranslatedDocument) -> list[str]:
    """Header notes: the gist warning when the engine writes gists."""
    if tdoc.info.is_gist:
        return [GIST_NOTE.format(engine=tdoc.info.engine)]
    return []


def document_units(tdoc: TranslatedDocument) -> Iterator[TmxUnit]:
    """One ``TmxUnit`` per segment of ``tdoc``, in document order (lazily)."""
    info = tdoc.info
    doc_path = info.source_path or tdoc.document.path or ""
    kinds = {b.id: b.kind for b in tdoc.document.blocks}
    style = str(tdoc.document.metadata.get("tmx_tags") or "tmx")
    for seg in tdoc.document.segments:
        r = tdoc.results.get(seg.id)
        if r is None:
            continue
        props: list[tuple[str, str]] = [
            ("x-document", doc_path),
            ("x-block-kind", kinds.get(seg.block_id, "paragraph")),
            ("x-bitext-engine", info.engine),
            ("x-bitext-engine-signature", info.engine_signature),
            ("x-origin", r.origin),
        ]
        if r.origin == "gist":
            props.append(("x-bitext-origin", "gist"))
        score = _fmt_score(r.score)
        if score is not None:
            props.append(("x-score", score))
        if r.origin == "tm":
            props.append(("x-tm-match", "exact"))
        for sim, fsrc, ftgt in r.tm_fuzzy:
            props.append(("x-tm-fuzzy", f"{sim:.2f}: {fsrc} → {ftgt}"))
        # text kept as it is (XLIFF protected spans, inline code): QA reads it back
        props += [("x-bitext-keep", seg.text[a:b]) for a, b in getattr(seg, "keep", ())]
        props += [("x-term", term_label(h)) for h in r.term_hits]
        props += [("x-term-repaired", term_label(h)) for h in r.term_repaired]
        props += [("x-term-violation", term_label(h)) for h in r.violated_hits]
        notes = [
            f"term violation: '{h.entry.source}' should be rendered '{h.entry.target}' "
            "but the translation lacks it"
            for h in r.term_violations
        ]
        notes += [f"QA {f.severity} [{f.check}]: {f.message}" for f in r.findings]
        codes = getattr(seg, "codes", ())
        yield TmxUnit(
            tuid=seg.id,
            source=seg.text,
            target=r.target,
            props=tuple(props),
            notes=tuple(notes),
            creationdate=info.created or None,
            source_parts=code_parts(seg.text, codes) if codes else (),
            target_parts=placed_parts(seg, r.target, r.term_hits) if codes else (),
            tag_style=style,
        )


def write(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the TMX of a translated document (see the module docstring for the props).

    Args:
        path: the ``.tmx`` file to write (atomically; an earlier file survives a failure).
        tdoc: the translated document.
    """
    n = write_units(
        path,
        document_units(tdoc),
        header_props=header_props(tdoc),
        header_notes=header_notes(tdoc),
        creationdate=tdoc.info.created or None,
    )
    log.debug("wrote %d units to %s", n, path)
