"""Streaming TMX reader: ``iter_units`` yields one ``TmxUnit`` per ``<tu>``, memory flat.

TMX files from CAT tools and memories run to millions of units, so the file is read with
``lxml.etree.iterparse`` and every ``<tu>`` is cleared (and unlinked from its parent) as
soon as it is turned into a frozen ``TmxUnit``. The parser never resolves entities or
touches the network; a DOCTYPE that declares entities is refused.

Inline markup inside ``<seg>`` is flattened to plain text: the native codes carried by
``<bpt>``, ``<ept>``, ``<ph>``, ``<it>`` and ``<ut>`` are dropped, the text of ``<hi>`` is
kept. TMX 1.4 ``xml:lang`` and TMX 1.1 ``lang`` attributes are both understood.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bitext.document import Pair
from bitext.errors import FormatError
from bitext.files import check_input, refuse_entities, require_file, xml_error

log = logging.getLogger(__name__)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_CODE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut"})
"""Inline elements whose content is native markup (dropped when flattening)."""


@dataclass(frozen=True)
class TmxUnit:
    """One translation unit.

    Attributes:
        tuid: the ``tuid`` attribute, or None.
        variants: ``(language, text)`` per ``<tuv>`` in file order; the language comes from
            ``xml:lang`` (or TMX 1.1 ``lang``); text has inline tags flattened.
        props: ``(type, value)`` of the unit's ``<prop>`` elements.
        notes: texts of the unit's ``<note>`` elements.
        attrs: the other ``<tu>`` attributes (``creationdate``, ``changedate``, ``usagecount`` …).
    """

    tuid: str | None
    variants: tuple[tuple[str, str], ...]
    props: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()

    def text(self, prefix: str) -> str | None:
        """Text of the first variant whose language starts with ``prefix`` (see ``pick``)."""
        return pick(self, prefix)


def lang_matches(lang: str, prefix: str) -> bool:
    """Whether a language tag is ``prefix`` or a variant of it, case-insensitive.

    ``lang_matches("zh_CN", "zh")`` and ``lang_matches("ZH-hans", "zh")`` are true;
    ``lang_matches("zhs", "zh")`` is not.
    """
    lang, prefix = lang.lower(), prefix.lower()
    return lang == prefix or lang.startswith((prefix + "-", prefix + "_"))


def pick(unit: TmxUnit, prefix: str) -> str | None:
    """Text of the first variant whose language starts with ``prefix``, case-insensitive.

    ``pick(u, "zh")`` matches ``zh``, ``zh-CN``, ``ZH-hans``; ``pick(u, "en")`` matches
    ``en-US``. Returns None when no variant matches.
    """
    for lang, text in unit.variants:
        if lang_matches(lang, prefix):
            return text
    p = prefix.lower()
    for lang, text in unit.variants:  # looser: "zh" also finds "zhs" style codes
        if lang.lower().startswith(p):
            return text
    return None


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def flatten(el: Any) -> str:
    """Plain text of a ``<seg>`` (or any element): native codes dropped, ``<hi>`` text kept."""
    parts: list[str] = [el.text or ""]
    for child in el:
        name = _local(child.tag)
        if name and name not in _CODE_TAGS:
            parts.append(flatten(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lang(el: Any) -> str:
    return el.get(XML_LANG) or el.get("lang") or ""


def _unit(tu: Any) -> TmxUnit:
    variants: list[tuple[str, str]] = []
    props: list[tuple[str, str]] = []
    notes: list[str] = []
    for child in tu:
        name = _local(child.tag)
        if name == "tuv":
            seg = None
            for c in child:
                if _local(c.tag) == "seg":
                    seg = c
                    break
            variants.append((_lang(child), flatten(seg) if seg is not None else ""))
        elif name == "prop":
            props.append((child.get("type") or "", child.text or ""))
        elif name == "note":
            notes.append(child.text or "")
    attrs = tuple((k, v) for k, v in tu.attrib.items() if k != "tuid")
    return TmxUnit(tu.get("tuid"), tuple(variants), tuple(props), tuple(notes), attrs)


def _check_doctype(el: Any, path: str) -> None:
    refuse_entities(el.getroottree(), path)


def _iterparse(path: str | Path, events: tuple[str, ...], tag: Any) -> Any:
    from lxml import etree

    p = require_file(path)
    check_input(p, "TMX", limit=False)  # streamed: any size, but never a FIFO or a device
    if p.stat().st_size == 0:
        raise FormatError("empty file, not a TMX document", str(p))
    return etree.iterparse(
        str(p),
        events=events,
        tag=tag,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )


def iter_units(path: str | Path) -> Iterator[TmxUnit]:
    """Yield the translation units of a TMX file in order, with flat memory use.

    Raises:
        FormatError: missing file, malformed XML (with the line), not a TMX document,
            or a DOCTYPE declaring entities.
    """
    from lxml import etree

    name = str(path)
    it = _iterparse(path, ("start", "end"), ("{*}tmx", "{*}tu"))
    seen_root = False
    try:
        for event, el in it:
            tag = _local(el.tag)
            if tag == "tmx":
                if event == "start":
                    seen_root = True
                    _check_doctype(el, name)
                continue
            if not seen_root:
                raise FormatError("not a TMX file: no <tmx> root element", name)
            if event == "start":
                continue
            unit = _unit(el)
            # Free memory: clear this unit and drop already-processed siblings.
            el.clear(keep_tail=True)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
            yield unit
    except etree.XMLSyntaxError as e:
        line = (e.position[0] or None) if getattr(e, "position", None) else None
        raise FormatError(f"malformed TMX: {xml_error(e.msg)}", name, line) from None
    if not seen_root:
        raise FormatError("not a TMX file: no <tmx> root element", name)


def read_header(path: str | Path) -> dict[str, Any]:
    """The ``<header>`` of a TMX file: its attributes plus ``props`` and ``notes``.

    Returns:
        e.g. ``{"srclang": "zh-CN", "creationtool": "bitext", "props": [("x-engine",
        "argos")], "notes": [...], "version": "1.4"}`` (``version`` from ``<tmx>``).
        Only the start of the file is read.

    Raises:
        FormatError: as ``iter_units``; also when there is no ``<header>``.
    """
    from lxml import etree

    name = str(path)
    it = _iterparse(path, ("start", "end"), None)
    out: dict[str, Any] = {}
    checked = False
    try:
        for event, el in it:
            tag = _local(el.tag)
            if not checked:
                checked = True
                _check_doctype(el, name)
                if tag != "tmx":
                    raise FormatError(f"not a TMX file: the root element is <{tag}>, not <tmx>", name)
                if el.get("version"):
                    out["version"] = el.get("version")
                continue
            if tag == "body" and event == "start":
                break
            if tag == "header" and event == "end":
                out.update({k: v for k, v in el.attrib.items() if k != "version"})
                if out.get("srclang") is None and _lang(el):
                    out["srclang"] = _lang(el)
                out["props"] = [
                    (c.get("type") or "", c.text or "") for c in el if _local(c.tag) == "prop"
                ]
                out["notes"] = [c.text or "" for c in el if _local(c.tag) == "note"]
                return out
    except etree.XMLSyntaxError as e:
        line = (e.position[0] or None) if getattr(e, "position", None) else None
        raise FormatError(f"malformed TMX: {xml_error(e.msg)}", name, line) from None
    if not checked:
        raise FormatError("empty file, not a TMX document", name)
    raise FormatError("the TMX file has no <header>", name)


def read_pairs(
    path: str | Path, source_lang: str | None = None, target_lang: str | None = None
) -> Iterator[Pair]:
    """Pairs from a TMX file (streamed). Units without a ``tuid`` get ``#n`` (1-based).

    The source variant is the one in ``source_lang`` (default ``zh``: the checks are for
    Chinese→English, so a memory kept the other way round, ``srclang="en-US"``, is still
    read with Chinese as the source); the target is the one in ``target_lang`` (default
    ``en``), else the first other variant; a missing target reads as empty.
    """
    read_header(path)  # refuse a non-TMX file up front, with a clear message
    source_lang = source_lang or "zh"
    target_lang = target_lang or "en"
    for n, u in enumerate(iter_units(path), start=1):
        source = target = None
        for lang, text in u.variants:
            if source is None and lang_matches(lang, source_lang):
                source = text
            elif target is None and lang_matches(lang, target_lang):
                target = text
        if target is None:
            others = [t for lang, t in u.variants if not lang_matches(lang, source_lang)]
            target = others[0] if others else ""
        if source is None:
            source = next((t for lang, t in u.variants if not lang_matches(lang, target_lang)), "")
        yield Pair(u.tuid if u.tuid else f"#{n}", source, target,
                   _kept_spans(source, [v for k, v in u.props if k == "x-bitext-keep"]))


def _kept_spans(source: str, kept: list[str]) -> tuple[tuple[int, int], ...]:
    """Where bitext's ``x-bitext-keep`` texts (spans kept as they are) stand in the source,
    in order."""
    out: list[tuple[int, int]] = []
    at = 0
    for text in kept:
        i = source.find(text, at) if text else -1
        if i < 0:
            continue
        out.append((i, i + len(text)))
        at = i + len(text)
    return tuple(out)
