"""Benchmark: strict bead F1 and speed of ``bitext.alignment`` on MAC-Dev, plus an ablation.

Usage::

    python benchmarks/align_macdev.py                       # ../shared/data/mac-dev
    python benchmarks/align_macdev.py --macdev DIR --no-ablation
    python benchmarks/align_macdev.py --out DIR             # also write the *.align files

Prints pooled strict P/R/F1 (the MAC-Dev README rule: a predicted bead counts only if a
gold bead has the same Chinese and English line sets) and the seconds spent aligning all
six texts, without and with the ``zh-mt/`` machine translations. One-time loads
(CC-CEDICT index, jieba dictionary) are done before the clock starts and reported apart.
The ablation table removes one signal at a time and also runs each signal alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_MACDEV = HERE.parent.parent / "shared" / "data" / "mac-dev"


def load(macdev: Path) -> list[dict[str, Any]]:
    """The texts of MAC-Dev: zh, en, mt lines and gold beads per file stem."""
    from bitext.alignment.beads import read_beads

    texts = []
    for f in sorted((macdev / "zh").glob("*.zh")):
        stem = f.stem

        def lines(p: Path) -> list[str]:
            return p.read_text(encoding="utf-8").splitlines()

        mt_path = macdev / "zh-mt" / f"{stem}.en"
        texts.append({
            "stem": stem,
            "zh": lines(f),
            "en": lines(macdev / "en" / f"{stem}.en"),
            "mt": lines(mt_path) if mt_path.exists() else None,
            "gold": read_beads(macdev / "gold" / f"{stem}.align"),
        })
    if not texts:
        raise SystemExit(f"no MAC-Dev texts under {macdev} (want zh/*.zh, en/*.en, gold/*.align)")
    return texts


def run(texts: list[dict[str, Any]], *, use_mt: bool, out: Path | None = None,
        **options: Any) -> tuple[Any, float, dict[str, float]]:
    """Align every text; return (pooled score, wall seconds, per-file F1).

    The CPU seconds of the run are stored in ``run.cpu_s`` (wall time suffers when the
    machine is shared; CPU time does not)."""
    from bitext.alignment import Aligner
    from bitext.alignment.beads import write_beads
    from bitext.alignment.evaluate import pooled, score_beads

    aligner = Aligner(**options)
    aligner.align(["你好。"], ["Hello."])  # warm caches outside the clock
    scores, per = [], {}
    t0 = time.perf_counter()
    c0 = time.process_time()
    for t in texts:
        beads = aligner.align(t["zh"], t["en"], mt=t["mt"] if use_mt else None)
        auto = [(b.src_ids, b.tgt_ids) for b in beads]
        s = score_beads(t["gold"], auto)
        scores.append(s)
        per[t["stem"]] = s.f1
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            write_beads(out / f"{t['stem']}{'.mt' if use_mt else ''}.align", auto)
    run.cpu_s = time.process_time() - c0  # type: ignore[attr-defined]
    return pooled(scores), time.perf_counter() - t0, per


ABLATION: list[tuple[str, bool, dict[str, Any]]] = [
    ("all signals", False, {}),
    ("all signals + MT", True, {}),
    ("− self-training", False, {"self_train": False}),
    ("− self-training, + MT", True, {"self_train": False}),
    ("− length", False, {"use_length": False}),
    ("− dictionary", False, {"key_kinds": ("names", "numbers", "punctuation")}),
    ("− names (pinyin)", False, {"key_kinds": ("dictionary", "numbers", "punctuation")}),
    ("− numbers", False, {"key_kinds": ("dictionary", "names", "punctuation")}),
    ("− punctuation shape", False, {"key_kinds": ("dictionary", "names", "numbers")}),
    ("− lexicon, + MT", True, {"use_lexicon": False}),
    ("length only", False, {"use_lexicon": False, "key_kinds": ()}),
    ("dictionary only", False, {"use_length": False, "key_kinds": ("dictionary",)}),
    ("punctuation only", False, {"use_length": False, "key_kinds": ("punctuation",)}),
    ("MT only", True, {"use_lexicon": False, "use_length": False}),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--macdev", type=Path, default=DEFAULT_MACDEV, help="MAC-Dev folder")
    ap.add_argument("--no-ablation", action="store_true", help="only the two main runs")
    ap.add_argument("--out", type=Path, default=None, help="write the automatic *.align files here")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from bitext.alignment import Aligner

    Aligner().align(["你好。"], ["Hello."])
    load_s = time.perf_counter() - t0
    texts = load(args.macdev)
    n_zh = sum(len(t["zh"]) for t in texts)
    n_en = sum(len(t["en"]) for t in texts)
    print(f"MAC-Dev: {len(texts)} texts, {n_zh} zh / {n_en} en lines, "
          f"{sum(len(t['gold']) for t in texts)} gold beads; one-time loads {load_s:.1f} s")
    print()
    print(f"{'run':<22} {'P':>6} {'R':>6} {'F1':>6} {'seconds':>8} {'cpu s':>6}   per-file F1")
    rows = ABLATION if not args.no_ablation else ABLATION[:2]
    for name, use_mt, opts in rows:
        if use_mt and any(t["mt"] is None for t in texts):
            continue
        score, secs, per = run(texts, use_mt=use_mt, out=args.out if not opts else None, **opts)
        files = " ".join(f"{v:.3f}" for v in per.values())
        print(f"{name:<22} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} {secs:8.2f} "
              f"{run.cpu_s:6.2f}   {files}")  # type: ignore[attr-defined]
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
