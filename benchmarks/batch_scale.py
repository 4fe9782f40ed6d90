"""Benchmark: documents/s of ``bitext batch translate`` for 1 vs 2 local workers and for
Ray local vs the process pool, on one generated corpus.

Usage::

    python benchmarks/batch_scale.py                         # 40 docs × 12 sentences, gloss
    python benchmarks/batch_scale.py --docs 200 --sentences 20 --workers 2
    BITEXT_TINY_MODEL=/path/translate-zh_en-tiny.argosmodel python benchmarks/batch_scale.py
        # also the tiny neural (argos) model, installed into a temporary packages folder
    python benchmarks/batch_scale.py --no-ray --engines gloss
    BITEXT_TINY_MODEL=… python benchmarks/batch_scale.py --engines argos --device cuda
        # the neural engine's workers on a GPU (each worker loads the model there)

Every run starts from an empty output folder, so the figures include starting the workers
(spawned processes or Ray actors) and loading the engine in each: that is what a user
waits for. ``startup_s`` (time to the first finished document) is printed apart, and
``steady_docs_per_s`` counts only the documents after the first one of each worker.
The last line sums it up as ``key=value`` pairs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SENTENCES = [
    "网络安全法规定了数据保护的要求。",
    "个人信息应当受到保护。",
    "国家网信部门负责统筹协调网络安全工作。",
    "关键信息基础设施的运营者应当履行安全保护义务。",
    "网络运营者应当制定网络安全事件应急预案。",
    "任何个人和组织不得窃取个人信息。",
    "数据出境安全评估办法自发布之日起施行。",
    "网络产品和服务应当符合相关国家标准的强制性要求。",
]


def make_corpus(root: Path, docs: int, sentences: int) -> Path:
    src = root / "src"
    (src / "html").mkdir(parents=True)
    for i in range(docs):
        sents = [SENTENCES[(i + k) % len(SENTENCES)] for k in range(sentences)]
        paras = ["".join(sents[k:k + 3]) for k in range(0, len(sents), 3)]
        if i % 4 == 3:
            body = "".join(f"<p>{p}</p>" for p in paras)
            (src / "html" / f"d{i:05d}.html").write_text(
                f"<html><body><h1>第{i}号</h1>{body}</body></html>", encoding="utf-8")
        else:
            (src / f"d{i:05d}.md").write_text(f"# 第{i}号\n\n" + "\n\n".join(paras) + "\n",
                                              encoding="utf-8")
    return src


def run(src: Path, out: Path, engine: str, workers: int, ray: str | None,
        device: str = "cpu") -> dict[str, float]:
    from bitext.batch import translate_batch

    stamps: list[float] = []
    t0 = time.perf_counter()
    options = {"device": device} if engine != "gloss" and device != "cpu" else None
    from bitext.errors import BitextError

    try:
        r = translate_batch(src, out, engine=engine, workers=workers, ray=ray, engine_options=options,
                            progress=lambda job, o: stamps.append(time.perf_counter()))
    except BitextError as e:
        raise SystemExit(f"batch_scale: {engine}: {e}") from None
    total = time.perf_counter() - t0
    if r.failed:
        raise SystemExit(f"failures: {r.failures[:3]}")
    startup = stamps[0] - t0 if stamps else 0.0
    steady = stamps[workers:] if len(stamps) > workers else []
    steady_rate = (len(steady) - 1) / (steady[-1] - steady[0]) if len(steady) > 2 else 0.0
    return {"docs": r.done, "seconds": total, "docs_per_s": r.done / total,
            "segments_per_s": r.segments_per_s, "startup_s": startup, "steady_docs_per_s": steady_rate}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=40)
    ap.add_argument("--sentences", type=int, default=12, help="sentences per document")
    ap.add_argument("--workers", type=int, default=2, help="the parallel runs' worker count")
    ap.add_argument("--engines", default=None, help="comma list (default: gloss, + argos "
                    "when BITEXT_TINY_MODEL names a package)")
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                    help="where the neural engine runs (the gloss engine has no device)")
    args = ap.parse_args()

    tiny = os.environ.get("BITEXT_TINY_MODEL")
    engines = args.engines.split(",") if args.engines else (
        ["gloss"] + (["argos"] if tiny and Path(tiny).is_file() else []))
    ray_ok = not args.no_ray
    if ray_ok:
        try:
            import ray

            del ray
        except ImportError:
            ray_ok = False
            print("ray not installed: Ray runs skipped")
    summary: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bitext-batch-bench-") as d:
        root = Path(d)
        if "argos" in engines:
            from bitext.engines.packages import install_package

            pk = root / "packages"
            install_package(Path(tiny), pk)  # type: ignore[arg-type]
            os.environ["ARGOS_PACKAGES_DIR"] = str(pk)
        src = make_corpus(root, args.docs, args.sentences)
        print(f"corpus: {args.docs} documents × {args.sentences} sentences; cpus={os.cpu_count()}")
        print(f"{'engine':<7} {'backend':<16} {'docs':>5} {'seconds':>8} {'docs/s':>7} "
              f"{'segs/s':>8} {'startup_s':>9} {'steady_docs/s':>13}")
        for eng in engines:
            plans = [("1 worker", 1, None), (f"pool x{args.workers}", args.workers, None)]
            if ray_ok:
                plans.append((f"ray local x{args.workers}", args.workers, "local"))
            res = {}
            for k, (label, w, ray) in enumerate(plans):
                r = run(src, root / f"out-{eng}-{k}", eng, w, ray, args.device)
                res[label] = r
                print(f"{eng:<7} {label:<16} {r['docs']:5d} {r['seconds']:8.2f} {r['docs_per_s']:7.2f} "
                      f"{r['segments_per_s']:8.1f} {r['startup_s']:9.2f} {r['steady_docs_per_s']:13.2f}",
                      flush=True)
            one, pool = res["1 worker"], res[f"pool x{args.workers}"]
            summary.append(f"{eng}_docs_per_s_1={one['docs_per_s']:.2f}")
            summary.append(f"{eng}_docs_per_s_pool{args.workers}={pool['docs_per_s']:.2f}")
            summary.append(f"{eng}_pool_speedup={pool['docs_per_s'] / one['docs_per_s']:.2f}")
            if ray_ok:
                rr = res[f"ray local x{args.workers}"]
                summary.append(f"{eng}_docs_per_s_ray{args.workers}={rr['docs_per_s']:.2f}")
                summary.append(f"{eng}_ray_vs_pool={rr['docs_per_s'] / pool['docs_per_s']:.2f}")
    print(" ".join(summary))


if __name__ == "__main__":
    main()
