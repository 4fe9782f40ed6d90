"""The ``ct2`` engine: any CTranslate2 translation model plus SentencePiece models.

This module owns the neural decoding shared by ``ct2`` and ``argos`` (``ArgosEngine``
subclasses ``CT2Engine``): loading a model once per process (cached by path and
options), tokenising with SentencePiece, sorting a batch by length and cutting it into
token-bounded sub-batches, honouring a model-wide ``target_prefix`` (Argos metadata) and
per-sentence target prefixes (term repair), and returning scores and attention.

``--model DIR --source-spm S --target-spm T`` pick the files; when the spm flags are
omitted, ``DIR/source.spm`` + ``DIR/target.spm`` (OPUS-MT conversions) or
``DIR/sentencepiece.model`` (shared vocabulary) are used.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bitext.engines.base import Engine, EngineContext, Translation
from bitext.errors import ConfigError, EngineError, EngineUnavailableError

log = logging.getLogger(__name__)

DEFAULT_BEAM = 2
MAX_BATCH_TOKENS = 1024
"""Source tokens (padded length × sentences) per sub-batch handed to CTranslate2. With two CPU
workers (``thread_split``), 1024 keeps both busy: Transformer-base size, 216 segments, 2 cores:
5.8 s against 7.3 s at 2048 (``benchmarks/translate_speed.py --size base --skip-argos``)."""
MAX_BATCH_TOKENS_GPU = 4096
"""The same on a GPU (one worker): bigger batches keep it busy. Raw CTranslate2 on an H200,
tiny model, 2,087 segments: 4.85 s at 1024 tokens, 2.77 s at 2048, 1.78 s at 4096
(``benchmarks/translate_speed.py --device cuda``)."""
MAX_INPUT_TOKENS = 512
MAX_DECODING_LENGTH = 256
MAX_TARGET_TOKENS = 512
"""Target positions in all (forced prefix included): models that store their position
encodings (OPUS-MT: 512, many others 1024) fail beyond them. A longer forced prefix is
ignored (the sentence is decoded freely and term repair sees no gain)."""
COMPUTE_TYPES = ("default", "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16",
                 "float16", "bfloat16", "float32")
"""The compute types CTranslate2 knows (``--compute-type``)."""
LANG_TAG = re.compile(r"<[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?>|__[a-z]{2,3}(?:_[A-Za-z]{2,4})?__|>>[a-z]{2,3}<<")
"""A language-tag piece (``<en>``, ``__en__``, ``>>en<<``) some models emit first."""

_LOCK = threading.Lock()
_TRANSLATORS: dict[tuple, Any] = {}
_SP_MODELS: dict[str, Any] = {}


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def import_ctranslate2() -> Any:
    """Import ``ctranslate2`` with OpenMP threads that sleep when idle.

    CTranslate2's bundled libgomp busy-waits between parallel regions by default; on a
    machine whose cores are busy that costs about half a second while a model loads
    (measured: 0.5 s → 0.003 s for the tiny model with 2 threads on a loaded 2-core box)
    and does not speed up decoding. ``OMP_WAIT_POLICY=PASSIVE`` is set unless the user set
    it; libgomp reads it when the library loads, so this must run before the first import.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import ctranslate2

    return ctranslate2


def resolve_device(device: str | None) -> str:
    """``cpu``/``cuda``; ``auto`` (or None) picks CUDA when a GPU is visible."""
    ctranslate2 = import_ctranslate2()

    if device in (None, "auto"):
        return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if device not in ("cpu", "cuda"):
        raise ConfigError(f"unknown device {device!r}; use cpu, cuda or auto")
    if device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
        raise EngineUnavailableError("no CUDA device is visible to CTranslate2; use --device cpu")
    return device


def resolve_compute_type(device: str, compute_type: str | None) -> str:
    """The requested compute type if this device supports it, else a supported fallback.

    Defaults: ``int8`` on CPU, ``int8_float16`` (else ``float16``) on CUDA.
    """
    ctranslate2 = import_ctranslate2()

    if compute_type not in (None, *COMPUTE_TYPES):
        raise ConfigError(f"unknown compute type {compute_type!r}; use one of: {', '.join(COMPUTE_TYPES)}")
    supported = set(ctranslate2.get_supported_compute_types(device))
    if compute_type in (None, "default"):
        prefs = ["int8", "int8_float32", "float32"] if device == "cpu" else ["int8_float16", "float16", "float32"]
    else:
        if compute_type == "auto" or compute_type in supported:
            return compute_type
        prefs = [compute_type]
        if compute_type.startswith("int8"):
            prefs += ["int8", "int8_float32", "int8_float16"]
        prefs += ["float16", "float32"] if device == "cuda" else ["float32"]
        log.warning("compute type %s is not supported on this %s; falling back", compute_type, device)
    for c in prefs:
        if c in supported:
            return c
    return "auto"


def thread_split(device: str, threads: int) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for CTranslate2.

    On CPU with several threads, two workers each decode their own sub-batch (the engine
    queues every sub-batch at once): measured on 2 cores with a Transformer-base-size model,
    2×1 decoded 216 segments in 6.5 s against 10.9 s for 1×2 (``benchmarks/translate_speed.py
    --size base``). GPUs and ``device="auto"`` keep one worker.
    """
    if device != "cpu":
        return 1, threads
    n = threads or (os.cpu_count() or 1)
    if n < 2:
        return 1, n
    return 2, n // 2


def load_translator(model_dir: Path, device: str, compute_type: str, threads: int) -> Any:
    """A ``ctranslate2.Translator``, loaded once per process for the same path and options.

    Raises:
        EngineError: the folder is not a loadable CTranslate2 model (one line, what to do).
    """
    ctranslate2 = import_ctranslate2()

    key = (str(Path(model_dir).resolve()), device, compute_type, threads)
    with _LOCK:
        tr = _TRANSLATORS.get(key)
        if tr is not None:
            return tr
        if not Path(model_dir).is_dir():
            raise EngineUnavailableError(f"model folder {model_dir} does not exist")
        if not ctranslate2.contains_model(str(model_dir)):
            raise EngineError(
                f"corrupt model folder {model_dir}: no CTranslate2 model.bin; reinstall the model "
                "(bitext models install FILE.argosmodel)"
            )
        inter, intra = thread_split(device, threads)
        try:
            tr = ctranslate2.Translator(
                str(model_dir),
                device=device,
                compute_type=compute_type,
                inter_threads=inter,
                intra_threads=intra,
            )
        except (RuntimeError, ValueError, OSError) as e:
            raise EngineError(
                f"cannot load the CTranslate2 model in {model_dir} ({_first_line(e)}); the folder "
                "looks corrupt: reinstall the model (bitext models install FILE.argosmodel)"
            ) from None
        _TRANSLATORS[key] = tr
        return tr


def load_sentencepiece(path: Path) -> Any:
    """A ``SentencePieceProcessor``, loaded once per process per file.

    Raises:
        EngineUnavailableError: missing file; EngineError: unreadable model.
    """
    import sentencepiece as spm

    key = str(Path(path).resolve())
    with _LOCK:
        sp = _SP_MODELS.get(key)
        if sp is not None:
            return sp
        if not Path(path).is_file():
            raise EngineUnavailableError(
                f"SentencePiece model {path} is missing; reinstall the model or give --source-spm/--target-spm"
            )
        try:
            sp = spm.SentencePieceProcessor(model_file=str(path))
        except Exception as e:  # noqa: BLE001 - sentencepiece raises OSError/RuntimeError
            raise EngineError(
                f"cannot read SentencePiece model {path} ({_first_line(e)}); reinstall the model"
            ) from None
        _SP_MODELS[key] = sp
        return sp


def clear_cache() -> None:
    """Forget loaded models (tests; frees memory)."""
    with _LOCK:
        _TRANSLATORS.clear()
        _SP_MODELS.clear()


class CT2Engine(Engine):
    """CTranslate2 + SentencePiece translation.

    Args:
        model_dir: the CTranslate2 model folder.
        source_spm: SentencePiece model for the source (default: see module docstring).
        target_spm: SentencePiece model for the target (default: the source one).
        beam_size: beam width (default 2).
        compute_type: ``int8`` (CPU default), ``int8_float16`` (CUDA default), ``float16``,
            ``float32``, ``auto`` …; an unsupported one falls back with a warning.
        threads: CPU threads (0 or None: CTranslate2's default).
        device: ``cpu``, ``cuda`` or ``auto``.
        target_prefix: token(s) every output starts with, removed from results (Argos
            ``target_prefix``; space-separated pieces).
        max_batch_tokens: source tokens per sub-batch (default: ``MAX_BATCH_TOKENS`` on CPU,
            ``MAX_BATCH_TOKENS_GPU`` on a GPU).
        model_id: how ``signature()`` names the model (default: the folder name).

    Raises:
        ConfigError: missing or contradictory options.
        EngineUnavailableError / EngineError: files missing or unloadable.
    """

    name = "ct2"
    supports_prefix = True

    def __init__(
        self,
        model_dir: str | Path | None = None,
        source_spm: str | Path | None = None,
        target_spm: str | Path | None = None,
        *,
        beam_size: int | None = None,
        compute_type: str | None = None,
        threads: int | None = None,
        device: str | None = None,
        target_prefix: str = "",
        max_batch_tokens: int | None = None,
        model_id: str | None = None,
    ) -> None:
        if model_dir is None:
            raise ConfigError("the ct2 engine needs --model DIR (a CTranslate2 model folder)")
        self.model_dir = Path(model_dir)
        src, tgt = self._find_spm(self.model_dir, source_spm, target_spm)
        self.beam_size = int(beam_size) if beam_size else DEFAULT_BEAM
        if self.beam_size < 1:
            raise ConfigError("--beam-size must be at least 1")
        self.device = resolve_device(device)
        self.compute_type = resolve_compute_type(self.device, compute_type)
        self.threads = int(threads or 0)
        if max_batch_tokens is None:
            max_batch_tokens = MAX_BATCH_TOKENS if self.device == "cpu" else MAX_BATCH_TOKENS_GPU
        self.max_batch_tokens = max(64, int(max_batch_tokens))
        self.model_id = model_id or self.model_dir.resolve().name
        self.fixed_prefix: list[str] = target_prefix.split() if target_prefix else []
        self._learned_prefix: list[str] = []
        self.sp_source = load_sentencepiece(src)
        self.sp_target = load_sentencepiece(tgt)
        self.translator = load_translator(self.model_dir, self.device, self.compute_type, self.threads)

    @staticmethod
    def _find_spm(model_dir: Path, source_spm: str | Path | None, target_spm: str | Path | None) -> tuple[Path, Path]:
        if source_spm is None:
            for cand in ("source.spm", "sentencepiece.model", "spm.model"):
                if (model_dir / cand).is_file():
                    source_spm = model_dir / cand
                    break
        if source_spm is None:
            raise EngineUnavailableError(
                f"no SentencePiece model found in {model_dir}; give --source-spm (and --target-spm)"
            )
        if target_spm is None:
            target_spm = model_dir / "target.spm" if (model_dir / "target.spm").is_file() else source_spm
        return Path(source_spm), Path(target_spm)

    # -- Engine interface ----------------------------------------------------------------

    def signature(self) -> str:
        return f"{self.name}:{self.model_id};beam={self.beam_size};{self.compute_type};{self.device}"

    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        target_prefixes: Sequence[str | None] | None = None,
        return_attention: bool = False,
        context: EngineContext | None = None,
    ) -> list[Translation]:
        """Translate ``texts`` sorted by length in token-bounded sub-batches.

        Args:
            texts: source sentences.
            target_prefixes: per sentence, English text the output must start with (None: free).
            return_attention: also return the attention of each target token over the
                source tokens (rows for the model-wide prefix are dropped).
            context: progress callback (a glossary is not used: terms are enforced by
                ``bitext.terms.enforce`` around this engine).
        """
        if target_prefixes is not None and len(target_prefixes) != len(texts):
            raise ValueError("target_prefixes must have one entry per text")
        results: list[Translation | None] = [None] * len(texts)
        src_toks: list[list[str]] = []
        for i, t in enumerate(texts):
            toks = self.sp_source.encode(t.strip(), out_type=str) if t and t.strip() else []
            if len(toks) > MAX_INPUT_TOKENS and not (target_prefixes and target_prefixes[i]):  # once, not per repair
                log.warning("sentence %d has %d tokens; only the first %d are translated",
                            i + 1, len(toks), MAX_INPUT_TOKENS)
            src_toks.append(toks[:MAX_INPUT_TOKENS])
            if not toks:
                results[i] = Translation("", 0.0, (), (), ()) if return_attention else Translation("", 0.0)
        prefixes: list[list[str]] = []
        for i in range(len(texts)):
            user = target_prefixes[i] if target_prefixes is not None else None
            user_toks = self.sp_target.encode(user, out_type=str) if user else []
            if len(self.fixed_prefix) + len(user_toks) > MAX_TARGET_TOKENS - 16:
                log.debug("target prefix of sentence %d too long (%d tokens); ignored", i + 1, len(user_toks))
                user_toks = []
            prefixes.append(self.fixed_prefix + user_toks)
        order = sorted((i for i in range(len(texts)) if src_toks[i]), key=lambda i: (len(src_toks[i]), i))
        batches = self._sub_batches(order, src_toks)
        # Every sub-batch is queued at once (asynchronous): CTranslate2's workers decode the
        # next ones while this thread detokenises (and, with several workers, in parallel).
        pending = []
        for batch in batches:
            source = [src_toks[i] for i in batch]
            pref = [self._decoder_prefix(prefixes[i]) or None for i in batch]
            pending.append((batch, source, pref, self._decode(source, pref, return_attention, wait=False)))
        for batch, source, pref, futures in pending:
            out = self._results(futures)
            self._run(batch, source, pref, out, src_toks, prefixes, return_attention, results)
            if context is not None and context.progress is not None:
                context.progress(len(batch))
        return [r if r is not None else Translation("") for r in results]

    # -- internals -------------------------------------------------------------------------

    def _sub_batches(self, order: list[int], src_toks: list[list[str]]) -> list[list[int]]:
        batches: list[list[int]] = []
        cur: list[int] = []
        for i in order:  # ascending length: the last one added is the longest
            n = len(src_toks[i])
            if cur and n * (len(cur) + 1) > self.max_batch_tokens:
                batches.append(cur)
                cur = []
            cur.append(i)
        if cur:
            batches.append(cur)
        return batches

    def _run(
        self,
        batch: list[int],
        source: list[list[str]],
        pref: list[list[str] | None],
        out: list[Any],
        src_toks: list[list[str]],
        prefixes: list[list[str]],
        return_attention: bool,
        results: list[Translation | None],
    ) -> None:
        # A forced prefix that ends inside a word (a glossary target, e.g. "data factor") must
        # not be continued by a piece glued onto it ("data factorst"): that breaks the term.
        # Such sentences are decoded again, their prefix extended by the most probable
        # next piece that starts a new word (or is punctuation).
        glued = [k for k, i in enumerate(batch)
                 if self._glued(prefixes[i], pref[k] or [], list(out[k].hypotheses[0]))]
        if glued:
            firsts = self.translator.translate_batch(
                [source[k] for k in glued],
                target_prefix=[pref[k] for k in glued],
                beam_size=1,
                num_hypotheses=8,
                return_alternatives=True,
                max_decoding_length=max(len(pref[k] or ()) for k in glued) + 1,
            )
            redo = []
            for k, alt in zip(glued, firsts):
                n = len(pref[k] or ())
                nxt = next((h[n] for h in alt.hypotheses if len(h) > n and _starts_word(h[n])), None)
                if nxt is not None:
                    pref[k] = [*(pref[k] or ()), nxt]
                    redo.append(k)
            if redo:
                again = self._decode([source[k] for k in redo], [pref[k] for k in redo], return_attention)
                for k, res in zip(redo, again):
                    out[k] = res
        for k, i in enumerate(batch):
            res = out[k]
            hyp = list(res.hypotheses[0])
            lead = self.fixed_prefix or self._learned_prefix
            drop = len(lead) if lead and hyp[: len(lead)] == lead else 0
            if not drop and not prefixes[i] and hyp and LANG_TAG.fullmatch(hyp[0]):
                # The model emits a language tag first (Argos-style target_prefix) although
                # none was configured (e.g. --engine ct2 on an Argos package's model/):
                # drop it, and start later forced prefixes with it.
                self._learned_prefix = [hyp[0]]
                drop = 1
            toks = hyp[drop:]
            text = self.sp_target.decode(toks).strip()
            score = float(res.scores[0]) if res.scores else None
            if return_attention:
                att = res.attention[0] if res.attention else []
                # 4-byte floats: a whole batch's attention is kept until its terms are
                # verified, and Python floats would take 8× the memory
                rows = tuple(array("f", row) for row in att[drop:])
                results[i] = Translation(text, score, rows, tuple(src_toks[i]), tuple(toks))
            else:
                results[i] = Translation(text, score)

    def _decoder_prefix(self, prefix: list[str]) -> list[str]:
        """The tokens the decoder is forced to start with (a learned language tag added)."""
        if prefix and not self.fixed_prefix and self._learned_prefix:
            return self._learned_prefix + prefix
        return prefix

    def _glued(self, prefix: list[str], forced: list[str], hyp: list[str]) -> bool:
        """Whether ``hyp`` continues the last word of a user prefix ending in a letter/digit."""
        user = prefix[len(self.fixed_prefix):]
        if not user or len(hyp) <= len(forced):
            return False
        text = self.sp_target.decode(user)
        if not text or not text[-1].isalnum():
            return False
        nxt = hyp[len(forced)]
        after = hyp[len(forced) + 1] if len(hyp) > len(forced) + 1 else None
        if nxt in ("s", "es") and (after is None or _starts_word(after)):
            return False  # a plural ending keeps the term recognisable
        return not _starts_word(nxt)

    def _decode(self, source: list[list[str]], pref: list[list[str] | None], return_attention: bool,
                *, wait: bool = True) -> list[Any]:
        """Decode one sub-batch; ``wait=False`` queues it and returns CTranslate2's
        ``AsyncTranslationResult`` objects (see ``_results``)."""
        longest = max(len(s) for s in source)
        longest_prefix = max(len(p or ()) for p in pref)
        max_len = min(MAX_TARGET_TOKENS, min(MAX_DECODING_LENGTH, 3 * longest + 48) + longest_prefix)
        try:
            out = list(self.translator.translate_batch(
                source,
                target_prefix=pref if any(pref) else None,
                beam_size=self.beam_size,
                num_hypotheses=1,
                length_penalty=0.2,
                max_decoding_length=max_len,
                return_scores=True,
                return_attention=return_attention,
                replace_unknowns=True,
                asynchronous=not wait,
            ))
        except (RuntimeError, ValueError) as e:
            raise EngineError(f"{self.name} engine failed to translate: {_first_line(e)}") from None
        return out

    def _results(self, futures: list[Any]) -> list[Any]:
        """The results of a sub-batch queued with ``_decode(..., wait=False)``."""
        try:
            return [f.result() for f in futures]
        except (RuntimeError, ValueError) as e:
            raise EngineError(f"{self.name} engine failed to translate: {_first_line(e)}") from None


def _starts_word(piece: str) -> bool:
    """Whether a SentencePiece target piece starts a new word (or is punctuation)."""
    return piece.startswith("\u2581") or not piece[:1].isalnum()
