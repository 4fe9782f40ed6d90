"""Sentence alignment of a Chinese text with its English translation.

``align(zh_sents, en_sents)`` returns ``Alignment`` beads covering every sentence of both
sides exactly once and in order. The signals (length, CC-CEDICT + glossary lexicon,
pinyin names, numbers, optional machine translation) live in ``scorers``/``lexicon``; the
anchor pass and the banded dynamic programme in ``search``; the bead file format in
``beads``; strict scoring in ``evaluate``. The aligner searches twice: words the dictionary
lacks learn their English counterparts from the first pass's beads (``Aligner._learn``).
When the character ratio shows that one side translates only part of the other, the
search runs in partial mode (free unaligned runs at the ends, a band that follows the
anchor chain to the table's edges).

Example:
    >>> from bitext.alignment import align
    >>> beads = align(["你好。", "再见。"], ["Hello.", "Goodbye."])  # doctest: +SKIP
    >>> [(b.src_ids, b.tgt_ids) for b in beads]  # doctest: +SKIP
    [((0,), (0,)), ((1,), (1,))]
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bitext.alignment.embed import CENTER_MIN, ClauseVectors, center, load_encoder
from bitext.alignment.lexicon import (
    default_lexicon,
    en_content_keys,
    learn_associations,
    zh_content_words,
)
from bitext.alignment.scorers import BeadScorer, Weights, chinese_features, english_features
from bitext.alignment.search import search
from bitext.errors import AlignmentError
from bitext.segment.words import WordSegmenter

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.3
"""Below this mean bead confidence the pair is probably not a translation (warning)."""

WEAK_BEAD = 0.3
"""Beads below this confidence are flagged as weak in outputs."""

EN_PER_ZH_CHAR = 3.3
"""Typical English characters (spaces excluded) per Chinese character of a translation.

The length signal normally uses the document's own ratio; when that ratio is off from
this by more than ``RATIO_SLACK`` times, the two texts cannot both be whole (one is a
partial translation, an excerpt), and the typical ratio is used instead, then the ratio
of the part the first pass aligned."""

RATIO_SLACK = 2.0
"""How far (as a factor) the document's character ratio may stray from ``EN_PER_ZH_CHAR``
before one side is taken as a partial translation of the other (MAC-Dev's whole texts
range from 2.9 to 4.3)."""


@dataclass(frozen=True)
class Alignment:
    """One bead: Chinese sentence ids ↔ English sentence ids, with a 0–1 confidence.

    Attributes:
        src_ids: 0-based Chinese sentence numbers (empty for an unaligned English one).
        tgt_ids: 0-based English sentence numbers (empty for an unaligned Chinese one).
        score: confidence in [0, 1].
        doubt_zh, doubt_en: sentences of the bead that its other side hardly explains
            (edge sentences with a high orphan score, see ``BeadScorer.doubtful``): they may
            be untranslated; a reviewer should look. Empty without sentence vectors.
    """

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    score: float
    doubt_zh: tuple[int, ...] = ()
    doubt_en: tuple[int, ...] = ()


@functools.lru_cache(maxsize=4)
def _segmenter(terms: tuple[str, ...]) -> Any:
    return WordSegmenter(terms)


class Aligner:
    """A reusable aligner (the lexicon and word segmenter load once).

    Args:
        glossary_pairs: extra ``(chinese, english)`` term pairs (user glossaries).
        use_lexicon: use the dictionary / names / numbers signal.
        use_length: use the length signal.
        use_mt: use machine translations when given.
        width: band half-width of the search (English sentences).
        weights: a ``bitext.alignment.scorers.Weights`` (None for the calibrated defaults).
        key_kinds: lexical evidence to use: ``dictionary``, ``names``, ``numbers``.
        self_train: align twice: words the dictionary does not know (names translated
            as Trinket or Misty, coinages, rare terms) learn the English lemmas they keep
            meeting in the first pass's small beads, and the second pass uses them.
        orphans: after the search, split out of multi-sentence beads the edge sentences
            their bead does not explain better than chance (an untranslated sentence glued
            to a neighbour), as unaligned beads, and undo 1–1 beads of two sentences that
            do not explain each other (``BeadScorer.rehome``); ``omissions`` lists them.
        embeddings: add the sentence-vector signal (``bitext.alignment.embed``) when the
            encoder is installed; False aligns with the dictionary and lengths only.
    """

    def __init__(
        self,
        glossary_pairs: Iterable[tuple[str, str]] = (),
        *,
        use_lexicon: bool = True,
        use_length: bool = True,
        use_mt: bool = True,
        width: int = 16,
        weights: Any = None,
        key_kinds: Sequence[str] = ("dictionary", "names", "numbers", "punctuation"),
        self_train: bool = True,
        orphans: bool = True,
        embeddings: bool = True,
    ):
        pairs = [(s, t) for s, t in glossary_pairs if s.strip() and t.strip()]
        self.lexicon = default_lexicon().with_glossary(pairs) if pairs else default_lexicon()
        self.segmenter = _segmenter(tuple(sorted({s for s, _ in pairs})))
        self.use_lexicon, self.use_length, self.use_mt = use_lexicon, use_length, use_mt
        self.width = width
        self.weights = weights or Weights()
        self.key_kinds = tuple(key_kinds)
        self.self_train = self_train
        self.orphans = orphans
        self.encoder = load_encoder() if embeddings else None

    def align(
        self,
        zh_sents: Sequence[str],
        en_sents: Sequence[str],
        *,
        mt: Sequence[str] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> list[Alignment]:
        """Align two sentence lists.

        Args:
            zh_sents: Chinese sentences.
            en_sents: English sentences.
            mt: a machine translation of each Chinese sentence (same length), or None.
            progress: called with a row count as the search advances; with sentence
                vectors, encoding both sides first counts as as many rows again, and so do
                the orphan and doubtful passes after the search (their clause vectors): the
                whole run reports three times the Chinese sentence count (plus one).

        Raises:
            AlignmentError: ``mt`` does not have one line per Chinese sentence.
        """
        if mt is not None and len(mt) != len(zh_sents):
            raise AlignmentError(
                f"the machine translation has {len(mt)} lines but the Chinese side has "
                f"{len(zh_sents)} sentences; give one MT line per Chinese sentence"
            )
        zh_mt = mt if self.use_mt else None
        zf = chinese_features(zh_sents, self.lexicon, self.segmenter, zh_mt, self.key_kinds)
        ef = english_features(en_sents, self.key_kinds, with_mt_view=zf.mt_tokens is not None)
        if self.encoder is not None:
            zv, ev = self._encode(zh_sents, en_sents, progress)
            # Both sides on the same footing: centred when both are long enough.
            centered = min(len(zv), len(ev)) >= CENTER_MIN
            means = (zv.mean(axis=0), ev.mean(axis=0)) if centered else (None, None)
            if centered:
                zv, ev = center(zv)[0], center(ev)[0]
            zf.vectors, ef.vectors, zf.centered = zv, ev, centered
            clauses = (ClauseVectors(self.encoder, zh_sents, True, means[0]),
                       ClauseVectors(self.encoder, en_sents, False, means[1]))
        scorer = BeadScorer(zf, ef, self.weights, use_lexicon=self.use_lexicon,
                            use_length=self.use_length, use_mt=self.use_mt)
        partial = not _plausible_ratio(scorer.ratio)
        if partial:
            log.debug("length ratio %.2f is implausible for a whole translation: "
                      "one side is partial", scorer.ratio)
            scorer.ratio = EN_PER_ZH_CHAR
        # A partial translation covers a sub-range of the other side: unaligned runs at
        # either end cost nothing (semi-global alignment), so the covered part is not
        # spread over the whole longer text.
        beads = search(scorer, len(zh_sents), len(en_sents), width=self.width,
                       progress=progress, partial=partial)
        if partial:
            ratio = _aligned_ratio(zf.lengths, ef.lengths, beads)
        if self.self_train and self.use_lexicon and "dictionary" in self.key_kinds:
            learned = self._learn(zh_sents, en_sents, beads, scorer)
            log.debug("self-training: %d words learned from the first pass", len(learned))
            if learned:
                vectors, centered = zf.vectors, zf.centered
                zf = chinese_features(zh_sents, self.lexicon, self.segmenter, zh_mt,
                                      self.key_kinds, learned)
                zf.vectors, zf.centered = vectors, centered
                scorer = BeadScorer(zf, ef, self.weights, use_lexicon=self.use_lexicon,
                                    use_length=self.use_length, use_mt=self.use_mt)
                if partial:
                    scorer.ratio = ratio
                # The first pass's path is a good guide: a narrower band around it.
                path = [(i0, j0) for i0, i1, j0, j1 in beads if i1 - i0 == 1 and j1 - j0 == 1]
                beads = search(scorer, len(zh_sents), len(en_sents),
                               width=max(4, self.width // 2), anchors=path,
                               partial=partial)
        if self.encoder is not None:
            scorer.clauses = clauses
        beads = scorer.shift(beads)
        doubt: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        # With vectors, the orphan and doubtful passes encode clauses: they count as
        # ``len(zh_sents)`` rows more, half each, by the Chinese rows their beads reach.
        advance = _Advance(progress if self.encoder is not None else None)
        if self.orphans and self.use_lexicon and scorer.rho != (0.0, 0.0):
            half = len(zh_sents) / 2
            split: list[tuple[int, int, int, int]] = []
            for k in range(0, len(beads), _POST_CHUNK):
                chunk = beads[k:k + _POST_CHUNK]
                split.extend(scorer.orphans(chunk))
                advance(int(chunk[-1][1] / 2))  # the Chinese rows the chunk reaches
            beads = scorer.rehome(split)
            for k in range(0, len(beads), _POST_CHUNK):
                chunk = beads[k:k + _POST_CHUNK]
                doubt.update((k + n, d) for n, d in scorer.doubtful(chunk).items())
                advance(int(half + chunk[-1][1] / 2))
        advance(len(zh_sents))
        out = []
        for n, (i0, i1, j0, j1) in enumerate(beads):
            dz, de = doubt.get(n, ((), ()))
            out.append(Alignment(tuple(range(i0, i1)), tuple(range(j0, j1)),
                                 round(scorer.confidence(i0, i1, j0, j1), 4), dz, de))
        return out

    def _encode(self, zh: Sequence[str], en: Sequence[str],
                progress: Callable[[int], None] | None, chunk: int = 256) -> tuple[Any, Any]:
        """Both sides' sentence vectors, encoded in chunks so that ``progress`` advances (in
        Chinese-row units: both sides together count ``len(zh)`` rows)."""
        import numpy as np

        assert self.encoder is not None
        total, done, reported = len(zh) + len(en), 0, 0
        out = []
        for side in (zh, en):
            parts = []
            for k in range(0, len(side), chunk):
                parts.append(self.encoder.encode(side[k:k + chunk]))
                done += len(parts[-1])
                if progress is not None:
                    target = done * len(zh) // total
                    if target > reported:
                        progress(target - reported)
                        reported = target
            out.append(np.concatenate(parts) if parts else self.encoder.encode([]))
        return out[0], out[1]

    def _learn(
        self,
        zh_sents: Sequence[str],
        en_sents: Sequence[str],
        beads: Sequence[tuple[int, int, int, int]],
        scorer: Any,
    ) -> dict[str, frozenset[str]]:
        """Document-specific word translations from the first pass (hunalign-style
        bootstrapping, restricted to what the lexicon leaves unexplained).

        Over the first pass's beads of at most three sentences, the Chinese words that
        are not CC-CEDICT/glossary headwords and matched nothing in their bead are paired
        with the English lemmas their bead left unmatched; ``learn_associations`` keeps
        the pairs that keep co-occurring.
        """
        entries = self.lexicon.entries
        pairs = []
        for i0, i1, j0, j1 in beads:
            if i1 == i0 or j1 == j0 or (i1 - i0) + (j1 - j0) > 3:
                continue
            zh_off = set().union(*(scorer.zh.offered[i] for i in range(i0, i1)))
            en_off = set().union(*(scorer.en.offered[j] for j in range(j0, j1)))
            zw = [w for i in range(i0, i1) for w in zh_content_words(zh_sents[i], self.segmenter)
                  if w not in entries and not (self.lexicon.word_keys(w) & en_off)]
            ek = {e for j in range(j0, j1) for e in en_content_keys(en_sents[j])
                  if e not in zh_off}
            pairs.append((zw, ek))
        return learn_associations(pairs)


_POST_CHUNK = 32
"""Beads per step of the orphan and doubtful passes (each bead is judged alone)."""


class _Advance:
    """Reports a running row count to a progress callback as increments."""

    def __init__(self, progress: Callable[[int], None] | None):
        self.progress, self.done = progress, 0

    def __call__(self, target: int) -> None:
        if self.progress is not None and target > self.done:
            self.progress(target - self.done)
            self.done = target


def _plausible_ratio(ratio: float) -> bool:
    """Whether an English/Chinese character ratio fits two whole texts."""
    return EN_PER_ZH_CHAR / RATIO_SLACK <= ratio <= EN_PER_ZH_CHAR * RATIO_SLACK


def _aligned_ratio(
    zh_lengths: Sequence[int], en_lengths: Sequence[int],
    beads: Sequence[tuple[int, int, int, int]],
) -> float:
    """English/Chinese character ratio over the aligned beads (``EN_PER_ZH_CHAR`` when
    they are too few or give an implausible ratio)."""
    tz = te = 0
    for i0, i1, j0, j1 in beads:
        if i1 > i0 and j1 > j0:
            tz += sum(zh_lengths[i0:i1])
            te += sum(en_lengths[j0:j1])
    if tz < 20:
        return EN_PER_ZH_CHAR
    ratio = (te + 1.0) / (tz + 1.0)
    return ratio if _plausible_ratio(ratio) else EN_PER_ZH_CHAR


def align(
    zh_sents: Sequence[str],
    en_sents: Sequence[str],
    *,
    mt: Sequence[str] | None = None,
    glossary_pairs: Iterable[tuple[str, str]] = (),
    **options: Any,
) -> list[Alignment]:
    """Align Chinese sentences with their English translation (see ``Aligner``)."""
    return Aligner(glossary_pairs, **options).align(zh_sents, en_sents, mt=mt)


def mean_confidence(beads: Sequence[Alignment]) -> float:
    """Mean confidence over beads that have both sides (0 when there are none)."""
    both = [b.score for b in beads if b.src_ids and b.tgt_ids]
    return sum(both) / len(both) if both else 0.0




def omissions(alignment: Sequence[Alignment]) -> tuple[list[int], list[int]]:
    """Sentences the alignment leaves unaligned: ``(chinese ids, english ids)``.

    Unaligned Chinese sentences are probable omissions of the translation; unaligned
    English ones, additions (or a missing part of the Chinese side).

    Example:
        >>> omissions([Alignment((0,), (0,), 0.9), Alignment((1,), (), 0.0),
        ...            Alignment((), (1,), 0.0)])
        ([1], [1])
    """
    zh = [i for b in alignment if not b.tgt_ids for i in b.src_ids]
    en = [j for b in alignment if not b.src_ids for j in b.tgt_ids]
    return zh, en


def doubtful(alignment: Sequence[Alignment]) -> tuple[list[int], list[int]]:
    """Sentences inside beads that their bead's other side hardly explains: ``(chinese ids,
    english ids)``. Less sure than :func:`omissions`: each may be untranslated (or added)
    and was kept in its bead; a reviewer should look.

    Example:
        >>> doubtful([Alignment((0,), (0, 1), 0.6, (), (1,)), Alignment((1,), (2,), 0.9)])
        ([], [1])
    """
    return ([i for b in alignment for i in b.doubt_zh], [j for b in alignment for j in b.doubt_en])


__all__ = ["LOW_CONFIDENCE", "WEAK_BEAD", "Aligner", "Alignment", "align", "doubtful",
           "mean_confidence", "omissions"]
