"""The alignment search: a cheap anchor pass, then one banded dynamic programme.

This module owns finding the best sequence of beads:

1. **Anchors** (linear time): keys that are rare on both sides (a name, a number, an
   unusual word) propose sentence pairs through an inverted index; the heaviest chain of
   pairs increasing on both sides (a weighted longest-increasing-subsequence, O(P log P))
   gives the diagonal path. Without anchors the proportional diagonal is used.
2. **Band**: for each Chinese row, an interval of English columns around the path
   (interpolated between anchors) of half-width ``width``; rows are kept connected. For a
   partial translation the path leaves the chain's ends along its own slope and runs
   along the table's edges, and unaligned runs at either end of the text are free.
3. **Dynamic programme** over bead types ``BEAD_TYPES`` inside the band. Scores are
   computed only for cells inside the band, pair masks are cached for the last few rows
   only, and back-pointers take one byte per band cell, so time and memory grow linearly
   with the text length (times the band width).
"""

from __future__ import annotations

import bisect
import logging
import math
from array import array
from collections.abc import Callable, Sequence

from bitext.alignment.scorers import BeadScorer, SideFeatures
from bitext.errors import AlignmentError

log = logging.getLogger(__name__)

BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (2, 1), (1, 3), (2, 2), (3, 1), (1, 4), (2, 3), (3, 2), (1, 5), (4, 1),
    (2, 4), (1, 6), (3, 3), (4, 2), (1, 0), (0, 1),
)
"""``(Chinese sentences, English sentences)`` per bead the search may use."""

Bead = tuple[int, int, int, int]
"""``(i0, i1, j0, j1)``: Chinese ``[i0, i1)`` ↔ English ``[j0, j1)``."""


def anchor_pairs(zh: SideFeatures, en: SideFeatures, max_df: int = 3) -> list[tuple[int, int, float]]:
    """Candidate anchor pairs ``(i, j, weight)`` from keys rare on both sides.

    Args:
        zh: Chinese features (``offered`` keys per sentence).
        en: English features (``offered`` keys per sentence).
        max_df: a key is rare when it occurs in at most this many sentences per side.
    """
    zh_post: dict[str, list[int]] = {}
    for i, keys in enumerate(zh.offered):
        for k in keys:
            lst = zh_post.setdefault(k, [])
            if len(lst) <= max_df:
                lst.append(i)
    en_post: dict[str, list[int]] = {}
    for j, keys in enumerate(en.offered):
        for k in keys:
            if k in zh_post and len(zh_post[k]) <= max_df:
                lst = en_post.setdefault(k, [])
                if len(lst) <= max_df:
                    lst.append(j)
    weights: dict[tuple[int, int], float] = {}
    for k, js in en_post.items():
        if len(js) > max_df:
            continue
        iz = zh_post[k]
        w = 1.0 / (len(iz) * len(js))
        for i in iz:
            for j in js:
                weights[(i, j)] = weights.get((i, j), 0.0) + w
    return [(i, j, w) for (i, j), w in weights.items()]


def heaviest_chain(pairs: Sequence[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The chain of pairs strictly increasing in both coordinates with the largest weight."""
    if not pairs:
        return []
    ps = sorted(pairs, key=lambda p: (p[0], -p[1]))
    cols = sorted({p[1] for p in ps})
    pos = {c: k for k, c in enumerate(cols)}
    size = len(cols)
    tree_w = [0.0] * (size + 1)
    tree_id = [-1] * (size + 1)
    best_w = [0.0] * len(ps)
    prev = [-1] * len(ps)

    def query(k: int) -> tuple[float, int]:  # max over columns < k (1-based prefix)
        bw, bid = 0.0, -1
        while k > 0:
            if tree_w[k] > bw:
                bw, bid = tree_w[k], tree_id[k]
            k -= k & -k
        return bw, bid

    def update(k: int, w: float, idx: int) -> None:
        k += 1
        while k <= size:
            if w > tree_w[k]:
                tree_w[k], tree_id[k] = w, idx
            k += k & -k

    # Pairs in the same row are sorted by decreasing column, so a row never chains to itself.
    for idx, (_i, j, w) in enumerate(ps):
        bw, bid = query(pos[j])
        best_w[idx] = bw + w
        prev[idx] = bid
        update(pos[j], best_w[idx], idx)
    idx = max(range(len(ps)), key=lambda k: best_w[k])
    chain = []
    while idx >= 0:
        chain.append((ps[idx][0], ps[idx][1]))
        idx = prev[idx]
    return chain[::-1]


def band(
    n: int, m: int, anchors: Sequence[tuple[int, int]], width: int, *, partial: bool = False
) -> tuple[list[int], list[int]]:
    """Per-row column intervals ``lo[i]..hi[i]`` (inclusive) around the anchor path.

    The path runs through (0, 0), the anchors (as cell corners ``(i + 0.5, j + 0.5)``) and
    (n, m); between points it is interpolated linearly. With ``partial`` (one side covers
    a sub-range of the other) and at least two anchors, the path leaves the first anchor
    backwards and the last one forwards along the chain's own slope until it meets an edge
    of the table, then follows that edge to the corner (runs of unaligned sentences)
    instead of cutting straight to the corners.
    """
    mid = [(i + 0.5, j + 0.5) for i, j in anchors]
    head: list[tuple[float, float]] = []
    tail: list[tuple[float, float]] = []
    if partial and len(mid) >= 2:
        slope = max(_median_slope(anchors), 1e-6)
        (xa, ya), (xb, yb) = mid[0], mid[-1]
        head = [(0.0, ya - slope * xa)] if ya >= slope * xa else [(xa - ya / slope, 0.0)]
        if yb + slope * (n - xb) <= m:
            tail = [(float(n), yb + slope * (n - xb))]
        else:
            tail = [(xb + (m - yb) / slope, float(m))]
    pts = [(0.0, 0.0)] + head + mid + tail + [(float(n), float(m))]
    xs = [p[0] for p in pts]
    lo = [0] * (n + 1)
    hi = [0] * (n + 1)
    for i in range(n + 1):
        k = bisect.bisect_right(xs, i) - 1
        k = min(max(k, 0), len(pts) - 2)
        (x0, y0), (x1, y1) = pts[k], pts[k + 1]
        c = y0 if x1 == x0 else y0 + (y1 - y0) * (i - x0) / (x1 - x0)
        lo[i] = max(0, math.floor(c) - width)
        hi[i] = min(m, math.ceil(c) + width)
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):  # monotone
        lo[i] = max(lo[i], lo[i - 1])
    for i in range(n - 1, -1, -1):
        hi[i] = min(hi[i], hi[i + 1])
    for i in range(n):  # connected: a row reaches where the next one starts
        hi[i] = max(hi[i], lo[i + 1])
        lo[i] = min(lo[i], hi[i])
    return lo, hi


def find_anchors(
    zh: SideFeatures, en: SideFeatures, *, partial: bool = False
) -> list[tuple[int, int]]:
    """Anchor chain, with pairs too far from their neighbours' trend dropped.

    Args:
        zh: Chinese features.
        en: English features.
        partial: one side translates only part of the other, so the sentence-count ratio
            says nothing about the path's slope: the trend is the chain's own median
            local slope instead.
    """
    n, m = len(zh.lengths), len(en.lengths)
    # Longer texts repeat more words: let "rare" grow slowly with the length.
    chain = heaviest_chain(anchor_pairs(zh, en, max_df=3 + max(n, m) // 2000))
    if not chain:
        return []
    # Keep anchors that agree with most of their chain neighbours: a neighbour agrees when
    # the step between the two is close to the text's overall slope.
    slope = m / n if n else 1.0
    if partial and len(chain) >= 3:
        slope = _median_slope(chain)
    kept = []
    for k, (i, j) in enumerate(chain):
        near = chain[max(0, k - 4) : k] + chain[k + 1 : k + 5]
        if not near:
            kept.append((i, j))
            continue
        agree = sum(
            1 for (i2, j2) in near
            if abs((j - j2) - slope * (i - i2)) <= 3 + 0.3 * slope * abs(i - i2)
        )
        if 2 * agree >= len(near):
            kept.append((i, j))
    return kept


def _median_slope(chain: Sequence[tuple[int, int]], step: int = 4) -> float:
    """Median of the slopes between chain pairs ``step`` apart (robust to stray pairs)."""
    step = min(step, len(chain) - 1)
    slopes = sorted(
        (chain[k + step][1] - chain[k][1]) / (chain[k + step][0] - chain[k][0])
        for k in range(len(chain) - step)
    )
    return slopes[len(slopes) // 2]


def search(
    scorer: BeadScorer,
    n: int,
    m: int,
    *,
    width: int = 16,
    anchors: Sequence[tuple[int, int]] | None = None,
    bead_types: Sequence[tuple[int, int]] = BEAD_TYPES,
    progress: Callable[[int], None] | None = None,
    partial: bool = False,
) -> list[Bead]:
    """Best bead sequence covering ``n`` Chinese and ``m`` English sentences.

    Args:
        scorer: bead scorer.
        n: Chinese sentence count.
        m: English sentence count.
        width: band half-width around the anchor path (in English sentences).
        anchors: anchor pairs (from ``find_anchors``); None computes them.
        bead_types: allowed ``(a, b)`` bead shapes.
        progress: called with the number of rows done since the last call.
        partial: one side translates only a sub-range of the other (an excerpt, a
            chapter's first paragraphs). Unaligned sentences at either end of the text
            (before anything of the other side or after all of it) then cost nothing —
            free end gaps, as in semi-global sequence alignment — so the covered part is
            not spread across the longer side; and the anchor trend is the anchor
            chain's own slope, not the sentence-count ratio.

    Returns:
        Beads in order; together they cover every sentence of both sides exactly once.
    """
    if n == 0 and m == 0:
        return []
    if n == 0:
        return [(0, 0, j, j + 1) for j in range(m)]
    if m == 0:
        return [(i, i + 1, 0, 0) for i in range(n)]
    if anchors is None:
        anchors = find_anchors(scorer.zh, scorer.en, partial=partial)
    # The band must be wide enough for the English side to be consumed by the allowed beads.
    ratio = max(m / n, n / m)
    width = max(width, math.ceil(ratio * 3))
    lo, hi = band(n, m, anchors, width, partial=partial)
    calibrate = getattr(scorer, "calibrate_skips", None)
    if calibrate is not None:
        calibrate(lo, hi)  # per-sentence costs of leaving a sentence unaligned
    neg = -math.inf
    max_a = max(a for a, _ in bead_types)
    rows_score: list[array] = []
    back: list[bytearray] = []
    types = list(bead_types)
    for i in range(n + 1):
        L, H = lo[i], hi[i]
        sc = array("d", [neg]) * (H - L + 1)
        bp = bytearray(H - L + 1)
        for j in range(L, H + 1):
            if i == 0 and j == 0:
                sc[0] = 0.0
                bp[0] = 255
                continue
            best, arg = neg, 255
            for t, (a, b) in enumerate(types):
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0:
                    continue
                if pi == i:
                    prow, plo, phi = sc, L, H
                else:
                    prow, plo, phi = rows_score[pi], lo[pi], hi[pi]
                if pj < plo or pj > phi:
                    continue
                prev = prow[pj - plo]
                if prev == neg:
                    continue
                if partial and (
                    (a == 0 and (i == 0 or i == n)) or (b == 0 and (j == 0 or j == m))
                ):
                    v = prev  # leading or trailing run of unaligned sentences: free
                else:
                    v = prev + scorer.score(pi, i, pj, j)
                if v > best:
                    best, arg = v, t
            sc[j - L] = best
            bp[j - L] = arg
        rows_score.append(sc)
        back.append(bp)
        if i - max_a - 1 >= 0:
            # Scores of rows the recurrence can no longer reach are not needed.
            rows_score[i - max_a - 1] = array("d")
        scorer.forget_rows_before(i - max_a)
        if progress is not None:
            progress(1)
    if rows_score[n][m - lo[n]] == neg:
        raise AlignmentError("no alignment path inside the search band")
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        t = back[i][j - lo[i]]
        if t == 255:
            raise AlignmentError("broken back-pointer in the alignment search")
        a, b = types[t]
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return beads
