"""Sentence alignment of a Chinese text with its English translation.

``align(zh_sents, en_sents)`` returns ``Alignment`` beads covering every sentence of both
sides exactly once and in order. The signals (length, CC-CEDICT + glossary lexicon,
pinyin names, numbers, optional machine translation) live in ``scorers``/``lexicon``; the
anchor pass and the banded dynamic programme in ``search``; the bead file format in
``beads``; strict scoring in ``evaluate``.

Example:
    >>> from bitext.align import align
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

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.3
"""Below this mean bead confidence the pair is probably not a translation (warning)."""

WEAK_BEAD = 0.3
"""Beads below this confidence are flagged as weak in outputs."""


@dataclass(frozen=True)
class Alignment:
    """One bead: Chinese sentence ids ↔ English sentence ids, with a 0–1 confidence.

    Attributes:
        src_ids: 0-based Chinese sentence numbers (empty for an unaligned English one).
        tgt_ids: 0-based English sentence numbers (empty for an unaligned Chinese one).
        score: confidence in [0, 1].
    """

    src_ids: tuple[int, ...]
    tgt_ids: tuple[int, ...]
    score: float


@functools.lru_cache(maxsize=4)
def _segmenter(terms: tuple[str, ...]) -> Any:
    from bitext.segment.words import WordSegmenter

    return WordSegmenter(terms)


class Aligner:
    """A reusable aligner (the lexicon and word segmenter load once).

    Args:
        glossary_pairs: extra ``(chinese, english)`` term pairs (user glossaries).
        use_lexicon: use the dictionary / names / numbers signal.
        use_length: use the length signal.
        use_mt: use machine translations when given.
        width: band half-width of the search (English sentences).
        weights: a ``bitext.align.scorers.Weights`` (None for the calibrated defaults).
        key_kinds: lexical evidence to use: ``dictionary``, ``names``, ``numbers``.
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
    ):
        from bitext.align.lexicon import default_lexicon
        from bitext.align.scorers import Weights

        pairs = [(s, t) for s, t in glossary_pairs if s.strip() and t.strip()]
        self.lexicon = default_lexicon().with_glossary(pairs) if pairs else default_lexicon()
        self.segmenter = _segmenter(tuple(sorted({s for s, _ in pairs})))
        self.use_lexicon, self.use_length, self.use_mt = use_lexicon, use_length, use_mt
        self.width = width
        self.weights = weights or Weights()
        self.key_kinds = tuple(key_kinds)

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
            progress: called with a row count as the search advances.

        Raises:
            AlignmentError: ``mt`` does not have one line per Chinese sentence.
        """
        from bitext.align.scorers import BeadScorer, chinese_features, english_features
        from bitext.align.search import search
        from bitext.errors import AlignmentError

        if mt is not None and len(mt) != len(zh_sents):
            raise AlignmentError(
                f"the machine translation has {len(mt)} lines but the Chinese side has "
                f"{len(zh_sents)} sentences; give one MT line per Chinese sentence"
            )
        zf = chinese_features(zh_sents, self.lexicon, self.segmenter,
                              mt if (mt is not None and self.use_mt) else None, self.key_kinds)
        ef = english_features(en_sents, self.key_kinds, with_mt_view=zf.mt_tokens is not None)
        scorer = BeadScorer(zf, ef, self.weights, use_lexicon=self.use_lexicon,
                            use_length=self.use_length, use_mt=self.use_mt)
        beads = search(scorer, len(zh_sents), len(en_sents), width=self.width, progress=progress)
        out = []
        for i0, i1, j0, j1 in beads:
            out.append(Alignment(tuple(range(i0, i1)), tuple(range(j0, j1)),
                                 round(scorer.confidence(i0, i1, j0, j1), 4)))
        return out


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


__all__ = ["LOW_CONFIDENCE", "WEAK_BEAD", "Aligner", "Alignment", "align", "mean_confidence"]
