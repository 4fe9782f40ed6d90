#!/usr/bin/env python3
"""Build a zh→en Argos Translate package of *real* Transformer-base size for speed tests.

Usage::

    python scripts/make_base_model.py OUT.argosmodel [--steps N] [--vocab 32000]
    python scripts/make_tiny_model.py OUT.argosmodel --size base     # the same

The package has the dimensions of Argos Translate's zh→en model (a Transformer-base:
6 encoder + 6 decoder layers, d_model 512, 8 heads, FFN 2048, a 32,000-entry vocabulary,
int8 weights like Argos' converted models), so CTranslate2 does the same work per token
as with the real model, and its outputs have realistic lengths. Training a model of that
size is out of reach on a couple of CPU cores, so it is *grown* from a trained narrow one:

1. ``make_tiny_model``'s template corpus (same seed) plus ``GLOSS_PAIRS`` word-by-word
   "translations" of random CC-CEDICT words (so that output length follows input length
   on any text, not only on the templates) train a shared 8k-piece SentencePiece model and
   a narrow Transformer with the base model's depth and head count (6+6 layers, d=64,
   8 heads of 8, FFN 256), for ``--steps`` steps.
2. Every hidden dimension is widened by r = 8 (64 → 512, FFN 256 → 2048) by repeating
   each unit r times ("net2net" style): inputs of each linear layer are divided by r,
   layer norms see the same mean and variance, each base head sees its narrow head's
   dimensions r times (queries are scaled by 1/√r so the attention logits stay equal),
   and the stored position encodings and embeddings are repeated likewise (embeddings
   divided by √r, since CTranslate2 multiplies them by √d_model). The wide model computes
   exactly the narrow model's function, at the wide model's cost.
3. The vocabulary is padded to ``--vocab`` entries with unused pieces (random embeddings,
   output bias -10⁴ so that they are never produced): the softmax and embedding tables
   have the real size although the corpus supports only ~8,000 SentencePiece pieces.
4. The model is checked on held-out template sentences and on the benchmark document:
   the mean target/source token ratio is printed (it must lie between 0.8 and 2).

Not part of the test suite (a few minutes on 2 cores); ``benchmarks/translate_speed.py
--size base`` caches the package in ``.cache/`` (gitignored).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_tiny_model as mt

PACKAGE_DIR_NAME = "translate-zh_en-base_0_1"
NARROW = {"D_MODEL": 64, "HEADS": 8, "FFN_DIM": 256, "LAYERS": 6}
WIDEN = 8
VOCAB = 32_000
DEFAULT_STEPS = 900
SPM_VOCAB = 8000
"""SentencePiece pieces asked for (a larger shared vocabulary than the tiny model's, so that
the Chinese characters of real documents are pieces rather than byte fallbacks)."""
GLOSS_PAIRS = 5000


def gloss_pairs(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """Word-by-word "translations" from CC-CEDICT: 2–24 random dictionary words, each
    rendered by its first short definition. They teach the model that output length
    follows input length on text outside the template domain (and widen the vocabulary)."""
    import regex

    from bitext.zh import cedict

    words = []
    for e in cedict.entries():
        zh = e.simplified
        if not 1 <= len(zh) <= 4 or not regex.fullmatch(r"\p{Han}+", zh) or not e.definitions:
            continue
        en = regex.sub(r"\(.*?\)|\[.*?\]", "", e.definitions[0]).strip()
        if en and en.isascii() and len(en.split()) <= 3 and not en.startswith(("variant", "see ", "CL:", "surname")):
            words.append((zh, en))
    words.sort()
    words = words[: 60000]
    out = []
    for _ in range(n):
        k = rng.randint(2, 24)
        picked = [rng.choice(words) for _ in range(k)]
        zh = "".join(w[0] for w in picked) + "。"
        en = mt._capitalise(" ".join(w[1] for w in picked)) + "."
        out.append((zh, en))
    return out


def _np(t):  # type: ignore[no-untyped-def]
    return t.detach().cpu().numpy().astype("float32")


def widen_linear(w, b, r_out: int, r_in: int, scale: float = 1.0):  # type: ignore[no-untyped-def]
    """``y' = repeat(W x + b, r_out)`` for ``x' = repeat(x, r_in)`` (repeat = each unit r times)."""
    import numpy as np

    w2 = np.repeat(np.repeat(w, r_out, axis=0), r_in, axis=1) / r_in * scale
    return w2.astype("float32"), (np.repeat(b, r_out) * scale).astype("float32")


def export_widened(model, vocab: list[str], out_dir: Path, vocab_size: int, quantization: str = "int8") -> dict:  # type: ignore[no-untyped-def]
    """Write the narrow model widened ×``WIDEN`` (and its vocabulary padded) as a CT2 model."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    r = WIDEN
    d = NARROW["D_MODEL"]
    rng = np.random.default_rng(mt.SEED)
    spec = transformer_spec.TransformerSpec.from_config((NARROW["LAYERS"], NARROW["LAYERS"]), NARROW["HEADS"])
    spec.config.decoder_start_token = "<s>"
    spec.config.layer_norm_epsilon = 1e-6
    pad_n = max(0, vocab_size - len(vocab))
    full_vocab = list(vocab) + [f"<unused{i:05d}>" for i in range(pad_n)]
    assert len(set(full_vocab)) == len(full_vocab)

    def ln(dst, src) -> None:  # type: ignore[no-untyped-def]
        dst.gamma = np.repeat(_np(src.weight), r)
        dst.beta = np.repeat(_np(src.bias), r)

    def lin(dst, src, scale: float = 1.0) -> None:  # type: ignore[no-untyped-def]
        dst.weight, dst.bias = widen_linear(_np(src.weight), _np(src.bias), r, r, scale)

    def lin_parts(dst, src, n: int, scales: list[float]) -> None:  # type: ignore[no-untyped-def]
        """A fused projection (q|k|v or k|v): widen each part on its own, then concatenate."""
        ws = np.split(_np(src.weight), n, axis=0)
        bs = np.split(_np(src.bias), n)
        parts = [widen_linear(w, b, r, r, s) for w, b, s in zip(ws, bs, scales)]
        dst.weight = np.concatenate([p[0] for p in parts], axis=0)
        dst.bias = np.concatenate([p[1] for p in parts])

    q_scale = 1.0 / np.sqrt(r)  # each base head sees its narrow head's dims r times

    def attn(dst, src) -> None:  # type: ignore[no-untyped-def]
        ln(dst.layer_norm, src.ln)
        if src.self_attn:
            lin_parts(dst.linear[0], src.qkv, 3, [q_scale, 1.0, 1.0])
            lin(dst.linear[1], src.out)
        else:
            lin(dst.linear[0], src.q, q_scale)
            lin_parts(dst.linear[1], src.kv, 2, [1.0, 1.0])
            lin(dst.linear[2], src.out)

    def ffn(dst, src) -> None:  # type: ignore[no-untyped-def]
        ln(dst.layer_norm, src.ln)
        lin(dst.linear_0, src.w1)
        lin(dst.linear_1, src.w2)

    def embeddings(w):  # type: ignore[no-untyped-def]
        e = np.repeat(w, r, axis=1) / np.sqrt(r)  # CT2 multiplies by sqrt(d_model)
        extra = rng.normal(0.0, (d * r) ** -0.5, size=(pad_n, d * r)).astype("float32")
        return np.concatenate([e, extra]).astype("float32")

    enc, dec = spec.encoder, spec.decoder
    pe = np.repeat(_np(model.pe), r, axis=1)
    enc.embeddings[0].weight = embeddings(_np(model.src_emb.weight))
    enc.position_encodings.encodings = pe
    ln(enc.layer_norm, model.enc_ln)
    for dst, src in zip(enc.layer, model.enc):
        attn(dst.self_attention, src.sa)
        ffn(dst.ffn, src.ffn)
    dec.embeddings.weight = embeddings(_np(model.tgt_emb.weight))
    dec.position_encodings.encodings = pe
    ln(dec.layer_norm, model.dec_ln)
    pw = np.repeat(_np(model.proj.weight), r, axis=1) / r
    pw_extra = rng.normal(0.0, 0.02, size=(pad_n, d * r)).astype("float32")
    dec.projection.weight = np.concatenate([pw, pw_extra]).astype("float32")
    dec.projection.bias = np.concatenate([_np(model.proj.bias), np.full(pad_n, -1e4, "float32")]).astype("float32")
    for dst, src in zip(dec.layer, model.dec):
        attn(dst.self_attention, src.sa)
        attn(dst.attention, src.ca)
        ffn(dst.ffn, src.ffn)
    spec.register_source_vocabulary(full_vocab)
    spec.register_target_vocabulary(full_vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))
    params = sum(int(np.prod(v.shape)) for v in spec.variables().values() if hasattr(v, "shape"))
    return {"layers": f"{NARROW['LAYERS']}+{NARROW['LAYERS']}", "d_model": d * r, "heads": NARROW["HEADS"],
            "ffn": NARROW["FFN_DIM"] * r, "vocab": len(full_vocab), "spm_pieces": len(vocab),
            "params": params, "quantization": quantization}


def token_ratio(model_dir: Path, sp_path: Path, sentences: list[str], beam: int = 2) -> dict:
    """Mean target/source token ratio (and how many stopped at max length) on ``sentences``."""
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    tr = ctranslate2.Translator(str(model_dir), device="cpu", compute_type="int8", intra_threads=2)
    src = [sp.encode(s, out_type=str) for s in sentences if s.strip()]
    max_len = 256
    out = tr.translate_batch(src, target_prefix=[[mt.TARGET_PREFIX]] * len(src), beam_size=beam,
                             max_decoding_length=max_len, max_batch_size=2048, batch_type="tokens")
    ratios, capped, empty = [], 0, 0
    for s, o in zip(src, out):
        hyp = list(o.hypotheses[0])[1:]  # the forced <en>
        capped += len(hyp) + 1 >= max_len
        empty += not hyp
        ratios.append(len(hyp) / max(1, len(s)))
    n = len(ratios)
    return {"sentences": n, "mean_ratio": sum(ratios) / max(1, n),
            "total_ratio": sum(len(o.hypotheses[0]) - 1 for o in out) / max(1, sum(map(len, src))),
            "hit_max_length": capped, "empty": empty,
            "sample": [sp.decode(list(o.hypotheses[0])[1:]) for o in out[:3]]}


def document_sentences(path: Path) -> list[str]:
    """The segments bitext reads from a document (the benchmark's text)."""
    from bitext import readers

    return [s.text for s in readers.read(path, readers.format_of(path)).segments]


def build(out_file: Path, steps: int = DEFAULT_STEPS, glossary: Path | None = mt.DEFAULT_GLOSSARY,
          vocab_size: int = VOCAB, log: bool = False) -> dict:
    """Build the package into ``out_file``; returns facts about it (dimensions, times, ratios)."""
    t_start = time.time()
    for k, v in NARROW.items():  # make_tiny_model's trainer reads its module constants
        setattr(mt, k, v)
    mt.VOCAB_SIZE = SPM_VOCAB
    rng = random.Random(mt.SEED)
    terms = mt.load_glossary_terms(glossary)
    pairs = mt.build_corpus(terms, rng) + gloss_pairs(GLOSS_PAIRS, rng)
    rng.shuffle(pairs)
    held_out = [zh for zh, _ in mt.build_corpus(terms, random.Random(mt.SEED + 1))[:300]]
    facts: dict = {}
    with tempfile.TemporaryDirectory(prefix="basemodel-") as tmp:
        work = Path(tmp)
        pkg = work / "pkg"
        pkg.mkdir()
        sp_path = mt.train_sentencepiece(pairs, work)
        shutil.copyfile(sp_path, pkg / "sentencepiece.model")
        t0 = time.time()
        model, vocab = mt.train_model(pairs, sp_path, steps, log)
        facts["train_s"] = round(time.time() - t0, 1)
        facts.update(export_widened(model, vocab, pkg / "model", vocab_size))
        mt.write_spacy_blank_zh(pkg / "spacy")
        metadata = {
            "package_version": "0.1", "argos_version": "1.9",
            "from_code": "zh", "from_name": "Chinese", "to_code": "en", "to_name": "English",
            "type": "translate", "target_prefix": mt.TARGET_PREFIX,
            "note": "bitext base-size speed-test model (scripts/make_base_model.py); not a real translator",
        }
        (pkg / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        (pkg / "README.md").write_text(
            "# bitext base-size zh→en speed-test model\n\nBuilt by `scripts/make_base_model.py`: "
            f"Transformer {facts['layers']} layers, d_model {facts['d_model']}, {facts['heads']} heads, "
            f"FFN {facts['ffn']}, vocabulary {facts['vocab']}; a narrow model trained {steps} steps on "
            "template sentences, widened. It only knows a small policy-template domain.\n",
            encoding="utf-8",
        )
        facts["heldout"] = token_ratio(pkg / "model", sp_path, held_out)
        doc = mt.REPO / "corpora" / "sample-policy-zh.md"
        if doc.is_file():
            facts["document"] = token_ratio(pkg / "model", sp_path, document_sentences(doc))
        out_file.parent.mkdir(parents=True, exist_ok=True)
        mt.PACKAGE_DIR_NAME = PACKAGE_DIR_NAME
        mt.write_package(pkg, out_file)
    facts["build_s"] = round(time.time() - t_start, 1)
    facts["size_mb"] = round(out_file.stat().st_size / 1e6, 1)
    return facts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output .argosmodel file")
    ap.add_argument("--steps", type=int, default=DEFAULT_STEPS,
                    help=f"training steps of the narrow model (default {DEFAULT_STEPS})")
    ap.add_argument("--vocab", type=int, default=VOCAB, help=f"vocabulary size (default {VOCAB})")
    ap.add_argument("--glossary", type=Path, default=mt.DEFAULT_GLOSSARY,
                    help="glossary TSV whose terms enter the corpus")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args(argv)
    facts = build(args.out, steps=args.steps, glossary=args.glossary, vocab_size=args.vocab, log=not args.quiet)
    ratio = facts.get("document", facts["heldout"])["mean_ratio"]
    if not args.quiet:
        print(json.dumps(facts, ensure_ascii=False, indent=1), file=sys.stderr)
    print(f"wrote {args.out}: {facts['layers']} layers, d_model {facts['d_model']}, {facts['heads']} heads, "
          f"ffn {facts['ffn']}, vocab {facts['vocab']} ({facts['quantization']}); {facts['size_mb']} MB; "
          f"built in {facts['build_s']} s; target/source token ratio {facts['heldout']['mean_ratio']:.2f} "
          f"(held-out) {ratio:.2f} (document)")
    if not 0.8 <= ratio <= 2.0:
        print(f"warning: token ratio {ratio:.2f} outside [0.8, 2]", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
