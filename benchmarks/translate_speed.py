#!/usr/bin/env python3
"""Translation speed: bitext's ``argos`` engine vs ``argostranslate.translate.translate()``.

Usage::

    python benchmarks/translate_speed.py                      # tiny model, built on the fly
    python benchmarks/translate_speed.py --size base          # Transformer-base-size model (cached)
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
* **bitext, equal settings**: the same, with argostranslate's decoding settings (beam 4,
  compute type ``auto``: ``argostranslate.settings`` 1.11 defaults ``ARGOS_BEAM_SIZE=4``,
  ``ARGOS_COMPUTE_TYPE=auto``; it calls ``translate_batch`` per paragraph with
  ``max_batch_size=32, batch_type="tokens"``, ``length_penalty=0.2``, ``replace_unknowns``).
* **raw CTranslate2**: a bare ``ctranslate2.Translator.translate_batch`` on the same
  segments, tokenised beforehand (untimed), with bitext's default decoding settings (beam
  2, int8, the ``<en>`` target prefix, ``length_penalty=0.2``) and the best of a few batch
  settings (tokens-bounded batches of 1024/2048/4096, pre-sorted by length, inter/intra
  thread splits), i.e. the engine without bitext's pipeline around it. It also reports the
  model's mean target/source token ratio on the document.
* ``peak_rss_mb``: peak RSS of the bitext (default settings) process.
* ``cold_start_s``: wall time of ``bitext translate ONE.txt --tmx OUT`` (a one-sentence
  file, the package installed, default engine = argos), median of 3 runs.

The document defaults to ``corpora/sample-policy-zh.md`` (or a built-in text) repeated
until it has at least ``--min-segments`` (500; 200 with ``--size base``) segments. The last
line printed is::

    equal_settings_speedup=<x> default_speedup=<y> pipeline_vs_raw_ct2=<z> bitext_sents_per_s=<a> argos_sents_per_s=<b> raw_ct2_sents_per_s=<c> peak_rss_mb=<m>

``equal_settings_speedup`` = argostranslate's time / bitext's at argostranslate's beam and
compute type; ``default_speedup`` the same with bitext's defaults; ``pipeline_vs_raw_ct2`` =
bitext's throughput (defaults, reading and segmentation included) / the raw CTranslate2
throughput. Rates count bitext's segments for all sides (the same document);
``bitext_sents_per_s`` is bitext with its defaults.
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
CACHE = REPO / ".cache"
ARGOS_BEAM = 4
"""argostranslate 1.11's beam (``ARGOS_BEAM_SIZE`` default in ``argostranslate.settings``)."""
ARGOS_COMPUTE = "auto"
"""argostranslate 1.11's compute type (``ARGOS_COMPUTE_TYPE`` default)."""
BUILTIN_DOC = """# 网络安全工作会议

网信办发布了网络安全法。专家认为人工智能将快速发展。

我们必须加强数据跨境流动。国家网信办和公安部联合发布了管理办法。

企业应当重视个人信息。数据安全法自2021年起施行。谢谢大家。
"""

BITEXT_SIDE = r"""
import json, resource, sys, time
from pathlib import Path
from bitext import readers
from bitext.engines.argos import ArgosEngine
from bitext.pipeline import translate_document

doc_path, device, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
beam = int(sys.argv[4]) if sys.argv[4] != "-" else None
opts = {"device": device, "threads": threads}
if beam:
    opts["beam_size"] = beam
if sys.argv[6] != "-":
    opts["compute_type"] = sys.argv[6]
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
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
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


RAW_SIDE = r"""
import json, sys, time
import ctranslate2, sentencepiece as spm
from pathlib import Path
from bitext import readers
pkg, doc_path, device, threads, repeat = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
meta = json.loads((pkg / "metadata.json").read_text(encoding="utf-8"))
prefix = meta.get("target_prefix") or ""
sp = spm.SentencePieceProcessor(model_file=str(pkg / "sentencepiece.model"))
doc = readers.read(Path(doc_path), readers.format_of(Path(doc_path)))
src = [sp.encode(s.text.strip(), out_type=str)[:512] for s in doc.segments if s.text.strip()]
compute = "int8" if device == "cpu" else "int8_float16"
order = sorted(range(len(src)), key=lambda i: len(src[i]))
srt = [src[i] for i in order]
def run(tr, data, mbs):
    return tr.translate_batch(data, target_prefix=[[prefix]] * len(data) if prefix else None, beam_size=2,
                              length_penalty=0.2, max_batch_size=mbs, batch_type="tokens",
                              replace_unknowns=True, return_scores=True)
grid = [(1, threads, 2048), (1, threads, 1024), (1, threads, 4096)]
if threads > 1:
    grid.append((threads, 1, 2048))
best = None
results = []
for inter, intra, mbs in grid:
    tr = ctranslate2.Translator(str(pkg / "model"), device=device, compute_type=compute,
                                inter_threads=inter, intra_threads=intra)
    run(tr, srt[:4], mbs)  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = run(tr, srt, mbs)
        times.append(time.perf_counter() - t0)
    results.append({"inter": inter, "intra": intra, "max_batch_tokens": mbs, "seconds": min(times)})
    if best is None or min(times) < best[0]:
        best = (min(times), out, results[-1])
    del tr
out = best[1]
lp = 1 if prefix else 0
ratios = [(len(o.hypotheses[0]) - lp) / max(1, len(s)) for s, o in zip(srt, out)]
print(json.dumps({"seconds": best[0], "best": best[2], "grid": results, "segments": len(src),
                  "mean_token_ratio": sum(ratios) / len(ratios),
                  "hit_max_length": sum(len(o.hypotheses[0]) >= 256 for o in out),
                  "empty": sum(len(o.hypotheses[0]) <= lp for o in out)}))
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


def build_model(size: str, work: Path) -> Path:
    """The package to benchmark: the tiny model (built into ``work``) or the base-size one
    (built once into ``.cache/``, gitignored; a few minutes)."""
    if size == "tiny":
        model = work / "tiny.argosmodel"
        log("building the tiny model (scripts/make_tiny_model.py) …")
        subprocess.run([sys.executable, str(REPO / "scripts" / "make_tiny_model.py"), str(model), "-q"],
                       check=True)
        return model
    model = CACHE / "translate-zh_en-base.argosmodel"
    if not model.is_file():
        log(f"building the base-size model into {model} (scripts/make_base_model.py, a few minutes) …")
        subprocess.run([sys.executable, str(REPO / "scripts" / "make_base_model.py"), str(model)], check=True)
    else:
        log(f"using the cached base-size model {model}")
    return model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("doc", nargs="?", type=Path, help="Chinese document (.md/.txt); default: corpora sample")
    ap.add_argument("--size", choices=["tiny", "base"], default="tiny",
                    help="model built for the run: tiny (default, seconds) or base (Transformer-base "
                         "dimensions like Argos zh→en; cached in .cache/)")
    ap.add_argument("--model", type=Path, help="a zh→en .argosmodel to benchmark (overrides --size)")
    ap.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    ap.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1),
                    help="CTranslate2 threads for all sides (default: min(4, cores))")
    ap.add_argument("--beam-size", type=int, default=None, help="bitext beam (default: engine default)")
    ap.add_argument("--min-segments", type=int, default=None, help="default 500 (tiny), 200 (base)")
    ap.add_argument("--repeat", type=int, default=2,
                    help="timed runs per side after warm-up; the best is reported (default 2)")
    ap.add_argument("--skip-argos", action="store_true", help="only measure bitext (speed-ups reported as nan)")
    ap.add_argument("--skip-raw", action="store_true", help="no raw CTranslate2 run (ratio reported as nan)")
    ap.add_argument("--no-cold-start", action="store_true", help="skip the cold-start CLI runs")
    args = ap.parse_args(argv)
    min_segments = args.min_segments or (200 if args.size == "base" and args.model is None else 500)

    work = Path(tempfile.mkdtemp(prefix="bitext-bench-"))
    try:
        model = args.model or build_model(args.size, work)
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
        doc_md, plain, nseg = build_document(src_text, min_segments, work)
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

        def bitext_side(beam: int | None, compute: str | None, label: str) -> dict:
            r = run_py(BITEXT_SIDE, [str(doc_md), args.device, str(args.threads), str(beam or "-"),
                                     str(args.repeat), compute or "-"], env, timeout=3600)
            log(f"bitext ({label}): best {r['seconds']:.2f} s of {[round(x, 2) for x in r['all_s']]} for "
                f"{r['segments']} segments ({r['signature']}; load {r['load_s']:.2f} s; peak RSS "
                f"{r['peak_rss_mb']:.0f} MB) e.g. {r['sample'][:2]}")
            if r["nonempty"] < 0.9 * r["segments"]:
                raise SystemExit(f"bitext produced empty output for {r['segments'] - r['nonempty']} segments")
            return r

        b = bitext_side(args.beam_size, None, "defaults")
        bitext_rate = nseg / b["seconds"]
        nan = float("nan")
        argos_rate = equal_speedup = default_speedup = raw_rate = ratio = nan
        if not args.skip_argos:
            e = bitext_side(ARGOS_BEAM, ARGOS_COMPUTE, f"argostranslate's settings: beam {ARGOS_BEAM}, {ARGOS_COMPUTE}")
            a = run_py(ARGOS_SIDE, [str(plain), str(args.repeat)], env, timeout=3600)
            log(f"argostranslate: best {a['seconds']:.2f} s of {[round(x, 2) for x in a['all_s']]}, {a['lines']} "
                f"output lines (load {a['load_s']:.2f} s) e.g. {a['sample'][:2]}")
            if a["lines"] < 0.5 * plain.read_text(encoding="utf-8").count("\n"):
                raise SystemExit("argostranslate produced too little output")
            argos_rate = nseg / a["seconds"]
            equal_speedup = a["seconds"] / e["seconds"]
            default_speedup = a["seconds"] / b["seconds"]
        if not args.skip_raw:
            r = run_py(RAW_SIDE, [str(pkg.path), str(doc_md), args.device, str(args.threads), str(args.repeat)],
                       env, timeout=3600)
            log(f"raw CTranslate2: best {r['seconds']:.2f} s with {r['best']} (grid "
                f"{[(g['inter'], g['intra'], g['max_batch_tokens'], round(g['seconds'], 2)) for g in r['grid']]}); "
                f"mean target/source token ratio {r['mean_token_ratio']:.2f}, {r['hit_max_length']} at max "
                f"length, {r['empty']} empty")
            raw_rate = nseg / r["seconds"]
            ratio = raw_rate and bitext_rate / raw_rate

        if not args.no_cold_start:
            cold_start(work, env, args.device)
        print(f"equal_settings_speedup={equal_speedup:.2f} default_speedup={default_speedup:.2f} "
              f"pipeline_vs_raw_ct2={ratio:.2f} bitext_sents_per_s={bitext_rate:.1f} "
              f"argos_sents_per_s={argos_rate:.1f} raw_ct2_sents_per_s={raw_rate:.1f} "
              f"peak_rss_mb={b['peak_rss_mb']:.0f}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cold_start(work: Path, env: dict[str, str], device: str) -> None:
    """``bitext translate ONE.txt`` three times; logs the median wall time (cold start)."""
    one = work / "one.txt"
    one.write_text("网信办发布了网络安全法。\n", encoding="utf-8")
    exe = shutil.which("bitext")
    cmd = [exe] if exe else [sys.executable, "-m", "bitext"]
    cold = []
    for i in range(3):
        t0 = time.perf_counter()
        r = subprocess.run([*cmd, "translate", str(one), "--tmx", str(work / f"one{i}.tmx"), "-q",
                            "--device", device],
                           env=env, capture_output=True, text=True, check=False)
        cold.append(time.perf_counter() - t0)
        if r.returncode != 0:
            log(f"warning: bitext translate failed, no cold-start figure: {r.stderr.strip()[-300:]}")
            return
    tmx = (work / "one0.tmx").read_text(encoding="utf-8")
    if "argos:" not in tmx:
        log("warning: the cold-start run did not use the argos engine")
    log(f"cold_start_s={statistics.median(cold):.2f} ({', '.join(f'{c:.2f}' for c in cold)} s)")


if __name__ == "__main__":
    sys.exit(main())
