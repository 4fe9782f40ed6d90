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
from typing import Any

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
        mm_units: score a many-to-many bead (at least two sentences on both sides) as
            ``min(a, b) ** mm_units`` beads of the merged text's similarity, so that it
            competes with the chain of 1–x beads it could be cut into (1: on their average
            similarity; 0: as one bead against two, so that it almost never wins).
        mm_penalty: extra cost per unit beyond the first of a many-to-many bead (the
            chance word matches that cross the cut of two separate beads).
        skip_calibrated: the cost of leaving a sentence unaligned is the sentence's own,
            from the document's evidence: ``−(skip_base + skip_gain × z)``, where z is the
            share of the sentence's words that its best-matching sentence of the other
            side (inside the search band) explains, relative to the document's median
            share (capped at 1.5; sentences with few words lean to z = 1). A sentence
            nothing in reach translates is cheap to leave out; one with a clear
            counterpart is not. Off: every unaligned sentence costs ``skip``.
        chance: how much of the chance word matches a bigger bead gets is taken off its
            dictionary Dice: a word facing k sentences of the other side finds a match by
            chance with probability ``1 − (1 − ρ) ** k`` (ρ: the document's own rate of
            matches between sentences that are not translations, measured at the band's
            edge), and the Dice loses ``chance ×`` the excess of that over a 1–1 bead's.
        absorb: penalty for a sentence that a bead of three or more sentences holds without
            explaining it: ``absorb × r × max(0, 1 − cover / (absorb_kappa × chance))``, where
            cover is the share of the sentence's words the bead's other side matches,
            chance the share a sentence that is not its translation would match (from the
            document's own chance-match rate) and r = words / (words + 3) its reliability.
            This is what lets an untranslated sentence come out unaligned instead of being
            glued to a neighbour's bead.
        absorb_kappa: how many times the chance share a sentence must reach to count as
            explained.
        skip_base: the skip cost of a sentence without any evidence.
        skip_gain: how much the skip cost grows with the sentence's relative evidence.
        orphan_kappa, orphan_min_words: the orphan post-pass (``BeadScorer.orphans``)
            splits an edge sentence of at least ``orphan_min_words`` weighted words out of
            a multi-sentence bead when the bead's other side matches less than
            ``orphan_kappa`` × the chance share of its words.
        orphan_len_kappa, orphan_len_gain, orphan_len_min_words: it also splits one
            (of at least ``orphan_len_min_words`` words) matched less than
            ``orphan_len_kappa`` × chance when the rest of the bead fits the document's
            length ratio better by ``orphan_len_gain`` in length log-probability (an
            absorbed sentence makes its side too long). 0: off.
        rehome_kappa, rehome_margin: after the orphan pass, a 1–1 bead whose two sentences
            both match each other below ``rehome_kappa`` × chance (an orphan paired with a
            sentence whose partner went to a neighbouring bead) is undone when a local
            repair costs at most ``rehome_margin`` of the path's score
            (``BeadScorer.rehome``). Negative: off.
        embedding: with sentence vectors (``bitext.alignment.embed``), the share of the
            word evidence that the vectors' cosine replaces: the cosine is put on the
            dictionary's own scale (the document's chance cosine → its chance-match rate,
            its typical best-partner cosine → its median cover) and averaged in wherever a
            sentence's evidence is judged: its cover in a bead (orphan split, 1-1 repair,
            confidence) and its skip cost. 0: vectors unused. (The bead similarity the
            search maximises has its own share, ``embedding_bead``.)
        orphan_model, orphan_threshold: with vectors, the orphan pass also splits an edge
            sentence whose orphan score exceeds ``orphan_threshold`` (inf: off). The score
            is a logistic model, ``b0 + b1·cover/median + b2·vector gain + b3·log(1 +
            words) + b4·length gain + b5·share``, fitted on MAC-Dev omission probes:
            cover is the dictionary share of the sentence's words the bead's other side
            explains, relative to the side's median; vector gain how much the bead's
            cosine level rises with the sentence in it; length gain how much the bead's
            length log-probability rises without it; share the sentence's part of its
            side's characters (``benchmarks/align_omissions.py``).
        doubt_threshold: with vectors, an edge sentence of a multi-sentence bead whose
            orphan score exceeds this (but not ``orphan_threshold``) stays in its bead and is
            listed as *doubtful*: it may be untranslated, a reviewer should look
            (``BeadScorer.doubtful``). inf: none listed.
        doubt_clause_threshold: the same with the clause orphan score (``clause_model``):
            above this but not ``clause_threshold``, listed as doubtful. On the MAC-Dev
            omission probe, the two bars (2.0, −2.0) list about three English sentences per
            chapter. inf: none listed this way.
        clause_model, clause_threshold: with vectors, the orphan pass also splits an edge
            sentence whose clause orphan score exceeds ``clause_threshold`` (inf: off):
            ``b0 + b1·contrast + b2·orphan score + b3·log(1 + words)``, one model per side
            (Chinese first), where contrast (``BeadScorer.clause_contrast``) asks whether
            the other side has a clause-level part nearer the sentence than the rest of
            its bead, and the orphan score is ``orphan_model``'s. Fitted on MAC-Dev
            omission probes by ``benchmarks/align_clause_fit.py`` (Chinese sentences
            deleted for the English model, English ones for the Chinese model, whose
            intercept is lowered by 1: its leave-one-text-out fits varied most).
        rehome_swap: the 1–1 repair may also take the neighbouring bead's single English
            sentence for the orphan, that bead's Chinese joining the repaired one; and where
            the neighbour is an unaligned English sentence that the vectors find nearer the
            bead's Chinese, the two English sentences change places (the orphan split took
            the translation out and left the orphan paired).
        embedding_bead: the same share in the bead similarity the search maximises (0:
            the summed vectors of a multi-sentence bead flatter merges, so the search
            compares beads by their words; measured in ``benchmarks/align_loo.py``).
        embedding_shift: with vectors, after the search, the edge sentence of one of two
            neighbouring beads moves to the other when ``embedding_shift`` × (its cosine
            level with the other bead − with its own) outweighs what the move costs the
            search's score (``BeadScorer.shift``): the vectors settle near-ties at bead
            boundaries. 0: off.
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
    mm_units: float = 0.0
    mm_penalty: float = 0.0
    skip_calibrated: bool = True
    skip_base: float = 0.1
    skip_gain: float = 0.3
    chance: float = 0.0
    absorb: float = 0.0
    absorb_kappa: float = 2.5
    orphan_kappa: float = 1.0
    orphan_min_words: float = 6.0
    orphan_len_kappa: float = 2.5
    orphan_len_gain: float = 0.5
    orphan_len_min_words: float = 4.0
    rehome_kappa: float = 3.0
    rehome_margin: float = 0.2
    rehome_swap: bool = True
    embedding: float = 0.5
    embedding_bead: float = 0.0
    embedding_shift: float = 0.05
    orphan_model: tuple[float, ...] = (-1.465, -1.729, -6.558, 1.101, 1.131, 2.175)
    orphan_threshold: float = math.inf
    doubt_threshold: float = 2.0
    clause_model: tuple[tuple[float, ...], tuple[float, ...]] = (
        (-3.317, -3.188, 0.549, -0.072), (-5.178, -4.621, 0.801, 0.962))
    clause_threshold: float = -1.6
    doubt_clause_threshold: float = -2.0


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
        vectors: an ``(n, d)`` array of unit sentence vectors (``bitext.alignment.embed``),
            or None.
        centered: the vectors had the document's mean taken off (``embed.center``).
    """

    lengths: list[int]
    tokens: list[list] = field(default_factory=list)
    offered: list[set[str]] = field(default_factory=list)
    mt_tokens: list[list[tuple[str, ...]]] | None = None
    mt_offered: list[set[str]] | None = None
    shapes: list[frozenset[str]] | None = None
    mt_shapes: list[frozenset[str]] | None = None
    vectors: Any = None
    centered: bool = False


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


MAX_RUN = 6
"""Runs of up to this many sentences have their summed vectors' lengths precomputed."""


def _run_norms(vectors: Any, max_run: int, chunk: int = 8192) -> list[list[float]]:
    """``out[L][k]``: the length of the sum of vectors ``k..k+L-1`` (L = 1..max_run),
    computed in chunks of rows so that memory stays bounded on long texts."""
    import numpy as np

    n = len(vectors)
    out: list[list[float]] = [[]]
    for length in range(1, max_run + 1):
        vals: list[float] = []
        for c0 in range(0, max(0, n - length + 1), chunk):
            c1 = min(n - length + 1, c0 + chunk)
            acc = np.array(vectors[c0:c1], dtype=np.float32)
            for d in range(1, length):
                acc += vectors[c0 + d:c1 + d]
            vals.extend(np.linalg.norm(acc, axis=1).tolist())
        out.append(vals)
    return out


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


CONTRAST_FLOOR = -1.0
"""The lowest clause contrast (``BeadScorer.clause_contrast``) the clause orphan test
reckons with before encoding any clause (MAC-Dev's lowest: −0.73)."""


CLAUSE_PARTS = 3
"""The clause contrast reads the other side's parts nearest in size to the sentence."""


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
        use_embeddings: include the sentence-vector signal (needs ``vectors`` on both
            sides and ``weights.embedding`` > 0).
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
        use_embeddings: bool = True,
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
        self.skip_zh: list[float] | None = None
        self.skip_en: list[float] | None = None
        self.median_cover: tuple[float, float] = (0.0, 0.0)
        self.best_cos: tuple[list[float], list[float]] = ([], [])
        self.rho: tuple[float, float] = (0.0, 0.0)
        self.use_emb = (use_embeddings and weights.embedding > 0 and zh.vectors is not None
                        and en.vectors is not None and len(zh.vectors) == len(zh.lengths)
                        and len(en.vectors) == len(en.lengths))
        self._dots: dict[int, dict[int, list[float]]] = {}
        # Cosine of a sentence with one that is not its translation, and with its best
        # partner: measured per document in ``calibrate_skips``; until then MAC-Dev's.
        self.emb_ref: tuple[float, float] = (0.0, 0.35) if zh.centered else (0.78, 0.84)
        if self.use_emb:
            self._runs = (_run_norms(zh.vectors, MAX_RUN), _run_norms(en.vectors, MAX_RUN))
        # Clause-level vectors of each side (``embed.ClauseVectors``), set by the aligner.
        self.clauses: tuple[Any, Any] = (None, None)

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
        """Drop cached pair masks (and vector dot products) of Chinese rows below ``i``."""
        for k in [k for k in self._rows if k < i]:
            del self._rows[k]
        for k in [k for k in self._dots if k < i]:
            del self._dots[k]

    def dot(self, i: int, j: int) -> float:
        """Dot product of Chinese sentence ``i``'s vector and English sentence ``j``'s
        (computed 64 columns at a time and cached per row)."""
        row = self._dots.get(i)
        if row is None:
            row = self._dots[i] = {}
        blk = j >> 6
        vals = row.get(blk)
        if vals is None:
            vals = row[blk] = (self.en.vectors[blk << 6:(blk + 1) << 6]
                               @ self.zh.vectors[i]).tolist()
        return vals[j & 63]

    def _run_norm(self, side: int, k0: int, k1: int) -> float:
        """Length of the sum of the vectors of sentences ``k0..k1-1`` of one side."""
        n = k1 - k0
        if n <= MAX_RUN:
            v = self._runs[side][n][k0]
        else:
            import numpy as np

            vecs = (self.zh, self.en)[side].vectors
            v = float(np.linalg.norm(vecs[k0:k1].sum(axis=0)))
        return max(v, 1e-9)

    def cosine(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Cosine of the bead's two sides, each read as the sum of its sentence vectors."""
        total = 0.0
        for i in range(i0, i1):
            for j in range(j0, j1):
                total += self.dot(i, j)
        return total / (self._run_norm(0, i0, i1) * self._run_norm(1, j0, j1))

    def emb_level(self, cos: float) -> float:
        """A cosine relative to the document: 0 at the chance cosine, 1 at the typical
        best-partner cosine (``emb_ref``)."""
        c0, c1 = self.emb_ref
        return (cos - c0) / max(c1 - c0, 0.01)

    def _as_cover(self, level: float, side: int) -> float:
        """An embedding level on the dictionary's scale for one side (0: Chinese):
        chance → the side's chance-match rate, typical → its median cover."""
        rho = self.rho[side] or 0.1
        med = self.median_cover[side] or 0.5
        return rho + level * (med - rho)

    def content(self, s: dict[str, float]) -> float:
        """The bead's word-level similarity: the dictionary Dice, mixed with the vectors'
        cosine put on the same scale (``Weights.embedding_bead``)."""
        if not self.use_emb:
            return s["lex"]
        beta = self.w.embedding_bead
        emb = 0.5 * (self._as_cover(s["emb"], 0) + self._as_cover(s["emb"], 1))
        if not self.use_lexicon:
            return emb
        return (1.0 - beta) * s["lex"] + beta * emb

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
        a, b = i1 - i0, j1 - j0
        if self.w.chance and (a > 1 or b > 1) and ne + nz:
            rz, re_ = self.rho
            # zh words face b English sentences, English words face a Chinese ones.
            extra = (nz * ((1 - (1 - rz) ** b) - rz) + ne * ((1 - (1 - re_) ** a) - re_)) / (ne + nz)
            lex -= self.w.chance * extra
        mt = 0.0
        if self.use_mt:
            mt = _combine(mt_e, nme, mt_z, nmz)
        lz = sum(self.zh.lengths[i0:i1])
        le = sum(self.en.lengths[j0:j1])
        r = math.log((le + 8.0) / (self.ratio * lz + 8.0))
        emb = 0.0
        if self.use_emb and a and b and (self.w.embedding_bead or not self.use_lexicon):
            emb = self.emb_level(self.cosine(i0, i1, j0, j1))
        return {"lex": lex, "mt": mt, "len": -0.5 * (r / self.w.length_sigma) ** 2, "emb": emb}

    def best_cover(self, lo: Sequence[int], hi: Sequence[int]) -> tuple[list[float], list[float]]:
        """Per sentence, the share of its (weighted) words explained by its best partner on
        the other side among the band's cells (``lo[i]..hi[i]`` English columns of row i;
        a partner is one sentence or two adjacent ones). With vectors, also the best
        partner's cosine per sentence, kept in ``best_cos`` for ``calibrate_skips``."""
        n, m = len(self.zh.lengths), len(self.en.lengths)
        cz, ce = [0.0] * n, [0.0] * m
        ez, ee = [-1.0] * n, [-1.0] * m
        emb = self.use_emb
        for i in range(n):
            js = range(max(0, lo[i] - 1), min(m, hi[i + 1] + 1))
            prev_b, prev_j = 0, -2
            prev_d = 0.0
            for j in js:
                if emb:
                    d = self.dot(i, j)
                    best = d
                    if prev_j == j - 1:  # i against English j-1 and j together
                        best = max(best, (prev_d + d) / self._run_norm(1, j - 1, j + 1))
                    ez[i] = max(ez[i], best)
                    best = d
                    if i + 1 < n:  # English j against Chinese i and i+1 together
                        best = max(best, (d + self.dot(i + 1, j)) / self._run_norm(0, i, i + 2))
                    ee[j] = max(ee[j], best)
                    prev_d = d
                if self.use_lexicon:
                    p = self.pair(i, j)
                    if self.n_zh_tok[i]:
                        b = p[1]
                        v = self._wsum(0, i, b | prev_b if prev_j == j - 1 else b)
                        cz[i] = max(cz[i], v / self.n_zh_tok[i])
                        prev_b = b
                    if self.n_en_tok[j]:
                        a = p[0]
                        if i + 1 < n:
                            a |= self.pair(i + 1, j)[0]
                        ce[j] = max(ce[j], self._wsum(1, j, a) / self.n_en_tok[j])
                prev_j = j
            self.forget_rows_before(i)
        self._rows.clear()
        self._dots.clear()
        self.best_cos = (ez, ee)
        return cz, ce

    def chance_rates(self, lo: Sequence[int], hi: Sequence[int]) -> tuple[float, float]:
        """The document's rate of chance matches: the weighted share of a Chinese (English)
        sentence's words matched by an English (Chinese) sentence far from it (at the
        band's edges, about ``width`` sentences off the path). With vectors, the median
        cosine of those pairs is kept as the chance cosine (``emb_ref``)."""
        n, m = len(self.zh.lengths), len(self.en.lengths)
        mz = tz = me = te = 0.0
        cos: list[float] = []
        for i in range(n):
            for j in (lo[i] - 1, hi[i + 1] + 1):
                if 0 <= j < m and (j < lo[i] - 0 or j > hi[i + 1]) and abs(j - (lo[i] + hi[i + 1]) / 2) >= 6:
                    if self.use_lexicon:
                        p = self.pair(i, j)
                        mz += self._wsum(0, i, p[1]); tz += self.n_zh_tok[i]
                        me += self._wsum(1, j, p[0]); te += self.n_en_tok[j]
                    if self.use_emb:
                        cos.append(self.dot(i, j))
            self.forget_rows_before(i)
        self._rows.clear()
        self._dots.clear()
        if len(cos) >= 20:
            cos.sort()
            self.emb_ref = (cos[len(cos) // 2], self.emb_ref[1])
        return (mz / tz if tz else 0.0, me / te if te else 0.0)

    def calibrate_skips(self, lo: Sequence[int], hi: Sequence[int]) -> None:
        """Per-document calibration inside the band: chance-match rates and per-sentence
        skip costs from the document's own evidence (``Weights.skip_calibrated``)."""
        w = self.w
        if self.use_lexicon or self.use_emb:
            self.rho = self.chance_rates(lo, hi)
            log.debug("chance match rates zh %.3f en %.3f", *self.rho)
        if not w.skip_calibrated or not self.use_lexicon:
            self.skip_zh = self.skip_en = None
            return
        cz, ce = self.best_cover(lo, hi)
        if self.use_emb:
            best = sorted(c for side in self.best_cos for c in side if c > -1.0)
            if len(best) >= 20:
                c1 = best[len(best) // 2]
                self.emb_ref = (min(self.emb_ref[0], c1 - 0.01), c1)
            log.debug("cosine: chance %.3f, best partner %.3f", *self.emb_ref)
        beta = w.embedding if self.use_emb else 0.0

        def costs(cover: list[float], ntok: list[float], cos: list[float]) -> tuple[list[float], float]:
            ref = [c for c, t in zip(cover, ntok) if t >= 3]
            med = sorted(ref)[len(ref) // 2] if ref else 0.0
            out = []
            for k, (c, t) in enumerate(zip(cover, ntok)):
                z = min(1.5, c / med) if med > 0 else 1.0
                r = t / (t + 3.0)  # few words: little evidence either way
                z = r * z + (1.0 - r) * 1.0
                if beta:
                    z = (1.0 - beta) * z + beta * min(1.5, max(-0.5, self.emb_level(cos[k])))
                out.append(-(w.skip_base + w.skip_gain * z))
            return out, med

        ez, ee = self.best_cos if self.use_emb else ([0.0] * len(cz), [0.0] * len(ce))
        self.skip_zh, mz = costs(cz, self.n_zh_tok, ez)
        self.skip_en, me = costs(ce, self.n_en_tok, ee)
        self.median_cover = (mz, me)

    def sentence_cover(self, i0: int, i1: int, j0: int, j1: int, *, mix: bool = True,
                       ) -> tuple[list[float], list[float]]:
        """Per sentence of a bead, the share of its weighted words the other side explains
        (None-like 1.0 for a sentence without content words). With vectors (and ``mix``),
        mixed with the sentence's cosine to the other side's summed vectors on the same
        scale."""
        beta = self.w.embedding if self.use_emb and mix else 0.0
        return ([self._cover(0, i, j0, j1, beta) for i in range(i0, i1)],
                [self._cover(1, j, i0, i1, beta) for j in range(j0, j1)])

    def _cover(self, side: int, k: int, o0: int, o1: int, beta: float) -> float:
        """``sentence_cover`` of sentence ``k`` of ``side`` (0: Chinese) against the other
        side's sentences ``o0..o1-1``."""
        mask = 0
        for o in range(o0, o1):
            mask |= self.pair(k, o)[1] if side == 0 else self.pair(o, k)[0]
        t = (self.n_zh_tok, self.n_en_tok)[side][k]
        c = self._wsum(side, k, mask) / t if t else 1.0
        if beta and t and o1 > o0:
            c = (1.0 - beta) * c + beta * self._as_cover(self._level_with(side, k, o0, o1), side)
        return c

    def score(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Score of the bead ``zh[i0:i1]`` ↔ ``en[j0:j1]`` (higher is better)."""
        a, b = i1 - i0, j1 - j0
        w = self.w
        if a == 0 or b == 0:
            if a == 1 and self.skip_zh is not None:
                return self.skip_zh[i0]
            if b == 1 and self.skip_en is not None:
                return self.skip_en[j0]
            return w.skip * (a + b)
        s = self.signals(i0, i1, j0, j1)
        total = 0.0
        words = self.use_lexicon or self.use_emb
        if words and self.use_mt:
            total += (w.lexicon * self.content(s) + w.mt * s["mt"]) / (w.lexicon + w.mt)
        elif words:
            total += self.content(s)
        elif self.use_mt:
            total += s["mt"]
        if self.use_length:
            total += w.length * max(s["len"], -8.0)
        units = min(a, b) ** w.mm_units
        out = (units * ((a + b) / (2.0 * units)) ** w.size_power * (total - w.threshold)
               - w.merge * (a + b - 2) - w.mm_penalty * (units - 1))
        if w.absorb and a + b > 2 and self.use_lexicon:
            out -= w.absorb * self.unexplained(i0, i1, j0, j1)
        return out

    def unexplained(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """Sum over a bead's sentences of how far each falls short of being explained by
        the bead's other side (0: all well above chance; see ``Weights.absorb``)."""
        a, b = i1 - i0, j1 - j0
        rz, re_ = self.rho
        kappa = self.w.absorb_kappa
        cz, ce = self.sentence_cover(i0, i1, j0, j1)
        ref_z = kappa * (1 - (1 - rz) ** b)
        ref_e = kappa * (1 - (1 - re_) ** a)
        total = 0.0
        for c, t in zip(cz, self.n_zh_tok[i0:i1]):
            if ref_z > 0 and c < ref_z:
                total += (t / (t + 3.0)) * (1.0 - c / ref_z)
        for c, t in zip(ce, self.n_en_tok[j0:j1]):
            if ref_e > 0 and c < ref_e:
                total += (t / (t + 3.0)) * (1.0 - c / ref_e)
        return total

    def confidence(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """A 0–1 confidence of a chosen bead (for outputs and the not-a-translation check)."""
        if i1 == i0 or j1 == j0:
            return 0.0
        s = self.signals(i0, i1, j0, j1)
        parts = []
        if self.use_lexicon or self.use_emb:
            parts.append(min(1.0, max(0.0, self.content(s)) / 0.5))
        if self.use_mt:
            parts.append(min(1.0, s["mt"] / 0.5))
        lenp = math.exp(s["len"]) if self.use_length else 1.0
        if not parts:
            return lenp
        conf = (sum(parts) / len(parts)) * (0.5 + 0.5 * lenp)
        if self.use_lexicon and self.rho != (0.0, 0.0):
            # A bead is only as sure as its least explained sentence: one that the other
            # side matches no better than chance (an untranslated sentence glued to a
            # neighbour) pulls the confidence down.
            conf *= self.explained(i0, i1, j0, j1)
        return conf

    def explained(self, i0: int, i1: int, j0: int, j1: int, kappa: float = 2.5) -> float:
        """0–1: how well the least explained sentence of a bead is matched by the bead's
        other side, relative to ``kappa`` times the document's chance-match share (1 when
        every sentence is; sentences with few words count less)."""
        a, b = i1 - i0, j1 - j0
        rz, re_ = self.rho
        cz, ce = self.sentence_cover(i0, i1, j0, j1)
        worst = 1.0
        for covers, toks, ref in ((cz, self.n_zh_tok[i0:i1], kappa * (1 - (1 - rz) ** b)),
                                  (ce, self.n_en_tok[j0:j1], kappa * (1 - (1 - re_) ** a))):
            for c, t in zip(covers, toks):
                if ref > 0:
                    r = t / (t + 3.0)
                    worst = min(worst, 1.0 - r * (1.0 - min(1.0, c / ref)))
        return worst

    def length_logprob(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The length log-probability of a bead (as in ``signals``, without the lexicon)."""
        lz = sum(self.zh.lengths[i0:i1])
        le = sum(self.en.lengths[j0:j1])
        r = math.log((le + 8.0) / (self.ratio * lz + 8.0))
        return -0.5 * (r / self.w.length_sigma) ** 2

    def orphans(self, beads: Sequence[tuple[int, int, int, int]], kappa: float | None = None,
                min_words: float | None = None, len_kappa: float | None = None,
                len_gain: float | None = None, len_min_words: float | None = None,
                ) -> list[tuple[int, int, int, int]]:
        """Split out of multi-sentence beads the edge sentences that the bead's other side
        does not explain: untranslated sentences the search glued to a neighbour come out
        as unaligned beads. Linear in the number of beads.

        An edge sentence is split out when (a) the bead's other side matches less than
        ``kappa`` × the chance share of its words (at least ``min_words`` weighted words),
        or (b) it matches less than ``len_kappa`` × chance (at least ``len_min_words``
        words) *and* the bead without it fits the document's length ratio better by at
        least ``len_gain`` in length log-probability (an absorbed orphan makes its side
        too long for the other). Parameters left None come from the weights
        (``Weights.orphan_*``).
        """
        w = self.w
        kappa = w.orphan_kappa if kappa is None else kappa
        min_words = w.orphan_min_words if min_words is None else min_words
        len_kappa = w.orphan_len_kappa if len_kappa is None else len_kappa
        len_gain = w.orphan_len_gain if len_gain is None else len_gain
        len_min_words = w.orphan_len_min_words if len_min_words is None else len_min_words
        rz, re_ = self.rho
        out: list[tuple[int, int, int, int]] = []

        model = self.use_emb and w.orphan_threshold < math.inf
        clause = self.use_emb and w.clause_threshold < math.inf and self.clauses[0] is not None
        raw: tuple[list[float], list[float]] = ([], [])

        def unexplained(t: float, c: float, ref: float, full: tuple[int, int, int, int],
                        rest: tuple[int, int, int, int]) -> bool:
            if t >= min_words and c < kappa * ref:
                return True
            if len_kappa and t >= len_min_words and c < len_kappa * ref:
                return self.length_logprob(*rest) - self.length_logprob(*full) >= len_gain
            return False

        for i0, i1, j0, j1 in beads:
            a, b = i1 - i0, j1 - j0
            if a == 0 or b == 0 or a + b < 3:
                out.append((i0, i1, j0, j1))
                continue
            head: list[tuple[int, int, int, int]] = []
            tail: list[tuple[int, int, int, int]] = []
            changed = True
            while changed and (i1 - i0) + (j1 - j0) >= 3:
                changed = False
                a, b = i1 - i0, j1 - j0
                full = (i0, i1, j0, j1)
                cz, ce = self.sentence_cover(i0, i1, j0, j1)
                if model or clause:
                    raw = self.sentence_cover(i0, i1, j0, j1, mix=False)
                ref_e = 1 - (1 - re_) ** a
                ref_z = 1 - (1 - rz) ** b
                if b >= 2:
                    for pos, j in ((0, j0), (b - 1, j1 - 1)):
                        rest = (i0, i1, j0 + 1, j1) if pos == 0 else (i0, i1, j0, j1 - 1)
                        if unexplained(self.n_en_tok[j], ce[pos], ref_e, full, rest) or (
                                model and self.orphan_score(1, pos, full, rest, raw[1][pos]) > w.orphan_threshold) or (
                                clause and self.clause_orphan(1, pos, full, rest, raw[1][pos])):
                            if pos == 0:
                                head.append((i0, i0, j0, j0 + 1)); j0 += 1
                            else:
                                tail.append((i1, i1, j1 - 1, j1)); j1 -= 1
                            changed = True
                            break
                if not changed and a >= 2:
                    for pos, i in ((0, i0), (a - 1, i1 - 1)):
                        rest = (i0 + 1, i1, j0, j1) if pos == 0 else (i0, i1 - 1, j0, j1)
                        if unexplained(self.n_zh_tok[i], cz[pos], ref_z, full, rest) or (
                                model and self.orphan_score(0, pos, full, rest, raw[0][pos]) > w.orphan_threshold) or (
                                clause and self.clause_orphan(0, pos, full, rest, raw[0][pos])):
                            if pos == 0:
                                head.append((i0, i0 + 1, j0, j0)); i0 += 1
                            else:
                                tail.append((i1 - 1, i1, j1, j1)); i1 -= 1
                            changed = True
                            break
            out.extend(head)
            out.append((i0, i1, j0, j1))
            out.extend(reversed(tail))
        return out

    def orphan_score(self, side: int, pos: int, full: tuple[int, int, int, int],
                     rest: tuple[int, int, int, int], cover: float) -> float:
        """The logistic orphan score (``Weights.orphan_model``) of the edge sentence at
        ``pos`` of one side (0: Chinese) of the bead ``full``; ``rest`` is the bead without
        it, ``cover`` the share of its words the other side matches (dictionary only)."""
        k = (full[0], full[2])[side] + pos
        t = (self.n_zh_tok, self.n_en_tok)[side][k]
        med = self.median_cover[side] or 0.5
        lengths = (self.zh.lengths, self.en.lengths)[side]
        lo, hi = (full[0], full[1]) if side == 0 else (full[2], full[3])
        b = self.w.orphan_model
        feats = (cover / med,
                 self.emb_level(self.cosine(*full)) - self.emb_level(self.cosine(*rest)),
                 math.log1p(t),
                 self.length_logprob(*rest) - self.length_logprob(*full),
                 lengths[k] / max(1, sum(lengths[lo:hi])))
        return b[0] + sum(x * y for x, y in zip(b[1:], feats))

    def clause_contrast(self, side: int, pos: int, full: tuple[int, int, int, int],
                        rest: tuple[int, int, int, int]) -> float:
        """Whether the edge sentence at ``pos`` of one side (0: Chinese) of the bead
        ``full`` has a part of the other side to itself: the most, over the other side's
        clause suffixes (for a last sentence) or prefixes (for a first), of how much nearer
        that part's vector is to the sentence than to the rest of its side. A sentence
        the translator split off has such a part (above 0); an untranslated sentence glued
        to its neighbour's bead has none, every part being the neighbour's (below 0).
        nan without clause vectors."""
        other = self.clauses[1 - side]
        if not self.use_emb or other is None:
            return math.nan
        import numpy as np

        o0, o1 = (full[2], full[3]) if side == 0 else (full[0], full[1])
        k = (full[0], full[2])[side] + pos
        lo, hi = (full[0], full[1]) if side == 0 else (full[2], full[3])
        lengths = (self.zh.lengths, self.en.lengths)[side]
        share = max(1, lengths[k]) / max(1, sum(lengths[lo:hi]))
        near = sorted(other.parts(o0, o1, head=pos == 0), key=lambda p: abs(math.log(p[0] / share)))
        parts = other.vectors([t for _, t in near[:CLAUSE_PARTS]])
        vecs = (self.zh, self.en)[side].vectors
        r0, r1 = (rest[0], rest[1]) if side == 0 else (rest[2], rest[3])
        r = vecs[r0:r1].sum(axis=0)
        r = r / max(float(np.linalg.norm(r)), 1e-9)
        return float(np.max(parts @ vecs[k] - parts @ r))

    def clause_score(self, side: int, pos: int, full: tuple[int, int, int, int],
                     rest: tuple[int, int, int, int], cover: float,
                     contrast: float | None = None) -> float:
        """The clause orphan score of the edge sentence at ``pos`` of one side (0: Chinese)
        of the bead ``full`` (``Weights.clause_model``): ``b0 + b1·contrast + b2·orphan
        score + b3·log(1 + words)``, where contrast is ``clause_contrast`` (computed when
        not given), the orphan score ``orphan_score`` (``cover`` as there)."""
        b = self.w.clause_model[side]
        if contrast is None:
            contrast = self.clause_contrast(side, pos, full, rest)
        return self._clause_base(side, pos, full, rest, cover) + b[1] * contrast

    def _clause_base(self, side: int, pos: int, full: tuple[int, int, int, int],
                     rest: tuple[int, int, int, int], cover: float) -> float:
        b = self.w.clause_model[side]
        k = (full[0], full[2])[side] + pos
        t = (self.n_zh_tok, self.n_en_tok)[side][k]
        return b[0] + b[2] * self.orphan_score(side, pos, full, rest, cover) + b[3] * math.log1p(t)

    def clause_orphan(self, side: int, pos: int, full: tuple[int, int, int, int],
                      rest: tuple[int, int, int, int], cover: float,
                      threshold: float | None = None) -> bool:
        """Whether the clause orphan score exceeds ``threshold`` (None:
        ``Weights.clause_threshold``). The other side's clauses are encoded only when the
        score could: with the contrast at ``CONTRAST_FLOOR`` it must pass."""
        b1 = self.w.clause_model[side][1]
        th = self.w.clause_threshold if threshold is None else threshold
        base = self._clause_base(side, pos, full, rest, cover)
        if base + b1 * (CONTRAST_FLOOR if b1 < 0 else -CONTRAST_FLOOR) <= th:
            return False
        return base + b1 * self.clause_contrast(side, pos, full, rest) > th

    def doubtful(self, beads: Sequence[tuple[int, int, int, int]],
                 threshold: float | None = None, clause_threshold: float | None = None,
                 ) -> dict[int, tuple[tuple[int, ...], tuple[int, ...]]]:
        """Edge sentences of multi-sentence beads that may be untranslated: their orphan
        score (see ``orphan_score``) exceeds ``threshold`` (``Weights.doubt_threshold``)
        or their clause orphan score (``clause_score``) exceeds ``clause_threshold``
        (``Weights.doubt_clause_threshold``), below the bars for splitting them out.
        Returns ``{bead index: (Chinese ids, English ids)}``; empty without sentence
        vectors (the scores need them)."""
        threshold = self.w.doubt_threshold if threshold is None else threshold
        if clause_threshold is None:
            clause_threshold = self.w.doubt_clause_threshold
        if self.clauses[0] is None:
            clause_threshold = math.inf
        out: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        if not self.use_emb or threshold == clause_threshold == math.inf:
            return out
        for n, full in enumerate(beads):
            i0, i1, j0, j1 = full
            a, b = i1 - i0, j1 - j0
            if a == 0 or b == 0 or a + b < 3:
                continue
            raw = self.sentence_cover(i0, i1, j0, j1, mix=False)
            found: tuple[list[int], list[int]] = ([], [])
            for side, size, lo in ((0, a, i0), (1, b, j0)):
                if size < 2:
                    continue
                for pos in sorted({0, size - 1}):
                    rest = ((i0 + (pos == 0), i1 - (pos != 0), j0, j1) if side == 0
                            else (i0, i1, j0 + (pos == 0), j1 - (pos != 0)))
                    if self.orphan_score(side, pos, full, rest, raw[side][pos]) > threshold or (
                            clause_threshold < math.inf
                            and self.clause_orphan(side, pos, full, rest, raw[side][pos], clause_threshold)):
                        found[side].append(lo + pos)
            if found[0] or found[1]:
                out[n] = (tuple(found[0]), tuple(found[1]))
        return out

    def _level_with(self, side: int, k: int, o0: int, o1: int) -> float:
        """The cosine level (``emb_level``) of sentence ``k`` of ``side`` (0: Chinese) with
        the other side's sentences ``o0..o1-1`` read as one text."""
        dots = sum(self.dot(k, o) if side == 0 else self.dot(o, k) for o in range(o0, o1))
        return self.emb_level(dots / self._run_norm(1 - side, o0, o1))

    def shift(self, beads: Sequence[tuple[int, int, int, int]], weight: float | None = None,
              rounds: int = 3) -> list[tuple[int, int, int, int]]:
        """Move boundary sentences between neighbouring beads where the vectors tip a
        near-tie: of two adjacent beads (both with both sides), the last sentence of the
        first (English or Chinese, when its side has two or more) may join the second, or
        the first of the second join the first. A move is made when ``weight`` × (the
        sentence's cosine level with the bead it would join − with its own bead's other
        side) exceeds what it costs the two beads' search score; the best move per pair,
        up to ``rounds`` sweeps. Without vectors (or ``weight`` 0) nothing moves. Linear in
        the number of beads."""
        weight = self.w.embedding_shift if weight is None else weight
        out = list(beads)
        if not self.use_emb or weight <= 0:
            return out
        for _ in range(rounds):
            moved = False
            for k in range(len(out) - 1):
                a, b = out[k], out[k + 1]
                if a[0] == a[1] or a[2] == a[3] or b[0] == b[1] or b[2] == b[3]:
                    continue
                base = self.score(*a) + self.score(*b)
                best: tuple[float, tuple[int, int, int, int], tuple[int, int, int, int]] | None = None
                for side in (1, 0):
                    lo, hi = (2, 3) if side == 1 else (0, 1)
                    olo, ohi = (0, 1) if side == 1 else (2, 3)
                    moves = []
                    if a[hi] - a[lo] >= 2:  # a's last sentence → b
                        x = a[hi] - 1
                        na, nb = list(a), list(b)
                        na[hi] -= 1
                        nb[lo] -= 1
                        moves.append((x, tuple(na), tuple(nb), b, a))
                    if b[hi] - b[lo] >= 2:  # b's first sentence → a
                        x = b[lo]
                        na, nb = list(a), list(b)
                        na[hi] += 1
                        nb[lo] += 1
                        moves.append((x, tuple(na), tuple(nb), a, b))
                    for x, na_, nb_, into, frm in moves:
                        pref = (self._level_with(side, x, into[olo], into[ohi])
                                - self._level_with(side, x, frm[olo], frm[ohi]))
                        gain = self.score(*na_) + self.score(*nb_) - base + weight * pref
                        if gain > 0 and (best is None or gain > best[0]):
                            best = (gain, na_, nb_)  # type: ignore[assignment]
                if best is not None:
                    out[k], out[k + 1] = best[1], best[2]
                    moved = True
            if not moved:
                break
        return out

    def rehome(self, beads: Sequence[tuple[int, int, int, int]], kappa: float | None = None,
               min_words: float | None = None, margin: float | None = None,
               ) -> list[tuple[int, int, int, int]]:
        """Undo 1–1 beads that pair two sentences neither of which explains the other
        (both matched below ``kappa`` × chance, the English one of at least ``min_words``
        weighted words): the English sentence comes out unaligned and the Chinese one
        joins a neighbouring bead, or takes the previous bead's last English sentence, or
        (``Weights.rehome_swap``) a neighbour's single English sentence, or a neighbouring
        unaligned English sentence that its vector is nearer, whichever scores best, when
        that costs at most ``margin`` of the path's score (None: from the weights;
        ``min_words`` defaults to ``Weights.orphan_min_words``).
        Linear in the number of beads."""
        kappa = self.w.rehome_kappa if kappa is None else kappa
        min_words = self.w.orphan_min_words if min_words is None else min_words
        margin = self.w.rehome_margin if margin is None else margin
        if margin < 0:
            return list(beads)
        rz, re_ = self.rho
        out = list(beads)

        def nearer(i: int, j: int, than: int) -> bool:
            # The search's score has no vectors: they must agree that English j explains
            # Chinese i better than English ``than`` does.
            return not self.use_emb or self._level_with(0, i, j, j + 1) > self._level_with(0, i, than, than + 1)

        options: list[tuple[float, int, int, list[tuple[int, int, int, int]]]] = []

        def offer(new: list[tuple[int, int, int, int]], a: int, b: int, old: float) -> None:
            # a repair: the beads out[a:b] (scoring ``old`` together) replaced by ``new``
            options.append((sum(self.score(*x) for x in new) - old, a, b, new))

        k = 0
        while k < len(out):
            i0, i1, j0, j1 = out[k]
            if i1 - i0 != 1 or j1 - j0 != 1 or self.n_en_tok[j0] < min_words:
                k += 1
                continue
            cz, ce = self.sentence_cover(i0, i1, j0, j1)
            if not (ce[0] < kappa * re_ and cz[0] < kappa * rz):
                k += 1
                continue
            i, j = i0, j0
            orphan = (i, i, j, j + 1)
            base = self.score(i, i + 1, j, j + 1)
            options.clear()
            if k > 0:
                pi0, pi1, pj0, pj1 = out[k - 1]
                old = base + self.score(pi0, pi1, pj0, pj1)
                if pi1 > pi0 and pj1 > pj0:
                    offer([(pi0, i + 1, pj0, pj1), (i + 1, i + 1, j, j + 1)], k - 1, k + 1, old)
                if pj1 - pj0 >= 2 and pi1 > pi0:
                    offer([(pi0, pi1, pj0, pj1 - 1), (i, i + 1, pj1 - 1, pj1), (i + 1, i + 1, j, j + 1)],
                          k - 1, k + 1, old)
                if self.w.rehome_swap and pi1 == pi0 and pj1 - pj0 == 1 and nearer(i, pj0, j):
                    # The previous English is unaligned: this Chinese takes it instead.
                    offer([(i, i + 1, pj0, pj1), (i + 1, i + 1, j, j + 1)], k - 1, k + 1, old)
                if self.w.rehome_swap and pj1 - pj0 == 1 and pi1 > pi0:
                    # The previous bead's English is the orphan: its Chinese joins this one.
                    offer([(pi0, pi0, pj0, pj1), (pi0, i + 1, j, j + 1)], k - 1, k + 1, old)
            if k + 1 < len(out):
                ni0, ni1, nj0, nj1 = out[k + 1]
                old = base + self.score(ni0, ni1, nj0, nj1)
                if self.w.rehome_swap and ni1 == ni0 and nj1 - nj0 == 1 and nearer(i, nj0, j):
                    # The next English is unaligned: this Chinese takes it instead.
                    offer([orphan, (i, i + 1, nj0, nj1)], k, k + 2, old)
                if ni1 > ni0 and nj1 > nj0:
                    offer([orphan, (i, ni1, nj0, nj1)], k, k + 2, old)
                    if self.w.rehome_swap and nj1 - nj0 == 1:
                        # The next bead's English is the orphan: its Chinese joins this one.
                        offer([(i, ni1, j, j + 1), (ni1, ni1, nj0, nj1)], k, k + 2, old)
            if options:
                delta, a, b, new = max(options, key=lambda o: o[0])
                if delta >= -margin:
                    out[a:b] = new
                    k = a + len(new)
                    continue
            k += 1
        return out
