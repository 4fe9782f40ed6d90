"""Scale benchmark of the translation memory: import and export of a large TMX.

Prints wall time and peak RSS (each phase runs in its own process, so the peak belongs to
that phase alone) for:

* ``bitext`` import of an N-unit TMX into a fresh SQLite memory (default N = 1,000,000),
* ``bitext`` export of that memory back to TMX,
* a few exact and fuzzy lookups on the full memory,
* translate-toolkit (``translate.storage.tmx``) parsing and writing the first M units of
  the same file (default M = 100,000: translate-toolkit builds the whole DOM and unit
  objects in memory, so the full file would need several GB; its figures are for the
  slice, scaled linearly in the last column only as an indication), and parsing the whole
  file under an address-space cap (default 2048 MB; it is expected to fail there).

Usage::

    python benchmarks/tm_scale.py                  # 1M units, toolkit on 100k
    python benchmarks/tm_scale.py --units 200000 --toolkit-units 50000 --workdir /tmp/tmb

The synthetic TMX is made of Chinese sentences assembled from the shipped glossary
terms and common words (with numbers and some exact duplicates), so sentence lengths and
character statistics resemble policy text. It is generated once per ``--workdir``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILLERS = ["的", "了", "和", "在", "是", "对", "按照", "根据", "应当", "可以", "不得", "以及", "有关", "相关", "进行", "加强", "建立", "健全", "完善", "推进", "保障", "落实", "依法", "国家", "部门", "单位", "组织", "个人", "工作", "管理", "制度", "规定", "要求", "措施", "活动", "服务", "平台", "企业", "用户", "主管", "负责", "开展", "实施", "监督", "检查", "评估", "报告", "发布", "提供", "使用", "处理", "保护", "安全", "发展"]
FILLERS_EN = {
    w: e
    for w, e in zip(
        FILLERS,
        ["of", "le", "and", "in", "is", "to", "per", "per", "shall", "may", "must-not", "and", "relevant", "related", "carry", "strengthen", "build", "sound", "improve", "advance", "safeguard", "implement", "lawfully", "state", "department", "unit", "organisation", "individual", "work", "management", "system", "rule", "requirement", "measure", "activity", "service", "platform", "enterprise", "user", "competent", "responsible", "conduct", "implement", "supervise", "inspect", "assess", "report", "publish", "provide", "use", "process", "protect", "security", "develop"],
    )
}


def _terms() -> list[tuple[str, str]]:
    from bitext.terms.glossary import DEFAULT_GLOSSARY, load_entries

    return [(e.source, e.target) for e in load_entries(DEFAULT_GLOSSARY)]


def generate(path: Path, n: int, seed: int = 7) -> None:
    """Write an n-unit TMX 1.4b file (raw streaming writes, no bitext code involved)."""
    from xml.sax.saxutils import escape

    rng = random.Random(seed)
    terms = _terms()
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
        f.write(
            '<header creationtool="tm_scale" creationtoolversion="1" segtype="sentence" '
            'o-tmf="synthetic" adminlang="en" srclang="zh-CN" datatype="plaintext"/>\n<body>\n'
        )
        prev: list[tuple[str, str]] = []
        for i in range(n):
            if prev and rng.random() < 0.01:
                zh, en = rng.choice(prev)  # exact duplicate, merged on import
            else:
                zh_parts, en_parts = [], []
                for _ in range(rng.randint(4, 14)):
                    r = rng.random()
                    if r < 0.35:
                        s, t = rng.choice(terms)
                    elif r < 0.9:
                        s = rng.choice(FILLERS)
                        t = FILLERS_EN[s]
                    else:
                        s = t = str(rng.randint(1, 2030))
                    zh_parts.append(s)
                    en_parts.append(t)
                    if rng.random() < 0.12:
                        zh_parts.append("，")
                        en_parts.append(",")
                zh = "".join(zh_parts) + "。"
                en = " ".join(en_parts) + "."
                if len(prev) < 1000:
                    prev.append((zh, en))
                elif rng.random() < 0.001:
                    prev[rng.randrange(1000)] = (zh, en)
            day = 1 + i % 28
            f.write(
                f'<tu tuid="{i + 1}" creationdate="202401{day:02d}T120000Z">'
                f'<prop type="x-domain">policy</prop>'
                f'<tuv xml:lang="zh-CN"><seg>{escape(zh)}</seg></tuv>'
                f'<tuv xml:lang="en-US"><seg>{escape(en)}</seg></tuv></tu>\n'
            )
        f.write("</body>\n</tmx>\n")


def slice_tmx(src: Path, dst: Path, m: int) -> None:
    """The first m units of a file written by ``generate`` (one ``<tu>`` per line)."""
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
        count = 0
        for line in f:
            if line.startswith("<tu "):
                if count >= m:
                    continue
                count += 1
            out.write(line)


CHILD = r"""
import json, resource, sys, time
phase, a, b = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
extra = {}
if phase == "import":
    from bitext.tm import TranslationMemory
    with TranslationMemory(b) as tm:
        extra = tm.import_tmx(a).as_dict()
elif phase == "export":
    from bitext.tm import TranslationMemory
    with TranslationMemory(a, create=False) as tm:
        extra = {"units": tm.export_tmx(b)}
elif phase == "lookup":
    from bitext.tm import TranslationMemory
    from bitext.readers.tmx import iter_units, pick
    queries = []
    for i, u in enumerate(iter_units(b)):
        if i % 997 == 0:
            queries.append(pick(u, "zh"))
        if len(queries) >= 50:
            break
    with TranslationMemory(a, create=False) as tm:
        t1 = time.perf_counter()
        hits = sum(tm.lookup_exact(q) is not None for q in queries)
        t2 = time.perf_counter()
        fz = 0
        for q in queries:
            # change two characters so the lookup is a true fuzzy one
            q2 = q[:3] + "变" + q[4:-3] + "化" + q[-2:]
            fz += bool(tm.lookup_fuzzy(q2, 0.75))
        t3 = time.perf_counter()
    extra = {"queries": len(queries), "exact_hits": hits, "fuzzy_hits": fz,
             "exact_ms": (t2 - t1) / len(queries) * 1000, "fuzzy_ms": (t3 - t2) / len(queries) * 1000}
elif phase == "tt-parse":
    from translate.storage import tmx
    with open(a, "rb") as f:
        store = tmx.tmxfile(f)
    extra = {"units": len(store.units)}
elif phase == "tt-write":
    from translate.storage import tmx
    with open(a, "rb") as f:
        store = tmx.tmxfile(f)
    t0 = time.perf_counter()
    with open(b, "wb") as f:
        store.serialize(f)
    extra = {"units": len(store.units), "note": "time is serialize only; RSS includes parse"}
el = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
rss = ru.ru_maxrss / 1024
# CPU seconds (all threads): with the wall time, shows how much a busy machine slowed the run
extra["cpu_s"] = round(ru.ru_utime + ru.ru_stime, 1)
print(json.dumps({"phase": phase, "seconds": el, "peak_rss_mb": rss, **extra}))
"""


def run_phase(phase: str, a: Path, b: Path, cap_mb: int = 0) -> dict:
    """Run one phase in a fresh process; ``cap_mb`` limits its address space."""

    def limit() -> None:
        import resource

        cap = cap_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", CHILD, phase, str(a), str(b)],
        check=False, capture_output=True, text=True, preexec_fn=limit if cap_mb else None,
    )
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        return {"phase": phase, "seconds": time.perf_counter() - t0, "peak_rss_mb": float("nan"),
                "failed": f"exit {out.returncode}: {last[:120]}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=1_000_000)
    ap.add_argument("--toolkit-units", type=int, default=100_000,
                    help="units given to translate-toolkit (0 to skip)")
    ap.add_argument("--toolkit-cap-mb", type=int, default=2048,
                    help="also try translate-toolkit on the whole file with this address-space "
                         "cap in MB (0: skip)")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--tmx", type=Path, default=None, help="use this TMX instead of generating one")
    ap.add_argument("--import-only", action="store_true",
                    help="only the bitext import phase (no export, lookups or translate-toolkit)")
    args = ap.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="tm_scale."))
    work.mkdir(parents=True, exist_ok=True)
    src = args.tmx or work / f"synthetic-{args.units}.tmx"
    if not src.exists():
        t0 = time.perf_counter()
        generate(src, args.units)
        print(f"generated {src} ({src.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    db = work / "tm.sqlite"
    for suffix in ("", "-wal", "-shm"):
        if Path(str(db) + suffix).exists():
            os.remove(str(db) + suffix)
    out = work / "export.tmx"

    rows = []
    r = run_phase("import", src, db)
    rows.append(("bitext import", r))
    print(f"import of {args.units} units: {r['seconds']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB, "
          f"CPU {r.get('cpu_s', float('nan'))} s", flush=True)
    if args.import_only:
        return
    r = run_phase("export", db, out)
    rows.append(("bitext export", r))
    r = run_phase("lookup", db, src)
    print(
        f"lookups on {r['queries']} queries: exact {r['exact_ms']:.2f} ms/query "
        f"({r['exact_hits']} hits), fuzzy@0.75 {r['fuzzy_ms']:.1f} ms/query ({r['fuzzy_hits']} hits)"
    )
    scale = None
    if args.toolkit_units:
        sl = work / f"slice-{args.toolkit_units}.tmx"
        if not sl.exists():
            slice_tmx(src, sl, args.toolkit_units)
        rows.append((f"translate-toolkit parse ({args.toolkit_units} units)", run_phase("tt-parse", sl, sl)))
        rows.append((f"translate-toolkit write ({args.toolkit_units} units)",
                     run_phase("tt-write", sl, work / "tt-out.tmx")))
        scale = args.units / args.toolkit_units
    if args.toolkit_cap_mb:
        rows.append((f"translate-toolkit parse (all, cap {args.toolkit_cap_mb} MB)",
                     run_phase("tt-parse", src, src, args.toolkit_cap_mb)))
    print(f"\nTMX: {src} ({src.stat().st_size / 1e6:.0f} MB); memory {db} "
          f"({db.stat().st_size / 1e6:.0f} MB)")
    print(f"{'phase':44} {'seconds':>9} {'peak RSS MB':>12}  details")
    for name, r in rows:
        details = {k: v for k, v in r.items() if k not in ("phase", "seconds", "peak_rss_mb")}
        line = f"{name:44} {r['seconds']:9.1f} {r['peak_rss_mb']:12.0f}  {json.dumps(details)}"
        if name.startswith("translate-toolkit") and scale and "all" not in name:
            line += f"  (x{scale:.0f} linear: ~{r['seconds'] * scale:.0f} s, ~{r['peak_rss_mb'] * scale:.0f} MB)"
        print(line)


if __name__ == "__main__":
    main()
