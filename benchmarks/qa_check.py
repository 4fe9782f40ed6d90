"""Benchmark: streaming TMX reading (memory stays flat) and QA check speed.

Usage:
    python benchmarks/qa_check.py [--units 200000] [--glossary G.tsv]

Prints units/s for ``bitext.readers.tmx.iter_units``, the peak RSS after reading, and
segments/s for ``bitext.qa.checks.check_pair`` with the shipped glossary (all checks).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

SAMPLES = [
    ("截至目前，我国已有180多个生成式人工智能服务大模型完成备案，注册用户突破5.64亿。",
     ("So far, more than 180 generative artificial intelligence service large models have been "
     "filed in China, with registered users exceeding 564 million.")),
    ("网信办发布《数据安全法》解读，2024年7月31日起施行。",
     "The CAC published an interpretation of the Data Security Law, effective July 31, 2024."),
    ("全国网民规模达10.92亿人，互联网普及率达百分之七十七点五。",
     "China had 1.092 billion internet users, an internet penetration rate of 77.5%."),
    ("加快构建大网络安全工作格局（会议）。", "Accelerate building a broad cybersecurity work pattern (meeting)."),
]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_tmx(path: Path, n: int) -> None:
    from xml.sax.saxutils import escape

    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN" '
                'creationtool="bench" creationtoolversion="1" segtype="sentence" o-tmf="x" '
                'adminlang="en" datatype="plaintext"/><body>\n')
        for i in range(n):
            zh, en = SAMPLES[i % len(SAMPLES)]
            f.write(f'<tu tuid="u{i}" creationdate="20240101T000000Z"><prop type="x-n">{i}</prop>'
                    f'<tuv xml:lang="zh-CN"><seg>{escape(zh)}</seg></tuv>'
                    f'<tuv xml:lang="en"><seg>{escape(en)}</seg></tuv></tu>\n')
        f.write("</body></tmx>\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--units", type=int, default=200_000)
    ap.add_argument("--glossary", default=None)
    args = ap.parse_args()

    from bitext.qa.checks import check_pair
    from bitext.readers.tmx import iter_units, pick
    from bitext.terms.glossary import DEFAULT_GLOSSARY, Glossary

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "bench.tmx"
        write_tmx(p, args.units)
        size = os.path.getsize(p) / 1e6
        base = rss_mb()
        t0 = time.perf_counter()
        n = sum(1 for _ in iter_units(p))
        dt = time.perf_counter() - t0
        print(f"iter_units: {n:,} units ({size:.0f} MB) in {dt:.2f} s = {n / dt:,.0f} units/s; "
              f"peak RSS {rss_mb():.0f} MB (before reading {base:.0f} MB)")

        g = Glossary.load([args.glossary or DEFAULT_GLOSSARY])
        pairs = []
        for u in iter_units(p):
            pairs.append((u.tuid or "", pick(u, "zh") or "", pick(u, "en") or ""))
            if len(pairs) >= 20_000:
                break
        t0 = time.perf_counter()
        found = 0
        for tuid, zh, en in pairs:
            found += len(check_pair(tuid, zh, en, g))
        dt = time.perf_counter() - t0
        print(f"check_pair: {len(pairs):,} segments in {dt:.2f} s = {len(pairs) / dt:,.0f} segments/s "
              f"({1e6 * dt / len(pairs):.0f} µs each, {len(g)} glossary terms, {found} findings)")


if __name__ == "__main__":
    main()
