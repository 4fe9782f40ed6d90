"""XLIFF reader (1.0–1.2 and 2.0/2.1): translatable units → a Document, inline tags kept aside.

This module owns how an XLIFF file becomes a ``Document`` and the inline-tag model that the
XLIFF writer (``bitext.writers.xliff``) uses to put translations back.

* XLIFF 1.x: one block per ``<trans-unit>`` with one segment (the ``<source>``), or, for
  pre-segmented units, one segment per ``<mrk mtype="seg">`` of the ``<seg-source>``.
* XLIFF 2.x: one block per ``<unit>``, one segment per ``<segment>`` (``<ignorable>`` is
  skipped).

Segment ids are the XLIFF ids, so the TMX ``tuid``, the review page anchor and the JSON key
name the unit the translator sees: the unit ``id``, or ``unit/segment`` (2.x segment ``id``,
else its number; 1.x ``mid``) for units with several segments.

Units are *not* translated when ``translate="no"`` applies (on the unit or inherited from a
``group``/``file``; they become ``passthrough`` blocks), or, unless ``overwrite``, when
their target is already done (their segments carry it as ``locked_target``: the TMX and QA
include them, the XLIFF writer leaves them alone): 1.x ``state`` ``translated``,
``final`` or ``signed-off``, ``approved="yes"``, or a non-empty target without a state;
2.x segment ``state`` ``translated``, ``reviewed`` or ``final``. Units without any text
(only tags or whitespace) are left alone too.

Inline tags never reach the engine: the source is flattened into ``Token``s — text, the
opening and closing of paired elements (1.x ``<g>``, ``<mrk>``; 2.x ``<pc>``, ``<mrk>``)
and standalone elements (1.x ``<x/>``, ``<ph>``, ``<bpt>``/``<ept>``, ``<bx/>``/``<ex/>``,
``<it>``; 2.x ``<ph/>``, ``<sc/>``/``<ec/>``, ``<sm/>``/``<em/>``, ``<cp/>``), with
``<bpt>``/``<ept>``-style halves linked as a pair so the writer can wrap the matching
span. The segment text is the concatenated text, trimmed.

``Document.source`` is an :class:`XliffSource`: the parsed tree and, per segment id, where
its unit lives (its element's position, valid in a copy of the tree) and its tokens.
``Document.metadata`` holds ``xliff_version``, ``source_language``, ``target_language``
and ``unit_ids`` (segment id → unit id, for tracing).

Parsing never resolves entities or touches the network; a DOCTYPE declaring entities is
refused.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bitext.document import Block, Document, Pair, Segment
from bitext.errors import FormatError
from bitext.files import parse_xml, read_bytes

log = logging.getLogger(__name__)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"

PAIRED_1 = frozenset({"g", "mrk"})
SOLO_1 = frozenset({"x", "ph", "bpt", "ept", "bx", "ex", "it"})
PAIRED_2 = frozenset({"pc", "mrk"})
SOLO_2 = frozenset({"ph", "sc", "ec", "sm", "em", "cp"})

DONE_STATES_1 = frozenset({"translated", "final", "signed-off"})
DONE_STATES_2 = frozenset({"translated", "reviewed", "final"})


@dataclass(frozen=True)
class Token:
    """One piece of a flattened ``<source>``.

    Attributes:
        kind: ``text``, ``open`` (start of a paired element), ``close`` (its end) or
            ``solo`` (a standalone element, copied verbatim with its content).
        text: the text (``text`` tokens only).
        elem: ``open``: a childless, textless copy of the paired element; ``solo``: a copy
            of the element with its content but without its tail.
        pair: tokens that belong together share a pair id: ``open``/``close`` of one
            element, and linked halves such as ``<bpt>``/``<ept>``, ``<bx/>``/``<ex/>``,
            ``<sc/>``/``<ec/>``, ``<sm/>``/``<em/>``. None for lone standalone tags.
        role: ``start`` or ``end`` for linked standalone halves, else ``""``.
    """

    kind: str
    text: str = ""
    elem: Any = field(default=None, compare=False, repr=False)
    pair: int | None = None
    role: str = ""


@dataclass
class UnitRef:
    """Where a translatable segment lives.

    Attributes:
        unit_index: position of the ``<trans-unit>`` (1.x) or ``<segment>`` (2.x) among
            the document's elements in document order (``elements(tree)``); the same
            position finds it in a copy of the tree.
        unit_id: the unit's ``id``.
        tokens: the flattened source.
        lead: characters trimmed from the start of the flattened text.
        mid: for XLIFF 1.x pre-segmented units, the ``mid`` of the segment's
            ``<mrk mtype="seg">`` in ``<seg-source>`` (None otherwise).
    """

    unit_index: int
    unit_id: str
    tokens: list[Token]
    lead: int = 0
    mid: str | None = None


@dataclass
class XliffSource:
    """Reader data the XLIFF writer needs.

    Attributes:
        tree: the parsed document (never modified; the writer works on a copy).
        version: ``1.2`` style or ``2.0`` style version string from the root.
        major: 1 or 2.
        ns: the XLIFF namespace URI ('' when the file has none).
        segments: segment id → ``UnitRef``.
        raw: the file's bytes as read (the writer copies untouched units from them
            byte for byte).
    """

    tree: Any
    version: str
    major: int
    ns: str
    segments: dict[str, UnitRef] = field(default_factory=dict)
    raw: bytes = b""


def local(tag: Any) -> str:
    """Local name of an element tag ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _shell(el: Any) -> Any:
    """A copy of ``el`` without children, text or tail."""
    from lxml import etree

    new = etree.Element(el.tag, dict(el.attrib), nsmap=None)
    return new


def _solo_copy(el: Any) -> Any:
    new = copy.deepcopy(el)
    new.tail = None
    return new


def tokenize(source: Any, major: int) -> list[Token]:
    """Flatten a ``<source>`` element into tokens (see ``Token``)."""
    paired = PAIRED_1 if major == 1 else PAIRED_2
    out: list[Token] = []
    counter = [0]
    links: dict[tuple[str, str], int] = {}

    def new_pair() -> int:
        counter[0] += 1
        return counter[0]

    def link(el: Any, name: str) -> tuple[int | None, str]:
        """Pair ids for linked standalone halves."""
        if major == 1:
            if name in ("bpt", "bx"):
                key = ("b" if name == "bpt" else "x", el.get("rid") or el.get("id") or "")
                pid = new_pair()
                links[key] = pid
                return pid, "start"
            if name in ("ept", "ex"):
                key = ("b" if name == "ept" else "x", el.get("rid") or el.get("id") or "")
                end = links.pop(key) if key in links else None
                return end, "end" if end is not None else ""
            return None, ""
        if name in ("sc", "sm"):
            pid = new_pair()
            links[(name, el.get("id") or "")] = pid
            return pid, "start"
        if name in ("ec", "em"):
            start = "sc" if name == "ec" else "sm"
            key = (start, el.get("startRef") or "")
            end = links.pop(key) if key in links else None
            return end, "end" if end is not None else ""
        return None, ""

    def walk(el: Any) -> None:
        if el.text:
            out.append(Token("text", el.text))
        for child in el:
            name = local(child.tag)
            if not name:  # comment / PI: dropped
                pass
            elif name in paired:
                pid = new_pair()
                out.append(Token("open", elem=_shell(child), pair=pid))
                walk(child)
                out.append(Token("close", pair=pid))
            else:  # standalone (unknown inline elements are kept verbatim too)
                spid, role = link(child, name)
                out.append(Token("solo", elem=_solo_copy(child), pair=spid, role=role))
            if child.tail:
                out.append(Token("text", child.tail))

    walk(source)
    # Halves whose partner is missing are plain standalone tags.
    ends = {t.pair for t in out if t.kind == "solo" and t.role == "end"}
    fixed = []
    for t in out:
        if t.kind == "solo" and t.role == "start" and t.pair not in ends:
            t = Token("solo", elem=t.elem)
        fixed.append(t)
    return fixed


def _protected(el: Any, major: int) -> bool:
    """An inline span that must not be translated: 2.x ``translate="no"`` on ``<mrk>``/``<pc>``,
    1.x ``<mrk mtype="protected">`` (or ``translate="no"``)."""
    return el.get("translate") == "no" or (major == 1 and local(el.tag) == "mrk" and el.get("mtype") == "protected")


def keep_spans(tokens: list[Token], major: int, lead: int = 0) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` in the plain text (less ``lead`` characters trimmed at its start) of
    the text inside protected paired elements (see ``_protected``): the engine must copy it."""
    out: list[tuple[int, int]] = []
    pos = 0
    open_at: dict[int | None, int] = {}
    for t in tokens:
        if t.kind == "text":
            pos += len(t.text)
        elif t.kind == "open" and t.elem is not None and _protected(t.elem, major):
            open_at[t.pair] = pos
        elif t.kind == "close" and t.pair in open_at:
            start = open_at.pop(t.pair)
            if pos > start:
                out.append((max(0, start - lead), pos - lead))
    return tuple(sorted(out))


def _within(spans: tuple[tuple[int, int], ...], text: str) -> tuple[tuple[int, int], ...]:
    """The spans clipped to ``text`` (the plain text less its trailing white space), empty ones dropped."""
    clipped = ((a, min(b, len(text))) for a, b in spans)
    return tuple((a, b) for a, b in clipped if b > a)


def plain_text(tokens: list[Token]) -> str:
    """The text of the tokens, tags removed."""
    return "".join(t.text for t in tokens if t.kind == "text")


def _parse(path: str | Path) -> tuple[Any, bytes]:
    raw = read_bytes(path)
    return parse_xml(raw, str(path), "XLIFF", remove_blank_text=False), raw


def _translate_no(el: Any, stop: Any) -> bool:
    """Whether ``translate="no"`` applies to ``el`` (own attribute or nearest ancestor's)."""
    node = el
    while node is not None:
        val = node.get("translate")
        if val is not None:
            return val.strip().lower() == "no"
        if node is stop:
            break
        node = node.getparent()
    return False


def _child(el: Any, name: str) -> Any:
    for c in el:
        if local(c.tag) == name:
            return c
    return None


def _has_text(el: Any) -> bool:
    """Whether an element holds any text (empty ``<mrk>`` placeholders do not count)."""
    return el is not None and "".join(el.itertext()).strip() != ""


def elements(tree: Any) -> list[Any]:
    """The elements of a tree in document order (comments and PIs left out)."""
    return [e for e in tree.getroot().iter() if isinstance(e.tag, str)]


def _text(el: Any) -> str:
    return "".join(el.itertext()).strip()


SDL_NS = "http://sdl.com/FileTypes/SdlXliff/1.0"
SDL_DONE = frozenset({"translated", "approvedtranslation", "approvedsignoff"})


def _segment_status(unit: Any, target: Any) -> dict[str, str]:
    """Per ``mid`` of a pre-segmented unit without a target ``state``: ``done`` or ``locked``.

    A segment is done when its ``<mrk mtype="seg">`` in the target holds text other than
    the source segment's, or when Trados' ``<sdl:seg conf>`` says it is translated or
    approved; ``<sdl:seg locked="true">`` is never touched.
    """
    out: dict[str, str] = {}
    seg_source = _child(unit, "seg-source")
    src_text = {
        m.get("mid") or "": _text(m) for m in seg_source.iter()
        if local(m.tag) == "mrk" and m.get("mtype") == "seg"
    } if seg_source is not None else {}
    if target is not None:
        for m in target.iter():
            if local(m.tag) == "mrk" and m.get("mtype") == "seg":
                mid = m.get("mid") or ""
                if _has_text(m) and _text(m) != src_text.get(mid):
                    out[mid] = "done"
    for defs in unit:
        if defs.tag != f"{{{SDL_NS}}}seg-defs":
            continue
        for seg in defs:
            if seg.tag != f"{{{SDL_NS}}}seg":
                continue
            mid = seg.get("id") or ""
            if (seg.get("locked") or "").lower() == "true":
                out[mid] = "locked"
            elif (seg.get("conf") or "").lower() in SDL_DONE:
                out.setdefault(mid, "done")
    return out


def _unique(sid: str, bid: str, taken: dict[str, str]) -> str:
    """The segment id: the XLIFF id (``unit`` or ``unit/segment``), made unique if a
    file repeats it (``id@p3``)."""
    return sid if sid and sid not in taken else f"{sid}@{bid}"


def _locked_text(target: Any, mid: str | None) -> str:
    """The existing target text of a unit (or of its ``<mrk mid>`` segment)."""
    if target is None:
        return ""
    if mid is None:
        return _text(target).strip()
    for m in target.iter():
        if local(m.tag) == "mrk" and m.get("mtype") == "seg" and m.get("mid") == mid:
            return _text(m).strip()
    return ""


def read(path: str | Path, *, overwrite: bool = False) -> Document:
    """Read an XLIFF 1.x or 2.x file.

    Args:
        path: the file.
        overwrite: also offer units whose target is already translated/final.

    Raises:
        FormatError: missing/malformed file, not XLIFF, unsupported version, or a
            DOCTYPE declaring entities.
    """
    tree, raw = _parse(path)
    root = tree.getroot()
    name = str(path)
    if local(root.tag) != "xliff":
        raise FormatError(f"not an XLIFF file: the root element is <{local(root.tag)}>", name)
    version = (root.get("version") or "").strip()
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if version.startswith("2") or ns.startswith("urn:oasis:names:tc:xliff:document:2"):
        major = 2
    elif version.startswith("1") or ns == NS12 or not version:
        major = 1
    else:
        raise FormatError(f"unsupported XLIFF version '{version}' (1.0–1.2 and 2.x are)", name)
    src = XliffSource(tree=tree, version=version or ("2.0" if major == 2 else "1.2"),
                      major=major, ns=ns, raw=raw)
    blocks: list[Block] = []
    unit_ids: dict[str, str] = {}
    all_elements = elements(tree)
    position = {el: k for k, el in enumerate(all_elements)}
    if major == 1:
        first_file = next((f for f in root.iter() if local(f.tag) == "file"), None)
        srclang = first_file.get("source-language", "") if first_file is not None else ""
        tgtlang = first_file.get("target-language", "") if first_file is not None else ""
        units = [u for u in root.iter() if local(u.tag) == "trans-unit"]
        for n, unit in enumerate(units, 1):
            bid = f"p{n}"
            source = _child(unit, "source")
            uid = unit.get("id") or bid
            if source is None:
                blocks.append(Block(bid, "passthrough", "", raw=""))
                continue
            target = _child(unit, "target")
            state = (target.get("state") or "").strip().lower() if target is not None else ""
            # Pre-segmented units (<seg-source> with <mrk mtype="seg">): one segment each.
            seg_source = _child(unit, "seg-source")
            mrks = [
                m for m in (seg_source if seg_source is not None else ())
                if local(m.tag) == "mrk" and m.get("mtype") == "seg"
            ]
            done = target is not None and state in DONE_STATES_1 or (
                (unit.get("approved") or "").lower() == "yes"
            )
            # A target without a state counts as translated unless it merely copies the
            # source (tools pre-fill targets so); segmented units decide per segment below.
            if not done and not mrks and target is not None and not state:
                done = _has_text(target) and _text(target) != _text(source)
            pieces = [(m, m.get("mid")) for m in mrks] if mrks else [(source, None)]
            seg_status = _segment_status(unit, target) if mrks and not state else {}
            plains = []
            segs: list[Segment] = []
            no = _translate_no(unit, root)
            skip = no or (done and not overwrite)
            for k, (el, mid) in enumerate(pieces, 1):
                tokens = tokenize(el, 1)
                plain = plain_text(tokens)
                plains.append(plain.strip())
                status = seg_status.get(mid or "")
                sid = _unique(uid if not mrks else f"{uid}/{mid or k}", bid, unit_ids)
                if not plain.strip() or no:
                    continue
                if skip or status == "locked" or (status == "done" and not overwrite):
                    kept_t = _locked_text(target, mid)
                    if kept_t:  # a reviewed unit: into the TMX and QA as it is
                        unit_ids[sid] = uid
                        segs.append(Segment(sid, plain.strip(), bid, locked_target=kept_t))
                    continue
                lead = len(plain) - len(plain.lstrip())
                src.segments[sid] = UnitRef(position[unit], uid, tokens, lead, mid)
                unit_ids[sid] = uid
                segs.append(Segment(sid, plain.strip(), bid, keep=_within(keep_spans(tokens, 1, lead), plain.strip())))
            text = " ".join(t for t in plains if t) if mrks else plains[0]
            if segs:
                blocks.append(Block(bid, "paragraph", text, tuple(segs)))
            else:
                blocks.append(Block(bid, "passthrough", text, raw=text))
    else:
        srclang = root.get("srcLang", "")
        tgtlang = root.get("trgLang", "")
        units = [u for u in root.iter() if local(u.tag) == "unit"]
        for n, unit in enumerate(units, 1):
            bid = f"p{n}"
            uid = unit.get("id") or bid
            unit_no = _translate_no(unit, root)
            segs = []
            texts: list[str] = []
            k = 0
            several = sum(1 for s_ in unit if local(s_.tag) == "segment") > 1
            for seg in unit:
                if local(seg.tag) != "segment":
                    continue
                k += 1
                source = _child(seg, "source")
                if source is None:
                    continue
                tokens = tokenize(source, 2)
                plain = plain_text(tokens)
                texts.append(plain.strip())
                state = (seg.get("state") or "").strip().lower()
                target = _child(seg, "target")
                done = state in DONE_STATES_2 or (not state and _has_text(target))
                sid = _unique(f"{uid}/{seg.get('id') or k}" if several else uid, bid, unit_ids)
                if unit_no or not plain.strip():
                    continue
                if done and not overwrite:
                    kept_t = _text(target).strip() if target is not None else ""
                    if kept_t:  # a reviewed segment: into the TMX and QA as it is
                        unit_ids[sid] = uid
                        segs.append(Segment(sid, plain.strip(), bid, locked_target=kept_t))
                    continue
                lead = len(plain) - len(plain.lstrip())
                src.segments[sid] = UnitRef(position[seg], uid, tokens, lead)
                unit_ids[sid] = uid
                segs.append(Segment(sid, plain.strip(), bid, keep=_within(keep_spans(tokens, 2, lead), plain.strip())))
            text = " ".join(t for t in texts if t)
            if segs:
                blocks.append(Block(bid, "paragraph", text, tuple(segs)))
            else:
                blocks.append(Block(bid, "passthrough", text, raw=text))
    metadata = {
        "xliff_version": src.version,
        "source_language": srclang,
        "target_language": tgtlang,
        "unit_ids": unit_ids,
    }
    return Document(str(path), "xliff", tuple(blocks), metadata, src)


def _xliff_text(el: Any) -> str:
    """Text of an XLIFF source/target: inline codes' native data dropped, ``mrk``/``g`` kept."""
    if el is None:
        return ""
    parts = [el.text or ""]
    for child in el:
        if local(child.tag) in ("g", "mrk", "pc", "sub"):
            parts.append(_xliff_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _protected_spans(el: Any, major: int) -> tuple[tuple[int, int], ...]:
    """Spans of ``_xliff_text(el)`` inside protected elements (see ``_protected``)."""
    if el is None:
        return ()
    out: list[tuple[int, int]] = []
    pos = 0

    def walk(e: Any) -> None:
        nonlocal pos
        pos += len(e.text or "")
        for child in e:
            if local(child.tag) in ("g", "mrk", "pc", "sub"):
                start = pos
                walk(child)
                if _protected(child, major) and pos > start:
                    out.append((start, pos))
            pos += len(child.tail or "")

    walk(el)
    return tuple(out)


def _translatable(el: Any) -> bool:
    """XLIFF ``translate`` as inherited from the nearest ancestor that sets it."""
    while el is not None:
        value = el.get("translate")
        if value is not None:
            return value.strip().lower() not in ("no", "false")
        el = el.getparent()
    return True


def read_pairs(path: str | Path) -> Iterator[Pair]:
    """Pairs from XLIFF 1.2 ``trans-unit`` or XLIFF 2 ``unit``/``segment`` elements.

    Units marked ``translate="no"`` (directly or on an enclosing group or file) are skipped.
    """
    tree = parse_xml(path)
    root = tree.getroot()
    if local(root.tag) != "xliff":
        raise FormatError(f"not an XLIFF file: the root element is <{local(root.tag)}>", str(path))
    major = 1 if (root.get("version") or "1").strip().startswith("1") else 2
    n = 0
    for el in root.iter():
        name = local(el.tag)
        if name in ("trans-unit", "segment") and not _translatable(el):
            continue  # translate="no" on the unit or an enclosing group/file
        if name == "trans-unit":
            n += 1
            src = tgt = None
            for c in el:
                if local(c.tag) == "source" and src is None:
                    src = c
                elif local(c.tag) == "target" and tgt is None:
                    tgt = c
            yield Pair(el.get("id") or f"#{n}", _xliff_text(src), _xliff_text(tgt), _protected_spans(src, 1))
        elif name == "segment" and el.getparent() is not None and local(el.getparent().tag) == "unit":
            n += 1
            unit = el.getparent()
            segs = [c for c in unit if local(c.tag) == "segment"]
            sid = el.get("id") or (
                unit.get("id", f"#{n}") + (f".{segs.index(el) + 1}" if len(segs) > 1 else "")
            )
            src = next((c for c in el if local(c.tag) == "source"), None)
            tgt = next((c for c in el if local(c.tag) == "target"), None)
            yield Pair(sid, _xliff_text(src), _xliff_text(tgt), _protected_spans(src, major))
