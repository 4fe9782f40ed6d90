"""Corpus jobs: translate or align every document of a folder (or a manifest), resumably,
on this process, a local process pool or a Ray cluster.

``translate_batch`` and ``align_batch`` find the jobs (``jobs``), skip what the journal
(``journal``, SQLite in the output folder) says is done, run the rest on a backend
(``local``: in-process or a spawn process pool; ``ray``: actors), write each job's
outputs atomically from the driver as it finishes, record it, and at the end merge a
corpus TMX and update the translation memory once. One broken document is a failure in
the report, never the end of the run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bitext.batch.jobs import JOURNAL_NAME, Job, Outcome, align_jobs, one_line, translate_jobs
from bitext.batch.journal import Journal
from bitext.batch.local import run_local
from bitext.batch.worker import WorkerSpec
from bitext.engines import default_engine_name
from bitext.errors import BitextError, ConfigError
from bitext.files import atomic_outputs, atomic_write, file_identity

log = logging.getLogger(__name__)

Plan = Callable[[int, int], None]
"""Called once before work starts: ``(jobs to run, jobs skipped)``."""
OnOutcome = Callable[[Job, Outcome], None]
"""Called in the driver as each job finishes (after its outputs are written)."""


@dataclass
class BatchReport:
    """What a batch run did (``as_dict`` is the ``--json`` summary)."""

    kind: str
    out_dir: str
    backend: str
    workers: int
    done: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    segments: int = 0
    corpus_tmx: str | None = None
    corpus_units: int | None = None
    tm: dict[str, Any] | None = None

    @property
    def segments_per_s(self) -> float:
        return self.segments / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        d["segments_per_s"] = round(self.segments_per_s, 2)
        d["documents_per_s"] = round(self.done / self.seconds, 3) if self.seconds > 0 else 0.0
        d["journal"] = str(Path(self.out_dir) / JOURNAL_NAME)
        return d


def _sha256(path: str | Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _settings(spec: WorkerSpec) -> str:
    """The journal's settings string: the spec with each glossary's content hash."""
    d = asdict(spec)
    d["glossaries"] = [[str(g), _sha256(g)] for g in spec.glossaries]
    # threads only change speed, not the text: a rerun with another worker count skips
    d["engine_options"] = {k: str(v) for k, v in spec.engine_options if k != "threads"}
    d.pop("cwd", None)
    return json.dumps(d, sort_keys=True, ensure_ascii=False)


def _backend(spec: WorkerSpec, jobs: Sequence[Job], workers: int, ray: str | None,
             gpus: float) -> Iterator[Outcome]:
    if ray:
        from bitext.batch.ray import run_ray

        return run_ray(spec, jobs, max(1, workers), address=ray, gpus_per_actor=gpus)

    return run_local(spec, jobs, workers)


def _write(job: Job, outcome: Outcome, out_dir: Path, inputs: set[Any]) -> Outcome:
    """Write a successful job's files atomically (all or none); a failure to write fails it."""
    if not outcome.ok:
        return outcome
    try:
        targets = {name: out_dir / rel for name, rel in job.outputs}
        for p in targets.values():
            if p.resolve() in inputs or file_identity(p) in inputs:  # by name or by inode
                raise ConfigError(f"the output {p} would overwrite an input file")
        with atomic_outputs():
            for name, p in targets.items():
                with atomic_write(p, "wb") as f:
                    f.write(outcome.files[name])
    except BitextError as e:
        return Outcome(outcome.key, False, one_line(e), outcome.seconds)
    return outcome


def run_batch(
    kind: str,
    jobs: Sequence[Job],
    out_dir: str | Path,
    spec: WorkerSpec,
    *,
    workers: int = 1,
    ray: str | None = None,
    gpus_per_worker: float = 0,
    corpus_tmx: str | Path | None = None,
    tm_update: str | Path | None = None,
    plan: Plan | None = None,
    progress: OnOutcome | None = None,
) -> BatchReport:
    """Run ``jobs`` (see the module docstring); the journal decides what is skipped.

    Raises:
        BitextError: the run cannot start (output folder, journal, workers cannot load
            their engine, Ray unreachable). Failed documents do not raise: they are in
            the report.
    """
    out = Path(out_dir)
    t0 = time.perf_counter()
    report = BatchReport(kind, str(out), f"ray:{ray}" if ray else ("process-pool" if workers > 1
                         else "in-process"), workers)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BitextError(f"cannot create the output folder {out}: {e.strerror or e}") from None
    inputs: set[Any] = {Path(p).resolve() for j in jobs for p in j.inputs}
    inputs |= {file_identity(Path(p)) for j in jobs for p in j.inputs} - {None}
    with Journal(out / JOURNAL_NAME, kind, _settings(spec)) as journal:
        todo, prints = [], {}
        for job in jobs:
            if journal.is_done(job, out):
                report.skipped += 1
            else:
                todo.append(job)
                prints[job.key] = job.fingerprint()
        if plan:
            plan(len(todo), report.skipped)
        by_key = {j.key: j for j in todo}
        if todo:
            for outcome in _backend(spec, todo, workers, ray, gpus_per_worker):
                if outcome.fatal:
                    raise BitextError(outcome.reason)
                job = by_key[outcome.key]
                outcome = _write(job, outcome, out, inputs)
                journal.record(job, outcome, prints[job.key])
                if outcome.ok:
                    report.done += 1
                    report.segments += outcome.segments
                else:
                    report.failed += 1
                    reason = outcome.reason
                    for p in job.inputs:  # the path is the failure's "path"; no need twice
                        reason = reason.removeprefix(f"{p}: ")
                    report.failures.append({"path": job.label, "reason": reason})
                if progress:
                    progress(job, outcome)
        rows = journal.done_rows()
    report.failures.sort(key=lambda f: f["path"])
    if corpus_tmx is not None:
        from bitext.batch.merge import merge_tmx

        report.corpus_units = merge_tmx(corpus_tmx, rows, out, kind=kind)
        report.corpus_tmx = str(corpus_tmx)
    if tm_update is not None:
        from bitext.batch.merge import update_memory

        report.tm = update_memory(tm_update, rows, out)
    report.seconds = time.perf_counter() - t0
    return report


def _check_out_dir(source: Path, out_dir: Path) -> None:
    if source.is_dir():
        s, o = source.resolve(), out_dir.resolve()
        if s == o:
            raise ConfigError(f"the output folder {out_dir} is the input folder; give another -o")


def translate_batch(
    source: str | Path,
    out_dir: str | Path,
    *,
    glossaries: Sequence[str | Path] = (),
    default_glossaries: bool = True,
    engine: str | None = None,
    engine_options: dict[str, Any] | None = None,
    tm: str | Path | None = None,
    tm_fuzzy: float | None = None,
    tm_update: bool = False,
    overwrite: bool = False,
    workers: int = 1,
    ray: str | None = None,
    corpus_tmx: str | Path | None = None,
    plan: Plan | None = None,
    progress: OnOutcome | None = None,
) -> BatchReport:
    """Translate every document under ``source`` (a folder, recursively) or listed in the
    manifest ``source`` into ``out_dir``: per document the TMX, side-by-side HTML and
    English document ``bitext translate`` writes, in mirrored subfolders.

    Args:
        source: folder or manifest (one path per line).
        out_dir: output folder (holds the journal ``.bitext-batch.sqlite``).
        glossaries, default_glossaries: as ``bitext.translate``.
        engine: engine name (None: the default engine, resolved once here).
        engine_options: ``beam_size``, ``compute_type``, ``threads``, ``device`` …
        tm: memory for exact/fuzzy lookups; with ``tm_update`` the new translations of
            all done documents are added once at the end (created when missing).
        overwrite: XLIFF: retranslate units already translated.
        workers: processes (or Ray actors).
        ray: ``local`` or a Ray cluster address; None: local processes.
        corpus_tmx: also write one TMX of every done document here.
        plan, progress: callbacks (see ``Plan`` and ``OnOutcome``).

    Raises:
        ConfigError: bad arguments. BitextError: the run cannot start.
    """
    src, out = Path(source), Path(out_dir)
    _check_out_dir(src, out)
    if tm_update and tm is None:
        raise ConfigError("tm_update needs a memory (--tm DB) to write to")
    jobs = translate_jobs(src, out)
    opts = {k: v for k, v in (engine_options or {}).items() if v is not None}
    name = engine or default_engine_name()
    if workers > 1 and "threads" not in opts and name != "gloss":
        opts["threads"] = max(1, (os.cpu_count() or 1) // workers)  # no oversubscription
    if tm is not None:
        from bitext.tm import TranslationMemory

        TranslationMemory(tm, create=tm_update).close()  # a mistyped path fails here, once
    if glossaries:  # a bad glossary is the run's error, not every document's
        from bitext import api

        api.load_glossary(list(glossaries), defaults=False)
    spec = WorkerSpec("translate", tuple(str(g) for g in glossaries), default_glossaries, name,
                      tuple(sorted(opts.items())), str(tm) if tm is not None else None,
                      tm_fuzzy if tm is not None else None, overwrite)
    gpus = 1.0 if opts.get("device") == "cuda" else 0.0
    return run_batch("translate", jobs, out, spec, workers=workers, ray=ray, gpus_per_worker=gpus,
                     corpus_tmx=corpus_tmx, tm_update=tm if tm_update else None,
                     plan=plan, progress=progress)


def align_batch(
    zh: str | Path,
    en: str | Path | None,
    out_dir: str | Path,
    *,
    presplit: bool = False,
    glossaries: Sequence[str | Path] = (),
    workers: int = 1,
    ray: str | None = None,
    corpus_tmx: str | Path | None = None,
    plan: Plan | None = None,
    progress: OnOutcome | None = None,
    embeddings: bool = True,
) -> BatchReport:
    """Align every pair of ``zh`` and ``en`` (folders, matched by relative path without
    extension) or of the TSV manifest ``zh`` (``zh_path<TAB>en_path``; ``en`` None) into
    ``out_dir``: per pair ``<key>.align`` (beads) and ``<key>.tmx``. ``embeddings``
    False leaves out the sentence-vector signal (faster).

    Raises:
        ConfigError, AlignmentError: bad arguments, unmatched names (listed).
    """
    _check_out_dir(Path(zh), Path(out_dir))
    if en is not None:
        _check_out_dir(Path(en), Path(out_dir))
    jobs = align_jobs(zh, en, presplit=presplit)
    spec = WorkerSpec("align", tuple(str(g) for g in glossaries), False, presplit=presplit,
                      embeddings=embeddings)
    return run_batch("align", jobs, out_dir, spec, workers=workers, ray=ray,
                     corpus_tmx=corpus_tmx, plan=plan, progress=progress)


__all__ = ["BatchReport", "align_batch", "run_batch", "translate_batch"]
