"""Peak memory of ``bitext translate`` as a plain-text document grows (issue 15).

Builds documents of 10k and 100k lines (add ``--sizes``, or ``--million`` for 1M lines)
by repeating Chinese lines, translates each in a fresh process with ALL default outputs
(TMX + side-by-side HTML + English document) and prints the child's peak RSS
(``ru_maxrss`` from ``wait4``) and wall seconds.

    python benchmarks/memory_scale.py                       # 10k, 100k (gloss engine)
    python benchmarks/memory_scale.py --sizes 10000,300000
    python benchmarks/memory_scale.py --million             # adds 1,000,000 lines (slow)
    python benchmarks/memory_scale.py --lines-from mac-dev/zh/001.zh --engine argos

Lines come from ``--lines-from`` files (one paragraph a line) or, by default, a few
built-in sentences with numbers and glossary terms. Targets: 300k lines ≤ 700 MB,
1M lines ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILTIN = [
    "国家互联网信息办公室发布《数据出境安全评估办法》，自2022年9月1日起施行。",
    "截至2023年12月，我国网民规模达10.92亿人，较2022年12月增长2480万人。",
    "　　网络安全是国家安全的重要组成部分，关键信息基础设施运营者应当履行安全保护义务。",
    "人工智能治理需要各方共同参与，推动形成具有广泛共识的治理框架和标准规范。",
    "第一条　为了规范数据处理活动，保障数据安全，促进数据开发利用，制定本办法。",
    "",
    "个人信息处理者应当采取必要措施，确保个人信息处理活动符合法律、行政法规的规定！",
    "2024年，全国共查处网络违法违规案件3.2万起，同比增长百分之十五。",
]


def make_document(path: Path, n: int, source_lines: list[str]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        k = len(source_lines)
        f.writelines(source_lines[i % k] + "\n" for i in range(n))


def run(doc: Path, out: Path, engine: str, extra: list[str]) -> tuple[float, float, int]:
    cmd = [sys.executable, "-m", "bitext", "translate", str(doc), "-o", str(out), "-q",
           "--engine", engine, "--max-input-mb", "0", *extra]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    err = p.stderr.read().decode("utf-8", "replace") if p.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        print(f"  exit {code}: {err.strip()[-300:]}", file=sys.stderr)
    return usage.ru_maxrss / 1024, secs, code


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated line counts")
    ap.add_argument("--million", action="store_true", help="also 1,000,000 lines")
    ap.add_argument("--engine", default="gloss")
    ap.add_argument("--lines-from", nargs="*", type=Path, default=[],
                    help="text files whose non-empty lines are repeated (default: built-in)")
    ap.add_argument("--keep", type=Path, default=None, help="folder to keep the documents in")
    args, extra = ap.parse_known_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.million and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    lines = [ln.strip() for p in args.lines_from for ln in p.read_text(encoding="utf-8").splitlines()
             if ln.strip()] or BUILTIN
    with tempfile.TemporaryDirectory(prefix="bitext-memscale-") as d:
        work = args.keep or Path(d)
        work.mkdir(parents=True, exist_ok=True)
        print(f"{'lines':>10} {'MB in':>7} {'peak RSS MB':>12} {'seconds':>8}  exit")
        for n in sizes:
            doc = work / f"doc{n}.txt"
            make_document(doc, n, lines)
            rss, secs, code = run(doc, work / f"out{n}", args.engine, extra)
            print(f"{n:>10,} {doc.stat().st_size / 1e6:>7.1f} {rss:>12.0f} {secs:>8.1f}  {code}", flush=True)


if __name__ == "__main__":
    main()
