"""Bead scorers: the signals the aligner combines, and their combination.

This module owns how a candidate bead (a run of Chinese sentences against a run of
English sentences) is scored. Every signal is computed on the *concatenation* of the
bead's sentences, from per-sentence features prepared once:

* **length** (Gale–Church style): the log ratio of English to Chinese characters, against
  the document's own ratio, under a Gaussian — a log-probability;
* **lexicon**: the share of content words on both sides that have a translation on the
  other side (CC-CEDICT, glossaries, pinyin names, numbers, Latin tokens) — a Dice score;
* **MT** (when a machine translation of the Chinese is given): the same Dice score between
  the MT output and the English over the lemmas of all their words;
* **bead shape**: both Dice scores also count the sentence-shape keys of the bead read as
  one text (``bead_shape``: “…”他说。 matches "…," he said.), beside each sentence's own.

Pairwise match bitmasks are computed once per (Chinese sentence, English sentence) pair
inside the search band and OR-ed for multi-sentence beads, so a bead's score costs a few
integer operations per sentence pair. A bead scores ``(sentences / 2) ** 0.25 × (content +
0.12 × length log-probability) − 0.05 × (extra sentences)``, where content is the lexicon
Dice (averaged with the MT Dice when there is MT); an unaligned sentence scores −0.3. The
constants were set on MAC-Dev by small grids and sit on flat optima (±0.005 F1); see
``benchmarks/align_macdev.py``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from bitext.alignment.lexicon import Lexicon, en_tokens, punctuation_keys, stem, zh_units

log = logging.getLogger(__name__)

_SPACE = regex.compile(r"\s+")


@dataclass(frozen=True)
class Weights:
    """Weights of the signals in a bead's similarity (the defaults are the calibrated ones).

    Attributes:
        lexicon: weight of the dictionary Dice score.
        mt: weight of the MT Dice score (used only with MT).
        length: weight of the length log-probability.
        length_sigma: standard deviation of the log length ratio of true beads.
        skip: score of a 1–0 or 0–1 bead (a sentence left unaligned).
        merge: penalty per sentence beyond the first on each side of a bead.
        threshold: similarity a bead must exceed to be worth more than nothing; a bead
            scores (sentence count / 2) ** size_power × (similarity − threshold).
        idf_power: words weigh ``log(1 + N / df) ** idf_power`` in the Dice scores (0: all
            alike), so that rare words count more than frequent ones.
        size_power: 0 scores every bead alike whatever its size; 1 weighs a bead by its
            sentence count.
    """

    lexicon: float = 1.0
    mt: float = 1.0
    length: float = 0.12
    length_sigma: float = 0.5
    skip: float = -0.3
    merge: float = 0.05
    threshold: float = 0.0
    size_power: float = 0.25
    idf_power: float = 0.0


@dataclass
class SideFeatures:
    """Per-sentence features of one side.

    Attributes:
        lengths: characters (no whitespace) per sentence.
        tokens: per sentence, the key tuples of its content tokens (English side) or
            the key sets of its content words (Chinese side).
        offered: per sentence, every key it offers (the union, plus pinyin/number keys).
        mt_tokens: Chinese side with MT: per sentence, key tuples of the MT's tokens.
        mt_lemmas: Chinese side with MT: per sentence, all MT keys.
        shapes: per sentence, its sentence-shape keys (``punctuation_keys``), from which
            ``bead_shape`` reads the shape of a run of sentences.
        mt_shapes: Chinese side with MT: the shape keys of each MT line.
    """

    lengths: list[int]
    tokens: list[list] = field(default_factory=list)
    offered: list[set[str]] = field(default_factory=list)
    mt_tokens: list[list[tuple[str, ...]]] | None = None
    mt_offered: list[set[str]] | None = None
    shapes: list[frozenset[str]] | None = None
    mt_shapes: list[frozenset[str]] | None = None


def _clen(text: str) -> int:
    return len(_SPACE.sub("", text))


KEY_KINDS = ("dictionary", "names", "numbers", "punctuation")
"""Kinds of lexical keys: dictionary lemmas, ``py:`` pinyin names, ``#`` numbers."""


def key_kind(key: str) -> str:
    """``names`` for ``py:`` keys, ``numbers`` for ``#`` keys, else ``dictionary``."""
    if key.startswith("py:"):
        return "names"
    if key.startswith("#"):
        return "numbers"
    if key.startswith("!"):
        return "punctuation"
    return "dictionary"


def _keep(tokens: list, kinds: frozenset[str]) -> list:
    if len(kinds) == len(KEY_KINDS):
        return tokens
    out = []
    for t in tokens:
        kept = type(t)(k for k in t if key_kind(k) in kinds)
        if kept:
            out.append(kept)
    return out


_WORD = regex.compile(r"\w+")


def mt_view(text: str) -> list[tuple[str, ...]]:
    """Tokens compared between a machine translation and the real English: the lemma of
    every word, function words included (they carry evidence when both sides are English),
    and the sentence-shape keys."""
    words: list[tuple[str, ...]] = [(stem(w),) for w in _WORD.findall(text.lower())]
    return words + [(k,) for k in punctuation_keys(text, False)]


def english_features(
    sents: Sequence[str], kinds: Sequence[str] = KEY_KINDS, with_mt_view: bool = False
) -> SideFeatures:
    """Features of the English sentences (``kinds``: the key kinds to use).

    ``with_mt_view`` also prepares the tokens compared with a machine translation.
    """
    ks = frozenset(kinds)
    toks = [_keep(en_tokens(s) + [(k,) for k in punctuation_keys(s, False)], ks) for s in sents]
    offered = [{k for t in ts for k in t} for ts in toks]
    f = SideFeatures([_clen(s) for s in sents], toks, offered)
    if "punctuation" in ks:
        f.shapes = [frozenset(punctuation_keys(s, False)) for s in sents]
    if with_mt_view:
        f.mt_tokens = [mt_view(s) for s in sents]
        f.mt_offered = [{k for t in ts for k in t} for ts in f.mt_tokens]
    return f


def chinese_features(
    sents: Sequence[str],
    lex: Lexicon,
    segmenter: object,
    mt: Sequence[str] | None = None,
    kinds: Sequence[str] = KEY_KINDS,
    learned: dict[str, frozenset[str]] | None = None,
) -> SideFeatures:
    """Features of the Chinese sentences (and of their machine translation, when given).

    ``learned``: extra English keys per Chinese word, learned from the document pair itself
    (``bitext.alignment.lexicon.learn_associations``).
    """
    ks = frozenset(kinds)
    units, offered = [], []
    for s in sents:
        u, o = zh_units(s, lex, segmenter, learned)
        pk = punctuation_keys(s, True)
        units.append(_keep([x.keys for x in u] + [frozenset([k]) for k in pk], ks))
        offered.append({k for k in o.union(pk) if key_kind(k) in ks})
    f = SideFeatures([_clen(s) for s in sents], units, offered)
    if "punctuation" in ks:
        f.shapes = [frozenset(pk) for pk in (punctuation_keys(s, True) for s in sents)]
    if mt is not None:
        f.mt_tokens = [mt_view(s) for s in mt]
        f.mt_offered = [{k for t in ts for k in t} for ts in f.mt_tokens]
        f.mt_shapes = [frozenset(punctuation_keys(s, False)) for s in mt]
    return f


def bead_shape(shapes: Sequence[frozenset[str]]) -> frozenset[str]:
    """Shape keys of a run of sentences read as one text: it asks or exclaims when a part
    does, opens a quotation when its first part does, closes one when its last part does,
    and holds a quotation mark inside when a part does or an inner part opens or closes
    one (“…”他说。 reads like "…," he said.).

    Example:
        >>> sorted(bead_shape([frozenset({"!q<", "!q>"}), frozenset()]))
        ['!q<', '!qi']
    """
    if len(shapes) == 1:
        return shapes[0]
    out = set()
    last = len(shapes) - 1
    for k, sh in enumerate(shapes):
        for key in sh:
            if key == "!q<":
                out.add(key if k == 0 else "!qi")
            elif key == "!q>":
                out.add(key if k == last else "!qi")
            else:
                out.add(key)
    return frozenset(out)


def _idf_weights(tokens: Sequence[Sequence], power: float) -> list[list[float]]:
    """Per token, ``idf ** power`` where idf = log(1 + N / df) over the side's sentences."""
    if power == 0:
        return [[1.0] * len(ts) for ts in tokens]
    df: dict = {}
    for ts in tokens:
        for t in set(ts):
            df[t] = df.get(t, 0) + 1
    n = len(tokens)
    return [[math.log(1.0 + n / df[t]) ** power for t in ts] for ts in tokens]


def _combine(m1: float, n1: float, m2: float, n2: float) -> float:
    """Dice-style similarity from matched / total token weights on both sides."""
    return (m1 + m2) / (n1 + n2) if n1 + n2 else 0.0


def _mask(tokens: Sequence, offered: set[str]) -> int:
    """Bits of ``tokens`` (each a collection of keys) having a key in ``offered``."""
    m = 0
    bit = 1
    for keys in tokens:
        for k in keys:
            if k in offered:
                m |= bit
                break
        bit <<= 1
    return m


class BeadScorer:
    """Scores beads ``zh[i0:i1]`` ↔ ``en[j0:j1]`` from prepared features.

    Pair masks are cached per Chinese row; ``forget_rows_before`` drops old rows so memory
    stays bounded on long texts.

    Args:
        zh: Chinese features.
        en: English features.
        weights: signal weights.
        use_lexicon: include the dictionary signal.
        use_length: include the length signal.
        use_mt: include the MT signal (needs ``zh.mt_tokens``).
    """

    def __init__(
        self,
        zh: SideFeatures,
        en: SideFeatures,
        weights: Weights = Weights(),
        *,
        use_lexicon: bool = True,
        use_length: bool = True,
        use_mt: bool = True,
    ):
        self.zh, self.en, self.w = zh, en, weights
        self.use_lexicon = use_lexicon
        self.use_length = use_length
        self.use_mt = use_mt and zh.mt_tokens is not None
        tz, te = sum(zh.lengths), sum(en.lengths)
        self.ratio = (te + 1.0) / (tz + 1.0)
        p = weights.idf_power
        self.wt_zh = _idf_weights(zh.tokens, p)
        self.wt_en = _idf_weights(en.tokens, p)
        self.wt_mt = _idf_weights(zh.mt_tokens, p) if zh.mt_tokens is not None else []
        self.wt_en_mt = _idf_weights(en.mt_tokens, p) if en.mt_tokens is not None else []
        self.n_en_mt_tok = [sum(w) for w in self.wt_en_mt]
        self.n_zh_tok = [sum(w) for w in self.wt_zh]
        self.n_en_tok = [sum(w) for w in self.wt_en]
        self.n_mt_tok = [sum(w) for w in self.wt_mt]
        self._wsum_cache: dict[tuple[int, int, int], float] = {}
        self._rows: dict[int, dict[int, tuple[int, int, int, int]]] = {}
        self.pairs_scored = 0
        self._shape_cache: dict[tuple[int, int, int], frozenset[str]] = {}

    def _wsum(self, side: int, k: int, mask: int) -> float:
        """Weighted count of the set bits of ``mask`` over sentence ``k``'s tokens."""
        if not mask:
            return 0.0
        key = (side, k, mask)
        v = self._wsum_cache.get(key)
        if v is None:
            ws = (self.wt_zh, self.wt_en, self.wt_mt, self.wt_en_mt)[side][k]
            v = 0.0
            b = 0
            while mask:
                if mask & 1:
                    v += ws[b]
                mask >>= 1
                b += 1
            if len(self._wsum_cache) > 200_000:
                self._wsum_cache.clear()
            self._wsum_cache[key] = v
        return v

    def _shape(self, shapes: Sequence[frozenset[str]], side: int, k0: int, k1: int) -> frozenset[str]:
        key = (side, k0, k1)
        v = self._shape_cache.get(key)
        if v is None:
            if len(self._shape_cache) > 100_000:
                self._shape_cache.clear()
            v = self._shape_cache[key] = bead_shape(shapes[k0:k1])
        return v

    def forget_rows_before(self, i: int) -> None:
        """Drop cached pair masks of Chinese rows below ``i``."""
        for k in [k for k in self._rows if k < i]:
            del self._rows[k]

    def pair(self, i: int, j: int) -> tuple[int, int, int, int]:
        """Masks ``(en bits matched by zh i, zh bits matched by en j, MT pair…)``."""
        row = self._rows.get(i)
        if row is None:
            row = self._rows[i] = {}
        p = row.get(j)
        if p is None:
            zh, en = self.zh, self.en
            a = _mask(en.tokens[j], zh.offered[i]) if self.use_lexicon else 0
            b = _mask(zh.tokens[i], en.offered[j]) if self.use_lexicon else 0
            c = d = 0
            if self.use_mt:
                assert zh.mt_tokens is not None and zh.mt_offered is not None
                assert en.mt_tokens is not None and en.mt_offered is not None
                c = _mask(en.mt_tokens[j], zh.mt_offered[i])
                d = _mask(zh.mt_tokens[i], en.mt_offered[j])
            p = (a, b, c, d)
            row[j] = p
            self.pairs_scored += 1
        return p

    def signals(self, i0: int, i1: int, j0: int, j1: int) -> dict[str, float]:
        """The raw signals of a bead (for diagnostics and the ablation)."""
        lex_e = lex_z = mt_e = mt_z = 0.0
        if i1 > i0 and j1 > j0:
            for j in range(j0, j1):
                a = c = 0
                for i in range(i0, i1):
                    p = self.pair(i, j)
                    a |= p[0]
                    c |= p[2]
                lex_e += self._wsum(1, j, a)
                mt_e += self._wsum(3, j, c)
            for i in range(i0, i1):
                b = d = 0
                for j in range(j0, j1):
                    p = self.pair(i, j)
                    b |= p[1]
                    d |= p[3]
                lex_z += self._wsum(0, i, b)
                mt_z += self._wsum(2, i, d)
        nz, ne = sum(self.n_zh_tok[i0:i1]), sum(self.n_en_tok[j0:j1])
        nmz = sum(self.n_mt_tok[i0:i1]) if self.use_mt else 0.0
        nme = sum(self.n_en_mt_tok[j0:j1]) if self.use_mt else 0.0
        if self.zh.shapes is not None and self.en.shapes is not None and i1 > i0 and j1 > j0:
            # The bead's shape as a whole, on top of its sentences' own shape keys.
            se = self._shape(self.en.shapes, 1, j0, j1)
            if self.use_lexicon:
                sz = self._shape(self.zh.shapes, 0, i0, i1)
                both = len(se & sz)
                lex_e, lex_z, ne, nz = lex_e + both, lex_z + both, ne + len(se), nz + len(sz)
            if self.use_mt and self.zh.mt_shapes is not None:
                sm = self._shape(self.zh.mt_shapes, 2, i0, i1)
                both = len(se & sm)
                mt_e, mt_z, nme, nmz = mt_e + both, mt_z + both, nme + len(se), nmz + len(sm)
        lex = _combine(lex_e, ne, lex_z, nz)
        mt = 0.0
        if self.use_mt:
            mt = _combine(mt_e, nme, mt_z, nmz)
        lz = sum(self.zh.lengths[i0:i1])
        le = sum(self.en.lengths[j0:j1])
        r = math.log((le + 8.0) / (self.ratio * lz + 8.0))
        return {"lex": lex, "mt": mt, "len": -0.5 * (r / self.w.length_sigma) ** 2}

    def score(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Score of the bead ``zh[i0:i1]`` ↔ ``en[j0:j1]`` (higher is better)."""
        a, b = i1 - i0, j1 - j0
        w = self.w
        if a == 0 or b == 0:
            return w.skip
        s = self.signals(i0, i1, j0, j1)
        total = 0.0
        if self.use_lexicon and self.use_mt:
            total += (w.lexicon * s["lex"] + w.mt * s["mt"]) / (w.lexicon + w.mt)
        elif self.use_lexicon:
            total += s["lex"]
        elif self.use_mt:
            total += s["mt"]
        if self.use_length:
            total += w.length * max(s["len"], -8.0)
        return ((a + b) / 2.0) ** w.size_power * (total - w.threshold) - w.merge * (a + b - 2)

    def confidence(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """A 0–1 confidence of a chosen bead (for outputs and the not-a-translation check)."""
        if i1 == i0 or j1 == j0:
            return 0.0
        s = self.signals(i0, i1, j0, j1)
        parts = []
        if self.use_lexicon:
            parts.append(min(1.0, s["lex"] / 0.5))
        if self.use_mt:
            parts.append(min(1.0, s["mt"] / 0.5))
        lenp = math.exp(s["len"]) if self.use_length else 1.0
        if not parts:
            return lenp
        return (sum(parts) / len(parts)) * (0.5 + 0.5 * lenp)
