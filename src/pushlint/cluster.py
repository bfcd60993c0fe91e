"""`pushlint score --dask`: partitions scored on a Dask cluster.

This machine reads the exports and writes the rows; the workers only score. So the
input needs no shared storage and the output is the same single file a local run
writes, in the same order. Each partition travels to a worker with the job's settings
(extra rule files included, see `ScoreJob.portable`); each worker process loads the
pipeline once and keeps it (`scoring.scorer_for`). Workers report the signature of
what they scored with, so a worker with another pushlint, model or rules is refused.

Dask's own deployment tools start the cluster (dask-jobqueue, dask-kubernetes,
dask-yarn, `dask scheduler` + `dask worker`); `--dask local` starts a LocalCluster of
`--jobs` single-threaded worker processes here.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from pushlint.exports import SCALE_HINT, ExportError, Record
from pushlint.score_run import Executor
from pushlint.scoring import Partition, ScoreJob, score_partition

LOCAL = "local"
CONNECT_TIMEOUT = "20s"


class _Future:
    def __init__(self, future: Any, inputs: Any) -> None:
        self.future = future
        self.inputs = inputs  # the scattered partition: held until its result is in

    def get(self) -> Partition:
        result: Partition = self.future.result()
        return result


class DaskCluster(Executor):
    """An executor for `score_run.score_exports` backed by a Dask client."""

    def __init__(self, address: str, jobs: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExportError(f"--dask needs dask.distributed: {SCALE_HINT}") from None
        self._cluster: Any = None
        if address == LOCAL:
            from pushlint.parallel import available_cores

            workers = jobs or available_cores()
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,  # spaCy gains nothing from threads; processes it is
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self._cluster)
            self.description = f"a local Dask cluster of {workers} workers"
        else:
            try:
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ExportError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
            self.description = f"the Dask cluster at {address}"
        threads = sum(self.client.nthreads().values())
        self.capacity = max(2, 2 * threads)
        self._jobs: dict[ScoreJob, Any] = {}

    def submit(self, job: ScoreJob, records: list[Record]) -> _Future:
        # The records are scattered to a worker, not put in the task: a task's arguments
        # travel in scheduler messages, which Dask keeps the last thousand of for
        # debugging, and that grew the client and the scheduler by ~2.5 kB a message.
        (partition,) = self.client.scatter([records], hash=False)
        if job not in self._jobs:  # settings and rule files: sent once to every worker
            self._jobs[job] = self.client.scatter(job, broadcast=True, hash=False)
        future = self.client.submit(score_partition, self._jobs[job], partition, pure=False)
        return _Future(future, partition)

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def terminate(self) -> None:
        with contextlib.suppress(Exception):  # the cluster may be what failed
            self.client.cancel(list(self.client.futures.values()))
        self.close()
