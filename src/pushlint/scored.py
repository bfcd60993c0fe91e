"""Scored output: the rows of `pushlint score`, written to Parquet or JSON Lines and read
back by `stats` and `report`.

The format is chosen by the output's extension. Writers stream (a Parquet row group or
a line at a time) into a temporary file beside the target and rename it into place at
the end, so an interrupted run never leaves a half-written file behind. Readers take a
file or a folder of parts (what `dask.dataframe.to_parquet` writes).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from pushlint.exports import SCALE_HINT, ExportError

if TYPE_CHECKING:
    from pushlint.scoring import Row, RowSchema

OUTPUT_FORMATS = {".parquet": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
ROW_GROUP = 8192  # rows per Parquet row group: about 1-2 MB without text
METADATA_KEY = "pushlint"
REQUIRED = ("score", "band")  # what makes a table scored output


def output_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise ExportError(
            f"{path}: the output's extension picks its format: .parquet or .jsonl "
            f"(not {suffix or 'none'!r})"
        )
    return OUTPUT_FORMATS[suffix]


class ScoredWriter:
    """Rows to one file, atomically: nothing appears at `path` until `close()`."""

    def __init__(self, path: str | Path, schema: RowSchema, metadata: dict[str, Any]) -> None:
        self.path = Path(path)
        self.format = output_format(path)
        self.schema = schema
        self.rows = 0
        folder = self.path.parent
        if not folder.is_dir():
            raise ExportError(f"{path}: no folder {str(folder)!r} to write into")
        if self.path.is_dir():
            raise ExportError(f"{path}: is a folder; give a file name")
        handle, temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=folder
        )
        self._temporary = Path(temporary)
        self._buffer: list[Any] = []  # pyarrow RecordBatches of the row group being built
        self._buffered = 0
        self._file: IO[bytes] = os.fdopen(handle, "wb")
        self._parquet: Any = None
        if self.format == "parquet":
            try:
                import pyarrow.parquet as parquet
            except ImportError:
                self.abort()
                raise ExportError(f"Parquet output needs pyarrow: {SCALE_HINT}") from None
            arrow = schema.arrow({METADATA_KEY: json.dumps(metadata)})
            self._parquet = parquet.ParquetWriter(self._file, arrow, compression="zstd")

    def write(self, rows: Sequence[Row]) -> None:
        self.rows += len(rows)
        if self._parquet is None:
            lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            self._file.write(lines.encode("utf-8"))
            return
        import pyarrow as pa

        # Columnar at once: a row group of dicts would hold ten times the memory.
        self._buffer.append(pa.RecordBatch.from_pylist(list(rows), schema=self._parquet.schema))
        self._buffered += len(rows)
        if self._buffered >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._buffer:
            self._parquet.write_table(pa.Table.from_batches(self._buffer), ROW_GROUP * 2)
            self._buffer.clear()
            self._buffered = 0

    def close(self) -> None:
        """Finish the file and move it into place."""
        try:
            if self._parquet is not None:
                self._flush()
                self._parquet.close()
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self._temporary, self.path)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Drop what was written; the target is left as it was."""
        with contextlib.suppress(Exception):
            if self._parquet is not None:
                self._parquet.close()
        with contextlib.suppress(OSError):
            self._file.close()
        with contextlib.suppress(OSError):
            self._temporary.unlink()


def is_scored_output(path: str | Path) -> bool:
    """Whether `stats` and `report` should read `path` as scored rows: a .parquet or
    .jsonl file, or a folder of .parquet parts."""
    p = Path(path)
    if p.is_dir():
        return any(p.glob("*.parquet"))
    name = p.name.lower().removesuffix(".gz")
    return Path(name).suffix in OUTPUT_FORMATS


def read_scored(path: str | Path) -> Iterator[Row]:
    """The rows of scored output, a batch at a time. Raises ExportError for a file that
    is not scored output."""
    p = Path(path)
    if p.is_dir() or p.suffix.lower() == ".parquet":
        yield from _parquet_rows(p)
    else:
        yield from _jsonl_rows(p)


def _parquet_rows(path: Path) -> Iterator[Row]:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise ExportError(f"reading Parquet needs pyarrow: {SCALE_HINT}") from None
    parts = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    for part in parts:
        try:
            table = parquet.ParquetFile(part)
        except Exception as exc:  # pyarrow's own error types
            raise ExportError(f"{part}: not a Parquet file: {exc}") from None
        _require_scored(part, table.schema_arrow.names)
        for batch in table.iter_batches(batch_size=ROW_GROUP):
            yield from batch.to_pylist()


def _jsonl_rows(path: Path) -> Iterator[Row]:
    try:
        raw: IO[bytes] = path.open("rb")
    except OSError as exc:
        raise ExportError(f"{path}: cannot read: {exc.strerror or exc}") from None
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw) if path.name.endswith(".gz") else raw  # type: ignore[assignment]
    checked = False
    with raw, stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                raise ExportError(f"{path}:{number}: not valid JSON: {exc}") from None
            if not checked:
                _require_scored(path, row if isinstance(row, dict) else {})
                checked = True
            yield row


def _require_scored(path: Path, names: Any) -> None:
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise ExportError(
            f"{path}: not scored output (no {', '.join(missing)} column); "
            "score an export first with `pushlint score`"
        )


def describe_output(path: str | Path) -> dict[str, str]:
    """What the writer recorded about a Parquet output (pushlint and model versions);
    empty for JSON Lines, which has no place for it."""
    p = Path(path)
    part = next(iter(sorted(p.glob("*.parquet"))), None) if p.is_dir() else p
    if part is None or part.suffix.lower() != ".parquet":
        return {}
    try:
        import pyarrow.parquet as parquet

        metadata = parquet.read_schema(part).metadata or {}
        found = json.loads(metadata.get(METADATA_KEY.encode(), b"{}"))
    except Exception:  # a missing or odd footer only loses the header line
        return {}
    return {str(k): str(v) for k, v in found.items()}
