"""The Ray backend: documents are tasks fed to a pool of actors (``ray.util.ActorPool``),
each actor a ``Worker`` holding a loaded engine (one GPU per actor with ``device=cuda``).

Actors read their inputs from the path in the job (so on a cluster the inputs live on
storage every node sees) and return the rendered output files as bytes; the driver
writes them atomically and records the job in the journal. So outputs never depend on
a shared output folder, a half-written file cannot appear, and a killed job resumes
from the journal. ``ray`` is imported only here, only when a Ray run starts
(``pip install "bitext[ray]"``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from bitext.batch.jobs import Job, Outcome
from bitext.batch.worker import Worker, WorkerSpec
from bitext.errors import BitextError, ConfigError

log = logging.getLogger(__name__)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError('--ray needs Ray: pip install "bitext[ray]"') from None
    return ray


def connect(address: str, num_cpus: int) -> bool:
    """Start a local Ray instance (``local``) or join the cluster at ``address`` (``auto``
    for the one started on this node with ``ray start``). Returns whether this call
    connected (and so should disconnect); an already initialised Ray is used as it is.

    Raises:
        ConfigError: Ray is not installed. BitextError: the cluster cannot be reached.
    """
    ray = _import_ray()
    if ray.is_initialized():
        return False
    try:
        if address == "local":
            ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        else:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
    except Exception as e:  # noqa: BLE001 - Ray raises many kinds; one line for the user
        raise BitextError(f"cannot start or join Ray at '{address}': {' '.join(str(e).split())}") from None
    return True


def _fit(resources: dict[str, float], actors: int, gpus_per_actor: float) -> int:
    """How many actors the cluster can hold at once (an actor that cannot be placed would
    wait forever): at most one per CPU, and per ``gpus_per_actor`` GPUs.

    Raises:
        BitextError: the cluster has no GPU but actors need one.
    """
    cap = int(resources.get("CPU", 0)) or actors
    if gpus_per_actor:
        gpus = int(resources.get("GPU", 0) // gpus_per_actor)
        if gpus == 0:
            raise BitextError("--device cuda: the Ray cluster has no GPU (start the workers with "
                              "`ray start --num-gpus=N`, or run on the CPU)")
        cap = min(cap, gpus)
    if cap < actors:
        log.warning("the Ray cluster holds %d actor(s) at once, not %d: using %d", cap, actors, cap)
    return max(1, min(actors, cap))


def run_ray(
    spec: WorkerSpec,
    jobs: Iterable[Job],
    actors: int,
    *,
    address: str = "local",
    gpus_per_actor: float = 0,
) -> Iterator[Outcome]:
    """Run the jobs on ``actors`` Ray actors; outcomes come in completion order.

    Args:
        spec: what each actor loads once.
        jobs: the jobs (streamed: at most two per actor are in flight).
        actors: number of actors (each takes one CPU, and ``gpus_per_actor`` GPUs).
        address: ``local`` or a cluster address (see ``connect``).
        gpus_per_actor: 1 for ``--device cuda``.

    Raises:
        BitextError: Ray cannot start, or an actor died (rerun: the journal resumes).
    """
    ray = _import_ray()
    from ray.util import ActorPool

    started = connect(address, actors)
    handles: list[Any] = []
    try:
        actors = _fit(ray.cluster_resources(), actors, gpus_per_actor)
        spec = dataclasses.replace(spec, cwd=os.getcwd())
        options: dict[str, Any] = {"num_cpus": 1}
        if gpus_per_actor:
            options["num_gpus"] = gpus_per_actor
        remote_worker = ray.remote(**options)(Worker)
        handles = [remote_worker.remote(spec) for _ in range(actors)]
        pool = ActorPool(handles)
        todo = iter(jobs)

        def submit() -> bool:
            job = next(todo, None)
            if job is None:
                return False
            pool.submit(lambda actor, j: actor.run.remote(j), job)
            return True

        for _ in range(2 * actors):
            if not submit():
                break
        while pool.has_next():
            try:
                outcome = pool.get_next_unordered()
            except ray.exceptions.RayError as e:
                raise BitextError(
                    f"a Ray actor failed ({type(e).__name__}: {' '.join(str(e).split())[:300]}); "
                    "rerun the same command to resume (the journal keeps what finished)") from None
            yield outcome
            submit()
    finally:
        for h in handles:
            try:
                ray.kill(h)
            except Exception as e:  # noqa: BLE001 - best effort clean-up
                log.debug("could not kill a Ray actor: %s", e)
        if started:
            ray.shutdown()


__all__ = ["connect", "run_ray"]
