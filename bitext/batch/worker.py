"""The worker side of a batch run: a ``Worker`` loads the engine and glossary (or the
aligner) ONCE, then turns jobs into outcomes whose output files are rendered as bytes.

The same class runs in the driver process (one worker), in each process of a local pool
(``bitext.batch.local``) and as a Ray actor (``bitext.batch.ray``), so every backend
writes byte-for-byte the same outputs (creation dates aside). A worker never raises for
a job: a broken document becomes a failed ``Outcome`` with a one-line reason. A worker
that could not load its engine answers every job with a ``fatal`` outcome, which stops
the run with that reason.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bitext import api
from bitext.alignment import Aligner, outputs
from bitext.alignment.documents import align_documents
from bitext.batch.jobs import Job, Outcome, one_line


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs to load, picklable (it travels to processes and actors).

    Attributes:
        kind: ``translate`` or ``align``.
        glossaries: glossary files (translate: after the shipped one unless
            ``default_glossaries`` is False; align: the extra dictionary).
        default_glossaries: load the shipped glossary first (translate).
        engine: engine name (translate), resolved by the driver.
        engine_options: ``(name, value)`` engine options.
        tm: translation memory for lookups (read only in workers).
        tm_fuzzy: fuzzy suggestion threshold.
        overwrite: XLIFF: retranslate units already translated.
        presplit: align: inputs hold one sentence per line.
        embeddings: align: use the sentence-vector signal when the encoder is installed.
        cwd: the driver's working folder: Ray actors work from it (when it exists on
            their node), so relative input paths mean the same as in the driver.
    """

    kind: str
    glossaries: tuple[str, ...] = ()
    default_glossaries: bool = True
    engine: str | None = None
    engine_options: tuple[tuple[str, Any], ...] = ()
    tm: str | None = None
    tm_fuzzy: float | None = None
    overwrite: bool = False
    presplit: bool = False
    embeddings: bool = True
    cwd: str | None = None


class WorkerSetupError(Exception):
    """Raised in the driver when workers could not load their engine or glossary."""


class Worker:
    """Loads once (engine + glossary + memory, or an ``Aligner``); ``run(job)`` per job."""

    def __init__(self, spec: WorkerSpec):
        self.spec = spec
        self.error = ""
        if spec.cwd and os.path.isdir(spec.cwd):
            os.chdir(spec.cwd)  # a Ray actor's own process; relative inputs as in the driver
        try:
            if spec.kind == "translate":
                self.glossary = api.load_glossary(list(spec.glossaries), defaults=spec.default_glossaries)
                self.engine = api.load_engine(spec.engine, **dict(spec.engine_options))
                self.memory = api.open_memory(spec.tm) if spec.tm else None
            else:
                from bitext.terms.glossary import Glossary

                g = Glossary.load(list(spec.glossaries)) if spec.glossaries else None
                self.glossary_files = g.provenance() if g else ()
                self.aligner = Aligner([(e.source, e.target) for e in g] if g else [],
                                       embeddings=spec.embeddings)
        except Exception as e:  # noqa: BLE001 - reported by the driver as the run's error
            self.error = one_line(e)

    def ping(self) -> str:
        """The set-up error ("" when ready): lets a driver wait for actors to load."""
        return self.error

    def run(self, job: Job) -> Outcome:
        """Do one job; never raises."""
        if self.error:
            return Outcome(job.key, False, self.error, fatal=True)
        t0 = time.perf_counter()
        work = Path(tempfile.mkdtemp(prefix="bitext-batch-"))
        try:
            targets = {name: work / f"{name}{Path(rel).suffix}" for name, rel in job.outputs}
            if self.spec.kind == "translate":
                segments = self._translate(job, targets)
            else:
                segments = self._align(job, targets)
            files = {name: p.read_bytes() for name, p in targets.items()}
            return Outcome(job.key, True, "", time.perf_counter() - t0, segments, files)
        except Exception as e:  # noqa: BLE001 - one broken document never stops the rest
            return Outcome(job.key, False, one_line(e), time.perf_counter() - t0)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _translate(self, job: Job, targets: dict[str, Path]) -> int:
        doc = api.read(job.inputs[0], overwrite=self.spec.overwrite)
        tdoc = api.translate(doc, glossaries=self.glossary, engine=self.engine, memory=self.memory,
                             tm_fuzzy=self.spec.tm_fuzzy if self.memory else None)
        api.write_outputs(tdoc, tmx=targets.get("tmx"), html=targets.get("html"),
                          out=targets.get("out"))
        return len(tdoc.results)

    def _align(self, job: Job, targets: dict[str, Path]) -> int:
        zh, en = job.inputs
        pair = align_documents(zh, en, presplit=self.spec.presplit,
                               glossary_files=self.glossary_files, aligner=self.aligner)
        if "beads" in targets:
            outputs.write_bead_file(targets["beads"], pair.beads)
        if "tmx" in targets:
            outputs.write_tmx(targets["tmx"], pair.beads, pair.zh, pair.en, zh_path=zh, en_path=en,
                              signals=pair.summary["signals"], glossaries=pair.glossaries)
        return len(pair.beads)


__all__ = ["Worker", "WorkerSetupError", "WorkerSpec"]
