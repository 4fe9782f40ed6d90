"""What a batch run works on: the documents (or document pairs) found under a folder or
listed in a manifest, each as a ``Job`` with its mirrored output paths, and the
``Outcome`` a worker returns for it.

Jobs and outcomes are small picklable dataclasses: they travel to worker processes and
Ray actors and back. Outcomes carry the rendered output files as bytes; only the driver
writes them (atomically), so workers never touch the output folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bitext.alignment.corpus import corpus_files, match_folders
from bitext.errors import BitextError, ConfigError
from bitext.files import read_text
from bitext.readers import EXTENSIONS

JOURNAL_NAME = ".bitext-batch.sqlite"
"""The journal's file name inside the output folder."""


@dataclass(frozen=True)
class Job:
    """One unit of work.

    Attributes:
        key: the job's id in the journal: its input's path relative to the input root
            (POSIX slashes); for align, the pair's relative path without extension.
        inputs: the input file(s) as given (one for translate, ``(zh, en)`` for align).
        outputs: output name (``tmx``, ``html``, ``out``, ``beads``) → path inside the
            output folder, relative (POSIX slashes).
    """

    key: str
    inputs: tuple[str, ...]
    outputs: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        """How failures name the job: the input path (``zh ↔ en`` for pairs)."""
        return " ↔ ".join(self.inputs)

    def fingerprint(self) -> str:
        """Size and modification time of every input (``missing`` when absent)."""
        parts = []
        for p in self.inputs:
            try:
                st = os.stat(p)
                parts.append(f"{st.st_size}:{st.st_mtime_ns}")
            except OSError:
                parts.append("missing")
        return "|".join(parts)


@dataclass(frozen=True)
class Outcome:
    """What a worker returns for a job.

    Attributes:
        key: the job's key.
        ok: whether it succeeded.
        reason: one line saying why it failed ("" when ok).
        seconds: worker time for the job.
        segments: segments translated (beads for align).
        files: output name → rendered bytes (empty on failure).
        fatal: the worker could not load at all (the run stops with ``reason``).
    """

    key: str
    ok: bool
    reason: str = ""
    seconds: float = 0.0
    segments: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    fatal: bool = False


def one_line(error: BaseException) -> str:
    """A failure reason on one line (typed errors as they are, others with their type)."""
    text = str(error) if isinstance(error, BitextError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split()) or type(error).__name__


def _posix(p: Path) -> str:
    return p.as_posix()


def translate_outputs(rel: Path) -> dict[str, str]:
    """Mirrored outputs of an input at ``rel`` (relative path): what ``bitext translate
    INPUT -o OUT/<rel's folder>`` writes, ``<stem>.tmx``, ``<stem>.html``, ``<stem>.en<ext>``."""
    d, stem = rel.parent, rel.stem
    return {"tmx": _posix(d / f"{stem}.tmx"), "html": _posix(d / f"{stem}.html"),
            "out": _posix(d / f"{stem}.en{rel.suffix}")}


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _manifest_lines(manifest: Path) -> list[tuple[int, str]]:
    text, _ = read_text(manifest)
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append((n, line))
    return out


def _common_root(paths: Sequence[Path]) -> Path:
    if not paths:
        return Path(".")
    return Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))


def translate_jobs(source: str | Path, out_dir: str | Path) -> list[Job]:
    """Jobs for every document under ``source`` (recursively, by the document extensions
    of ``bitext.readers.EXTENSIONS``) or listed in the manifest ``source`` (one path per
    line, relative to the manifest's folder; blank lines and ``#`` comments skipped).

    Outputs mirror the inputs' folders under ``out_dir`` (for a manifest, relative to the
    listed files' common folder). Two inputs of one folder with the same stem (``a.md``,
    ``a.html``) would write the same outputs: both then use their full name as stem
    (``a.md.tmx``). Files inside ``out_dir`` are never inputs.

    Raises:
        ConfigError: ``source`` is missing, or the manifest lists nothing.
    """
    src, out = Path(source), Path(out_dir)
    exts = EXTENSIONS["document"]
    if src.is_dir():
        root = src
        files = sorted(
            p for p in src.rglob("*")
            if p.suffix.lower() in exts and p.is_file() and not _inside(p, out)
            and not any(part.startswith(".") for part in p.relative_to(src).parts)
        )
        rels = [p.relative_to(src) for p in files]
    elif src.is_file():
        listed = [Path(line) for _, line in _manifest_lines(src)]
        files = [p if p.is_absolute() else src.parent / p for p in listed]
        if not files:
            raise ConfigError(f"{src}: the manifest lists no documents (one path per line)")
        root = _common_root(files)
        rels = [p.resolve().relative_to(root) for p in files]
    else:
        raise ConfigError(f"{src}: no such folder or manifest file")
    del root
    outs = [translate_outputs(r) for r in rels]
    clash: dict[str, int] = {}
    for o in outs:
        clash[o["tmx"]] = clash.get(o["tmx"], 0) + 1
    jobs = []
    seen: set[str] = set()
    for p, r, o in zip(files, rels, outs):
        if clash[o["tmx"]] > 1:
            o = translate_outputs(r.parent / f"{r.name}{r.suffix}")  # stem = full name
        key = _posix(r)
        if key in seen:  # a manifest listing a file twice
            continue
        seen.add(key)
        jobs.append(Job(key, (str(p),), tuple(o.items())))
    return jobs


def align_outputs(key: str) -> dict[str, str]:
    """Mirrored outputs of a pair: ``<key>.align`` (beads) and ``<key>.tmx``."""
    return {"beads": f"{key}.align", "tmx": f"{key}.tmx"}


def align_jobs(zh: str | Path, en: str | Path | None, *, presplit: bool = False) -> list[Job]:
    """Jobs for pairs matched by relative path without extension (``zh/a/001.txt`` ↔
    ``en/a/001.txt``), or listed in a TSV manifest ``zh_path<TAB>en_path`` (``en`` None).

    Raises:
        ConfigError: missing folders, unmatched names (all listed), a bad manifest line.
        AlignmentError: (from ``match_folders``) names without a partner.
    """
    zp = Path(zh)
    if en is None:
        if zp.is_dir():
            raise ConfigError(f"{zp} is a folder: give ZH_DIR EN_DIR, or one TSV manifest "
                              "(zh_path<TAB>en_path per line)")
        if not zp.is_file():
            raise ConfigError(f"{zp}: no such manifest file (zh_path<TAB>en_path per line)")
        pairs: list[tuple[Path, Path]] = []
        for n, line in _manifest_lines(zp):
            cols = line.split("\t")
            if len(cols) != 2:
                raise ConfigError(f"{zp}, line {n}: expected zh_path<TAB>en_path")
            a, b = (Path(c.strip()) for c in cols)
            pairs.append((a if a.is_absolute() else zp.parent / a, b if b.is_absolute() else zp.parent / b))
        if not pairs:
            raise ConfigError(f"{zp}: the manifest lists no pairs")
        root = _common_root([a for a, _ in pairs])
        jobs, seen = [], set()
        for a, b in pairs:
            key = _posix(a.resolve().relative_to(root).with_suffix(""))
            if key in seen:
                raise ConfigError(f"{zp}: two pairs would write the same outputs {key}.align")
            seen.add(key)
            jobs.append(Job(key, (str(a), str(b)), tuple(align_outputs(key).items())))
        return jobs
    matched = match_folders(zp, Path(en), presplit=presplit)
    return [Job(k, (str(a), str(b)), tuple(align_outputs(k).items())) for k, a, b in matched]


__all__ = ["JOURNAL_NAME", "Job", "Outcome", "align_jobs", "corpus_files", "one_line",
           "translate_jobs", "translate_outputs"]
