"""`--jobs N`: messages linted by N worker processes, results in input order.

spaCy releases the GIL too rarely for threads to help, so these are processes. On Linux
they are forked after the parent has loaded the pipeline: no worker loads the model
again, and the model's memory is shared until written. Elsewhere (macOS, Windows) they
are spawned and each loads the pipeline once. Work goes out in small batches, a few
in flight at a time, and results are taken back in submission order, so the output is
the same as a serial run's and memory stays bounded however many files there are.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pushlint.engine import Outcome

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from pushlint.api import LinterKey
    from pushlint.sources import Message

T = TypeVar("T")
AUTO_MIN_INPUTS = 100  # below this, starting workers costs more than it saves


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def auto_jobs(inputs: int) -> int:
    """The default for `--jobs`: every core for a large run, one process otherwise."""
    return available_cores() if inputs >= AUTO_MIN_INPUTS else 1


class Workers:
    """A pool started on first use and shut down by `close`."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: Pool | None = None

    def submit(self, key: LinterKey, messages: list[Message]) -> AsyncResult[list[Outcome]]:
        return self.apply(_work, key, messages)

    def apply(self, function: Callable[..., T], *args: Any) -> AsyncResult[T]:
        """`function(*args)` in a worker; it and its arguments must pickle."""
        if self._pool is None:
            method = "fork" if sys.platform == "linux" else "spawn"
            context = multiprocessing.get_context(method)
            self._pool = context.Pool(self.jobs, initializer=_ignore_interrupts)
        return self._pool.apply_async(function, args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def terminate(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def _ignore_interrupts() -> None:
    """Ctrl-C goes to the parent, which stops the pool; workers do not print tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(key: LinterKey, messages: list[Message]) -> list[Outcome]:
    from pushlint.api import get_linter

    model, rules, shipped = key
    return list(get_linter(model, rules, shipped=shipped).outcomes(messages))
