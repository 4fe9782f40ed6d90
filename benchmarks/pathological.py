"""Seconds taken by pathological inputs; each figure should grow linearly with size.

    python benchmarks/pathological.py              # all sizes
    python benchmarks/pathological.py --quick      # skip the 1M run and the CLI translate

Prints, for unpunctuated runs of non-dictionary characters (CJK Extension A, which jieba's
dictionary lacks), the time of jieba word segmentation (``WordSegmenter.tokenize``) and of a
whole ``bitext translate --engine gloss`` run; and, for glossary cells of 1k/10k characters,
the time of term counting (``count_target``), ``glossary lint`` and a translate run that
uses such a glossary. Runs in a temporary folder; nothing is kept.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rare_run(n: int) -> str:
    return "".join(chr(0x3400 + (i * 7919) % 3000) for i in range(n))


def cli(*args: str, cwd: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "bitext", *args], check=False, cwd=cwd, env=env,
                       capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode not in (0, 1):
        print(f"  ! exit {p.returncode}: {p.stderr.strip()[-200:]}")
    return dt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    from bitext.segment.words import WordSegmenter
    from bitext.terms.enforce import count_target

    ws = WordSegmenter()
    ws.tokenize("网络安全")  # load jieba's dictionary first
    sizes = [10_000, 100_000] + ([] if args.quick else [1_000_000])
    print("unpunctuated non-dictionary run: jieba segmentation")
    for n in sizes:
        text = rare_run(n)
        t0 = time.perf_counter()
        ws.tokenize(text)
        print(f"  {n:>9,} chars  {time.perf_counter() - t0:8.2f} s")
    print("HTML read, one sentence inside n nested elements (a custom <x-a> / a <div>)")
    from bitext.readers.html import parse_html

    for n in (500, 2_000):
        for tag in ("x-a", "div"):
            page = f"<html><body>{f'<{tag}>' * n}中文句子。{f'</{tag}>' * n}</body></html>"
            t0 = time.perf_counter()
            parse_html(page)
            print(f"  {n:>9,} <{tag}>  {time.perf_counter() - t0:8.2f} s")
    print("term counting (count_target) of an n-letter glossary target in 3 occurrences")
    for n in (1_000, 10_000, 100_000):
        t = "a" * n
        t0 = time.perf_counter()
        count_target(("x " + t + " y ") * 3, t)
        print(f"  {n:>9,} chars  {time.perf_counter() - t0:8.3f} s")
    with tempfile.TemporaryDirectory(prefix="bitext-bench-") as d:
        tmp = Path(d)
        print("glossary lint, one n-character source cell (plus a short nested term)")
        for n in (1_000, 10_000):
            (tmp / "g.tsv").write_text(f"source\ttarget\n{'网' * n}\tnet\n网络\tnetwork\n", encoding="utf-8")
            print(f"  {n:>9,} chars  {cli('glossary', '--file', 'g.tsv', 'lint', cwd=tmp):8.2f} s (process)")
        print("translate --engine gloss with an n-letter glossary target")
        (tmp / "short.txt").write_text("网络安全很重要。网络安全法。\n", encoding="utf-8")
        for n in (1_000, 10_000):
            (tmp / "g.tsv").write_text(f"source\ttarget\n网络安全\t{'a' * n}\n", encoding="utf-8")
            dt = cli("translate", "short.txt", "--glossary", "g.tsv", "--engine", "gloss", "-o", "o", "-q", cwd=tmp)
            print(f"  {n:>9,} chars  {dt:8.2f} s (process)")
        if not args.quick:
            print("translate --engine gloss of an unpunctuated non-dictionary run (whole process)")
            for n in (10_000, 100_000, 200_000):
                (tmp / "run.txt").write_text(rare_run(n) + "\n", encoding="utf-8")
                dt = cli("translate", "run.txt", "--engine", "gloss", "-o", "o", "-q", cwd=tmp)
                print(f"  {n:>9,} chars  {dt:8.2f} s (process)")


if __name__ == "__main__":
    main()
