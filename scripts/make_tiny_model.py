#!/usr/bin/env python3
"""Build a small, real, deterministic zh→en Argos Translate package for tests and benchmarks.

Usage::

    python scripts/make_tiny_model.py OUT.argosmodel [--steps N] [--glossary TSV]
    python scripts/make_tiny_model.py OUT.argosmodel --size base   # scripts/make_base_model.py

How the model is made (everything is seeded; same inputs + same library versions give
the same package, byte for byte on the same machine):

1. **Corpus**: a few thousand zh–en sentence pairs generated from ~20 hand-written
   templates (``TEMPLATES``) whose slots are filled with policy terms: a fixed list of our
   own (``ORGS``, ``DOCS``, ``TOPICS``) plus up to ``MAX_GLOSSARY_TERMS`` entries of
   ``glossaries/zh-en-cyberpolicy.tsv``. In half of the slots the Chinese term is replaced by
   its English target (code-switched input, as ``bitext.terms.enforce.protect`` produces), so the
   model learns to copy Latin spans through.
2. **SentencePiece**: one unigram model (shared source/target vocabulary, byte fallback
   so that any input is encodable), trained on both sides of the corpus, like Argos'
   own packages.
3. **Transformer**: a 2+2-layer pre-norm Transformer (d=64, 4 heads, FFN 128, sinusoidal
   positions, scaled embeddings; exactly CTranslate2's ``TransformerSpec`` layout) trained
   with PyTorch for a few hundred steps. The decoder is trained to emit the package's
   ``target_prefix`` token ``<en>`` first, so engines must honour ``target_prefix`` from
   ``metadata.json``.
4. **Export**: the weights are written into ``ctranslate2.specs.TransformerSpec`` and
   saved as a CTranslate2 model folder (``model/``).
5. **Package**: a zip with one top folder holding ``metadata.json`` (zh→en,
   ``target_prefix``), ``model/``, ``sentencepiece.model``, ``README.md`` and ``spacy/``
   (``spacy.blank("zh")`` saved with ``to_disk``, so that argostranslate's own
   ``translate()`` can split sentences offline with ``ARGOS_CHUNK_TYPE=SPACY``).
   Members are written in sorted order with fixed timestamps.

The model is tiny and only knows the template domain; it is a test fixture proving that
the real loading/translation code paths work, not a translator. Takes well under a
minute on 2 CPU cores (``--steps`` trades time for quality).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

SEED = 1234
PACKAGE_DIR_NAME = "translate-zh_en-tiny_0_1"
TARGET_PREFIX = "<en>"
MAX_GLOSSARY_TERMS = 150
D_MODEL, HEADS, FFN_DIM, LAYERS = 64, 4, 128, 2
BATCH_TOKENS = 800
MAX_POSITIONS = 1024
VOCAB_SIZE = 1600

REPO = Path(__file__).resolve().parent.parent
DEFAULT_GLOSSARY = REPO / "glossaries" / "zh-en-cyberpolicy.tsv"

# --- corpus -----------------------------------------------------------------------------

ORGS = [
    ("网信办", "CAC"),
    ("国家网信办", "Cyberspace Administration of China"),
    ("工业和信息化部", "Ministry of Industry and Information Technology"),
    ("公安部", "Ministry of Public Security"),
    ("国务院", "State Council"),
    ("全国人大常委会", "NPC Standing Committee"),
    ("国家数据局", "National Data Administration"),
    ("中国信通院", "CAICT"),
]
DOCS = [
    ("网络安全法", "Cybersecurity Law"),
    ("数据安全法", "Data Security Law"),
    ("个人信息保护法", "Personal Information Protection Law"),
    ("管理办法", "administrative measures"),
    ("国家标准", "national standard"),
    ("白皮书", "white paper"),
    ("征求意见稿", "draft for comment"),
    ("实施细则", "implementing rules"),
]
TOPICS = [
    ("人工智能", "artificial intelligence"),
    ("生成式人工智能", "generative AI"),
    ("数据跨境流动", "cross-border data flows"),
    ("关键信息基础设施", "critical information infrastructure"),
    ("个人信息", "personal information"),
    ("算法推荐", "algorithmic recommendation"),
    ("深度合成", "deep synthesis"),
    ("网络安全", "cybersecurity"),
    ("数据安全", "data security"),
    ("大模型", "large models"),
    ("安全评估", "security assessment"),
    ("数字经济", "the digital economy"),
]

# (zh, en); slots: {O} organisation, {D} document, {T}/{U} topic (any term), {Y} year.
TEMPLATES = [
    ("{O}发布了{D}。", "The {O} released the {D}."),
    ("{O}发布了关于{T}的{D}。", "The {O} released the {D} on {T}."),
    ("{T}是{O}的工作重点。", "{T} is a priority for the {O}."),
    ("{D}规定了{T}的要求。", "The {D} sets out requirements for {T}."),
    ("我们必须加强{T}。", "We must strengthen {T}."),
    ("{O}负责{T}的监管。", "The {O} is responsible for the regulation of {T}."),
    ("{T}和{U}密切相关。", "{T} and {U} are closely related."),
    ("专家认为{T}将快速发展。", "Experts believe that {T} will develop rapidly."),
    ("{D}自{Y}年起施行。", "The {D} takes effect in {Y}."),
    ("{O}召开会议，讨论{T}。", "The {O} held a meeting to discuss {T}."),
    ("各地区要落实{D}。", "All regions should implement the {D}."),
    ("{T}面临新的挑战。", "{T} faces new challenges."),
    ("{Y}年，{O}加强了{T}的管理。", "In {Y}, the {O} strengthened the management of {T}."),
    ("企业应当重视{T}。", "Companies should pay attention to {T}."),
    ("{O}和{O2}联合发布了{D}。", "The {O} and the {O2} jointly released the {D}."),
    ("{T}的发展需要{U}。", "The development of {T} requires {U}."),
    ("关于{T}的{D}已经生效。", "The {D} on {T} has entered into force."),
    ("我们要推动{T}和{U}的发展。", "We will promote the development of {T} and {U}."),
    ("{O}表示，{T}非常重要。", "The {O} said that {T} is very important."),
    ("这是一个关于{T}的问题。", "This is a question about {T}."),
]

# Plain sentences of the domain, kept verbatim.
FIXED = [
    ("加快构建大网络安全工作格局。", "Accelerate building a broad cybersecurity work pattern."),
    ("网络安全是国家安全的重要组成部分。", "Cybersecurity is an important part of national security."),
    ("没有网络安全就没有国家安全。", "There is no national security without cybersecurity."),
    ("我们要坚持发展和安全并重。", "We must give equal weight to development and security."),
    ("人工智能技术正在快速发展。", "Artificial intelligence technology is developing rapidly."),
    ("谢谢大家。", "Thank you all."),
    ("会议在北京举行。", "The meeting was held in Beijing."),
    ("这项工作取得了积极进展。", "This work has made positive progress."),
    ("各方应加强合作。", "All parties should strengthen cooperation."),
    ("新技术带来新的风险。", "New technologies bring new risks."),
]


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:] if s[:1].islower() else s


def load_glossary_terms(path: Path | None) -> list[tuple[str, str]]:
    """First ``MAX_GLOSSARY_TERMS`` (source, target) pairs of a glossary TSV, sorted.

    The file is read by bitext's own glossary loader (an invalid glossary is an error);
    very long sources or targets are left out of the corpus.
    """
    if path is None or not path.is_file():
        return []
    from bitext.terms.glossary import load_entries

    rows = {(e.source, e.target) for e in load_entries(path) if len(e.source) <= 12 and len(e.target) <= 60}
    return sorted(rows)[:MAX_GLOSSARY_TERMS]


def build_corpus(glossary_terms: list[tuple[str, str]], rng: random.Random) -> list[tuple[str, str]]:
    """Generate the parallel corpus (deterministic for a given ``rng`` state)."""
    topics = TOPICS + glossary_terms
    pairs: list[tuple[str, str]] = list(FIXED) * 8

    def pick(pool: list[tuple[str, str]]) -> tuple[str, str]:
        zh, en = rng.choice(pool)
        if rng.random() < 0.5:  # code-switched: the English term inside the Chinese sentence
            zh = en
        return zh, en

    for zh_t, en_t in TEMPLATES:
        for _ in range(170):
            slots_zh: dict[str, str] = {}
            slots_en: dict[str, str] = {}
            for key, pool in (("O", ORGS), ("O2", ORGS), ("D", DOCS), ("T", topics), ("U", topics)):
                slots_zh[key], slots_en[key] = pick(pool)
            year = str(rng.randint(2015, 2026))
            slots_zh["Y"] = slots_en["Y"] = year
            zh = zh_t.format(**slots_zh)
            en = _capitalise(en_t.format(**slots_en))
            pairs.append((zh, en))
    # Every glossary/topic term alone and in a short frame, both ways round, so that
    # each is seen several times.
    for zh, en in topics + ORGS + DOCS:
        pairs.append((zh, en))
        pairs.append((en, en))
        pairs.append((f"我们必须加强{zh}。", f"We must strengthen {en}."))
        pairs.append((f"这是一个关于{en}的问题。", f"This is a question about {en}."))
    rng.shuffle(pairs)
    return pairs


# --- SentencePiece ----------------------------------------------------------------------


def train_sentencepiece(pairs: list[tuple[str, str]], workdir: Path) -> Path:
    """Train the shared unigram SentencePiece model; returns its path.

    Trained from an in-memory iterator into memory, so that no temporary path ends up in
    the model's trainer spec (the file is byte-for-byte reproducible).
    """
    import io

    import sentencepiece as spm

    lines = [s for zh, en in pairs for s in (zh, en)]
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=VOCAB_SIZE,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=True,
        hard_vocab_limit=False,
        user_defined_symbols=[TARGET_PREFIX],
        pad_id=3,
        pad_piece="<blank>",
        num_threads=1,
        seed_sentencepiece_size=100000,
        shuffle_input_sentence=False,
        minloglevel=2,
    )
    out = workdir / "sentencepiece.model"
    out.write_bytes(buf.getvalue())
    return out


# --- Transformer (PyTorch, CTranslate2 layout) -------------------------------------------


def sinusoids(n: int, d: int):  # type: ignore[no-untyped-def]
    """OpenNMT-style position encodings: sin on even, cos on odd dimensions."""
    import torch

    pos = torch.arange(n, dtype=torch.float32).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * -(math.log(10000.0) / d))
    pe = torch.zeros(n, d)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    return pe


def make_model(vocab: int):  # type: ignore[no-untyped-def]
    """A pre-norm Transformer whose parameters map 1:1 onto ``TransformerSpec``."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    class Attn(nn.Module):
        def __init__(self, self_attn: bool):
            super().__init__()
            self.self_attn = self_attn
            self.ln = nn.LayerNorm(D_MODEL, eps=1e-6)
            if self_attn:
                self.qkv = nn.Linear(D_MODEL, 3 * D_MODEL)
            else:
                self.q = nn.Linear(D_MODEL, D_MODEL)
                self.kv = nn.Linear(D_MODEL, 2 * D_MODEL)
            self.out = nn.Linear(D_MODEL, D_MODEL)

        def forward(self, x, mem, mask):  # type: ignore[no-untyped-def]
            h = self.ln(x)
            if self.self_attn:
                q, k, v = self.qkv(h).chunk(3, dim=-1)
            else:
                q = self.q(h)
                k, v = self.kv(mem).chunk(2, dim=-1)
            b = x.shape[0]

            def split(t):  # type: ignore[no-untyped-def]
                return t.view(b, -1, HEADS, D_MODEL // HEADS).transpose(1, 2)

            o = F.scaled_dot_product_attention(split(q), split(k), split(v), attn_mask=mask)
            return x + self.out(o.transpose(1, 2).reshape(b, -1, D_MODEL))

    class FFN(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln = nn.LayerNorm(D_MODEL, eps=1e-6)
            self.w1 = nn.Linear(D_MODEL, FFN_DIM)
            self.w2 = nn.Linear(FFN_DIM, D_MODEL)

        def forward(self, x):  # type: ignore[no-untyped-def]
            return x + self.w2(F.relu(self.w1(self.ln(x))))

    class EncLayer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.sa, self.ffn = Attn(True), FFN()

        def forward(self, x, mask):  # type: ignore[no-untyped-def]
            return self.ffn(self.sa(x, None, mask))

    class DecLayer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.sa, self.ca, self.ffn = Attn(True), Attn(False), FFN()

        def forward(self, x, mem, self_mask, mem_mask):  # type: ignore[no-untyped-def]
            return self.ffn(self.ca(self.sa(x, None, self_mask), mem, mem_mask))

    class Seq2Seq(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.src_emb = nn.Embedding(vocab, D_MODEL)
            self.tgt_emb = nn.Embedding(vocab, D_MODEL)
            nn.init.normal_(self.src_emb.weight, std=D_MODEL**-0.5)
            nn.init.normal_(self.tgt_emb.weight, std=D_MODEL**-0.5)
            self.register_buffer("pe", sinusoids(MAX_POSITIONS, D_MODEL))
            self.enc = nn.ModuleList(EncLayer() for _ in range(LAYERS))
            self.dec = nn.ModuleList(DecLayer() for _ in range(LAYERS))
            self.enc_ln = nn.LayerNorm(D_MODEL, eps=1e-6)
            self.dec_ln = nn.LayerNorm(D_MODEL, eps=1e-6)
            self.proj = nn.Linear(D_MODEL, vocab)

        def forward(self, src, src_len, tgt_in):  # type: ignore[no-untyped-def]
            scale = math.sqrt(D_MODEL)
            s = src.shape[1]
            x = self.src_emb(src) * scale + self.pe[:s]
            key_ok = torch.arange(s)[None, :] < src_len[:, None]  # (B, S)
            enc_mask = key_ok[:, None, None, :]
            for layer in self.enc:
                x = layer(x, enc_mask)
            mem = self.enc_ln(x)
            t = tgt_in.shape[1]
            y = self.tgt_emb(tgt_in) * scale + self.pe[:t]
            causal = torch.ones(t, t, dtype=torch.bool).tril()[None, None]
            for layer in self.dec:
                y = layer(y, mem, causal, enc_mask)
            return self.proj(self.dec_ln(y))

    return Seq2Seq()


def train_model(pairs: list[tuple[str, str]], sp_path: Path, steps: int, log: bool):  # type: ignore[no-untyped-def]
    """Train the Transformer on the corpus; returns ``(model, vocabulary)``."""
    import sentencepiece as spm
    import torch
    from torch.nn import functional as F

    torch.manual_seed(SEED)
    # One thread: flush-to-zero (below) is per thread, and one thread is both deterministic and
    # robust on a busy machine.
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.set_flush_denormal(True)  # denormals slow CPU training down as weights settle
    sp = spm.SentencePieceProcessor(model_file=str(sp_path))
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    bos, eos, pad = sp.bos_id(), sp.eos_id(), sp.pad_id()
    prefix_id = sp.piece_to_id(TARGET_PREFIX)
    data = []
    for zh, en in pairs:
        src = sp.encode(zh)[: MAX_POSITIONS - 1]
        tgt = [prefix_id] + sp.encode(en)[: MAX_POSITIONS - 3]
        data.append((src, tgt))
    # Length-bucketed batches (deterministic), ~BATCH_TOKENS padded tokens each.
    order = sorted(range(len(data)), key=lambda i: (len(data[i][0]), i))
    batches, cur, cur_max = [], [], 0
    for i in order:
        n = max(len(data[i][0]), len(data[i][1]) + 1)
        if cur and max(cur_max, n) * (len(cur) + 1) > BATCH_TOKENS:
            batches.append(cur)
            cur, cur_max = [], 0
        cur.append(i)
        cur_max = max(cur_max, n)
    if cur:
        batches.append(cur)
    tensors = []
    for b in batches:
        s_len = max(len(data[i][0]) for i in b)
        t_len = max(len(data[i][1]) for i in b) + 1
        src = torch.full((len(b), s_len), pad, dtype=torch.long)
        tin = torch.full((len(b), t_len), pad, dtype=torch.long)
        tout = torch.full((len(b), t_len), -100, dtype=torch.long)
        lens = torch.tensor([len(data[i][0]) for i in b])
        for r, i in enumerate(b):
            s, t = data[i]
            src[r, : len(s)] = torch.tensor(s)
            tin[r, : len(t) + 1] = torch.tensor([bos] + t)
            tout[r, : len(t) + 1] = torch.tensor(t + [eos])
        tensors.append((src, lens, tin, tout))

    model = make_model(len(vocab))
    opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98), eps=1e-9)
    warmup, peak = 100, 3e-3
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: peak * min((step + 1) / warmup, math.sqrt(warmup / (step + 1)))
    )
    rng = random.Random(SEED)
    model.train()
    t0 = time.time()
    for step in range(steps):
        src, lens, tin, tout = tensors[rng.randrange(len(tensors))]
        logits = model(src, lens, tin)
        loss = F.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), tout.reshape(-1), ignore_index=-100,
            label_smoothing=0.1,
        )
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if log and (step % 100 == 0 or step == steps - 1):
            print(f"  step {step:4d} loss {loss.item():.3f} ({time.time() - t0:.1f} s)", file=sys.stderr)
    model.eval()
    return model, vocab


def export_ctranslate2(model, vocab: list[str], out_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """Write the trained weights into a ``TransformerSpec`` and save the CT2 model."""
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config((LAYERS, LAYERS), HEADS)
    spec.config.decoder_start_token = "<s>"
    spec.config.layer_norm_epsilon = 1e-6

    def np_(t):  # type: ignore[no-untyped-def]
        return t.detach().cpu().numpy().astype("float32")

    def ln(dst, src) -> None:  # type: ignore[no-untyped-def]
        dst.gamma, dst.beta = np_(src.weight), np_(src.bias)

    def lin(dst, src) -> None:  # type: ignore[no-untyped-def]
        dst.weight, dst.bias = np_(src.weight), np_(src.bias)

    def attn(dst, src) -> None:  # type: ignore[no-untyped-def]
        ln(dst.layer_norm, src.ln)
        if src.self_attn:
            lin(dst.linear[0], src.qkv)
            lin(dst.linear[1], src.out)
        else:
            lin(dst.linear[0], src.q)
            lin(dst.linear[1], src.kv)
            lin(dst.linear[2], src.out)

    def ffn(dst, src) -> None:  # type: ignore[no-untyped-def]
        ln(dst.layer_norm, src.ln)
        lin(dst.linear_0, src.w1)
        lin(dst.linear_1, src.w2)

    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = np_(model.src_emb.weight)
    enc.position_encodings.encodings = np_(model.pe)
    ln(enc.layer_norm, model.enc_ln)
    for dst, src in zip(enc.layer, model.enc):
        attn(dst.self_attention, src.sa)
        ffn(dst.ffn, src.ffn)
    dec.embeddings.weight = np_(model.tgt_emb.weight)
    dec.position_encodings.encodings = np_(model.pe)
    ln(dec.layer_norm, model.dec_ln)
    lin(dec.projection, model.proj)
    for dst, src in zip(dec.layer, model.dec):
        attn(dst.self_attention, src.sa)
        attn(dst.attention, src.ca)
        ffn(dst.ffn, src.ffn)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=None)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))


# --- packaging --------------------------------------------------------------------------


def write_spacy_blank_zh(out_dir: Path) -> None:
    """``spacy.blank("zh")`` (character segmentation) saved for argostranslate's SPACY chunking."""
    import spacy

    spacy.blank("zh").to_disk(out_dir)


def write_package(pkg_dir: Path, out_file: Path) -> None:
    """Zip ``pkg_dir`` as ``<PACKAGE_DIR_NAME>/...`` with sorted members and fixed times."""
    files = sorted(p for p in pkg_dir.rglob("*") if p.is_file())
    tmp = out_file.with_name(f".{out_file.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in files:
            arc = f"{PACKAGE_DIR_NAME}/{p.relative_to(pkg_dir).as_posix()}"
            info = zipfile.ZipInfo(arc, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100000 | 0o644) << 16  # regular file, rw-r--r--
            zf.writestr(info, p.read_bytes())
    os.replace(tmp, out_file)


def build(out_file: Path, steps: int = 600, glossary: Path | None = DEFAULT_GLOSSARY,
          log: bool = False) -> Path:
    """Build the package into ``out_file`` and return it."""
    rng = random.Random(SEED)
    terms = load_glossary_terms(glossary)
    pairs = build_corpus(terms, rng)
    with tempfile.TemporaryDirectory(prefix="tinymodel-") as tmp:
        work = Path(tmp)
        pkg = work / "pkg"
        pkg.mkdir()
        t0 = time.time()
        sp_path = train_sentencepiece(pairs, work)
        shutil.copyfile(sp_path, pkg / "sentencepiece.model")
        if log:
            print(f"corpus {len(pairs)} pairs, {len(terms)} glossary terms; "
                  f"sentencepiece {time.time() - t0:.1f} s", file=sys.stderr)
        model, vocab = train_model(pairs, sp_path, steps, log)
        export_ctranslate2(model, vocab, pkg / "model")
        write_spacy_blank_zh(pkg / "spacy")
        metadata = {
            "package_version": "0.1",
            "argos_version": "1.9",
            "from_code": "zh",
            "from_name": "Chinese",
            "to_code": "en",
            "to_name": "English",
            "type": "translate",
            "target_prefix": TARGET_PREFIX,
            "note": "bitext tiny test model (scripts/make_tiny_model.py); not a real translator",
        }
        (pkg / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        (pkg / "README.md").write_text(
            "# bitext tiny zh→en test model\n\nBuilt by `scripts/make_tiny_model.py` "
            f"(seed {SEED}, {steps} steps, {len(pairs)} template sentence pairs). It only "
            "knows a small policy-template domain and exists to test real code paths.\n",
            encoding="utf-8",
        )
        out_file.parent.mkdir(parents=True, exist_ok=True)
        write_package(pkg, out_file)
    return out_file


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="output .argosmodel file")
    ap.add_argument("--steps", type=int, default=600, help="training steps (default 600)")
    ap.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY,
                    help="glossary TSV whose terms enter the corpus")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    ap.add_argument("--size", choices=["tiny", "base"], default="tiny",
                    help="tiny (default: this test model) or base (Transformer-base dimensions for "
                         "speed tests: scripts/make_base_model.py, its default steps unless --steps)")
    args, _ = ap.parse_known_args(argv)
    if args.size == "base":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import make_base_model

        rest = [str(args.out), "--glossary", str(args.glossary)] + (["-q"] if args.quiet else [])
        if "--steps" in (argv if argv is not None else sys.argv[1:]):
            rest += ["--steps", str(args.steps)]
        return make_base_model.main(rest)
    args = ap.parse_args(argv)
    t0 = time.time()
    build(args.out, steps=args.steps, glossary=args.glossary, log=not args.quiet)
    if not args.quiet:
        print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB, "
              f"{time.time() - t0:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
