"""TMX 1.4b writer: streamed with ``lxml.etree.xmlfile`` and written atomically.

Two entry points: ``write_units`` (any stream of ``TmxUnit`` — used by the translation
memory export and the aligner) and ``write`` (a ``TranslatedDocument``, used by
``bitext translate``). Output validates against the TMX 1.4 DTD: header attributes
creationtool, creationtoolversion, segtype="sentence", o-tmf, adminlang, srclang,
datatype, creationdate; ``tu`` children in DTD order (notes, props, then ``tuv``s);
``xml:lang`` on every ``tuv``. Characters XML 1.0 forbids are removed.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import regex

from bitext import __version__
from bitext.io import atomic_write
from bitext.model import TranslatedDocument

SRC_LANG = "zh-CN"
TGT_LANG = "en"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_FORBIDDEN = regex.compile(r"[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def xml_safe(text: str) -> str:
    """Remove characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/F)."""
    return _FORBIDDEN.sub("", text)


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
    with atomic_write(path, "wb") as f:
        with etree.xmlfile(f, encoding="UTF-8") as xf:
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
    tu = etree.Element("tu", **attrs)
    for text in u.notes:
        etree.SubElement(tu, "note").text = xml_safe(text)
    for ptype, value in u.props:
        etree.SubElement(tu, "prop", type=ptype).text = xml_safe(str(value))
    for lang, text in ((u.srclang, u.source), (u.tgtlang, u.target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = xml_safe(text)
    return tu


def write(path: str | Path, tdoc: TranslatedDocument) -> None:
    """Write the TMX of a translated document (see module docstring)."""
    raise NotImplementedError  # filled in by the document TMX writer
