"""Corpus statistics for the people who tune rules: how scores spread, which rules and
categories fire, and the messages that score worst."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pushlint.evaluate import BAND_NAMES
from pushlint.records import Report

BUCKET = 10


@dataclass(frozen=True)
class Stats:
    messages: int
    mean_score: float
    histogram: dict[str, int]  # "0-9" -> count
    bands: dict[str, int]
    rules: dict[str, int]  # messages each rule fired on (flags and signals)
    categories: dict[str, float]  # points per category over the corpus
    worst: tuple[tuple[str, int], ...]


def corpus_stats(reports: Sequence[Report], *, worst: int = 10) -> Stats:
    histogram = {f"{lo}-{lo + BUCKET - 1}": 0 for lo in range(0, 100, BUCKET)}
    for report in reports:
        lo = min(report.score // BUCKET * BUCKET, 90)
        histogram[f"{lo}-{lo + BUCKET - 1}"] += 1
    rules: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    for report in reports:
        rules.update({f.rule for f in (*report.findings, *report.signals)})
        for category, points in report.categories.items():
            categories[category] += points
    ranked = sorted(reports, key=lambda r: (-r.score, r.path))[:worst]
    return Stats(
        messages=len(reports),
        mean_score=round(sum(r.score for r in reports) / len(reports), 1) if reports else 0.0,
        histogram=histogram,
        bands={band: sum(r.band == band for r in reports) for band in BAND_NAMES},
        rules=dict(rules.most_common()),
        categories={k: round(v, 1) for k, v in categories.most_common()},
        worst=tuple((r.path, r.score) for r in ranked),
    )
