"""Aligning documents and line files: reading both sides into sentence lists, keeping
blank lines as unaligned beads at their place, and assembling a machine translation of
the Chinese side (from a file or an engine).

``align_documents`` is what ``bitext align`` and ``bitext.align`` call; it returns an
``AlignedPair`` (sentences of both sides, beads, JSON summary) that
``bitext.alignment.outputs`` writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bitext import readers
from bitext.alignment import Aligner, Alignment
from bitext.alignment.outputs import summarise
from bitext.engines.base import Engine, Progress
from bitext.errors import AlignmentError, FormatError
from bitext.files import read_text
from bitext.segment.en import split_sentences

DOCUMENT_FORMATS = ("txt", "md", "html")
"""Formats ``align`` reads as documents (anything else needs ``presplit``)."""


@dataclass(frozen=True)
class AlignedPair:
    """The result of aligning two texts.

    Attributes:
        zh: Chinese sentences (with ``presplit``: the lines, blank ones included).
        en: English sentences (likewise).
        beads: every sentence of both sides once, in order.
        summary: counts, shapes, confidence and warning (``outputs.summarise``) plus
            ``signals`` and ``glossaries``.
        glossaries: ``(name, sha256)`` of the glossaries used as extra dictionary.
    """

    zh: tuple[str, ...]
    en: tuple[str, ...]
    beads: tuple[Alignment, ...]
    summary: dict[str, Any] = field(default_factory=dict)
    glossaries: tuple[tuple[str, str], ...] = ()


def read_lines(path: str | Path, encoding: str | None = None) -> list[str]:
    """One sentence per line: any encoding ``bitext.files`` knows (or ``encoding``), CRLF/CR/LF."""
    text, _ = read_text(path, encoding)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_sentences(path: str | Path, lang: str, srx: Any = None,
                   encoding: str | None = None) -> list[str]:
    """Sentences of a document: Chinese via the readers' rules, English re-split with pysbd
    (both with ``srx``'s SRX rules when given).

    Raises:
        FormatError: not a .txt/.md/.html document (names ``--presplit`` as the way out).
    """
    path = Path(path)
    try:
        fmt = readers.format_of(path)
    except FormatError:
        fmt = ""
    if fmt not in DOCUMENT_FORMATS:
        raise FormatError(
            f"bitext align reads .txt, .md and .html documents, not '{path.suffix or '(no extension)'}'"
            " (for one sentence per line, whatever the extension, add --presplit)",
            str(path),
        )
    doc = readers.read(path, fmt, srx=srx if lang == "zh" else None, encoding=encoding)
    if lang == "zh":
        return [s.text for s in doc.segments]
    split = split_sentences
    if srx is not None:
        def split(text: str) -> list[str]:
            return [s for line in text.split("\n") for s in srx.split(line, "en")]
    out: list[str] = []
    for b in doc.blocks:
        if not b.translatable:
            continue
        if b.kind == "heading":
            out.append(b.text.strip())
        else:
            out.extend(split(b.text))
    return out


def align_lines(
    aligner: Aligner,
    zh: Sequence[str],
    en: Sequence[str],
    mt: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[Alignment]:
    """Align sentence lists keeping blank lines as unaligned beads at their place.

    Blank lines are left out of the search. One that falls inside a multi-sentence bead
    (between its first and last sentence) joins that bead, so that every bead stays a
    contiguous run and both sides stay in order; the others become ``[k]:[]`` / ``[]:[k]``.
    """
    zi = [k for k, s in enumerate(zh) if s.strip()]
    ei = [k for k, s in enumerate(en) if s.strip()]
    sub = aligner.align([zh[k] for k in zi], [en[k] for k in ei],
                        mt=[mt[k] for k in zi] if mt is not None else None, progress=progress)

    def run(ids: tuple[int, ...], index: list[int]) -> tuple[int, ...]:
        return tuple(range(index[ids[0]], index[ids[-1]] + 1)) if ids else ()

    mapped = [Alignment(run(b.src_ids, zi), run(b.tgt_ids, ei), b.score,
                        tuple(zi[k] for k in b.doubt_zh), tuple(ei[k] for k in b.doubt_en)) for b in sub]
    inside_zh = {k for b in mapped for k in b.src_ids}
    inside_en = {k for b in mapped for k in b.tgt_ids}
    blank_zh = [k for k, s in enumerate(zh) if not s.strip() and k not in inside_zh]
    blank_en = [k for k, s in enumerate(en) if not s.strip() and k not in inside_en]
    if not blank_zh and not blank_en:
        return mapped
    out: list[Alignment] = []
    bz = be = 0
    for b in mapped:
        first_z = b.src_ids[0] if b.src_ids else None
        first_e = b.tgt_ids[0] if b.tgt_ids else None
        while bz < len(blank_zh) and (first_z is not None and blank_zh[bz] < first_z):
            out.append(Alignment((blank_zh[bz],), (), 0.0))
            bz += 1
        while be < len(blank_en) and (first_e is not None and blank_en[be] < first_e):
            out.append(Alignment((), (blank_en[be],), 0.0))
            be += 1
        out.append(b)
    out.extend(Alignment((k,), (), 0.0) for k in blank_zh[bz:])
    out.extend(Alignment((), (k,), 0.0) for k in blank_en[be:])
    return out


def machine_translation(zh: Sequence[str], engine: Engine) -> list[str]:
    """One MT line per Chinese sentence (blank lines stay blank)."""
    todo = [s for s in zh if s.strip()]
    res = iter(engine.translate_batch(todo)) if todo else iter(())
    return [next(res).text if s.strip() else "" for s in zh]


def align_documents(
    zh: str | Path | Sequence[str],
    en: str | Path | Sequence[str],
    *,
    presplit: bool = False,
    glossary_pairs: Sequence[tuple[str, str]] = (),
    glossary_files: Sequence[tuple[str, str]] = (),
    mt: str | Path | Sequence[str] | None = None,
    engine: Engine | None = None,
    aligner: Aligner | None = None,
    progress: Progress | None = None,
    srx: Any = None,
    encoding: str | None = None,
    embeddings: bool = True,
) -> AlignedPair:
    """Align a Chinese text with its English translation (``encoding`` forces the inputs').

    Args:
        zh: a document path (.txt/.md/.html), or with ``presplit`` a path of one sentence
            per line; or a list of sentences.
        en: likewise for the English side.
        presplit: paths hold one sentence per line (ids are 0-based line numbers).
        glossary_pairs: extra ``(chinese, english)`` dictionary entries.
        glossary_files: ``(name, sha256)`` of the glossaries, recorded in the summary.
        mt: a machine translation of the Chinese side, one line per Chinese sentence
            (a path or a list).
        engine: translate the Chinese side with this engine instead (not with ``mt``).
        aligner: a prepared ``Aligner`` to reuse (corpus runs load the dictionary once);
            ``glossary_pairs`` is ignored then.
        progress: called with row counts as the search advances.
        srx: SRX rules that split both documents' sentences (not used with ``presplit``).
        embeddings: use the sentence-vector signal when the encoder is installed (ignored
            with ``aligner``; the summary's ``signals`` says whether it was used).

    Raises:
        AlignmentError: both ``mt`` and ``engine``, or ``mt`` of the wrong length.
        FormatError: unreadable inputs.
    """
    if mt is not None and engine is not None:
        raise AlignmentError("give either a machine translation or an engine, not both")
    zh_s = _side(zh, "zh", presplit, srx, encoding)
    en_s = _side(en, "en", presplit, srx, encoding)
    signals = ["length", "lexicon"]
    mt_lines: list[str] | None = None
    if mt is not None:
        mt_lines = read_lines(mt) if isinstance(mt, (str, Path)) else list(mt)
        if len(mt_lines) != len(zh_s):
            name = f"{mt}: " if isinstance(mt, (str, Path)) else ""
            raise AlignmentError(
                f"{name}{len(mt_lines)} lines, but the Chinese side has {len(zh_s)} sentences; "
                "--mt needs one line per Chinese sentence"
            )
        signals.append("mt")
    elif engine is not None:
        mt_lines = machine_translation(zh_s, engine)
        signals.append(f"mt:{engine.signature()}")
    if aligner is None:
        aligner = Aligner(glossary_pairs, embeddings=embeddings)
    if aligner.encoder is not None:
        signals.append("embeddings")
    beads = align_lines(aligner, zh_s, en_s, mt_lines, progress=progress)
    n_zh = sum(1 for s in zh_s if s.strip())
    summary = summarise(beads, n_zh, sum(1 for s in en_s if s.strip()), zh_s, en_s)
    summary["signals"] = "+".join(signals)
    summary["glossaries"] = [{"name": n, "sha256": h} for n, h in glossary_files]
    return AlignedPair(tuple(zh_s), tuple(en_s), tuple(beads), summary, tuple(glossary_files))


def _side(src: str | Path | Sequence[str], lang: str, presplit: bool, srx: Any = None,
          encoding: str | None = None) -> list[str]:
    if isinstance(src, (str, Path)):
        return read_lines(src, encoding) if presplit else read_sentences(src, lang, srx, encoding)
    return list(src)
