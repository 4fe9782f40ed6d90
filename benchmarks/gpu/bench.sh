#!/bin/bash
# One-shot device benchmark (NVIDIA H200): benchmarks/translate_speed.py on the tiny model,
# bitext vs argostranslate 1.11 on CUDA at equal settings, then bitext alone on CUDA, then
# both on the device's 16 CPU threads. Needs the carried paths .whl (site.tar.xz,
# tiny.argosmodel, typing_extensions wheel) and benchmarks/gpu/bench.sh; everything else is tracked.
#   device:          bash benchmarks/gpu/bench.sh                      (writes $OUT/log.txt, $OUT/summary.txt)
#   local dry run:   DRY=1 OUT=/tmp/gpuout bash benchmarks/gpu/bench.sh   (CPU, small sizes, local packages;
#                    add SITE_TAR=PATH/site.tar.xz (a cp311 build, PYV=3.11) to unpack and use a site as on the device)
# Before the device call, here: `echo /.whl/ >> .git/info/exclude; bash benchmarks/gpu/make_site.sh;
# python scripts/make_tiny_model.py .whl/tiny.argosmodel`; then the device tool's run with
# command `bash benchmarks/gpu/bench.sh` and carry [".whl"] (about 48 MiB travel).
# Each step has its own timeout and the whole script keeps within BUDGET seconds (default
# 380); a failing step is reported and the next one runs.
set -u
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
TEE_PID=$!
export PYTHONUNBUFFERED=1
SECONDS=0
BUDGET=${BUDGET:-380}
DRY=${DRY:-0}
PY=${PY:-python3}
SITE=${SITE:-/tmp/site}
SITE_TAR=${SITE_TAR:-}
TINY=$PWD/.whl/tiny.argosmodel
if [ "$DRY" = 1 ]; then
  GPU=cpu; THREADS=${THREADS:-2}; SEG=${SEG:-150}; SEG_A=${SEG_A:-150}; SEG_CPU=${SEG_CPU:-150}; REP=${REP:-1}
else
  # (2026-11-30 on an H200: argostranslate took 22 s for 323 segments and did not finish 2,087 in
  # 190 s; so A compares on 300 segments, B measures bitext alone on 2,000)
  GPU=cuda; THREADS=${THREADS:-16}; SEG=${SEG:-2000}; SEG_A=${SEG_A:-300}; SEG_CPU=${SEG_CPU:-300}; REP=${REP:-1}; SITE_TAR=${SITE_TAR:-.whl/site.tar.xz}
fi
SUMMARY=$OUT/summary.txt
: > "$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }
echo "=== bench.sh DRY=$DRY device=$GPU threads=$THREADS segments>=$SEG (cpu step $SEG_CPU) repeat=$REP budget=${BUDGET}s $(date -u +%FT%TZ)"

# --- packages ----------------------------------------------------------------------------
if [ -n "$SITE_TAR" ]; then
  $PY - "$SITE_TAR" "$SITE" <<'EOF' || note "SETUP FAILED: could not unpack $SITE_TAR"
import sys, tarfile, time
t = time.time()
with tarfile.open(sys.argv[1]) as tf:
    kw = {"filter": "fully_trusted"} if hasattr(tarfile, "fully_trusted_filter") else {}
    tf.extractall(sys.argv[2], **kw)
print(f"site unpacked into {sys.argv[2]} in {time.time() - t:.1f} s")
EOF
  # pydantic-core 2.46 needs typing_extensions >= 4.14.1: add the carried one only if older
  $PY -c "
import sys
from importlib.metadata import version
from packaging.version import Version
v = version('typing_extensions'); print('typing_extensions here:', v)
sys.exit(0 if Version(v) >= Version('4.14.1') else 1)" \
    || { echo "adding typing_extensions 4.16.0"; $PY -m zipfile -e .whl/typing_extensions-4.16.0-py3-none-any.whl "$SITE"; }
  export PYTHONPATH=$SITE:$PWD
else
  export PYTHONPATH=$PWD
fi
echo "PYTHONPATH=$PYTHONPATH"
# argostranslate 1.11 with ARGOS_CHUNK_TYPE=SPACY tries `spacy download xx_sent_ud_sm` at import
# (requests, no timeout): with no network there, make it fail at once instead of waiting on DNS
export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 NO_PROXY= no_proxy=

# --- CUDA 12 libraries for ctranslate2 4.8.5 (it dlopens libcublas.so.12; the image has CUDA 13)
if [ "$GPU" = cuda ]; then
  note "GPU: $(nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader 2>&1 | head -1)"
  CU12=/tmp/cu12libs; mkdir -p $CU12
  $PY - $CU12 <<'EOF' 2>&1 | tee /tmp/bench-cu12.txt
import glob, os, site, sys
dst = sys.argv[1]
roots = [os.path.join(p, "nvidia") for p in site.getsitepackages()] + glob.glob("/usr/local/cuda*") + \
        ["/usr/lib/x86_64-linux-gnu", "/usr/local/lib"]
def find(name):
    hits = set()
    for r in roots:
        hits.update(os.path.realpath(h) for h in glob.glob(os.path.join(r, "**", name), recursive=True))
    return sorted(hits)
dirs = []
for lib in ("libcublas", "libcublasLt"):
    real12 = find(f"{lib}.so.12*")
    if real12:
        src = real12[0]
        print(f"{lib}.so.12: a real CUDA 12 library exists: {src}")
    else:
        c13 = find(f"{lib}.so.13*")
        print(f"{lib}.so.13 candidates: {c13}")
        if not c13:
            print(f"NO {lib}.so.13 FOUND"); continue
        src = next((c for c in c13 if "site-packages/nvidia" in c), c13[0])
        print(f"{lib}.so.12 -> {src}")
    link = os.path.join(dst, f"{lib}.so.12")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(src, link)
    if os.path.dirname(src) not in dirs:
        dirs.append(os.path.dirname(src))
open(os.path.join(dst, "dirs"), "w").write(":".join(dirs))
EOF
  [ "${PIPESTATUS[0]}" = 0 ] || note "SETUP: cuBLAS link step failed"
  grep -E "^libcublas|^NO " /tmp/bench-cu12.txt >> "$SUMMARY"
  export LD_LIBRARY_PATH=$CU12:$(cat $CU12/dirs 2>/dev/null):${LD_LIBRARY_PATH:-}
  echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
fi

# --- versions and a one-sentence check on the device ---------------------------------------
timeout -k 5 120 $PY - "$TINY" "$GPU" <<'EOF' 2>&1 | tee /tmp/bench-check.txt
import importlib.metadata as md, json, os, sys, tempfile, time, zipfile
print("python", sys.version.split()[0], sys.executable)
for d in ["bitext", "ctranslate2", "sentencepiece", "numpy", "torch", "argostranslate", "spacy", "thinc",
          "blis", "stanza", "minisbd", "sacremoses", "pydantic", "pydantic_core", "typing_extensions",
          "click", "typer", "onnxruntime", "protobuf", "lxml", "jieba"]:
    try:
        print(f"  {d} {md.version(d)}", end="")
    except md.PackageNotFoundError:
        print(f"  {d} -", end="")
print()
t = time.time()
import ctranslate2, sentencepiece as spm
dev = sys.argv[2]
print("ctranslate2", ctranslate2.__file__, "cuda devices:", ctranslate2.get_cuda_device_count())
print("compute types on", dev, sorted(ctranslate2.get_supported_compute_types(dev)))
tmp = tempfile.mkdtemp()
zipfile.ZipFile(sys.argv[1]).extractall(tmp)
pkg = os.path.join(tmp, os.listdir(tmp)[0])
sp = spm.SentencePieceProcessor(model_file=os.path.join(pkg, "sentencepiece.model"))
tr = ctranslate2.Translator(os.path.join(pkg, "model"), device=dev,
                            compute_type="int8_float16" if dev == "cuda" else "int8")
src = sp.encode("国家网信办发布了网络安全法。", out_type=str)
out = tr.translate_batch([src], target_prefix=[["<en>"]], beam_size=2)
print("one sentence:", sp.decode(out[0].hypotheses[0][1:]), f"({time.time() - t:.1f} s with import)")
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "cublas" in l or "libcudart" in l})
print("cuBLAS/cudart mapped:", libs or "none")
t = time.time()
import spacy, argostranslate.translate  # noqa: F401  (stanza, minisbd, torch come with it)
nlp = spacy.load(os.path.join(pkg, "spacy"))
print(f"argostranslate + spaCy import ok ({time.time() - t:.1f} s); spacy zh pipeline: {nlp.pipe_names}")
import bitext, stanza, thinc, torch
for m in (bitext, ctranslate2, spacy, thinc, argostranslate, stanza, torch, spm):
    print(f"  {m.__name__} from {os.path.dirname(m.__file__)}")
EOF
[ "${PIPESTATUS[0]}" = 0 ] || note "CHECK FAILED (versions / one-sentence translation on $GPU): $(tail -2 /tmp/bench-check.txt | tr '\n' ' ' | cut -c1-300)"
grep -E "^one sentence|^cuBLAS|^compute types" /tmp/bench-check.txt >> "$SUMMARY"
echo "cold start will run: $(command -v bitext || echo "$PY -m bitext")"

# --- benchmark steps ----------------------------------------------------------------------
step() {  # step NAME MAX_SECONDS CMD...: runs CMD under timeout, keeps its result line
  local name=$1 max=$2; shift 2
  local left=$((BUDGET - SECONDS - 5))
  if [ $left -lt 30 ]; then note "$name: SKIPPED (only ${left}s of the budget left)"; return; fi
  [ "$max" -gt "$left" ] && max=$left
  echo; echo "=== $name: timeout ${max}s, t=${SECONDS}s: $*"
  local t0=$SECONDS
  timeout -k 5 "$max" "$@" 2>&1 | tee /tmp/bench-step.txt
  local rc=${PIPESTATUS[0]}
  local res; res=$(grep -E '^(equal_settings_speedup|argos_docs_per_s_1)=' /tmp/bench-step.txt | tail -1)
  local cold; cold=$(grep -E 'cold_start_s=' /tmp/bench-step.txt | tail -1)
  if [ "$rc" = 0 ] && [ -n "$res" ]; then
    note "$name: ok in $((SECONDS - t0))s: $res ${cold}"
  elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    note "$name: TIMEOUT after ${max}s (rc=$rc)"
  else
    note "$name: FAILED rc=$rc after $((SECONDS - t0))s: $(tail -3 /tmp/bench-step.txt | tr '\n' ' ' | cut -c1-400)"
  fi
  echo "=== end $name t=${SECONDS}s"
}
TS="$PY benchmarks/translate_speed.py --model $TINY --threads $THREADS"
# argostranslate's side dominates the time: one translate_batch per paragraph, beam 4, no output-length
# cap (CTranslate2's default 256); ~0.13 s a paragraph on 2 local CPU cores, ~8 segments a paragraph
# 1. the figure that matters: bitext vs argostranslate on the GPU at equal settings
step "A_${GPU}_vs_argos" 150 $TS --min-segments $SEG_A --repeat $REP --device $GPU --no-cold-start
# 2. fallback figure: bitext alone on the GPU (+ raw CTranslate2, cold start of the CLI)
step "B_${GPU}_skip_argos" 110 $TS --min-segments $SEG --repeat 3 --device $GPU --skip-argos
# 3. whole documents through `bitext batch translate`, 1 worker and a pool of 2, the engine on the GPU
step "D_batch_${GPU}" 120 env BITEXT_TINY_MODEL=$TINY $PY benchmarks/batch_scale.py --engines argos \
  --device $GPU --no-ray --docs 160 --sentences 12 --workers 2
# 4. both on the machine's CPU threads, for comparison (a smaller document: argostranslate is slow there)
step "C_cpu${THREADS}_vs_argos" 200 $TS --min-segments $SEG_CPU --repeat 2 --device cpu --no-cold-start

echo; echo "=== summary (t=${SECONDS}s)"; cat "$SUMMARY"
exec >&- 2>&-
wait $TEE_PID 2>/dev/null
