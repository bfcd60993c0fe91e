"""The reports of a run, kept out of memory once there are many of them.

A run over 20,000 templates holds 20,000 reports until the output is written; as
objects that is hundreds of megabytes. Here the first reports stay objects, up to
about 15 MB of them (`HELD_ITEMS` findings and signals, ~1.3 KB each), so a run of
about a thousand files never pays for pickling: writing and reading back 1,500 cached
reports cost 0.3 s, a fifth of the run. Past that, each report is pickled into a
`SpooledTemporaryFile`: in memory up to a megabyte, then an anonymous file (already
unlinked, so it has no name on disk and vanishes with the process) holding only what
the report itself shows. Reading is sequential and cheap, so formatters iterate as
before, and memory stays bounded however many files there are.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

from pushlint.records import Report

HELD_ITEMS = 12_000  # findings and signals kept as objects (~15 MB) before pickling
IN_MEMORY = 1024 * 1024  # pickled bytes kept in memory before the spool moves to a file


class ReportSpool(Sequence[Report]):
    def __init__(self, reports: Iterable[Report] = ()) -> None:
        self._held: list[Report] = []
        self._held_items = 0
        self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
        self._spans: list[tuple[int, int]] = []
        self._end = 0
        for report in reports:
            self.append(report)

    def append(self, report: Report) -> None:
        items = len(report.findings) + len(report.signals)
        if not self._spans and self._held_items + items <= HELD_ITEMS:
            self._held.append(report)
            self._held_items += items
            return
        data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(self._end)
        self._file.write(data)
        self._spans.append((self._end, len(data)))
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._held) + len(self._spans)

    @overload
    def __getitem__(self, index: int) -> Report: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Report]: ...

    def __getitem__(self, index: int | slice) -> Report | Sequence[Report]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("spool index out of range")
        if index < len(self._held):
            return self._held[index]
        start, size = self._spans[index - len(self._held)]
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
