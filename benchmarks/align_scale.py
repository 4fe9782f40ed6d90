"""Benchmark: time and peak memory of ``bitext.alignment`` on long synthetic texts.

Usage::

    python benchmarks/align_scale.py                 # 1,000, 2,000, 5,000 and 10,000 sentences
    python benchmarks/align_scale.py --sizes 10000

Each Chinese sentence is four random CC-CEDICT two-character words; its English
translation is their first English glosses, and one English sentence in five is split in
two (giving 1–2 beads). Prints seconds, the number of sentence pairs scored (linear in
the text length when the search stays inside its band), peak resident memory of the
process, and the share of beads that are correct. Each size runs in a fresh process so
the peak memory belongs to that size alone.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import time


def synthetic(n: int, seed: int = 7) -> tuple[list[str], list[str], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    """``n`` Chinese sentences, their English translation and the true beads."""
    import regex

    from bitext.zh.cedict import entries

    vocab = []
    for e in entries():
        if len(e.simplified) == 2 and regex.fullmatch(r"\p{Han}{2}", e.simplified):
            d = e.definitions[0]
            if regex.fullmatch(r"[a-z]{4,12}", d):
                vocab.append((e.simplified, d))
    rnd = random.Random(seed)
    rnd.shuffle(vocab)
    vocab = vocab[:3000]
    zh: list[str] = []
    en: list[str] = []
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for i in range(n):
        words = rnd.sample(vocab, 4)
        zh.append("".join(w for w, _ in words) + "。")
        eng = [t for _, t in words]
        if rnd.random() < 0.2:
            j = len(en)
            en.append(" ".join(eng[:2]).capitalize() + ".")
            en.append(" ".join(eng[2:]).capitalize() + ".")
            gold.append(((i,), (j, j + 1)))
        else:
            gold.append(((i,), (len(en),)))
            en.append(" ".join(eng).capitalize() + ".")
    return zh, en, gold


def one(n: int) -> None:
    """Run one size and print its row."""
    from bitext.alignment import Aligner
    from bitext.alignment.evaluate import score_beads
    from bitext.alignment.scorers import BeadScorer

    zh, en, gold = synthetic(n)
    aligner = Aligner()
    aligner.align(["你好。"], ["Hello."])
    counted = {}
    orig_init = BeadScorer.__init__

    def init(self, *a, **k):  # type: ignore[no-untyped-def]
        orig_init(self, *a, **k)
        counted["scorer"] = self

    BeadScorer.__init__ = init  # type: ignore[method-assign]
    t0 = time.perf_counter()
    beads = aligner.align(zh, en)
    secs = time.perf_counter() - t0
    pairs = counted["scorer"].pairs_scored
    f1 = score_beads(gold, [(b.src_ids, b.tgt_ids) for b in beads]).f1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n:>7} × {len(en):<7} {secs:8.2f} {pairs:>12,} {pairs / n:10.1f} {peak_mb:10.0f} {f1:6.3f}",
          flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        one(args.one)
        return 0
    print(f"{'zh × en sentences':<17} {'seconds':>8} {'pairs scored':>12} {'pairs/row':>10} "
          f"{'peak MB':>10} {'F1':>6}")
    for n in args.sizes:
        subprocess.run([sys.executable, __file__, "--one", str(n)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
