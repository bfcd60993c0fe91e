"""Plain records the library returns; every output format is built from these.

They hold no spaCy objects, so they pickle, compare and serialise cheaply and the
formatters never need to import spaCy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["info", "warning", "error"]
LEVELS: tuple[Level, ...] = ("info", "warning", "error")
Band = Literal["customer-centric", "balanced", "pushy"]


def level_rank(level: str) -> int:
    """Order levels so `--fail-on warning` also fails on errors."""
    return LEVELS.index(level)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Suggestion:
    """A rewrite offered for a finding; `replacement` is set when it can replace the span."""

    text: str
    replacement: str | None = None
    safe: bool = False


@dataclass(frozen=True)
class Finding:
    """One rule hit in one message. Offsets are character offsets into the message."""

    rule: str
    name: str
    category: str
    level: Level
    message: str
    start: int
    end: int
    text: str
    line: int
    column: int
    end_line: int
    end_column: int
    points: float
    signal: bool = False
    suggestions: tuple[Suggestion, ...] = ()
    sentence: str = ""
    sentence_start: int = 0
    part: str = "body"  # or "subject" for an email's subject line
    weight: float = 0.0  # the rule's weight, so a report can be re-scored after filtering
    kind: str = ""  # the rule's kind; "metric" findings judge the whole message

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> Finding:
        """`Finding(**fields)` when `fields` holds every field, which becomes the
        instance's own attribute dict: a sixth of the frozen __init__'s cost, which counts
        when a cached re-run words ten findings per file. `fields` must not be reused."""
        finding = object.__new__(cls)
        object.__setattr__(finding, "__dict__", fields)
        return finding

    @property
    def is_marker(self) -> bool:
        """A zero-weight signal ("your trial ends"): it earns nothing and only explains
        why a flag nearby stood down, so reports must not show it as credit."""
        return self.signal and self.weight == 0


@dataclass(frozen=True)
class Report:
    """The verdict on one message: its findings, signals and score."""

    path: str
    score: int
    band: Band
    categories: dict[str, float]
    findings: tuple[Finding, ...]
    signals: tuple[Finding, ...] = ()
    penalty: float = 0.0
    relief: float = 0.0
    notes: tuple[str, ...] = ()
    call: dict[str, float] | None = None  # talk share, questions, longest monologue
    fail_on: Level = "warning"  # the thresholds this file's config sets, for the exit code
    max_score: int | None = None

    def failing(self) -> bool:
        """Does this report fail the run: a finding at or above `fail_on`, or a score
        above `max_score`?"""
        threshold = level_rank(self.fail_on)
        if any(level_rank(f.level) >= threshold for f in self.findings):
            return True
        return self.max_score is not None and self.score > self.max_score

    def worst_level(self) -> Level | None:
        levels = [f.level for f in self.findings]
        return max(levels, key=level_rank) if levels else None


@dataclass(frozen=True)
class FileError:
    """An input that could not be linted; the rest of the run goes on."""

    path: str
    problem: str


@dataclass(frozen=True)
class RunResult:
    """All reports of one run, in input order, plus inputs that failed to read."""

    model: str
    reports: Sequence[Report]  # a tuple, or a ReportSpool for a run over files
    errors: tuple[FileError, ...] = ()
    notes: tuple[str, ...] = ()
    model_version: str = ""
