"""The reports of a run, kept out of memory once there are many of them.

A run over 20,000 templates holds 20,000 reports until the output is written; as
objects that is hundreds of megabytes. Here each report is pickled into a
`SpooledTemporaryFile`: in memory up to a megabyte, then an anonymous file (already
unlinked, so it has no name on disk and vanishes with the process) holding only what
the report itself shows. Reading is sequential and cheap, so formatters iterate as
before.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from pushlint.records import Report

IN_MEMORY = 1024 * 1024  # bytes kept in memory before the spool moves to a file


class ReportSpool(Sequence[Report]):
    def __init__(self, reports: Iterable[Report] = ()) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
        self._spans: list[tuple[int, int]] = []
        self._end = 0
        for report in reports:
            self.append(report)

    def append(self, report: Report) -> None:
        data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        self._spans.append((self._end, len(data)))
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._spans)

    @overload
    def __getitem__(self, index: int) -> Report: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Report]: ...

    def __getitem__(self, index: int | slice) -> Report | Sequence[Report]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        start, size = self._spans[index]
        self._file.seek(start)
        report: Report = pickle.loads(self._file.read(size))
        return report

    def __iter__(self) -> Iterator[Report]:
        for i in range(len(self)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ReportSpool({len(self)} reports)"
