"""Benchmark: the omission probe on MAC-Dev — do untranslated sentences come out unaligned?

Usage::

    python benchmarks/align_omissions.py --macdev DIR [--deletions 4] [--seeds 3] [--mt] [--no-embeddings]
        [--doubt-threshold X] [--clause-threshold X] [--side zh|en]

For each MAC-Dev text, ``--deletions`` Chinese sentences that the gold aligns 1–1 (spread
over the text, chosen by a seeded random draw, never neighbours) are deleted, so that their
English sentences have no counterpart; the rest is aligned. A deleted sentence's English
one is *caught* when the aligner outputs it as an unaligned bead ``[]:[k]``. Prints, per
text and pooled: orphans caught, unaligned beads output in all (false alarms are the
rest), the confidence of the beads that absorbed a missed orphan, the strict F1 of
the remaining beads against the gold (with the deleted lines taken out), and how many
missed orphans the aligner lists as *doubtful* (kept in a bead, for a reviewer to check).
``--side zh`` deletes English sentences instead: the orphans are Chinese sentences (an
omission of the translator's), caught as ``[k]:[]``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from align_macdev import DEFAULT_MACDEV, load


def _delete(t: dict[str, Any], k: int, seed: str, side: int) -> tuple[list[int], list[tuple], list[int]]:
    """Pick ``k`` 1–1 gold beads (a seeded draw, never neighbours) and delete their sentence
    on ``side`` (0: Chinese, 1: English): the kept line numbers of that side, the gold
    renumbered, and the orphans (the picked beads' lines on the other side)."""
    gold = t["gold"]
    ones = [g for g in gold if len(g[0]) == 1 and len(g[1]) == 1]
    rnd = random.Random(seed)
    picked: list[tuple] = []
    for g in rnd.sample(ones, len(ones)):
        if all(abs(g[side][0] - p[side][0]) > 2 for p in picked):
            picked.append(g)
        if len(picked) == k:
            break
    drop = {g[side][0] for g in picked}
    keep = [i for i in range(len(t[("zh", "en")[side]])) if i not in drop]
    new_id = {old: new for new, old in enumerate(keep)}
    new_gold = []
    for bead in gold:
        ids = tuple(new_id[i] for i in bead[side] if i in new_id)
        if ids or bead[1 - side]:
            new_gold.append((ids, bead[1]) if side == 0 else (bead[0], ids))
    return keep, new_gold, sorted(g[1 - side][0] for g in picked)


def probe(t: dict[str, Any], k: int, seed: int) -> dict[str, Any]:
    """Delete ``k`` Chinese sentences of 1–1 gold beads; the probe's zh, gold and orphans."""
    keep, gold, orphans = _delete(t, k, f"{t['stem']}-{seed}", 0)
    mt = [t["mt"][i] for i in keep] if t.get("mt") else None
    return {"zh": [t["zh"][i] for i in keep], "mt": mt, "gold": gold, "orphans": orphans}


def probe_en(t: dict[str, Any], k: int, seed: int) -> dict[str, Any]:
    """Delete ``k`` English sentences of 1–1 gold beads (the orphans are Chinese); the
    probe's en, gold and orphans."""
    keep, gold, orphans = _delete(t, k, f"en-{t['stem']}-{seed}", 1)
    return {"en": [t["en"][j] for j in keep], "gold": gold, "orphans": orphans}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--macdev", type=Path, default=DEFAULT_MACDEV, help="MAC-Dev folder")
    ap.add_argument("--deletions", type=int, default=4)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--mt", action="store_true", help="also give the aligner MAC-Dev's zh-mt/ lines")
    ap.add_argument("--no-embeddings", action="store_true", help="leave out the sentence vectors")
    ap.add_argument("--doubt-threshold", type=float, default=None,
                    help="list edge sentences as doubtful above this orphan score (default: the aligner's)")
    ap.add_argument("--clause-threshold", type=float, default=None,
                    help="the clause orphan test's threshold (default: the aligner's; inf: off)")
    ap.add_argument("--side", choices=("en", "zh"), default="en",
                    help="which side's orphans: en (Chinese sentences deleted, the default) or zh")
    args = ap.parse_args(argv)

    from bitext.alignment import Aligner, doubtful, omissions
    from bitext.alignment.evaluate import pooled, score_beads
    from bitext.alignment.scorers import Weights

    changes: dict[str, float] = {}
    if args.doubt_threshold is not None:
        changes["doubt_threshold"] = args.doubt_threshold
    if args.clause_threshold is not None:
        changes["clause_threshold"] = args.clause_threshold
    weights = Weights(**changes)
    al = Aligner(weights=weights, embeddings=not args.no_embeddings)
    texts = load(args.macdev)
    side = 1 if args.side == "en" else 0
    caught = total = nulls = doubt_hit = doubt_all = 0
    three = three_listed = 0  # probes with at least 3 of 4 orphans caught (or caught or listed)
    scores = []
    absorbed: list[float] = []
    print(f"{'text':<6} {'seed':>4} {'caught':>7} {args.side + ' nulls':>8} {'F1 rest':>7}   confidence of beads that absorbed an orphan")
    for t in texts:
        for seed in range(args.seeds):
            if side:
                p = probe(t, args.deletions, seed)
                beads = al.align(p["zh"], t["en"], mt=p["mt"] if args.mt else None)
            else:
                p = probe_en(t, args.deletions, seed)
                beads = al.align(t["zh"], p["en"], mt=t["mt"] if args.mt else None)
            un = omissions(beads)[side]
            got = [j for j in p["orphans"] if j in un]
            caught += len(got)
            total += len(p["orphans"])
            nulls += len(un)
            doubt = doubtful(beads)[side]
            doubt_all += len(doubt)
            listed = set(doubt) & set(p["orphans"])
            doubt_hit += len(listed)
            three += len(got) >= 3
            three_listed += len(got) + len(listed) >= 3
            missed = set(p["orphans"]) - set(got)
            miss = [b.score for b in beads if set((b.src_ids, b.tgt_ids)[side]) & missed]
            absorbed += miss
            s = score_beads(p["gold"], [(b.src_ids, b.tgt_ids) for b in beads])
            scores.append(s)
            print(f"{t['stem']:<6} {seed:>4} {len(got):>3}/{len(p['orphans']):<3} {len(un):>8} "
                  f"{s.f1:7.3f}   {' '.join(f'{x:.2f}' for x in miss)}")
    s = pooled(scores)
    print()
    print(f"orphans caught {caught}/{total} ({caught / total:.0%}); unaligned {('Chinese', 'English')[side]} beads "
          f"output {nulls} ({nulls - caught} false alarms); F1 of the rest {s.f1:.3f}; "
          f"mean confidence of absorbing beads "
          f"{sum(absorbed) / len(absorbed) if absorbed else 0:.2f}")
    print(f"listed as doubtful (kept in a bead, for review): {doubt_hit} more orphans among "
          f"{doubt_all} doubtful {('Chinese', 'English')[side]} sentences ({doubt_all / max(1, len(scores)):.1f} per probe); "
          f"caught or listed {caught + doubt_hit}/{total} ({(caught + doubt_hit) / total:.0%})")
    print(f"probes with at least 3 of {args.deletions} orphans caught: {three}/{len(scores)}; "
          f"caught or listed: {three_listed}/{len(scores)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
