"""Reading CRM exports: JSON Lines, CSV or Parquet files with one message per row.

Every row becomes a `Record` (id, text, subject and the metadata kept beside the score),
or a `FileError` naming the file and row when the row cannot be read; one bad row never
stops a run. Readers stream: a file of any size is held one batch at a time. JSON Lines
and CSV need only the standard library (gzip too); Parquet needs pyarrow (the `scale`
extra).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pushlint.records import FileError

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
META = ("kind", "author", "team", "date")  # kept beside each score, in this order
SCALE_HINT = "pip install 'pushlint[scale]'"
_ISO_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})(?:\D|$)")
_EPOCH = re.compile(r"^\s*(\d{10}|\d{13})\s*$")  # Unix seconds or milliseconds
_SAMPLE = 1 << 20  # bytes of a CSV looked at to tell its encoding
_LOOK_AHEAD = 100  # JSON objects read before a missing text column is an error


class ExportError(Exception):
    """An export that cannot be read at all: unknown format, missing text column."""


@dataclass(frozen=True)
class Columns:
    """Which column holds what. `text` must exist; the others are used when present."""

    id: str = "id"
    text: str = "text"
    subject: str = "subject"
    kind: str = "kind"
    author: str = "author"
    team: str = "team"
    date: str = "date"

    def meta(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in META}


@dataclass(frozen=True)
class Record:
    """One message of an export, with its metadata as strings (None when absent)."""

    id: str
    text: str | None
    subject: str | None = None
    meta: dict[str, str | None] = field(default_factory=dict)
    month: str | None = None  # "YYYY-MM" when the date could be read


def export_format(path: str | Path) -> str:
    name = Path(path).name.lower().removesuffix(".gz")
    suffix = Path(name).suffix
    if suffix not in FORMATS:
        raise ExportError(
            f"{path}: unknown export format {suffix or '(no extension)'!r}; "
            "expected .jsonl, .ndjson, .csv or .parquet (.jsonl.gz and .csv.gz too)"
        )
    if suffix == ".parquet" and str(path).lower().endswith(".gz"):
        raise ExportError(f"{path}: Parquet compresses itself; give the .parquet file")
    return FORMATS[suffix]


class ExportReader:
    """The rows of one export file, in order. `position` says how far the reader has got
    (0 to `size`, in the file's bytes), for a progress bar."""

    def __init__(self, path: str | Path, columns: Columns, *, batch: int = 1024) -> None:
        self.path = Path(path)
        self.columns = columns
        self.batch = batch
        self.format = export_format(path)
        self.position = 0
        try:
            self.size = self.path.stat().st_size
        except OSError as exc:
            raise ExportError(f"{path}: cannot read: {exc.strerror or exc}") from None

    def __iter__(self) -> Iterator[Record | FileError]:
        reader = {"jsonl": self._jsonl, "csv": self._csv, "parquet": self._parquet}[self.format]
        yield from reader()
        self.position = self.size

    def _open(self) -> tuple[IO[bytes], IO[bytes]]:
        """The file, and the stream of its (decompressed) bytes."""
        raw = self.path.open("rb")
        if self.path.name.lower().endswith(".gz"):
            return raw, gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
        return raw, raw

    def _jsonl(self) -> Iterator[Record | FileError]:
        raw, stream = self._open()
        held: list[Record | FileError] = []  # the first rows, until the text column is seen
        keys: dict[str, None] = {}  # in the order the file first names them
        seen = False
        with raw, stream:
            for number, line in enumerate(stream, start=1):
                if number % 256 == 0:
                    self.position = raw.tell()
                if not line.strip():
                    continue
                item = self._json_row(line, number, None if seen else keys)
                if seen:
                    yield item
                    continue
                held.append(item)
                if self.columns.text in keys:
                    seen = True
                    yield from held
                    held.clear()
                elif len(held) >= _LOOK_AHEAD:
                    self._require_text(keys)  # JSON may leave out nulls: look a while
        if any(isinstance(item, Record) for item in held):
            self._require_text(keys)
        yield from held

    def _json_row(
        self, line: bytes, number: int, keys: dict[str, None] | None
    ) -> Record | FileError:
        where = f"{self.path}:{number}"
        try:
            row = json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            return FileError(where, f"not valid JSON: {exc}")
        if not isinstance(row, dict):
            return FileError(where, "expected a JSON object per line")
        if keys is not None:
            keys.update(dict.fromkeys(row))
        return self._record(row, f"{self.path.name}:{number}")

    def _csv(self) -> Iterator[Record | FileError]:
        raw, stream = self._open()
        with raw, stream:
            sample = stream.read(_SAMPLE)
        encoding, errors = _csv_encoding(sample)
        raw, stream = self._open()
        with raw, stream:
            text = io.TextIOWrapper(stream, encoding=encoding, errors=errors, newline="")
            csv.field_size_limit(1 << 26)  # long transcripts; the message limit applies later
            rows = csv.DictReader(text)
            try:
                self._require_text(rows.fieldnames or ())
                for number, row in enumerate(rows, start=1):
                    if number % 256 == 0:
                        self.position = raw.tell()
                    yield self._record(row, f"{self.path.name}:{number}")
            except csv.Error as exc:
                yield FileError(f"{self.path}:{rows.line_num}", f"not valid CSV: {exc}")

    def _parquet(self) -> Iterator[Record | FileError]:
        parquet = _pyarrow_parquet()
        try:
            table = parquet.ParquetFile(self.path)
        except Exception as exc:  # pyarrow raises its own ArrowInvalid, OSError, ...
            raise ExportError(f"{self.path}: not a Parquet file: {exc}") from None
        names = table.schema_arrow.names
        self._require_text(names)
        wanted = [c for c in dict.fromkeys(vars(self.columns).values()) if c in names]
        total = max(table.metadata.num_rows, 1)
        done = 0
        for batch in table.iter_batches(batch_size=self.batch, columns=wanted):
            for row in batch.to_pylist():
                done += 1
                yield self._record(row, f"{self.path.name}:{done}")
            self.position = self.size * done // total

    def _require_text(self, names: Any) -> None:
        names = list(names)
        if self.columns.text not in names:
            shown = ", ".join(map(str, names[:12])) + (" ..." if len(names) > 12 else "")
            raise ExportError(
                f"{self.path}: no {self.columns.text!r} column (columns: {shown or 'none'}); "
                "name the text column with --text-column"
            )

    def _record(self, row: Mapping[str, Any], fallback_id: str) -> Record:
        return record_from_row(row, self.columns, fallback_id)


def record_from_row(row: Mapping[str, Any], columns: Columns, fallback_id: str) -> Record:
    """A row of any format (a JSON object, a CSV or DataFrame row) as a Record."""
    meta = {name: as_string(row.get(column)) for name, column in columns.meta().items()}
    return Record(
        id=as_string(row.get(columns.id)) or fallback_id,
        text=_text(row.get(columns.text)),
        subject=_text(row.get(columns.subject)),
        meta=meta,
        month=month_of(row.get(columns.date)),
    )


def missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA: what a DataFrame holds where a cell is empty."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pd.NA: its comparisons are NA, which has no truth value
        return True
    except ValueError:  # an array in a cell: there, not missing
        return False


def as_string(value: object) -> str | None:
    """A metadata value as text: the same whichever format the export came in."""
    if missing(value):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id a DataFrame stored as float
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return str(value.isoformat())
    if hasattr(value, "item"):  # a numpy scalar
        return as_string(value.item())
    text = str(value).strip()
    return text or None


def _text(value: object) -> str | None:
    if missing(value):
        return None
    return value if isinstance(value, str) else str(value)


def month_of(value: object) -> str | None:
    """ "YYYY-MM" of an ISO 8601 date or a Unix time (seconds or milliseconds), read the
    same way from every format; None for anything else (day/month order is a guess)."""
    if missing(value):
        return None
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return f"{moment.year:04d}-{moment.month:02d}"
    text = str(value)
    if _EPOCH.match(text):
        return month_of(int(text))
    match = _ISO_MONTH.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{match.group(1)}-{match.group(2)}"
    return None


def _csv_encoding(sample: bytes) -> tuple[str, str]:
    """UTF-8 when the start of the file is UTF-8 (most exports), else the best guess of
    charset-normalizer (Excel on Windows writes cp1252); odd bytes become U+FFFD."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "replace"
    try:
        sample.decode("utf-8-sig")
        return "utf-8-sig", "replace"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
            return "utf-8-sig", "replace"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return (best.encoding if best is not None else "cp1252"), "replace"


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as parquet
    except ImportError:
        raise ExportError(f"Parquet needs pyarrow: {SCALE_HINT}") from None
    return parquet
