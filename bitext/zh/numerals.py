"""Chinese numerals: THE parser and THE English renderer.

``parse_decimal`` reads Han numerals (``三千五百万``, ``一百零五``, ``两亿``, ``〇``/``零``,
financial forms ``壹贰叁``), digits mixed with Han units (``5.64亿``, ``1,000万``,
full-width ``５万``) and decimals written with ``点`` (``三点五``). Vague or malformed
numerals (``三四`` "three or four", ``十四五``, bare ``百``/``万``) give None, so callers
stay silent rather than guess; ``digit_string=True`` reads digit-by-digit strings
(``二〇二四`` → 2024, ``一九八四`` → 1984) for years and codes.

``render`` writes a Chinese quantity the way an English text does, and the QA number
check (``bitext.qa.numbers``) reads every form it writes: ``五万元`` → ``50,000 yuan``,
``5.64亿`` → ``564 million``, ``1.2万家`` → ``12,000``, ``二百万元`` → ``2 million yuan``,
``百分之十五`` → ``15%``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex

from bitext.zh.text import fold

HAN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
    "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}
NUM_CHARS = "".join(HAN_DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
"""Every character a Han numeral is written with."""

_DIGITS = regex.compile(r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?")

CURRENCIES = {
    "元": "yuan", "人民币": "yuan", "美元": "US dollars", "欧元": "euros", "港元": "Hong Kong dollars",
    "港币": "Hong Kong dollars", "日元": "yen", "英镑": "pounds",
}  # fmt: skip
"""Currency words after an amount and their English names."""

NUMBER = (
    r"(?:\d+(?:,\d{3}(?!\d))*(?:\.\d+)?[十百千万亿]*"
    rf"|[{NUM_CHARS}]+(?:点[{''.join(HAN_DIGITS)}]+)?)"
)
"""Regex source of one number: digits (with Han units after them) or a Han numeral."""

AMOUNT = regex.compile(
    rf"(?P<num>{NUMBER})(?P<more>多|余)?(?P<cur>{'|'.join(sorted(CURRENCIES, key=len, reverse=True))})?"
    r"(?P<mw>[个家项名位件台种类所座户人次])?"
)
"""A quantity as ``render`` reads it: number, ``多``/``余``, currency, measure word."""


def parse_decimal(text: str, *, digit_string: bool = False) -> Decimal | None:
    """The exact value of a Chinese numeral (see the module doc), or None."""
    text = fold(text, case=False, variants=False).replace(" ", "")
    if not text:
        return None
    if all(ch in HAN_DIGITS for ch in text):
        if len(text) == 1:
            return Decimal(HAN_DIGITS[text])
        if digit_string:
            return Decimal("".join(str(HAN_DIGITS[ch]) for ch in text))
        return None  # 三四 ("three or four"), 九一八 (a date name)
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = parse_decimal(whole) if whole else None
        if w is None or not frac or any(ch not in HAN_DIGITS for ch in frac):
            return None
        return w + Decimal("0." + "".join(str(HAN_DIGITS[c]) for c in frac))
    total = Decimal(0)
    section = Decimal(0)  # value below the current big unit
    number: Decimal | None = None  # pending digit(s)
    last_small = 10**9  # small units must decrease within a section
    last_big = 10**20
    i = 0
    zero_seen = False
    while i < len(text):
        ch = text[i]
        m = _DIGITS.match(text, i)
        if m:
            if number is not None:
                return None
            try:
                number = Decimal(m.group().replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
                return None
            i = m.end()
            continue
        if ch in HAN_DIGITS:
            d = HAN_DIGITS[ch]
            if d == 0:
                zero_seen = True
                i += 1
                continue
            if number is not None:
                return None
            number = Decimal(d)
        elif ch in SMALL_UNITS:
            u = SMALL_UNITS[ch]
            if u >= last_small:
                return None
            if number is None:
                if u != 10:
                    return None  # bare 百/千: vague (上千)
                number = Decimal(1)  # 十五 = 15; the 十 of 一百一十
            section += number * u
            number = None
            last_small = u
        elif ch in BIG_UNITS:
            u = BIG_UNITS[ch]
            if number is not None:
                section += number
                number = None
            if section == 0:
                if total and i > 0 and text[i - 1] in BIG_UNITS:
                    total *= u  # 万亿: a compound unit applies to everything so far
                    i += 1
                    continue
                return None  # bare 万: vague
            if u >= last_big:
                total = (total + section) * u  # 1.2万亿 read as (1.2万)亿
            else:
                total += section * u
            last_big = u
            section = Decimal(0)
            last_small = 10**9
        else:
            return None
        i += 1
    if number is not None:
        if zero_seen or last_small in (10**9, 10):
            section += number
        else:
            section += number * (last_small // 10)  # 三千五 = 3500 (elided lower unit)
    return total + section


def parse_han(text: str, *, digit_string: bool = False) -> float | None:
    """``parse_decimal`` as a float (``三千五百万`` → 35000000.0)."""
    v = parse_decimal(text, digit_string=digit_string)
    return None if v is None else float(v)


def parse_int(text: str, *, digit_string: bool = True) -> int | None:
    """``parse_decimal`` as an int, None when not a whole number (``二〇二四`` → 2024)."""
    v = parse_decimal(text, digit_string=digit_string)
    if v is None or v != v.to_integral_value():
        return None
    return int(v)


def render_value(value: Decimal | float) -> str:
    """English figures: ``50000`` → ``50,000``; ``5.64e8`` → ``564 million``; ``3.5`` → ``3.5``."""
    v = Decimal(str(value)) if not isinstance(value, Decimal) else value
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if v >= size:
            q = (v / size).quantize(Decimal("0.001")).normalize()
            return f"{q:f} {word}"
    if v == v.to_integral_value():
        return f"{int(v):,}"
    whole, _, frac = f"{v.normalize():f}".partition(".")
    return f"{int(whole):,}.{frac}" if frac else f"{int(whole):,}"


def render(text: str) -> str | None:
    """A Chinese quantity in English (see the module doc), or None when ``text`` is not one.

    ``多``/``余`` give "more than"; a currency word gives its English name after the
    figure; a measure word (``家``, ``个`` …) is dropped.
    """
    t = fold(text, case=False, variants=False).strip()
    pm = regex.fullmatch(r"百分之(.+)", t)
    if pm:
        v = parse_decimal(pm.group(1))
        return None if v is None else f"{render_value(v)}%"
    m = AMOUNT.fullmatch(t)
    if not m:
        return None
    v = parse_decimal(m.group("num"))
    if v is None:
        return None
    out = render_value(v)
    if m.group("cur"):
        out += " " + CURRENCIES[m.group("cur")]
    if m.group("more"):
        out = "more than " + out
    return out
