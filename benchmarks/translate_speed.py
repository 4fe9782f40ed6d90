#!/usr/bin/env python3
"""Translation speed: bitext's ``argos`` engine vs ``argostranslate.translate.translate()``.

Usage::

    python benchmarks/translate_speed.py                      # tiny model, built on the fly
    python benchmarks/translate_speed.py --model zh_en.argosmodel --threads 4
    python benchmarks/translate_speed.py DOC.md --device cuda

What is measured (each side in its own fresh process, same installed package, same
CTranslate2 thread count and device):

* **bitext**: ``bitext.pipeline.translate_document`` on the document read by bitext's
  reader (segmentation included, no glossary, so both sides do the same work): all
  segments of the document in length-sorted, token-bounded batches.
* **argostranslate**: ``argostranslate.translate.translate(text, "zh", "en")`` on the
  same document's text (one paragraph per line), as a user of argostranslate would
  call it, with ``ARGOS_CHUNK_TYPE=SPACY`` so that it splits sentences offline with the
  package's ``spacy/`` folder (its default MiniSBD downloads a model at run time).
  Its defaults apply (beam 4, compute type ``auto``); bitext's defaults apply too (beam
  2, int8 on CPU, output length capped at 3× the input + 48 tokens).
* Both sides load the model and warm up on one sentence before the clock starts; the
  timed part is translation only (bitext: reading + segmenting + translating), repeated
  ``--repeat`` times, best run reported (shared machines are noisy). argostranslate's
  last-call paragraph cache is reset before each run. Both outputs are checked to be
  non-empty.
* ``cold_start_s``: wall time of ``bitext translate ONE.txt --tmx OUT`` (a one-sentence
  file, the package installed, default engine = argos), median of 3 runs.

The document defaults to ``corpora/sample-policy-zh.md`` (or a built-in text) repeated
until it has at least ``--min-segments`` (500) segments. The last line printed is::

    speedup_vs_argostranslate=<x> bitext_sents_per_s=<a> argos_sents_per_s=<b> cold_start_s=<c>

Rates count bitext's segments for both sides (the same document).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DOC = REPO / "corpora" / "sample-policy-zh.md"
BUILTIN_DOC = """# 网络安全工作会议

网信办发布了网络安全法。专家认为人工智能将快速发展。

我们必须加强数据跨境流动。国家网信办和公安部联合发布了管理办法。

企业应当重视个人信息。数据安全法自2021年起施行。谢谢大家。
"""

BITEXT_SIDE = r"""
import json, sys, time
from pathlib import Path
from bitext import readers
from bitext.engines.argos import ArgosEngine
from bitext.pipeline import translate_document

doc_path, device, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
beam = int(sys.argv[4]) if sys.argv[4] != "-" else None
opts = {"device": device, "threads": threads}
if beam:
    opts["beam_size"] = beam
t0 = time.perf_counter()
eng = ArgosEngine(**opts)
eng.translate_batch(["谢谢大家。"])
load = time.perf_counter() - t0
repeat = int(sys.argv[5])
times = []
for _ in range(repeat):
    t1 = time.perf_counter()
    doc = readers.read(Path(doc_path), readers.format_of(Path(doc_path)))
    tdoc = translate_document(doc, eng, None)
    times.append(time.perf_counter() - t1)
targets = [r.target for r in tdoc.results.values()]
print(json.dumps({"seconds": min(times), "all_s": times, "load_s": load, "segments": len(targets),
                  "nonempty": sum(1 for t in targets if t.strip()), "signature": eng.signature(),
                  "sample": targets[:3]}, ensure_ascii=False))
"""

ARGOS_SIDE = r"""
import json, sys, time
text = open(sys.argv[1], encoding="utf-8").read()
t0 = time.perf_counter()
from argostranslate import translate
translate.translate("谢谢大家。", "zh", "en")
load = time.perf_counter() - t0
times = []
for _ in range(int(sys.argv[2])):
    translate.translate("谢谢大家。", "zh", "en")  # resets argostranslate's last-call paragraph cache
    t1 = time.perf_counter()
    out = translate.translate(text, "zh", "en")
    times.append(time.perf_counter() - t1)
lines = [l for l in out.splitlines() if l.strip()]
print(json.dumps({"seconds": min(times), "all_s": times, "load_s": load, "lines": len(lines), "chars": len(out),
                  "sample": lines[:3]}, ensure_ascii=False))
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def last_json(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in output:\n{stdout[-2000:]}")


def run_py(code: str, args: list[str], env: dict[str, str], timeout: float) -> dict:
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                       timeout=timeout, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"benchmark side failed (exit {r.returncode}):\n{r.stderr[-3000:]}")
    return last_json(r.stdout)


def build_document(src_text: str, min_segments: int, work: Path) -> tuple[Path, Path, int]:
    """Repeat the document until bitext finds ``min_segments`` segments.

    Returns the Markdown file (bitext side), the plain-text file (argostranslate side:
    one block per line) and the segment count.
    """
    from bitext import readers

    probe = work / "probe.md"
    probe.write_text(src_text, encoding="utf-8")
    per_copy = len(readers.read(probe, "md").segments)
    if per_copy == 0:
        raise SystemExit("the document has no translatable segments")
    copies = max(1, -(-min_segments // per_copy))
    doc_md = work / "doc.md"
    doc_md.write_text("\n\n".join([src_text.strip()] * copies) + "\n", encoding="utf-8")
    doc = readers.read(doc_md, "md")
    plain = work / "doc.txt"
    plain.write_text("\n".join(b.text.replace("\n", " ") for b in doc.blocks if b.translatable) + "\n",
                     encoding="utf-8")
    return doc_md, plain, len(doc.segments)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("doc", nargs="?", type=Path, help="Chinese document (.md/.txt); default: corpora sample")
    ap.add_argument("--model", type=Path, help="a zh→en .argosmodel to benchmark (default: the tiny model)")
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1),
                    help="CTranslate2 threads for both sides (default: min(4, cores))")
    ap.add_argument("--beam-size", type=int, default=None, help="bitext beam (default: engine default)")
    ap.add_argument("--min-segments", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=2,
                    help="timed runs per side after warm-up; the best is reported (default 2)")
    ap.add_argument("--skip-argos", action="store_true", help="only measure bitext (speed-up reported as nan)")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bitext-bench-"))
    try:
        model = args.model
        if model is None:
            model = work / "tiny.argosmodel"
            log("building the tiny model (scripts/make_tiny_model.py) …")
            subprocess.run([sys.executable, str(REPO / "scripts" / "make_tiny_model.py"), str(model), "-q"],
                           check=True)
        pkgs = work / "packages"
        from bitext.engines.packages import install_package

        pkg = install_package(model, pkgs)
        log(f"package {pkg.name} v{pkg.package_version} installed in {pkgs}")

        if args.doc is not None:
            src_text = args.doc.read_text(encoding="utf-8")
        elif DEFAULT_DOC.is_file():
            src_text = DEFAULT_DOC.read_text(encoding="utf-8")
        else:
            src_text = BUILTIN_DOC
        doc_md, plain, nseg = build_document(src_text, args.min_segments, work)
        log(f"document: {nseg} segments ({doc_md.stat().st_size // 1024} KiB)")

        env = dict(os.environ)
        env.update(
            ARGOS_PACKAGES_DIR=str(pkgs),
            ARGOS_CHUNK_TYPE="SPACY",
            ARGOS_DEVICE_TYPE=args.device,
            ARGOS_INTER_THREADS="1",
            ARGOS_INTRA_THREADS=str(args.threads),
            XDG_CACHE_HOME=str(work / "cache"),  # argostranslate's spaCy cache attempt stays here
            OMP_NUM_THREADS=str(args.threads),
            # bitext sets this default itself (bitext.engines.ct2.import_ctranslate2); give
            # argostranslate the same OpenMP wait policy so that the comparison stays fair
            OMP_WAIT_POLICY=os.environ.get("OMP_WAIT_POLICY", "PASSIVE"),
        )

        b = run_py(BITEXT_SIDE, [str(doc_md), args.device, str(args.threads), str(args.beam_size or "-"),
                                 str(args.repeat)], env, timeout=3600)
        log(f"bitext: best {b['seconds']:.2f} s of {[round(x, 2) for x in b['all_s']]} for {b['segments']} segments ({b['signature']}; "
            f"load {b['load_s']:.2f} s) e.g. {b['sample'][:2]}")
        if b["nonempty"] < 0.9 * b["segments"]:
            raise SystemExit(f"bitext produced empty output for {b['segments'] - b['nonempty']} segments")
        bitext_rate = nseg / b["seconds"]

        argos_rate = float("nan")
        speedup = float("nan")
        if not args.skip_argos:
            a = run_py(ARGOS_SIDE, [str(plain), str(args.repeat)], env, timeout=3600)
            log(f"argostranslate: best {a['seconds']:.2f} s of {[round(x, 2) for x in a['all_s']]}, {a['lines']} output lines (load {a['load_s']:.2f} s) "
                f"e.g. {a['sample'][:2]}")
            if a["lines"] < 0.5 * plain.read_text(encoding="utf-8").count("\n"):
                raise SystemExit("argostranslate produced too little output")
            argos_rate = nseg / a["seconds"]
            speedup = a["seconds"] / b["seconds"]

        one = work / "one.txt"
        one.write_text("网信办发布了网络安全法。\n", encoding="utf-8")
        exe = shutil.which("bitext")
        cmd = [exe] if exe else [sys.executable, "-m", "bitext"]
        cold = []
        for i in range(3):
            t0 = time.perf_counter()
            r = subprocess.run([*cmd, "translate", str(one), "--tmx", str(work / f"one{i}.tmx"), "-q",
                                "--device", args.device],
                               env=env, capture_output=True, text=True, check=False)
            cold.append(time.perf_counter() - t0)
            if r.returncode != 0:
                raise SystemExit(f"bitext translate failed: {r.stderr.strip()}")
        tmx = (work / "one0.tmx").read_text(encoding="utf-8")
        if "argos:" not in tmx:
            log("warning: the cold-start run did not use the argos engine")
        cold_start = statistics.median(cold)
        log(f"cold start: {', '.join(f'{c:.2f}' for c in cold)} s")
        print(f"speedup_vs_argostranslate={speedup:.2f} bitext_sents_per_s={bitext_rate:.1f} "
              f"argos_sents_per_s={argos_rate:.1f} cold_start_s={cold_start:.2f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
