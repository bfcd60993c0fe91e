"""The one pushiness formula: findings in, a 0-100 score, a band and a breakdown out.

    points(finding)  = weight x DECAY**n   (n = earlier findings of the same rule;
                                            info-level findings score 0)
    penalty          = sum of points over flagging findings
    relief           = sum of points over signals, capped at RELIEF_CAP x penalty
    score            = round(min(100, penalty - relief))

Repeats decay, so a long message is not punished for its length, only for the range
of pushy habits it shows; signals can soften a pushy message but never erase it, and
a message with nothing to flag scores 0 whatever its signals. Each finding carries its
points (signals negative, already scaled by the cap), so the categories add up to the
score before the 100 cap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from pushlint.records import Band

DECAY = 0.5
RELIEF_CAP = 1 / 3
# Lower bound of each band, highest first. One vendor-centric habit (a single warning
# weighs 8-25) makes a message "balanced"; two or more make it "pushy". Calibrated on the
# labelled corpus: no customer-centric message there scores 30 or more.
BANDS: tuple[tuple[int, Band], ...] = ((30, "pushy"), (15, "balanced"), (0, "customer-centric"))


class Scorable(Protocol):
    @property
    def rule(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def signal(self) -> bool: ...


@dataclass(frozen=True)
class Score:
    points: tuple[float, ...]  # one per input item, in order
    score: int
    band: Band
    categories: dict[str, float]
    penalty: float
    relief: float


def band_for(score: float) -> Band:
    return next(band for floor, band in BANDS if score >= floor)


def score_items(items: Sequence[Scorable]) -> Score:
    """Score findings given in message order (the order decides which repeat decays)."""
    seen: dict[str, int] = {}
    raw: list[float] = []
    penalty = 0.0  # a float even when nothing is summed: JSON always prints a float
    wanted_relief = 0.0
    for item in items:
        repeat = seen[item.rule] = seen.get(item.rule, -1) + 1
        signal = item.signal
        p = (0.0 if (item.level == "info" and not signal) else item.weight) * DECAY**repeat
        raw.append(p)
        if signal:
            wanted_relief += p
        else:
            penalty += p
    relief = min(wanted_relief, RELIEF_CAP * penalty)
    scale = relief / wanted_relief if wanted_relief else 0.0
    points = tuple(
        (round(-p * scale, 2) or 0.0) if item.signal else round(p, 2)  # 0.0, not -0.0
        for p, item in zip(raw, items, strict=True)
    )
    categories: dict[str, float] = {}
    for p, item in zip(points, items, strict=True):
        categories[item.category] = round(categories.get(item.category, 0.0) + p, 2)
    value = round(min(100.0, max(0.0, penalty - relief)))
    return Score(points, value, band_for(value), categories, round(penalty, 2), round(relief, 2))
