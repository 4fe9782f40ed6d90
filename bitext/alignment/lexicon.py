"""Bilingual lexical keys for alignment: CC-CEDICT, glossaries, pinyin names, numbers.

This module owns the mapping of both languages into one shared space of *keys*:

* English words → a light lemma (lower case, possessive/plural/tense stripped, a small
  irregular-verb table); stop-words carry no key;
* Chinese words (jieba) → the lemmas of their CC-CEDICT definitions, plus the lemmas of
  dictionary headwords (single characters too) found inside the word (so a word jieba
  glued together still matches), plus the user's glossary targets;
* names → ``py:`` + toneless pinyin (陈清扬 gives ``py:chen``, ``py:qingyang``,
  ``py:chenqingyang``), matched by capitalised English tokens (Chen Qingyang);
* numbers → ``#`` + value (三十五, 35 and thirty-five all give ``#35``), Latin tokens in
  Chinese text → their lemma;
* learned keys: ``learn_associations`` pairs words of one document pair that keep meeting
  in its aligned sentences (self-training of the aligner).

An English token matches a Chinese sentence when one of its keys is among the keys the
sentence offers; a Chinese word matches an English sentence when one of its keys is among
that sentence's lemmas. The index is built once per process (about two seconds).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

from bitext.zh.cedict import entries
from bitext.zh.numerals import parse_han
from bitext.zh.text import HAN_RUN as _HAN
from bitext.zh.text import fold

log = logging.getLogger(__name__)

_STOP = (
    """a an the and or but if then than so as of at by for with from in into on onto to up
    down out over under about above after before again all any both each few more most other
    some such no nor not only own same too very can will just don should now is am are was
    were be been being have has had having do does did doing would could shall may might must
    i me my myself we our ours you your yours he him his himself she her hers herself it its
    itself they them their theirs what which who whom this that these those there here when
    where why how let s t ll d re ve m o y also yet even ever still upon onto via per one's
    oneself something someone thing sb sth etc e g i e lit fig esp used"""
)
STOP_WORDS = frozenset(_STOP.split())
"""Words that carry no alignment evidence (kept short; content words must survive)."""

IRREGULAR = {
    "went": "go", "gone": "go", "goes": "go", "said": "say", "says": "say", "saw": "see",
    "seen": "see", "took": "take", "taken": "take", "came": "come", "thought": "think",
    "told": "tell", "knew": "know", "known": "know", "got": "get", "gotten": "get",
    "made": "make", "left": "leave", "felt": "feel", "found": "find", "gave": "give",
    "given": "give", "stood": "stand", "sat": "sit", "ran": "run", "began": "begin",
    "begun": "begin", "brought": "bring", "bought": "buy", "caught": "catch", "heard": "hear",
    "held": "hold", "kept": "keep", "lay": "lie", "lain": "lie", "led": "lead", "lost": "lose",
    "met": "meet", "paid": "pay", "put": "put", "read": "read", "rode": "ride", "rose": "rise",
    "sent": "send", "shot": "shoot", "slept": "sleep", "spoke": "speak", "spoken": "speak",
    "spent": "spend", "stole": "steal", "struck": "strike", "taught": "teach", "tore": "tear",
    "threw": "throw", "thrown": "throw", "understood": "understand", "woke": "wake",
    "wore": "wear", "worn": "wear", "won": "win", "wrote": "write", "written": "write",
    "ate": "eat", "eaten": "eat", "drank": "drink", "drunk": "drink", "drove": "drive",
    "driven": "drive", "fell": "fall", "fallen": "fall", "flew": "fly", "forgot": "forget",
    "forgotten": "forget", "grew": "grow", "grown": "grow", "hid": "hide", "hidden": "hide",
    "hit": "hit", "hurt": "hurt", "built": "build", "broke": "break", "broken": "break",
    "chose": "choose", "chosen": "choose", "did": "do", "done": "do", "fought": "fight",
    "sold": "sell", "sang": "sing", "sung": "sing", "sank": "sink", "slid": "slide",
    "sought": "seek", "swam": "swim", "swore": "swear", "became": "become", "men": "man",
    "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth", "mice": "mouse",
    "people": "person", "better": "good", "best": "good", "worse": "bad", "worst": "bad",
    "lying": "lie", "dying": "die", "tied": "tie", "wives": "wife", "lives": "life",
    "knives": "knife", "leaves": "leaf", "thieves": "thief", "shook": "shake",
    "shaken": "shake", "bit": "bite", "bitten": "bite", "blew": "blow", "drew": "draw",
    "drawn": "draw", "froze": "freeze", "frozen": "freeze", "hung": "hang", "laid": "lay",
    "meant": "mean", "rang": "ring", "rung": "ring", "shone": "shine", "stuck": "stick",
    "swept": "sweep", "swung": "swing", "wept": "weep", "wound": "wind", "dealt": "deal",
    "dug": "dig", "fed": "feed", "fled": "flee", "forgave": "forgive", "knelt": "kneel",
    "lit": "light", "overcame": "overcome", "sped": "speed", "spun": "spin", "strode": "stride",
}
"""Irregular English forms → base form (the suffix stripper handles the regular ones)."""

_EN_WORD = regex.compile(r"[\p{L}\p{M}]+(?:['’\-][\p{L}\p{M}]+)*|\d+(?:[.,]\d+)*")
_LATIN_OR_DIGITS = regex.compile(r"[A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A]+|[0-9\uFF10-\uFF19]+(?:[.,][0-9]+)*")
_PARENS = regex.compile(r"\([^)]*\)|\[[^\]]*\]|\b[^\s]*\|[^\s]*")
_SKIP_DEF = regex.compile(
    r"^(?:CL:|surname |variant of |old variant|see |abbr\. |also written |Taiwan pr\.|"
    r"used in |erhua variant|\(old\)|\(archaic\)|\(literary\)|pr\. )",
    regex.IGNORECASE,
)

EN_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000, "first": 1, "second": 2, "third": 3,
    "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "twice": 2, "dozen": 12, "half": 0.5,
}
"""English number words (ordinals count as their cardinal)."""

_ZH_NUM = regex.compile(r"[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+")


def stem(word: str) -> str:
    """Light English lemma: lower case, irregular table, then plural/tense suffixes.

    Args:
        word: one English word.

    Returns:
        The lemma used as a key (both dictionary definitions and texts go through it).
    """
    w = word.lower().replace("’", "'")
    w = w.removesuffix("'s")
    w = w.strip("'")
    if w in IRREGULAR:
        return IRREGULAR[w]
    n = len(w)
    if n <= 3:
        return w
    if w.endswith("ies") and n > 4:
        return w[:-3] + "y"
    if w.endswith("ied") and n > 4:
        return w[:-3] + "y"
    if w.endswith("ing") and n > 5:
        return _undouble(w[:-3])
    if w.endswith("ed") and n > 4:
        return _undouble(w[:-2])
    if w.endswith("ly") and n > 5:
        return w[:-2]
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _undouble(w: str) -> str:
    if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        return w[:-1]
    if w.endswith("e") and len(w) > 3:
        return w[:-1]
    return w


def _norm_key(word: str) -> str:
    """Key of a word after stemming: a final silent ``e`` is dropped (hope/hoped/hoping)."""
    s = stem(word)
    if len(s) > 3 and s.endswith("e"):
        s = s[:-1]
    return s[:6]


def en_word_keys(word: str, capitalised_name: bool = False) -> tuple[str, ...]:
    """Keys of one English token; empty for stop-words.

    Args:
        word: the token as written.
        capitalised_name: True when the token is capitalised inside a sentence (a name
            candidate): a ``py:`` pinyin key is added.
    """
    low = word.lower().replace("’", "'")
    if low[:1].isdigit():
        v = _parse_number(low)
        return (f"#{v:g}",) if v is not None else ()
    if low in EN_NUMBERS:
        return (f"#{EN_NUMBERS[low]:g}",)
    keys: list[str] = []
    if capitalised_name:
        keys.append("py:" + regex.sub(r"[^a-z]", "", low))
    if low in STOP_WORDS or len(low) < 2:
        return tuple(keys)
    if "-" in low:
        parts = [p for p in low.split("-") if p and p not in STOP_WORDS]
        keys.extend(_norm_key(p) for p in parts)
    else:
        keys.append(_norm_key(low))
    return tuple(dict.fromkeys(keys))


def _parse_number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def en_tokens(text: str) -> list[tuple[str, ...]]:
    """Content tokens of an English sentence, each as its tuple of alternative keys."""
    out: list[tuple[str, ...]] = []
    first = True
    for m in _EN_WORD.finditer(text):
        w = m.group()
        cap = (not first) and w[:1].isupper() and len(w) > 1 and not w.isupper()
        first = False
        if "-" in w and w[:1].isupper():
            # Hyphenated names (Xi-feng): also the joined form as a name key.
            cap = True
        keys = en_word_keys(w, capitalised_name=cap)
        if keys:
            out.append(keys)
    return out


_ZH_OPEN, _ZH_CLOSE = "“「『‘\"", "”」』’\""
_EN_OPEN, _EN_CLOSE = "'\"“‘", "'\"”’"


def punctuation_keys(text: str, chinese: bool) -> list[str]:
    """Sentence-shape keys shared across languages: a question (``!?``), an exclamation
    (``!!``), a sentence opening a quotation (``!q<``), closing one (``!q>``) or holding a
    quotation mark inside (``!qi``; English apostrophes are not quotation marks)."""
    t = text.strip()
    if not t:
        return []
    keys = []
    if "?" in t or "？" in t:
        keys.append("!?")
    if "!" in t or "！" in t:
        keys.append("!!")
    opens, closes = (_ZH_OPEN, _ZH_CLOSE) if chinese else (_EN_OPEN, _EN_CLOSE)
    if t[0] in opens:
        keys.append("!q<")
    if t[-1] in closes:
        keys.append("!q>")
    if chinese:
        inside = any(c in t[1:-1] for c in "“”「」『』\"")
    else:
        inside = bool(_EN_QUOTE_INSIDE.search(t[1:-1]))
    if inside:
        keys.append("!qi")
    return keys


_EN_QUOTE_INSIDE = regex.compile(r"[\"“”]|(?:^|\s)['‘]|['’](?=\s|[,.!?;:]|$)")


@dataclass
class ZhUnit:
    """One Chinese word and the keys it offers."""

    text: str
    keys: frozenset[str]


@dataclass
class Lexicon:
    """Chinese headword → English keys, built from CC-CEDICT (and glossaries).

    Attributes:
        entries: headword (simplified and traditional) → frozenset of English keys.
        max_len: longest headword, for the character-level scan.
        extra_terms: the glossary headwords added by ``with_glossary``.
    """

    entries: dict[str, frozenset[str]]
    max_len: int = 4
    extra_terms: tuple[str, ...] = field(default_factory=tuple)
    _word_cache: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def with_glossary(self, pairs: Iterable[tuple[str, str]]) -> Lexicon:
        """A copy with glossary ``(source, target)`` pairs added (their targets' lemmas)."""
        entries = dict(self.entries)
        terms = []
        for src, tgt in pairs:
            keys = frozenset(k for w in _EN_WORD.findall(tgt) for k in en_word_keys(w))
            if not keys:
                continue
            entries[src] = entries.get(src, frozenset()) | keys
            terms.append(src)
        return Lexicon(entries, max(self.max_len, max((len(t) for t in terms), default=0)),
                       tuple(terms))

    def word_keys(self, word: str) -> frozenset[str]:
        """Keys of one Chinese word: its own entry plus headwords found inside it."""
        return _word_keys(self, word)


def _definition_keys(defs: Sequence[str], limit: int) -> frozenset[str]:
    keys: set[str] = set()
    for d in defs[:limit]:
        if _SKIP_DEF.match(d):
            continue
        d = _PARENS.sub(" ", d)
        for w in _EN_WORD.findall(d):
            keys.update(en_word_keys(w))
    return frozenset(k for k in keys if not k.startswith("py:"))


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The CC-CEDICT lexicon (built once per process)."""
    acc: dict[str, set[str]] = {}
    for e in entries():
        # Single characters have long, loose definition lists: keep their first senses.
        limit = 4 if len(e.simplified) == 1 else 12
        keys = _definition_keys(e.definitions, limit)
        if not keys:
            continue
        for head in {e.simplified, e.traditional}:
            acc.setdefault(head, set()).update(keys)
    table = {h: frozenset(k) for h, k in acc.items()}
    log.debug("lexicon: %d headwords", len(table))
    return Lexicon(table, max(len(h) for h in table))


def _word_keys(lex: Lexicon, word: str) -> frozenset[str]:
    cache = lex._word_cache  # per lexicon: glossary copies must not share entries
    hit = cache.get(word)
    if hit is not None:
        return hit
    keys: set[str] = set()
    own = lex.entries.get(word)
    if own:
        keys |= own
    n = len(word)
    if n >= 2:
        # Character-level: every dictionary headword inside the word, single characters
        # included (a translator may render 天亮 "the sky brightened", 双臂 "both arms").
        for i in range(n):
            for L in range(min(lex.max_len, n - i), 0, -1):
                if L == n:
                    continue
                sub = lex.entries.get(word[i : i + L])
                if sub:
                    keys |= sub
    if len(cache) > 500_000:
        cache.clear()
    fz = frozenset(keys)
    cache[word] = fz
    return fz


def pinyin_keys(han: str) -> set[str]:
    """``py:`` keys for the runs of Han characters in ``han`` (substrings of 1–3 chars)."""
    from pypinyin import lazy_pinyin

    out: set[str] = set()
    for run in _HAN.findall(han):
        syl = lazy_pinyin(run)
        n = len(syl)
        for i in range(n):
            acc = ""
            for L in range(1, 4):
                if i + L > n:
                    break
                acc += syl[i + L - 1]
                out.add("py:" + acc)
    return out


def zh_units(
    text: str,
    lex: Lexicon,
    segmenter: object,
    learned: dict[str, frozenset[str]] | None = None,
) -> tuple[list[ZhUnit], set[str]]:
    """Units (content words with keys) of a Chinese sentence, and all keys it offers.

    Args:
        text: the sentence.
        lex: the lexicon.
        segmenter: a ``bitext.segment.words.WordSegmenter``.
        learned: extra keys per Chinese word learned from the document pair itself
            (see ``learn_associations``).

    Returns:
        ``(units, offered)``: units that carry at least one key, and the union of their
        keys with the sentence's pinyin and number keys.
    """
    units: list[ZhUnit] = []
    offered: set[str] = set()
    for w in segmenter.cut(text):  # type: ignore[attr-defined]
        if _HAN.search(w):
            if w in ZH_FUNCTION_WORDS:
                continue
            keys = set(lex.word_keys(w))
            if learned is not None and w in learned:
                keys |= learned[w]
            m = _ZH_NUM.fullmatch(w)
            if m:
                v = parse_han(w, digit_string=True)
                if v is not None:
                    keys.add(f"#{v:g}")
            if keys:
                units.append(ZhUnit(w, frozenset(keys)))
                offered |= keys
        else:
            for m in _LATIN_OR_DIGITS.finditer(w):
                tok = fold(m.group(), case=False, variants=False)
                keys = set(en_word_keys(tok, capitalised_name=tok[:1].isupper()))
                if keys:
                    units.append(ZhUnit(tok, frozenset(keys)))
                    offered |= keys
    # Numbers written inside longer words (三十多岁) and names by pinyin.
    for m in _ZH_NUM.finditer(text):
        v = parse_han(m.group(), digit_string=True)
        if v is not None:
            offered.add(f"#{v:g}")
    offered |= pinyin_keys(text)
    return units, offered


_ZH_FUNCTION = (
    "的 了 着 过 地 得 是 在 和 与 也 都 就 又 还 把 被 让 给 对 从 向 而 并 或 之 其 这 那 "
    "这个 那个 这样 那样 一个 有 没有 不 没 很 吗 呢 吧 啊 呀 么 他 她 它 我 你 们 他们 她们 "
    "我们 你们 自己 说"
)
ZH_FUNCTION_WORDS = frozenset(_ZH_FUNCTION.split())
"""Chinese words too frequent to be evidence (pronouns, particles, copula)."""


def zh_content_words(text: str, segmenter: object) -> list[str]:
    """The Chinese content words of a sentence (jieba words with Han characters, minus
    function words): the units a document-specific association is learned for."""
    return [w for w in segmenter.cut(text)  # type: ignore[attr-defined]
            if _HAN.search(w) and w not in ZH_FUNCTION_WORDS]


def en_content_keys(text: str) -> set[str]:
    """The dictionary-kind keys (lemmas) of an English sentence's content words."""
    return {k for t in en_tokens(text) for k in t if k[:1] not in "#!" and not k.startswith("py:")}


def learn_associations(
    pairs: Iterable[tuple[Sequence[str], set[str]]],
    *,
    min_count: int = 2,
    min_dice: float = 0.3,
) -> dict[str, frozenset[str]]:
    """Word translations learned from aligned sentence pairs of one document (bootstrapping
    as in hunalign's second pass): a Chinese word and an English lemma are associated when
    they co-occur in at least ``min_count`` pairs and their Dice coefficient over the pairs
    (2·both / (zh pairs + en pairs)) reaches ``min_dice``.

    Args:
        pairs: per aligned pair, its Chinese content words and English content lemmas.
        min_count: least number of pairs holding both.
        min_dice: least Dice coefficient.

    Returns:
        Chinese word → English lemmas associated with it.
    """
    cz: dict[str, int] = {}
    ce: dict[str, int] = {}
    co: dict[tuple[str, str], int] = {}
    for zw, ek in pairs:
        zs = set(zw)
        for w in zs:
            cz[w] = cz.get(w, 0) + 1
        for e in ek:
            ce[e] = ce.get(e, 0) + 1
        for w in zs:
            for e in ek:
                co[(w, e)] = co.get((w, e), 0) + 1
    out: dict[str, set[str]] = {}
    for (w, e), c in co.items():
        if c >= min_count and 2.0 * c / (cz[w] + ce[e]) >= min_dice:
            out.setdefault(w, set()).add(e)
    return {w: frozenset(es) for w, es in out.items()}
