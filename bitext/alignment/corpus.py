"""Corpus mode: align every file pair of two folders in one process.

Pairs are matched by relative path without extension (``zh/001.zh`` ↔ ``en/001.en``,
``zh/a/002.txt`` ↔ ``en/a/002.txt``). One ``Aligner`` (dictionary, names, jieba with the
glossary's terms) is built once and reused for every pair, which is most of the cost of
aligning many short texts one command at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bitext.alignment import Aligner
from bitext.alignment.documents import DOCUMENT_FORMATS, AlignedPair, align_documents
from bitext.alignment.outputs import _bead_text, join_en, join_zh, write_bead_file
from bitext.engines.base import Engine
from bitext.errors import AlignmentError, ConfigError
from bitext.readers import EXTENSIONS
from bitext.writers.tmx import TmxUnit


def corpus_files(folder: Path, *, presplit: bool) -> dict[str, Path]:
    """Relative path without extension (POSIX) → file, for the files a corpus run reads:
    every non-hidden file with ``presplit``, else the .txt/.md/.html documents.

    Raises:
        AlignmentError: two files share a name without extension (``a.txt``, ``a.md``).
    """
    exts = {e for e, f in EXTENSIONS["document"].items() if f in DOCUMENT_FORMATS}
    out: dict[str, Path] = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        if not presplit and p.suffix.lower() not in exts:
            continue
        key = rel.with_suffix("").as_posix()
        if key in out:
            raise AlignmentError(f"{folder}: {out[key].name} and {p.name} have the same name; "
                                 "keep one file per name")
        out[key] = p
    return out


def match_folders(zh_dir: Path, en_dir: Path, *, presplit: bool) -> list[tuple[str, Path, Path]]:
    """``(key, zh_file, en_file)`` for every pair of files with the same relative name.

    Raises:
        ConfigError: a folder is missing.
        AlignmentError: no pairs, or names present on one side only (all of them listed).
    """
    for d in (zh_dir, en_dir):
        if not d.is_dir():
            raise ConfigError(f"{d}: no such folder")
    zh, en = corpus_files(zh_dir, presplit=presplit), corpus_files(en_dir, presplit=presplit)
    only_zh = sorted(set(zh) - set(en))
    only_en = sorted(set(en) - set(zh))
    if only_zh or only_en:
        parts = []
        if only_zh:
            parts.append(f"only in {zh_dir}: {', '.join(zh[k].relative_to(zh_dir).as_posix() for k in only_zh)}")
        if only_en:
            parts.append(f"only in {en_dir}: {', '.join(en[k].relative_to(en_dir).as_posix() for k in only_en)}")
        raise AlignmentError("unmatched file names (pairs are matched by name without "
                             f"extension): {'; '.join(parts)}")
    if not zh:
        what = "files" if presplit else ".txt/.md/.html documents (add --presplit for line files)"
        raise AlignmentError(f"{zh_dir} and {en_dir} hold no {what}")
    return [(k, zh[k], en[k]) for k in sorted(zh)]


def corpus_units(key: str, pair: AlignedPair) -> Iterator[Any]:
    """TMX units of one pair for a corpus TMX (``tuid`` ``<key>#b<n>``, an ``x-document``
    prop naming the pair)."""
    for k, b in enumerate(pair.beads):
        src = join_zh(pair.zh, b.src_ids) if b.src_ids else ""
        tgt = join_en(pair.en, b.tgt_ids) if b.tgt_ids else ""
        props = [("x-document", key), ("x-bitext-confidence", f"{b.score:.3f}"),
                 ("x-bitext-bead", _bead_text(b))]
        if not src.strip() or not tgt.strip():
            props.append(("x-bitext-unaligned", "zh" if src.strip() else "en" if tgt.strip() else "both"))
        yield TmxUnit(tuid=f"{key}#b{k + 1}", source=src, target=tgt, props=tuple(props))


@dataclass
class CorpusReport:
    """What ``align_corpus`` did: per-pair summaries (key → summary) and totals."""

    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    beads: int = 0
    tmx_units: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"pairs": len(self.files), "beads": self.beads, "tmx_units": self.tmx_units,
                "files": self.files}


def align_corpus(
    pairs: Sequence[tuple[str, Path, Path]],
    beads_dir: Path,
    *,
    presplit: bool = False,
    glossary_pairs: Sequence[tuple[str, str]] = (),
    glossary_files: Sequence[tuple[str, str]] = (),
    engine: Engine | None = None,
    tmx: Path | None = None,
    progress: Callable[[str], None] | None = None,
    embeddings: bool = True,
) -> CorpusReport:
    """Align every pair with one ``Aligner``: ``beads_dir/<key>.align`` per pair (each
    atomic), and with ``tmx`` one TMX of all beads (written atomically as pairs finish).

    Args:
        pairs: from ``match_folders``.
        beads_dir: folder for the bead files (created).
        presplit: files hold one sentence per line.
        glossary_pairs: extra dictionary entries; glossary_files: their ``(name, sha256)``.
        engine: translate each Chinese side as extra signal.
        tmx: the corpus TMX.
        progress: called with each pair's key when it is done.
        embeddings: use the sentence-vector signal when the encoder is installed.

    Raises:
        BitextError: an unreadable file (the pair is named); earlier bead files stay.
    """
    aligner = Aligner(glossary_pairs, embeddings=embeddings)
    report = CorpusReport()

    def pairs_units() -> Iterator[Any]:
        for key, zh, en in pairs:
            try:
                pair = align_documents(zh, en, presplit=presplit, glossary_files=glossary_files,
                                       engine=engine, aligner=aligner)
            except AlignmentError as e:
                raise AlignmentError(f"{zh} ↔ {en}: {e}") from None
            write_bead_file(beads_dir / f"{key}.align", pair.beads)
            report.files[key] = pair.summary
            report.beads += len(pair.beads)
            yield from corpus_units(key, pair)
            if progress:
                progress(key)

    if tmx is None:
        for _ in pairs_units():
            pass
    else:
        from bitext import __version__
        from bitext.writers.tmx import write_units

        header = [("x-bitext-aligner", f"bitext {__version__}"),
                  ("x-bitext-documents", str(len(pairs)))]
        header += [("x-bitext-glossary", f"{n} sha256:{h}") for n, h in glossary_files]
        report.tmx_units = write_units(tmx, pairs_units(), header_props=header)
    return report


__all__ = ["CorpusReport", "align_corpus", "corpus_files", "corpus_units", "match_folders"]
