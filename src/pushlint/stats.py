"""Corpus statistics for the people who tune rules and the teams who read them: how
scores spread, which rules and categories fire, the messages that score worst, and
scores per author, team and month.

Built in one pass over reports (from linting) or scored rows (from `pushlint score`),
keeping counts and the top few only, so a million-row export is summarised in flat
memory.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pushlint.evaluate import BAND_NAMES
from pushlint.records import Report

BUCKET = 10
GROUPS = ("author", "team", "month", "kind")  # what scored rows can be grouped by


@dataclass(frozen=True)
class Scored:
    """What statistics need of one message, whichever way it was scored."""

    path: str
    score: int
    band: str
    categories: Mapping[str, float]
    rules: frozenset[str]  # rules that fired (flags and signals)
    groups: Mapping[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_report(cls, report: Report) -> Scored:
        rules = frozenset(f.rule for f in (*report.findings, *report.signals))
        return cls(report.path, report.score, report.band, report.categories, rules)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Scored | None:
        """A row of `pushlint score` output; None for a row without a score."""
        if row.get("score") is None or row.get("error"):
            return None
        categories = {
            key.removeprefix("points_").replace("_", "-"): value
            for key, value in row.items()
            if key.startswith("points_") and value
        }
        rules = frozenset(key[2:] for key, value in row.items() if key.startswith("n_") and value)
        groups = {name: row.get(name) for name in GROUPS}
        return cls(
            str(row.get("id")), int(row["score"]), str(row["band"]), categories, rules, groups
        )


@dataclass(frozen=True)
class GroupStats:
    """Scores of the messages of one author, team or month."""

    key: str
    messages: int
    mean_score: float
    median: int
    p90: int
    bands: dict[str, int]


@dataclass(frozen=True)
class Stats:
    messages: int
    mean_score: float
    histogram: dict[str, int]  # "0-9" -> count
    bands: dict[str, int]
    rules: dict[str, int]  # messages each rule fired on (flags and signals)
    categories: dict[str, float]  # points per category over the corpus
    worst: tuple[tuple[str, int], ...]
    groups: dict[str, tuple[GroupStats, ...]] = field(default_factory=dict)  # "month" -> ...


class _Group:
    def __init__(self) -> None:
        self.scores: Counter[int] = Counter()  # score -> messages: exact quantiles, small
        self.bands: Counter[str] = Counter()

    def add(self, item: Scored) -> None:
        self.scores[item.score] += 1
        self.bands[item.band] += 1

    def result(self, key: str) -> GroupStats:
        count = sum(self.scores.values())
        total = sum(score * n for score, n in self.scores.items())
        return GroupStats(
            key=key,
            messages=count,
            mean_score=round(total / count, 1),
            median=self._quantile(0.5, count),
            p90=self._quantile(0.9, count),
            bands={band: self.bands[band] for band in BAND_NAMES},
        )

    def _quantile(self, q: float, count: int) -> int:
        """The lowest score at or below which `q` of the messages lie."""
        needed, seen = q * count, 0
        for score in sorted(self.scores):
            seen += self.scores[score]
            if seen >= needed:
                return score
        return 0


def corpus_stats(
    items: Iterable[Report | Scored], *, worst: int = 10, by: Iterable[str] = ()
) -> Stats:
    """One pass over the messages; `by` names the groups to break scores down by
    (author, team, month, kind: scored rows carry them, linted files do not)."""
    by = tuple(by)
    histogram = {f"{lo}-{lo + BUCKET - 1}": 0 for lo in range(0, 100, BUCKET)}
    bands: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    groups: dict[str, defaultdict[str, _Group]] = {name: defaultdict(_Group) for name in by}
    top: list[tuple[int, str]] = []  # (-score, path) of the highest scores, in order
    count = total = 0
    for raw in items:
        item = Scored.from_report(raw) if isinstance(raw, Report) else raw
        count += 1
        total += item.score
        lo = min(item.score // BUCKET * BUCKET, 90)
        histogram[f"{lo}-{lo + BUCKET - 1}"] += 1
        bands[item.band] += 1
        rules.update(item.rules)
        for category, points in item.categories.items():
            categories[category] += points
        for name in by:
            key = item.groups.get(name)
            if key is not None:
                groups[name][str(key)].add(item)
        if worst and (len(top) < worst or (-item.score, item.path) < top[-1]):
            bisect.insort(top, (-item.score, item.path))
            del top[worst:]
    return Stats(
        messages=count,
        mean_score=round(total / count, 1) if count else 0.0,
        histogram=histogram,
        bands={band: bands[band] for band in BAND_NAMES},
        rules=dict(rules.most_common()),
        categories={k: round(v, 1) for k, v in categories.most_common()},
        worst=tuple((path, -negated) for negated, path in top),
        groups={name: _ordered(name, found) for name, found in groups.items()},
    )


def _ordered(name: str, found: Mapping[str, _Group]) -> tuple[GroupStats, ...]:
    """Months in time order; authors and teams highest mean score first."""
    results = [group.result(key) for key, group in found.items()]
    if name == "month":
        return tuple(sorted(results, key=lambda g: g.key))
    return tuple(sorted(results, key=lambda g: (-g.mean_score, -g.messages, g.key)))
