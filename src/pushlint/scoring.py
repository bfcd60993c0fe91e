"""Scoring an export: one flat row per message, the same on this machine and on a worker.

A row holds the message's id and metadata, its score and band, points per category and
findings per rule, and never its text unless asked (`include_text`). The columns follow
from the rule set (see `RowSchema`), so every partition of a run has the same schema
and a Parquet dataset of many parts reads as one table.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pushlint import __version__
from pushlint.exports import META, Columns, Record, as_string, record_from_row
from pushlint.sources import from_field

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from pushlint.api import Lane
    from pushlint.engine import Outcome
    from pushlint.project import FileSettings
    from pushlint.records import Report
    from pushlint.sources import Message

Row = dict[str, Any]
PARTITION_SIZE = 256  # messages per unit of work: a worker task, a Parquet write

# name -> type, for the columns every run has; "int", "float" and "str" map to Arrow
# and pandas types in `RowSchema`.
BASE_COLUMNS: dict[str, str] = {
    "id": "str",
    **dict.fromkeys(META, "str"),
    "month": "str",
    "score": "int",
    "band": "str",
    "penalty": "float",
    "relief": "float",
    "findings": "int",
    "signals": "int",
    "error": "str",
}


def category_column(category: str) -> str:
    return "points_" + category.replace("-", "_")


def rule_column(rule: str) -> str:
    return f"n_{rule}"


@dataclass(frozen=True)
class RowSchema:
    """The columns of a scored row: fixed ones, points per category, count per rule."""

    categories: tuple[str, ...]
    rules: tuple[str, ...]
    include_text: bool = False

    @cached_property
    def types(self) -> dict[str, str]:
        types = dict(BASE_COLUMNS)
        types.update({category_column(c): "float" for c in self.categories})
        types.update({rule_column(r): "int" for r in self.rules})
        if self.include_text:
            types.update(subject="str", text="str")
        return types

    @property
    def names(self) -> list[str]:
        return list(self.types)

    def arrow(self, metadata: dict[str, str] | None = None) -> pa.Schema:
        import pyarrow as pa

        arrow_types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
        fields = [pa.field(name, arrow_types[kind]) for name, kind in self.types.items()]
        return pa.schema(fields, metadata=metadata)

    def frame(self, rows: Sequence[Row], index: Any = None) -> pd.DataFrame:
        """Rows as a DataFrame with nullable dtypes, so every partition's dtypes agree
        (an integer column with a gap stays an integer column)."""
        import pandas as pd

        dtypes = {"str": pd.StringDtype(), "int": pd.Int64Dtype(), "float": pd.Float64Dtype()}
        frame = pd.DataFrame.from_records(list(rows), columns=self.names, index=index)
        return frame.astype({name: dtypes[kind] for name, kind in self.types.items()})


@dataclass(frozen=True)
class ScoreJob:
    """What a run scores with. It pickles, so a Dask worker scores with the same settings;
    `portable()` carries the extra rule files along for workers on other machines."""

    settings: FileSettings
    include_text: bool = False
    packed_rules: tuple[tuple[str, bytes], ...] | None = None

    def portable(self) -> ScoreJob:
        """This job with its extra rule files' contents inside it, in load order."""
        from pushlint.rules.loader import rule_files

        files = rule_files([Path(r) for r in self.settings.rules])
        packed = tuple((f"{i:04d}-{f.name}", f.read_bytes()) for i, f in enumerate(files))
        return replace(self, packed_rules=packed)

    def local_settings(self) -> FileSettings:
        """The settings, with packed rule files written to a folder of this machine."""
        if self.packed_rules is None:
            return self.settings
        digest = hashlib.sha256(repr(self.packed_rules).encode()).hexdigest()[:16]
        user = getattr(os, "getuid", lambda: 0)()
        folder = Path(tempfile.gettempdir()) / f"pushlint-rules-{user}-{digest}"
        if not folder.is_dir():
            staging = Path(tempfile.mkdtemp(prefix="pushlint-rules-"))
            for name, data in self.packed_rules:
                (staging / name).write_bytes(data)
            try:
                staging.rename(folder)
            except OSError:  # another worker process got there first
                shutil.rmtree(staging, ignore_errors=True)
        rules = (str(folder),) if self.packed_rules else ()
        return replace(self.settings, rules=rules)


class Scorer:
    """Lints records and turns each report into a row. Loads the pipeline on first use,
    once per process, and keeps it."""

    def __init__(self, job: ScoreJob) -> None:
        from pushlint.api import Lane

        self.job = job
        self.settings = job.local_settings()
        self.lane: Lane = Lane(self.settings.linter_key, None)

    @cached_property
    def levels(self) -> dict[str, str]:
        return self.settings.selection.levels_for(self.lane.ruleset)

    @cached_property
    def schema(self) -> RowSchema:
        enabled = [r for r in self.lane.ruleset.rules if r.id in self.levels]
        categories = sorted({r.spec.category for r in enabled})
        rules = sorted(r.id for r in enabled)
        return RowSchema(tuple(categories), tuple(rules), self.job.include_text)

    @cached_property
    def signature(self) -> str:
        """pushlint, the model and the bytes of every rule file: two machines whose
        signatures agree give the same rows."""
        from pushlint.rules.loader import run_rule_files

        _, rules, shipped = self.settings.linter_key
        digest = hashlib.sha256(f"{__version__}\0{self.lane.info}\0".encode())
        for path in run_rule_files(rules, shipped):
            digest.update(path.read_bytes() + b"\0")
        return digest.hexdigest()

    def rows(self, records: Iterable[Record]) -> list[Row]:
        """One row per record, in order; a record without usable text gets a row with
        only its `error` set."""
        records = list(records)
        messages: dict[int, Message] = {}
        errors: dict[int, str] = {}
        read = self.settings.read
        for i, record in enumerate(records):
            if record.text is None or not record.text.strip():
                errors[i] = "no text"
                continue
            try:
                messages[i] = from_field(record.id, record.text, read, subject=record.subject)
            except ValueError as exc:
                errors[i] = str(exc)
        reports: dict[int, Report] = {}
        if messages:
            outcomes = self.lane.linter.outcomes(messages.values())
            for (i, message), outcome in zip(messages.items(), outcomes, strict=True):
                reports[i] = self._report(outcome, message)
        return [
            self._row(record, reports.get(i), errors.get(i)) for i, record in enumerate(records)
        ]

    def _report(self, outcome: Outcome, message: Message) -> Report:
        from pushlint.policy import apply_levels, suppress

        report = apply_levels(self.lane.report(outcome, message), self.levels)
        return suppress(report, message.directives, self.lane.ruleset)

    def _row(self, record: Record, report: Report | None, error: str | None) -> Row:
        row: Row = dict.fromkeys(self.schema.names)
        row["id"] = record.id
        row.update(record.meta)
        row["month"] = record.month
        if self.job.include_text:
            row["subject"], row["text"] = record.subject, record.text
        if report is None:
            row["error"] = error
            return row
        row.update(
            score=report.score,
            band=report.band,
            penalty=float(report.penalty),
            relief=float(report.relief),
            findings=len(report.findings),
            signals=len(report.signals),
        )
        for category in self.schema.categories:
            row[category_column(category)] = float(report.categories.get(category, 0.0))
        counts = Counter(f.rule for f in (*report.findings, *report.signals))
        for rule in self.schema.rules:
            row[rule_column(rule)] = counts.get(rule, 0)
        return row


_scorers: dict[ScoreJob, Scorer] = {}
_lock = threading.Lock()  # a Dask worker may run tasks in threads; spaCy is not shared so


def scorer_for(job: ScoreJob) -> Scorer:
    """The process's scorer for a job: the pipeline loads once per worker process."""
    scorer = _scorers.get(job)
    if scorer is None:
        if len(_scorers) >= 4:
            _scorers.clear()
        scorer = _scorers[job] = Scorer(job)
    return scorer


class Partition(NamedTuple):
    """What a worker sends back for one partition."""

    signature: str  # what scored it, so the caller can tell a worker with other versions
    rows: list[Row]
    notes: tuple[str, ...]  # the pipeline's own, e.g. rules a model without a parser skips


def score_partition(job: ScoreJob, records: list[Record]) -> Partition:
    """A worker's task, in a pool process or on a Dask worker."""
    with _lock:
        scorer = scorer_for(job)
        rows = scorer.rows(records)
        notes = scorer.lane.notes if any(row["error"] is None for row in rows) else ()
        return Partition(scorer.signature, rows, notes)


def score_frame(
    df: pd.DataFrame,
    text_column: str = "text",
    *,
    id_column: str = "id",
    subject_column: str = "subject",
    kind_column: str = "kind",
    author_column: str = "author",
    team_column: str = "team",
    date_column: str = "date",
    config: str | Path | None = None,
    model: str | None = None,
    rules: Sequence[str | Path] = (),
    include_text: bool = False,
) -> pd.DataFrame:
    """Score every row of a pandas DataFrame: one row out per row in, same index, the
    columns of `pushlint score`. Columns that are absent are left empty (the text
    column must exist). Works as `dask.dataframe.map_partitions(score_frame, ...)`.
    Raises ExportError (no text column), ConfigError, RuleFileError, ModelError."""
    from pushlint.exports import ExportError

    columns = Columns(
        id_column, text_column, subject_column, kind_column, author_column, team_column,
        date_column,
    )  # fmt: skip
    if text_column not in df.columns:
        raise ExportError(f"no {text_column!r} column in the DataFrame; pass text_column=")
    job = ScoreJob(frame_settings(config, model, rules), include_text)
    wanted = [c for c in dict.fromkeys(vars(columns).values()) if c in df.columns]
    records = [
        record_from_row(row, columns, as_string(label) or str(position))  # id: the index
        for position, (label, row) in enumerate(
            zip(df.index, df[wanted].to_dict("records"), strict=True)
        )
    ]
    rows: list[Row] = []
    for start in range(0, len(records), PARTITION_SIZE):
        rows.extend(score_partition(job, records[start : start + PARTITION_SIZE]).rows)
    scorer = scorer_for(job)
    return scorer.schema.frame(rows, index=df.index)


def frame_settings(
    config: str | Path | None, model: str | None, rules: Sequence[str | Path]
) -> FileSettings:
    """The settings of a library call: this config file if given, else none at all."""
    from pushlint.project import Overrides, Project
    from pushlint.sources import STDIN

    overrides = Overrides(
        config=Path(config) if config is not None else None,
        model=model,
        rules=tuple(str(r) for r in rules),
    )
    return Project(overrides, discover=False).settings(STDIN)
