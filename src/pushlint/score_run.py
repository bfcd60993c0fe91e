"""`pushlint score` as a library call: read exports, score them a partition at a time
wherever the executor runs partitions, and write the rows in input order.

Memory stays flat however large the export: the readers stream, only a few partitions
are in flight (twice the workers), and the writer holds at most one row group. The
executor decides where partitions run: in this process, in a pool of worker processes
(`--jobs`), or on a Dask cluster (`pushlint.cluster`); the rows are the same.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol, Self

from pushlint import __version__
from pushlint.exports import Columns, ExportError, ExportReader, Record
from pushlint.records import FileError
from pushlint.scored import ScoredWriter
from pushlint.scoring import (
    PARTITION_SIZE,
    Partition,
    ScoreJob,
    score_partition,
    scorer_for,
)

MAX_LISTED = 20  # read problems kept for the summary; the rest are only counted

Progress = Callable[[int, int, int], None]  # (messages done, bytes read, bytes in all)


class Pending(Protocol):
    def get(self) -> Partition: ...


class Executor:
    """Where partitions are scored; `capacity` says how many may be in flight at once.
    Used as a context manager by whoever starts it: closed after a run, stopped at once
    (workers killed, queued work cancelled) after an error or Ctrl-C."""

    capacity = 0
    description = "1 process"

    def submit(self, job: ScoreJob, records: list[Record]) -> Pending:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def terminate(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()


class _Done:
    def __init__(self, value: Partition) -> None:
        self.value = value

    def get(self) -> Partition:
        return self.value


class InProcess(Executor):
    """Partitions scored right here, one after another."""

    def submit(self, job: ScoreJob, records: list[Record]) -> Pending:
        return _Done(score_partition(job, records))


class ProcessPool(Executor):
    """Partitions scored by `jobs` worker processes on this machine (see `parallel`)."""

    def __init__(self, jobs: int) -> None:
        from pushlint.parallel import Workers

        self.workers = Workers(jobs)
        self.capacity = 2 * jobs
        self.description = f"{jobs} processes"
        self._started = False

    def submit(self, job: ScoreJob, records: list[Record]) -> Pending:
        if not self._started:  # load before the workers fork, so they share the model
            scorer_for(job).lane.linter  # noqa: B018
            self._started = True
        return self.workers.apply(score_partition, job, records)

    def close(self) -> None:
        self.workers.close()

    def terminate(self) -> None:
        self.workers.terminate()


@dataclass
class ScoreSummary:
    rows: int = 0  # rows written
    scored: int = 0  # rows with a score
    skipped: int = 0  # rows written without a score (no text, too long): see `error`
    problems: list[FileError] = field(default_factory=list)  # the first MAX_LISTED
    problem_count: int = 0  # rows or files that could not be read at all
    notes: dict[str, None] = field(default_factory=dict)  # the pipeline's, once each

    def add_problem(self, problem: FileError) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)


def score_exports(
    paths: Sequence[str | Path],
    output: str | Path,
    job: ScoreJob,
    *,
    columns: Columns | None = None,
    executor: Executor | None = None,
    on_progress: Progress | None = None,
) -> ScoreSummary:
    """Score every row of the exports into `output` (.parquet or .jsonl). Rows or files
    that cannot be read are counted in the summary and the rest is scored. Raises
    ExportError (bad output, nothing readable at all), ConfigError, RuleFileError. The
    caller starts and stops the executor (see `Executor`); the default runs here."""
    columns = columns or Columns()
    executor = executor or InProcess()
    readers = [_reader(p, columns) for p in paths]
    scorer = scorer_for(job)  # the rule set and schema; the model loads only if used here
    summary = ScoreSummary()
    for reader in readers:
        if isinstance(reader, FileError):
            summary.add_problem(reader)
    usable = [r for r in readers if isinstance(r, ExportReader)]
    if not usable:
        raise ExportError("; ".join(f"{p.path}: {p.problem}" for p in summary.problems))
    total = sum(r.size for r in usable)
    finished_files: list[ExportReader] = []
    reading: list[ExportReader] = []  # the file being read now, if any
    metadata = {
        "pushlint": __version__,
        "model": scorer.lane.info.name,
        "model_version": scorer.lane.info.version,
        "signature": scorer.signature,
    }
    writer = ScoredWriter(output, scorer.schema, metadata)
    pending: deque[Pending] = deque()

    def finish(result: Pending) -> None:
        signature, rows, notes = result.get()
        summary.notes.update(dict.fromkeys(notes))
        if signature != scorer.signature:
            raise ExportError(
                "a worker scores with another pushlint, model or rule packs than this "
                "machine; install the same versions on the workers"
            )
        writer.write(rows)
        summary.rows += len(rows)
        summary.scored += sum(row["error"] is None for row in rows)
        if on_progress is not None:
            position = sum(r.size for r in finished_files) + sum(r.position for r in reading)
            on_progress(summary.rows, position, total)

    try:
        for reader in usable:
            reading[:] = [reader]
            for partition in _partitions(reader, summary):
                pending.append(executor.submit(job, partition))
                while len(pending) > executor.capacity:
                    finish(pending.popleft())
            finished_files.append(reader)
            reading.clear()
        while pending:
            finish(pending.popleft())
        if not summary.rows and summary.problem_count:  # nothing was readable: no file
            raise ExportError("; ".join(f"{p.path}: {p.problem}" for p in summary.problems))
        writer.close()
    except BaseException:
        writer.abort()
        raise
    summary.skipped = summary.rows - summary.scored
    return summary


def _reader(path: str | Path, columns: Columns) -> ExportReader | FileError:
    try:
        return ExportReader(path, columns, batch=PARTITION_SIZE)
    except ExportError as exc:
        return FileError(str(path), str(exc).removeprefix(f"{path}: "))


def _partitions(reader: ExportReader, summary: ScoreSummary) -> Iterator[list[Record]]:
    """The reader's records in partitions; unreadable rows (and a file that fails part
    way) go to the summary, and what was read before still counts."""
    records = _records(reader, summary)
    while partition := list(islice(records, PARTITION_SIZE)):
        yield partition


def _records(reader: ExportReader, summary: ScoreSummary) -> Iterator[Record]:
    try:
        for item in reader:
            if isinstance(item, FileError):
                summary.add_problem(item)
            else:
                yield item
    except ExportError as exc:
        summary.add_problem(FileError(str(reader.path), str(exc).removeprefix(f"{reader.path}: ")))
    except (OSError, EOFError) as exc:  # a truncated gzip, a file gone mid-read
        summary.add_problem(FileError(str(reader.path), f"cannot read on: {exc}"))


def describe(summary: ScoreSummary) -> Iterator[str]:
    """The closing lines a person reads: what was written, what was skipped and why."""
    yield f"{summary.rows:,} rows ({summary.scored:,} scored, {summary.skipped:,} without a score)"
    for note in summary.notes:
        yield f"note: {note}"
    for problem in summary.problems:
        yield f"{problem.path}: {problem.problem}"
    hidden = summary.problem_count - len(summary.problems)
    if hidden > 0:
        yield f"... and {hidden:,} more unreadable rows"
