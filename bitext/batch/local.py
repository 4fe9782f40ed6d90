"""Local backends: the driver process itself (one worker) or a pool of worker processes.

The pool is a ``concurrent.futures.ProcessPoolExecutor`` on the ``spawn`` context (a
fresh interpreter per worker: no forked CTranslate2/OpenMP threads or SQLite handles)
whose initializer builds one ``Worker`` per process, so the engine and glossary load once
per process, not per document. At most two jobs per worker are in flight, so a corpus of
any size streams through with flat memory. A worker process that dies (a crash, the
kernel's OOM killer) fails the jobs it had in flight and the pool is started again for
the rest.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from bitext.batch.jobs import Job, Outcome
from bitext.batch.worker import Worker, WorkerSpec

log = logging.getLogger(__name__)

_WORKER: Worker | None = None


def _init(spec: WorkerSpec) -> None:
    global _WORKER
    _WORKER = Worker(spec)


def _run(job: Job) -> Outcome:
    assert _WORKER is not None
    return _WORKER.run(job)


def run_inline(spec: WorkerSpec, jobs: Iterable[Job]) -> Iterator[Outcome]:
    """Run every job in this process with one ``Worker``."""
    worker = Worker(spec)
    for job in jobs:
        yield worker.run(job)


def run_pool(spec: WorkerSpec, jobs: Iterable[Job], workers: int) -> Iterator[Outcome]:
    """Run the jobs on ``workers`` processes; outcomes come in completion order."""
    todo = iter(jobs)
    ctx = multiprocessing.get_context("spawn")
    exhausted = False
    while not exhausted:
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(spec,)) as ex:
            running: dict[Future[Outcome], Job] = {}
            broken = False
            while True:
                while not broken and len(running) < 2 * workers:
                    job = next(todo, None)
                    if job is None:
                        exhausted = True
                        break
                    try:
                        running[ex.submit(_run, job)] = job
                    except BrokenProcessPool:
                        broken = True
                        running[_failed_future(job)] = job
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    job = running.pop(fut)
                    try:
                        yield fut.result()
                    except BrokenProcessPool:
                        broken = True
                        yield Outcome(job.key, False, "the worker process died while on this "
                                      "document (a crash or out of memory)")
                if broken and not running:
                    break
            if broken:
                log.warning("a worker process died; starting the pool again")
        if broken:
            exhausted = False


def _failed_future(job: Job) -> Future[Outcome]:
    f: Future[Outcome] = Future()
    f.set_exception(BrokenProcessPool("pool broken"))
    return f


def run_local(spec: WorkerSpec, jobs: Iterable[Job], workers: int = 1) -> Iterator[Outcome]:
    """In this process for one worker, else on a process pool."""
    if workers <= 1:
        return run_inline(spec, jobs)
    return run_pool(spec, jobs, workers)


__all__ = ["run_inline", "run_local", "run_pool"]
