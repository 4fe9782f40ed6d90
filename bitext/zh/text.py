"""Chinese text basics: THE Han pattern and THE width/case/variant fold.

``fold`` is the one normalisation every family uses; callers pick its strength:

- glossary matching (default): full-width ASCII → ASCII, ideographic space → space, Latin
  case folded, traditional → simplified; the length is kept, so offsets stay valid;
- numbers (``case=False, variants=False, commas=False``): the same widths, but the
  full-width comma ``，`` stays (in Chinese it separates list items, not thousands);
- translation-memory keys (``punct=True``): also CJK full stop, curly quotes, odd spaces;
  zero-width characters are dropped, so this strength does NOT keep the length.
"""

from __future__ import annotations

import functools
from pathlib import Path

import regex

HAN = regex.compile(r"\p{Han}")
"""One Han character (``regex``'s Unicode script property, all CJK blocks)."""
HAN_RUN = regex.compile(r"\p{Han}+")
"""A run of Han characters."""
SPACED_HAN = regex.compile(r"(?<!\p{Han})\p{Han}(?:[ \u3000]+\p{Han}(?!\p{Han}))+")
"""Han characters written one by one with spaces between (a heading such as ``总　　则``)."""


def unspace(text: str) -> str:
    """``总　　则`` → ``总则``: the spaces inside ``SPACED_HAN`` runs removed."""
    return SPACED_HAN.sub(lambda m: regex.sub(r"[ \u3000]+", "", m.group()), text)

T2S_TABLE = Path(__file__).resolve().parent.parent / "data" / "zh-t2s.tsv"
"""Traditional → simplified single-character map (``scripts/make_t2s_table.py``, CC-CEDICT)."""

_PUNCT = {
    0x3002: ".",  # 。
    0xFF61: ".",  # halfwidth ideographic full stop
    0xFF64: "、",  # halfwidth ideographic comma
    0x201C: '"', 0x201D: '"', 0x201E: '"', 0x2033: '"',
    0x2018: "'", 0x2019: "'", 0x2032: "'",
    0x30FB: "·", 0xFF65: "·",
    0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: "",
    0xFEFF: "",
}  # fmt: skip


def is_han(ch: str) -> bool:
    """Whether ``ch`` (one character) is a CJK ideograph (BMP blocks, extensions A–F, 〇).

    Range checks, not ``HAN``: sentence rules call this for every character.
    """
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
        or o == 0x3007  # 〇
    )


@functools.lru_cache(maxsize=1)
def t2s() -> dict[str, str]:
    """The traditional → simplified map, read once per process (empty if the file is absent)."""
    try:
        lines = T2S_TABLE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    out = {}
    for line in lines:
        if line and not line.startswith("#"):
            t, _, simp = line.partition("\t")
            if len(t) == 1 and len(simp) == 1:
                out[t] = simp
    return out


@functools.lru_cache(maxsize=8)
def _table(variants: bool, commas: bool, punct: bool) -> dict[int, str]:
    table: dict[int, str] = {o: chr(o - 0xFEE0) for o in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    if not commas:
        del table[0xFF0C]
    if punct:
        table.update(_PUNCT)
    if variants:
        table.update({ord(t): s for t, s in t2s().items()})
    return table


def fold(
    text: str,
    *,
    case: bool = True,
    variants: bool = True,
    commas: bool = True,
    punct: bool = False,
) -> str:
    """Fold ``text`` for matching (see the module doc for the strengths).

    Args:
        text: any text.
        case: fold Latin case (per character, only where that keeps the length: ``İ`` stays).
        variants: traditional Han characters → simplified.
        commas: fold the full-width comma ``，`` to ``,`` too.
        punct: also fold CJK full stops, curly quotes and odd spaces, and drop zero-width
            characters (the only option that can shorten the text).

    Returns:
        The folded text (the same length unless ``punct``).
    """
    t = text.translate(_table(variants, commas, punct))
    if not case:
        return t
    if t.isascii():
        return t.lower()
    out = []
    for ch in t:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)
