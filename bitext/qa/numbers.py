"""Numbers in Chinese sources and English targets, for the QA ``number`` check.

``source_numbers(zh)`` finds the quantities a translation must carry, each with the set
of values an English rendering may show: ``5.64亿`` → 564,000,000 (``564 million``,
``0.564 billion``, ``564,000,000``); ``3万`` → 30,000; ``2.5万亿`` → 2.5 trillion;
``百分之十五`` and ``15％`` → 15 (``15%``, ``15 percent``); ``180多个`` → 180 (``more
than 180``); ``第十四届`` → 14 (``14th``, ``fourteenth``); ``二〇二四年`` → 2024;
``7月31日`` → 7 and 31 (``July 31``). Full-width digits are folded.

``target_numbers(en)`` collects every value an English text expresses: digits with
thousands separators and decimals, scale words and abbreviations (``million``, ``bn``,
``30k``), number words (``twenty-five``, ``a hundred``), ordinals (``3rd``, ``third``),
month names and 12/24-hour times.

The Chinese side errs on the side of silence: single-character numerals that are not
followed by a measure word (四川, 三星, 一些), idioms and vague amounts (几十, 数万, 两三个)
produce no expectation, so a correct translation never raises a false alarm.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from typing import Any

import regex

from bitext.zh.numerals import BIG_UNITS, HAN_DIGITS, NUM_CHARS, SMALL_UNITS, parse_han, parse_int
from bitext.zh.text import fold

_NUM_CHARS = NUM_CHARS

MEASURE_WORDS = frozenset(
    "个项条种名位次年月日号天家件部类批所座台起例份周届轮级层大岁人元美亿万小时分钟秒"
    "公里米吨克斤亩平方字章节款篇张本点倍期场只辆艘架枚颗道队组省市县国"
)
"""Characters after which a single-character numeral (三, 五 …) is read as a quantity."""

EN_DECADES = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
              "seventies": 70, "eighties": 80, "nineties": 90}
"""The nineties = 九十年代."""

# Words containing numeral characters that are not quantities (or whose English rendering
# has no number), masked before extraction; a value means "expect this instead".
SPECIAL_WORDS: dict[str, float | None] = {
    "十四五": 14, "十三五": 13, "十二五": 12, "十一五": 11, "十五五": 15,
    "千万": None, "万一": None, "一一": None, "十分": None, "一些": None, "一切": None,
    "一起": None, "一定": None, "统一": None, "唯一": None, "一样": None, "一般": None,
    "一直": None, "一旦": None, "一体": None, "一致": None, "一系列": None, "一道": None,
    "万物": None, "千方百计": None, "百姓": None, "五花八门": None, "三心二意": None,
    "一带一路": None, "百花齐放": None, "千家万户": None, "万众": None, "亿万": None,
    "成千上万": None, "十全十美": None, "九牛一毛": None, "两岸": None, "两会": None,
    "三农": None, "一线": None, "万象": None, "一流": None, "第一": None, "之一": None,
    "一方面": None, "另一方面": None, "一方": None, "双方": None, "百年": None, "千年": None,
    "万里": None, "一路": None, "一同": None, "一齐": None, "一向": None, "一度": None,
    "一再": None, "一律": None, "一味": None, "一贯": None, "一心": None, "一手": None,
    "一代": None, "一批": None, "一时": None, "一下": None, "一点": None, "一边": None,
    "两者": None, "三者": None, "百分百": 100, "一半": None, "半数": None,
    "星期一": None, "星期二": None, "星期三": None, "星期四": None, "星期五": None,
    "星期六": None, "周一": None, "周二": None, "周三": None, "周四": None, "周五": None,
    "周六": None, "十九大": 19, "二十大": 20, "十八大": 18, "双十一": None, "双十二": None,
}  # fmt: skip

EN_UNITS = {
    "zero": 0, "oh": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "single": 1,
    "double": 2, "twice": 2, "triple": 3, "thrice": 3, "both": 2, "pair": 2, "couple": 2,
    "once": 1, "half": 0.5,
}  # fmt: skip
EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100, "thousandth": 1000, "inaugural": 1, "primary": 1,
}  # fmt: skip
EN_SCALES = {
    "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
    "trillion": 10**12, "k": 1000, "m": 10**6, "mn": 10**6, "mln": 10**6, "b": 10**9,
    "bn": 10**9, "bln": 10**9, "tn": 10**12, "trn": 10**12, "lakh": 10**5, "crore": 10**7,
}  # fmt: skip
EN_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1,
    "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
EN_WEEKDAYS = {"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5,
               "saturday": 6, "sunday": 7}  # fmt: skip
EN_MULTIPLES = {"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "tenfold": 10,
                "hundredfold": 100, "quarter": 4, "quarters": 4, "doubled": 2, "doubling": 2,
                "tripled": 3, "tripling": 3, "quadrupled": 4, "decade": 10, "decades": 10,
                "century": 100, "centuries": 100, "millennium": 1000, "fortnight": 14,
                "biennial": 2, "annual": 1, "weekly": 7, "quarterly": 4}  # fmt: skip


_SI_AFTER = frozenset("克米瓦焦帕赫")


@dataclass(frozen=True)
class Quantity:
    """A number found in a source text.

    Attributes:
        text: the source span (as the user wrote it).
        start: offset of the span in the source.
        values: values an English rendering may show (any one suffices).
        kind: ``number``, ``percent``, ``ordinal``, ``year`` or ``fraction`` (values: the
            ratio, the numerator, the denominator).
    """

    text: str
    start: int
    values: tuple[float, ...]
    kind: str = "number"

    def describe(self) -> str:
        """``5.64亿 (564,000,000)``: the span and, when it differs, the main value."""
        v = self.values[0]
        shown = format_value(v)
        plain = fold(self.text, case=False, variants=False, commas=False).replace(",", "")
        if plain.rstrip("%") == shown.replace(",", ""):
            return self.text
        return f"{self.text} ({shown}{'%' if self.kind == 'percent' else ''})"


def format_value(v: float) -> str:
    """``564000000.0`` → ``564,000,000``; ``3.5`` → ``3.5``."""
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")


@functools.lru_cache(maxsize=1)
def _source_patterns() -> dict[str, Any]:
    han = regex.escape(_NUM_CHARS)
    num = rf"(?:\d+(?:,\d{{3}}(?!\d))*(?:\.\d+)?|[{han}]+(?:点[{han}]+)?)"
    special = "|".join(sorted((regex.escape(w) for w in SPECIAL_WORDS), key=len, reverse=True))
    return {
        "any": regex.compile(rf"[\d{han}]"),
        "special": regex.compile(rf"(?<![{han}\d])(?:{special})(?![{han}\d])"),
        "fraction": regex.compile(rf"([{han}\d]+)分之([{han}\d.]+)"),
        # 几十, 数万, 上万 (not 以上五十万: the 上 of 以上), 十几, 二十来个
        "vague": regex.compile(rf"(?:[几数]|(?<!以)上(?=[十百千万亿]))[{han}]+|[{han}]+几[{han}]*|[{han}]+来[个名项]"),
        "percent_zh": regex.compile(rf"(百|千)分之({num})"),
        # digits (with optional Han units) or Han numerals, then 多/余 and a big unit
        "number": regex.compile(
            rf"(?P<ord>第)?(?P<num>\d+(?:,\d{{3}}(?!\d))*(?:\.\d+)?(?:\s*[{han}]+)?|[{han}]+(?:点[{han}]+)?)"
            rf"(?P<more>[多余])?(?P<unit>[万亿]+)?(?P<pct>\s*%)?"
        ),
        "time": regex.compile(r"(?<![\d.:])(\d{1,2}):(\d{2})(?![\d:])"),
        # 20世纪90年代 = the 1990s (or "the 90s of the 20th century")
        "decade": regex.compile(rf"(\d{{1,2}}|[{han}]+|上)世纪(?:(\d0|[{han}]+)年代)?|(?<![\d{han}])()([{han}]+|\d0)年代"),
    }


_DOTTED_DATE = regex.compile(
    r"(?<![\d.])((?:19|20)\d{2})[./-](0?[1-9]|1[0-2])[./-](0?[1-9]|[12]\d|3[01])(?![\d.]*\d)"
)
"""A numeric date written with dots or dashes (2024.7.31, 2024-07-31)."""
_DOTTED_RUN = regex.compile(r"(?<![\d.])\d+(?:\.\d+){2,}")
"""Three or more dot-separated digit groups (version numbers, section numbers)."""


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def source_numbers(text: str) -> list[Quantity]:
    """The quantities in a Chinese text that a translation must carry (see module doc)."""
    pat = _source_patterns()
    work = fold(text, case=False, variants=False, commas=False)  # ，stays: a list comma
    if not pat["any"].search(work):
        return []
    out: list[Quantity] = []
    # 1. percent / permille spelled out
    for m in pat["percent_zh"].finditer(work):
        v = _value(m.group(2))
        if v is not None:
            if m.group(1) == "百":
                out.append(Quantity(text[m.start() : m.end()], m.start(), (v, v / 100), "percent"))
            else:
                out.append(Quantity(text[m.start() : m.end()], m.start(), (v / 10, v), "percent"))
        work = _mask(work, m.start(), m.end())
    # 2. fractions (三分之二: two thirds, 2/3, 66.7 %); vague amounts produce no expectation
    for m in pat["fraction"].finditer(work):
        d, n = _value(m.group(1)), _value(m.group(2))
        if d and n is not None and d != 100:
            out.append(Quantity(text[m.start() : m.end()], m.start(), (n / d, n, d), "fraction"))
        work = _mask(work, m.start(), m.end())
    for m in pat["vague"].finditer(work):
        work = _mask(work, m.start(), m.end())
    # 3. special words: masked, some carry a value
    for m in pat["special"].finditer(work):
        v = SPECIAL_WORDS[m.group()]
        if v is not None:
            out.append(Quantity(text[m.start() : m.end()], m.start(), (float(v),), "ordinal"))
        work = _mask(work, m.start(), m.end())
    # 4. centuries and decades: 20世纪 → 20 (20th); 20世纪90年代 → 1990 (1990s) or 90
    for m in pat["decade"].finditer(work):
        if m.group(3) is not None:  # 九十年代 alone: the 1990s (or the 90s)
            d = _value(m.group(4))
            if d is not None and not d % 10 and 10 <= d < 100:
                out.append(Quantity(text[m.start() : m.end()], m.start(), (1900 + d, d)))
            work = _mask(work, m.start(), m.end())
            continue
        if m.group(1) == "上":  # 上世纪 (the last century): 20th
            c: float | None = 20.0
        else:
            c = _value(m.group(1))
        d = _value(m.group(2)) if m.group(2) else None
        if c is None or not 1 <= c <= 30 or (m.group(2) and (d is None or d % 10 or d >= 100)):
            continue
        if d is not None:  # one quantity: "the 1990s" or "the 90s (of the 20th century)"
            out.append(Quantity(text[m.start() : m.end()], m.start(), ((c - 1) * 100 + d, d)))
        else:
            out.append(Quantity(text[m.start(1) : m.end(1)], m.start(), (c,), "ordinal"))
        work = _mask(work, m.start(), m.end())
    # 5. times 15:30 → 15 or 3 (p.m.)
    for m in pat["time"].finditer(work):
        h, mi = int(m.group(1)), int(m.group(2))
        vals = (float(h), float(h - 12)) if h > 12 else (float(h),)
        out.append(Quantity(text[m.start(1) : m.end(1)], m.start(), vals))
        if mi:
            out.append(Quantity(text[m.start(2) : m.end(2)], m.start(2), (float(mi),)))
        work = _mask(work, m.start(), m.end())
    # 6. dotted dates 2024.7.31: year, month and day (not the decimal 2024.7 and 31)
    for m in _DOTTED_DATE.finditer(work):
        for k in (1, 2, 3):
            kind = "year" if k == 1 else "number"
            out.append(Quantity(text[m.start(k) : m.end(k)], m.start(k), (float(m.group(k)),), kind))
        work = _mask(work, m.start(), m.end())
    # 7. numbers
    for m in pat["number"].finditer(work):
        q = _quantity(text, work, m)
        if q is not None:
            out.append(q)
    out.sort(key=lambda q: q.start)
    return out


def _value(s: str) -> float | None:
    return parse_han(s.replace(",", "").strip())


def _quantity(text: str, work: str, m: Any) -> Quantity | None:
    num = m.group("num").replace(" ", "")
    unit = m.group("unit") or ""
    is_digits = num[:1].isdigit()
    if is_digits:
        dm = regex.match(r"\d+(?:,\d{3}(?!\d))*(?:\.\d+)?", num)
        assert dm is not None
        head, rest = dm.group(), num[dm.end() :]
        # only unit characters may follow digits (3千, 5.64亿); else the Han is separate
        if rest and not all(ch in SMALL_UNITS or ch in BIG_UNITS for ch in rest):
            rest = ""
        if rest and rest[-1] in "千百" and work[m.end() : m.end() + 1] in _SI_AFTER:
            rest = ""  # 5千克 = 5 kg, 3千米 = 3 km: 千 is the SI prefix here
        base = float(head.replace(",", ""))
        if rest:
            mult = parse_han("1" + rest)
            if mult is None:
                return None
            base *= mult
    else:
        if (
            len(num) >= 3
            and all(ch in HAN_DIGITS for ch in num)
            and work[m.end() : m.end() + 1] == "年"
        ):
            num = str(parse_int(num))  # 二〇二四年
        v = _value(num)
        if v is None:
            return None
        base = v
        if len(num) == 1 and not m.group("ord") and not m.group("pct") and not unit:
            nxt = work[m.end() : m.end() + 1]
            if num in "一两二" or nxt not in MEASURE_WORDS:
                return None  # 一些, 四川, 三星: not a quantity
    if unit:
        u = parse_han("1" + unit)
        if u is None:
            return None
        base *= u
    start, end = m.start(), m.end()
    span = text[start:end].strip()
    if m.group("pct"):
        return Quantity(span, start, (base, base / 100), "percent")  # 50% may read "half"
    if m.group("ord"):
        if base == 1:
            return None
        return Quantity(span, start, (base,), "ordinal")
    nxt = work[end : end + 1]
    if nxt == "年" and 1000 <= base <= 2999 and base.is_integer():
        return Quantity(span, start, (base,), "year")
    return Quantity(span, start, (base,), "number")


@functools.lru_cache(maxsize=1)
def _target_patterns() -> dict[str, Any]:
    words = sorted(
        list(EN_UNITS) + list(EN_SCALES) + list(EN_ORDINALS) + ["hundred", "a", "an", "and"],
        key=len,
        reverse=True,
    )
    word_alt = "|".join(regex.escape(w) for w in words if len(w) > 2 or w in ("a", "an", "oh"))
    return {
        "digits": regex.compile(
            r"(?<![\d.])(\d{1,3}(?:[,\u202f\u00a0]\d{3})+(?!\d)|\d+)(\.\d+)?"
            r"(?:\s*(?:-\s*)?(hundred|thousand|million|billion|trillion|lakh|crore|k|mn|mln|m|bn|bln|b|tn|trn)\b)?",
            regex.IGNORECASE,
        ),
        "words": regex.compile(
            rf"\b(?:(?:{word_alt})(?:[\s-]+|$|\b))+", regex.IGNORECASE
        ),
        "token": regex.compile(r"[a-z]+", regex.IGNORECASE),
        "ordinal_digits": regex.compile(r"(\d+)(?:st|nd|rd|th)\b", regex.IGNORECASE),
        # Chapter IV, Phase III; lower case only in list markers: (ii)
        "roman": regex.compile(r"\b([IVXLCDM]+)\b|\(([ivxlcdm]+)\)"),
        "half": regex.compile(r"\bhalf\s+(?:a|an)\s+(hundred|thousand|million|billion|trillion)\b",
                              regex.IGNORECASE),
    }


def target_numbers(text: str) -> set[float]:
    """Every value an English text expresses (see module doc); over-generous on purpose."""
    pat = _target_patterns()
    work = fold(text, case=False, variants=False, commas=False)  # ，stays: a list comma
    vals: set[float] = set()
    for m in _DOTTED_DATE.finditer(work):  # 2024.7.31 / 2024-07-31: year, month, day
        vals.update(float(m.group(k)) for k in (1, 2, 3))
    for m in _DOTTED_RUN.finditer(work):  # version 1.2.3: every part, and adjacent pairs (1.2, 3)
        parts = m.group().split(".")
        vals.update(float(x) for x in parts)
        vals.update(float(f"{a}.{b}") for a, b in itertools.pairwise(parts))
    for m in pat["digits"].finditer(work):
        whole = regex.sub(r"[,\u202f\u00a0]", "", m.group(1))
        v = float(whole + (m.group(2) or ""))
        vals.add(v)
        if m.group(3):
            vals.add(v * EN_SCALES[m.group(3).lower()])
        if len(whole) > 1 and whole.startswith("0") and not m.group(2):
            vals.add(float(int(whole)))
    for m in pat["words"].finditer(work):
        tokens = pat["token"].findall(m.group())
        if (tokens and tokens[0].lower() in EN_SCALES
                and regex.search(r"\d[\d,.]*\s*-?\s*$", work[: m.start()])):
            continue  # the "million" of "10 million": counted with its digits above, not alone
        for v in _word_values(tokens):
            vals.add(v)
    for m in pat["half"].finditer(work):  # half a million = 500,000
        vals.add(EN_SCALES[m.group(1).lower()] / 2)
    for m in pat["roman"].finditer(work):
        rv = roman_value(m.group(1) or m.group(2))
        if rv:
            vals.add(float(rv))
    for tok in pat["token"].findall(work):
        low = tok.lower()
        for table in (EN_MONTHS, EN_WEEKDAYS, EN_MULTIPLES, EN_ORDINALS, EN_DECADES):
            if low in table:
                vals.add(float(table[low]))
    # "a hundred" / "millions" etc. handled in words; scale words after digits handled above
    return vals


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_value(text: str) -> int | None:
    """``IV`` → 4, ``xii`` → 12; None when not a well-formed Roman numeral."""
    t = text.lower()
    if not t or any(ch not in _ROMAN for ch in t):
        return None
    total = 0
    for i, ch in enumerate(t):
        v = _ROMAN[ch]
        if i + 1 < len(t) and _ROMAN[t[i + 1]] > v:
            total -= v
        else:
            total += v
    return total if total > 0 else None


def _word_values(tokens: list[str]) -> list[float]:
    """Values of a run of English number words: ``twenty five million`` → 25000000."""
    out: list[float] = []
    total = 0.0
    current = 0.0
    have = False
    for raw in tokens:
        t = raw.lower()
        if t in ("a", "an"):
            if have:
                out.append(total + current)
                total, have = 0.0, False
            current = 1.0  # "a hundred", "a million"
            continue
        if t == "and":
            continue
        if t in EN_UNITS:
            current += EN_UNITS[t]
            have = True
            out.append(EN_UNITS[t])
        elif t in EN_ORDINALS:
            current += EN_ORDINALS[t]
            have = True
        elif t in EN_SCALES and len(t) > 2:
            scale = EN_SCALES[t]
            if current == 0:
                current = 1.0
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0.0
            have = True
        else:
            if have:
                out.append(total + current)
            total, current, have = 0.0, 0.0, False
    if have:
        out.append(total + current)
    return out


def same_value(a: float, b: float) -> bool:
    """Equal up to float noise (``5.64e8`` vs ``564e6``)."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def missing_numbers(source: str, target: str) -> list[Quantity]:
    """Source quantities none of whose values the target expresses."""
    qs = source_numbers(source)
    if not qs:
        return []
    have = target_numbers(target)
    missing = []
    for q in qs:
        if q.kind == "fraction":
            if not _has_fraction(q, have, target):
                missing.append(q)
        elif not any(same_value(v, h) for v in q.values for h in have):
            missing.append(q)
    return missing


def _has_fraction(q: Quantity, have: set[float], target: str) -> bool:
    """A fraction is there as a value (0.67, 66.7 %, rounded), as its two numbers (two
    thirds, 2/3), or as the word for it (half, a quarter)."""
    ratio, n, d = q.values
    if any(math.isclose(ratio, h, rel_tol=0.01) or math.isclose(ratio * 100, h, rel_tol=0.01) for h in have):
        return True
    dens = {float(EN_ORDINALS[t[:-1]]) for t in regex.findall(r"[a-z]+s\b", target.lower())
            if t[:-1] in EN_ORDINALS}  # two thirds, five twelfths
    has_n = n == 1 or any(same_value(n, h) for h in have)  # a third, one third
    if has_n and any(same_value(d, h) for h in have | dens):
        return True
    words = {(1, 2): ("half",), (1, 4): ("quarter",), (3, 4): ("three quarters", "three-quarters")}
    low = target.lower()
    return any(w in low for w in words.get((int(n), int(d)), ()))
