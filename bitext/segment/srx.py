"""SRX 2.0 segmentation rules: read a CAT tool's rules, split text with them, write ours.

This module owns SRX (Segmentation Rules eXchange). ``load`` reads an SRX 1.0/2.0 file
(OmegaT's ``defaultRules.srx``, Okapi's, Trados/memoQ exports) with the safe XML parser;
``Srx.split(text, lang)`` splits text the way OmegaT's segmenter does:

* the language rules are those of every ``languagemap`` whose ``languagepattern`` matches
  the language code (case-insensitively, whole code), in map order — all of them when
  ``cascade="yes"`` (also when the header does not say, as OmegaT reads its own file),
  only the first otherwise;
* for each rule, every match of ``beforebreak`` (found left to right, non-overlapping)
  whose end is followed by a match of ``afterbreak`` is a candidate position; the first
  rule (in that order) to claim a position decides whether it breaks;
* segments are trimmed of whitespace at their edges; empty ones are dropped.

Rules are Java regular expressions. They are translated for the ``regex`` module, which
already speaks ``\\p{Lu}``, possessive quantifiers, atomic groups and ``\\uXXXX``; Java-only
names (``\\p{IsHan}``, ``\\p{InGreek}``, POSIX ``\\p{Punct}``, ``\\p{javaLowerCase}``), ``\\Q…\\E``,
``\\z``/``\\Z``, ``\\h``/``\\v``/``\\R``, ``\\x{…}`` and octal ``\\0nn`` are rewritten,
and the rules are compiled with DOTALL as OmegaT compiles them (``.`` matches a line
break); what cannot be (``\\G``, class intersection ``&&``, unknown
``\\p{…}``) is refused with a :class:`~bitext.errors.FormatError` naming the rule.

``export`` writes bitext's own Chinese sentence rules (``bitext.segment.zh``) as SRX 2.0, so
a CAT tool can segment as bitext does (URL/e-mail protection has no SRX form and is left out).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from bitext.errors import FormatError
from bitext.files import atomic_write, parse_xml, read_bytes

log = logging.getLogger(__name__)

SRX20_NS = "http://www.lisa.org/srx20"

_POSIX = {
    "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x00-\\x7F", "Alpha": "a-zA-Z", "Digit": "0-9",
    "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~", "Graph": "!-~", "Print": " -~",
    "Blank": " \\t", "Cntrl": "\\x00-\\x1F\\x7F", "XDigit": "0-9a-fA-F", "Space": " \\t\\n\\x0B\\f\\r",
}
"""Java's POSIX classes are ASCII-only: their ranges."""
JAVA_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
              "\u2008\u2009\u200a\u2028\u2029\u205f\u3000")
"""Java's ``Character.isWhitespace``: every Unicode space except the no-break ones (U+00A0,
U+2007, U+202F)."""

_JAVA = {
    "javaLowerCase": "\\p{Ll}", "javaUpperCase": "\\p{Lu}", "javaTitleCase": "\\p{Lt}",
    "javaLetter": "\\p{L}", "javaDigit": "\\p{Nd}", "javaLetterOrDigit": "\\p{L}\\p{Nd}",
    "javaWhitespace": "\\s", "javaSpaceChar": "\\p{Zs}\\p{Zl}\\p{Zp}", "javaAlphabetic": "\\p{Alphabetic}",
    "javaIdeographic": "\\p{Ideographic}",
}


@dataclass(frozen=True)
class SrxRule:
    """One ``<rule>``: break or no-break, before/after patterns (translated), where it came from."""

    brk: bool
    before: str
    after: str
    where: str
    before_re: Any = field(default=None, compare=False, repr=False)
    after_re: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Srx:
    """A read SRX file.

    Attributes:
        rules: language rule name → its rules, in file order.
        maps: ``(languagepattern, languagerulename)`` in file order.
        cascade: whether every matching map applies (else the first only).
        name: the file name (for messages and provenance).
        sha256: the file's SHA-256.
        omegat_tags: the rules speak OmegaT's tag notation (``<br0/>``): written for OmegaT.
    """

    rules: dict[str, tuple[SrxRule, ...]]
    maps: tuple[tuple[str, str], ...]
    cascade: bool = True
    name: str = ""
    sha256: str = ""
    omegat_tags: bool = False

    def rules_for(self, lang: str) -> list[SrxRule]:
        """The rules that apply to language code ``lang`` (``zh-CN``, ``en``)."""
        out: list[SrxRule] = []
        for pattern, name in self.maps:
            try:
                hit = regex.fullmatch(java_regex(pattern, f"languagemap '{pattern}'"), lang, regex.IGNORECASE)
            except regex.error:
                hit = None
            if hit:
                out.extend(self.rules.get(name, ()))
                if not self.cascade:
                    break
        return out

    def breaks(self, text: str, lang: str) -> list[int]:
        """Break positions (0 < p < len(text)) in ``text``."""
        decided: dict[int, bool] = {}
        for rule in self.rules_for(lang):
            for m in rule.before_re.finditer(text):
                end = m.end()
                if end in decided or end <= 0 or end >= len(text):
                    continue
                if rule.after_re is None or rule.after_re.match(text, end):
                    decided[end] = rule.brk
        return sorted(p for p, b in decided.items() if b)

    def split(self, text: str, lang: str = "zh-CN") -> list[str]:
        """``text`` split into trimmed, non-empty segments (trimmed as OmegaT trims them: of
        Java's white space, so a no-break space ``&nbsp;`` that starts a sentence stays)."""
        out = []
        start = 0
        for p in [*self.breaks(text, lang), len(text)]:
            seg = text[start:p].strip(JAVA_SPACE)
            if seg:
                out.append(seg)
            start = p
        return out


def _class_or_bare(body: str, in_class: bool) -> str:
    return body if in_class else f"[{body}]"


def java_regex(pattern: str, where: str) -> str:
    """A Java regular expression rewritten for the ``regex`` module.

    Raises:
        FormatError: a construct with no equivalent (named with ``where``).
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    depth = 0  # inside [...] (nesting counts)

    def refuse(what: str) -> FormatError:
        return FormatError(f"SRX {where}: unsupported Java regex construct {what} in '{pattern}'")

    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            d = pattern[i + 1]
            if d in "pP" and i + 2 < n and pattern[i + 2] == "{":
                j = pattern.find("}", i + 3)
                if j < 0:
                    raise refuse(pattern[i:])
                name = pattern[i + 3 : j]
                neg = d == "P"
                body = _property(name)
                if body is None:
                    raise refuse(f"\\{d}{{{name}}}")
                if neg:
                    if depth:
                        raise refuse(f"\\P{{{name}}} inside a character class")
                    out.append(f"[^{body}]")
                else:
                    out.append(_class_or_bare(body, bool(depth)) if not body.startswith("\\p{") or "\\p{" in body[3:] else body)
                i = j + 1
                continue
            if d == "Q":
                j = pattern.find("\\E", i + 2)
                lit = pattern[i + 2 :] if j < 0 else pattern[i + 2 : j]
                out.append("".join("\\" + ch if not ch.isalnum() else ch for ch in lit))
                i = n if j < 0 else j + 2
                continue
            if d == "x" and i + 2 < n and pattern[i + 2] == "{":
                j = pattern.find("}", i + 3)
                if j < 0 or not regex.fullmatch(r"[0-9A-Fa-f]{1,6}", pattern[i + 3 : j]):
                    raise refuse(pattern[i : (j + 1) if j > 0 else n])
                out.append(f"\\U{int(pattern[i + 3 : j], 16):08x}")
                i = j + 1
                continue
            if d == "0":
                j = i + 2
                while j < n and j < i + 5 and pattern[j] in "01234567":
                    j += 1
                out.append(f"\\x{int(pattern[i + 2 : j] or '0', 8):02x}")
                i = j
                continue
            simple = {
                "z": "\\Z", "Z": "(?=\\n?\\Z)", "e": "\\x1b",
                "h": _class_or_bare(" \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000", bool(depth)),
                "v": _class_or_bare("\\n\\x0b\\f\\r\\x85\\u2028\\u2029", bool(depth)),
                "R": "(?:\\r\\n|[\\n\\x0b\\f\\r\\x85\\u2028\\u2029])",
            }
            if d in simple and not (depth and d in "zZR"):
                out.append(simple[d])
                i += 2
                continue
            if d == "G":
                raise refuse("\\G")
            if d == "c" and i + 2 < n:
                out.append(f"\\x{ord(pattern[i + 2]) ^ 64:02x}")
                i += 3
                continue
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            if depth and i + 1 < n and pattern[i + 1] != ":":
                pass
            depth += 1
            out.append(c)
            if i + 1 < n and pattern[i + 1] == "^":
                out.append("^")
                i += 1
            if i + 1 < n and pattern[i + 1] == "]":  # ']' first in a class is literal
                out.append("\\]")
                i += 1
            i += 1
            continue
        if c == "]" and depth:
            depth -= 1
            out.append(c)
            i += 1
            continue
        if c == "&" and depth and pattern.startswith("&&", i):
            raise refuse("&& (class intersection)")
        if c == "(" and pattern.startswith("(?", i) and not depth:
            j = i + 2
            while j < n and pattern[j].isalpha():
                j += 1
            if j > i + 2 and j < n and pattern[j] in "):-":
                flags = "".join(ch for ch in pattern[i + 2 : j] if ch not in "uUd")
                if not flags and pattern[j] == ")":
                    i = j + 1
                    continue
                out.append("(?" + flags)
                i = j
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _property(name: str) -> str | None:
    """Body of a character class for Java's ``\\p{name}`` (None: unknown)."""
    if name in _POSIX:
        return _POSIX[name]
    if name in _JAVA:
        return _JAVA[name]
    probe = name
    if name.startswith("Is") and len(name) > 2:
        probe = name[2:]
    elif name.startswith("In") and len(name) > 2:
        probe = "Block=" + name[2:]
    elif name.startswith(("general_category=", "gc=", "script=", "sc=", "block=", "blk=")):
        probe = name
    for cand in (probe, name):
        try:
            regex.compile(f"\\p{{{cand}}}")
            return f"\\p{{{cand}}}"
        except regex.error:
            continue
    return None


def _compile(pattern: str, where: str) -> Any:
    try:
        # DOTALL: OmegaT compiles SRX rules so (a rule's "." also matches a line break)
        return regex.compile(java_regex(pattern, where), regex.V0 | regex.DOTALL)
    except regex.error as e:
        raise FormatError(f"SRX {where}: invalid regular expression '{pattern}': {e}") from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def load(path: str | Path) -> Srx:
    """Read an SRX 1.0/2.0 file.

    Raises:
        FormatError: unreadable, malformed or not SRX; a rule with an unsupported or invalid
            regular expression (the message names the language rule and the rule number).
    """
    import hashlib


    data = read_bytes(path)
    tree = parse_xml(data, str(path), kind="SRX", remove_comments=True)
    root = tree.getroot()
    if _local(root.tag) != "srx":
        raise FormatError("not an SRX file (root element is not <srx>)", str(path))
    cascade = True
    rules: dict[str, tuple[SrxRule, ...]] = {}
    maps: list[tuple[str, str]] = []
    omegat = False
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "header":
            cascade = (el.get("cascade") or "yes").lower() != "no"
        elif tag == "languagerule":
            name = el.get("languagerulename") or ""
            found = []
            for k, r in enumerate((c for c in el if _local(c.tag) == "rule"), start=1):
                before = after = ""
                for part in r:
                    if _local(part.tag) == "beforebreak":
                        before = part.text or ""
                    elif _local(part.tag) == "afterbreak":
                        after = part.text or ""
                where = f"rule {k} of '{name}'"
                omegat = omegat or "<br\\d" in before or "<br\\d" in after
                found.append(SrxRule(
                    brk=(r.get("break") or "yes").lower() != "no", before=before, after=after, where=where,
                    before_re=_compile(before, where + " (beforebreak)"),
                    after_re=_compile(after, where + " (afterbreak)") if after else None,
                ))
            rules[name] = tuple(found)
        elif tag == "languagemap":
            maps.append((el.get("languagepattern") or ".*", el.get("languagerulename") or ""))
    if not maps:
        raise FormatError("SRX file has no <languagemap>", str(path))
    for pattern, _ in maps:
        try:
            regex.compile(java_regex(pattern, f"languagemap '{pattern}'"))
        except regex.error as e:
            raise FormatError(f"SRX languagemap: invalid languagepattern '{pattern}': {e}", str(path)) from None
    return Srx(rules=rules, maps=tuple(maps), cascade=cascade, name=Path(path).name,
               sha256=hashlib.sha256(data).hexdigest(), omegat_tags=omegat)


# --------------------------------------------------------------------------- export

_CLOSE = "”’」』）》〉】〕〗〙］｝)\\]}»›"
_FULL = "。！？；｡︒﹒﹗﹖"
BITEXT_ZH_RULES: Sequence[tuple[bool, str, str, str]] = (
    (False, f"[{_FULL}…⋯.!?;．]", f"[{_CLOSE}{_FULL}…⋯!?\"]", "a terminator followed by a closer or another terminator: break after the run"),
    (False, f"[{_FULL}…⋯.!?;．][{_CLOSE}]+", "[，、,：:]", "a closing quote followed by a comma does not end the sentence"),
    (False, "(?:[…⋯]{2,}|\\.{3,})", "[等，、,：:]", "an ellipsis followed by 等 or a comma continues the sentence"),
    (False, "[A-Za-z]\\.", ".", "Latin abbreviations (U.S., e.g., No. 5)"),
    (False, "\\p{Nd}[.．]", "\\p{Nd}", "decimal points and dates (5.64亿, 2024.7.31)"),
    (True, f"[{_FULL}][{_CLOSE}]*", ".", "full-width terminators always end a sentence"),
    (True, f"(?:[…⋯]{{2,}}|\\.{{3,}})[{_CLOSE}]*", ".", "an ellipsis ends a sentence"),
    (True, f"[\\p{{IsHan}}\\p{{InCJKSymbolsAndPunctuation}}\\p{{InHalfwidthAndFullwidthForms}}{_CLOSE}%‰][.!?;．][{_CLOSE}]*", "\\s*[^A-Za-z0-9]",
     "a half-width terminator after Chinese text ends a sentence"),
)
"""bitext's Chinese rules as SRX ``(break, beforebreak, afterbreak, comment)``, in order."""


def export(path: str | Path) -> int:
    """Write bitext's Chinese sentence rules as SRX 2.0 (atomically). Returns the rule count."""
    from lxml import etree

    ns = f"{{{SRX20_NS}}}"
    root = etree.Element(ns + "srx", nsmap={None: SRX20_NS}, version="2.0")
    etree.SubElement(root, ns + "header", segmentsubflows="yes", cascade="yes")
    body = etree.SubElement(root, ns + "body")
    lrs = etree.SubElement(body, ns + "languagerules")
    lr = etree.SubElement(lrs, ns + "languagerule", languagerulename="bitext Chinese")
    for brk, before, after, comment in BITEXT_ZH_RULES:
        lr.append(etree.Comment(" " + comment + " "))
        rule = etree.SubElement(lr, ns + "rule", {"break": "yes" if brk else "no"})
        etree.SubElement(rule, ns + "beforebreak").text = before
        etree.SubElement(rule, ns + "afterbreak").text = after
    maps = etree.SubElement(body, ns + "maprules")
    etree.SubElement(maps, ns + "languagemap", languagepattern="[Zz][Hh].*", languagerulename="bitext Chinese")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    with atomic_write(path, "wb", encoding=None) as f:
        f.write(data)
    return len(BITEXT_ZH_RULES)
