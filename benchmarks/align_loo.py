"""Benchmark: leave-one-text-out (LOO) strict F1 of ``bitext.alignment`` on MAC-Dev.

Usage::

    python benchmarks/align_loo.py --macdev DIR                 # the default grid
    python benchmarks/align_loo.py --macdev DIR --jobs 2 --grid small

MAC-Dev has six texts. In-sample F1 is the pooled F1 of the default settings over all six.
The LOO F1 is honest about choosing settings: for each text in turn, the setting with the
best *worst-text* F1 over the other five (ties: best pooled F1) is chosen — a setting good
on all texts rather than one that wins on average — and only the held-out text is scored
with it; the six held-out scores are pooled. The script prints both figures side by side,
the per-text choice, the per-bead-shape recall and precision of the default settings, and
an ablation of the grid's named settings.
"""

from __future__ import annotations

import argparse
import collections
import math
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from align_macdev import DEFAULT_MACDEV, load

Counts = tuple[int, int, int]  # matched, predicted, gold


def _f1(c: Counts) -> float:
    m, p, g = c
    if not m:
        return 0.0
    pr, rc = m / p, m / g
    return 2 * pr * rc / (pr + rc)


def _add(cs: list[Counts]) -> Counts:
    return (sum(c[0] for c in cs), sum(c[1] for c in cs), sum(c[2] for c in cs))


_TEXTS: list[dict[str, Any]] = []


def _aligner(opts: dict[str, Any]) -> Any:
    from bitext.alignment import Aligner
    from bitext.alignment.scorers import Weights

    o = dict(opts)
    if "weights" in o:
        o["weights"] = Weights(**o["weights"])
    return Aligner(**o)


def _init(macdev: Path) -> None:
    global _TEXTS
    _TEXTS = load(macdev)


def _run_one(job: tuple[str, dict[str, Any]]) -> tuple[str, list[list[tuple]], float]:
    name, opts = job
    al = _aligner(opts)
    t0 = time.process_time()
    out = []
    for t in _TEXTS:
        beads = al.align(t["zh"], t["en"])
        out.append([(b.src_ids, b.tgt_ids) for b in beads])
    return name, out, time.process_time() - t0


def counts(gold: list, auto: list) -> Counts:
    g = {(frozenset(a), frozenset(b)) for a, b in gold}
    a = {(frozenset(x), frozenset(y)) for x, y in auto}
    return (len(g & a), len(auto), len(gold))


def shape_table(texts: list[dict[str, Any]], autos: list[list[tuple]]) -> list[str]:
    """Per gold-bead-shape recall (and precision of predicted beads of that shape)."""
    tot, hit, pred, phit = (collections.Counter() for _ in range(4))
    for t, auto in zip(texts, autos):
        g = {(frozenset(a), frozenset(b)) for a, b in t["gold"]}
        a = {(frozenset(x), frozenset(y)) for x, y in auto}
        for x in g:
            s = (len(x[0]), len(x[1]))
            tot[s] += 1
            hit[s] += x in a
        for x in a:
            s = (len(x[0]), len(x[1]))
            pred[s] += 1
            phit[s] += x in g

    def group(s: tuple[int, int]) -> str:
        if 0 in s:
            return "null (1-0/0-1)"
        if min(s) >= 2:
            return "many-to-many"
        return f"{s[0]}-{s[1]}" if max(s) <= 3 else "1-4+ / 4+-1"

    gt, gh, gp, gph = (collections.Counter() for _ in range(4))
    for s in set(tot) | set(pred):
        k = group(s)
        gt[k] += tot[s]; gh[k] += hit[s]; gp[k] += pred[s]; gph[k] += phit[s]
    lines = [f"{'gold shape':<16} {'gold':>5} {'recall':>7} {'pred':>5} {'prec':>6}"]
    order = ["1-1", "1-2", "1-3", "2-1", "3-1", "1-4+ / 4+-1", "many-to-many", "null (1-0/0-1)"]
    for k in order + sorted(set(gt) - set(order)):
        if gt[k] or gp[k]:
            lines.append(f"{k:<16} {gt[k]:5d} {gh[k] / gt[k] if gt[k] else 0:7.3f} {gp[k]:5d} "
                         f"{gph[k] / gp[k] if gp[k] else 0:6.3f}")
    return lines


def _w(**kw: Any) -> dict[str, Any]:
    return {"weights": kw}


GRIDS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    # The first setting of a grid is the default one (in-sample figure and shape table).
    "default": [
        ("default", {}),
        ("- embeddings", {"embeddings": False}),
        ("embeddings .3", _w(embedding=0.3)),
        ("embeddings .7", _w(embedding=0.7)),
        ("embeddings .5, in beads .25", _w(embedding_bead=0.25)),
        ("- vector boundary shift", _w(embedding_shift=0.0)),
        ("vector boundary shift .02", _w(embedding_shift=0.02)),
        ("vector boundary shift .1", _w(embedding_shift=0.1)),
        ("- orphan split", {"orphans": False}),
        ("- orphan length split", _w(orphan_len_kappa=0.0)),
        ("- rehome", _w(rehome_margin=-1.0)),
        ("- rehome swap", _w(rehome_swap=False)),
        ("- clause orphan test", _w(clause_threshold=math.inf)),
        ("clause threshold -0.8", _w(clause_threshold=-0.8)),
        ("clause threshold -1.2", _w(clause_threshold=-1.2)),
        ("clause threshold -2.0", _w(clause_threshold=-2.0)),
        ("- orphan split, - skip cal.", {"orphans": False, **_w(skip_calibrated=False)}),
        ("orphan split, - skip cal.", _w(skip_calibrated=False)),
        ("mm units .25", _w(mm_units=0.25)),
        ("- self-training", {"self_train": False}),
        ("- names (pinyin)", {"key_kinds": ("dictionary", "numbers", "punctuation")}),
    ],
    "small": [
        ("default", {}),
    ],
    # The orphan post-pass's length test (issue #13): the share of chance a split sentence
    # may reach and the length log-probability the rest of its bead must gain.
    "orphans": [
        ("default", {}),
        ("- orphan length split", _w(orphan_len_kappa=0.0)),
        ("orphan len k2 g.5", _w(orphan_len_kappa=2.0)),
        ("orphan len k3 g.5", _w(orphan_len_kappa=3.0)),
        ("orphan len k2.5 g.4", _w(orphan_len_gain=0.4)),
        ("orphan len k2.5 g.6", _w(orphan_len_gain=0.6)),
        ("orphan len k4 g.5", _w(orphan_len_kappa=4.0)),
        ("- rehome", _w(rehome_margin=-1.0)),
        ("rehome k2 m.2", _w(rehome_kappa=2.0)),
        ("rehome k3 m.4", _w(rehome_margin=0.4)),
    ],
    # Explored while developing issue #13 (all lost under LOO; kept for the record).
    "explore": [
        ("default", {}),
        ("mm units .5 pen .05", _w(mm_units=0.5, mm_penalty=0.05)),
        ("mm units .75 pen .2", _w(mm_units=0.75, mm_penalty=0.2)),
        ("chance 1", _w(chance=1.0)),
        ("chance 2, mm units 1, pen .1", _w(chance=2.0, mm_units=1.0, mm_penalty=0.1)),
        ("absorb .3 k4", _w(absorb=0.3, absorb_kappa=4)),
        ("absorb .5 k2.5", _w(absorb=0.5)),
        ("skip .05/.2", _w(skip_base=0.05, skip_gain=0.2)),
        ("size power .5", _w(size_power=0.5)),
        ("merge .03", _w(merge=0.03)),
        ("absorb .3", _w(absorb=0.3)),
        ("orphan model > 3", _w(orphan_threshold=3.0)),
        ("orphan model > 2.5", _w(orphan_threshold=2.5)),
    ],
}


def grid(name: str) -> list[tuple[str, dict[str, Any]]]:
    if name in GRIDS:
        return GRIDS[name]
    raise SystemExit(f"unknown grid {name}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--macdev", type=Path, default=DEFAULT_MACDEV, help="MAC-Dev folder")
    ap.add_argument("--grid", default="default", help="named grid of settings: " + ", ".join(GRIDS))
    ap.add_argument("--jobs", type=int, default=2, help="worker processes")
    args = ap.parse_args(argv)

    global _TEXTS
    _TEXTS = load(args.macdev)
    configs = grid(args.grid)
    t0 = time.perf_counter()
    # Spawned workers: the sentence encoder's OpenMP threads do not survive a fork.
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(args.jobs, initializer=_init, initargs=(args.macdev,)) as pool:
        results = {n: (a, c) for n, a, c in pool.imap_unordered(_run_one, configs)}
    wall = time.perf_counter() - t0
    names = [n for n, _ in configs]
    per = {n: [counts(t["gold"], a) for t, a in zip(_TEXTS, results[n][0])] for n in names}
    stems = [t["stem"] for t in _TEXTS]

    print(f"{len(configs)} settings x {len(_TEXTS)} texts in {wall:.0f} s wall")
    print()
    print(f"{'setting':<28} {'F1':>6} {'worst':>6} {'cpu s':>6}   per-text F1 ({' '.join(stems)})")
    for n in names:
        cs = per[n]
        print(f"{n:<28} {_f1(_add(cs)):6.3f} {min(_f1(c) for c in cs):6.3f} "
              f"{results[n][1]:6.1f}   " + " ".join(f"{_f1(c):.3f}" for c in cs))
    print()
    # Leave one text out: choose on five, score the sixth.
    held = []
    for k, stem in enumerate(stems):
        def key(n: str, k: int = k) -> tuple[float, float]:
            others = [c for i, c in enumerate(per[n]) if i != k]
            return (round(min(_f1(c) for c in others), 3), _f1(_add(others)))
        best = max(names, key=key)
        held.append(per[best][k])
        print(f"held out {stem}: chose {best:<28} held-out F1 {_f1(per[best][k]):.3f}")
    default = names[0]
    print()
    print(f"in-sample F1 ({default}): {_f1(_add(per[default])):.3f}    "
          f"LOO F1: {_f1(_add(held)):.3f}")
    print()
    print(f"per-shape recall on MAC-Dev ({default}):")
    for line in shape_table(_TEXTS, results[default][0]):
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
