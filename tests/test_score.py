"""The score formula: decaying repeats, info is free, signals soften but never erase."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from pushlint.score import BANDS, DECAY, RELIEF_CAP, band_for, score_items


@dataclass(frozen=True)
class Item:
    rule: str
    category: str = "vendor-centric"
    level: str = "warning"
    weight: float = 10.0
    signal: bool = False


def test_no_findings_scores_zero() -> None:
    result = score_items([])
    assert (result.score, result.band) == (0, "customer-centric")


def test_points_add_up_to_the_score() -> None:
    items = [
        Item("A", weight=20),
        Item("B", "quarter-pressure", weight=25),
        Item("S", "good", signal=True, weight=6),
    ]
    result = score_items(items)
    assert result.points[:2] == (20, 25)
    assert result.points[2] == -6
    assert result.score == round(sum(result.points)) == 39
    assert result.categories == {"vendor-centric": 20, "quarter-pressure": 25, "good": -6}


def test_repeats_of_one_rule_decay_so_length_alone_does_not_punish() -> None:
    once = score_items([Item("A", weight=20)]).score
    many = score_items([Item("A", weight=20)] * 50)
    assert many.points[1] == 20 * DECAY
    assert many.score < 2 * once + 1  # bounded by the geometric series, not by length


def test_distinct_habits_count_more_than_one_habit_repeated() -> None:
    repeated = score_items([Item("A", weight=15)] * 3).score
    distinct = score_items([Item("A", weight=15), Item("B", weight=15), Item("C", weight=15)]).score
    assert distinct > repeated


def test_info_level_never_adds_to_the_score() -> None:
    assert score_items([Item("P", level="info", weight=50)]).score == 0


def test_signals_cannot_go_below_the_cap_or_rescue_a_clean_message() -> None:
    assert score_items([Item("S", signal=True, weight=30)]).score == 0
    result = score_items([Item("A", weight=30), Item("S", signal=True, weight=100)])
    assert result.relief == pytest.approx(30 * RELIEF_CAP)
    assert result.score == round(30 - 30 * RELIEF_CAP)
    assert sum(result.points) == pytest.approx(30 - 30 * RELIEF_CAP, abs=0.01)


def test_a_message_with_only_signals_reports_plain_float_zeros() -> None:
    """With nothing to offset, a signal earns 0.0 (JSON consumers must not see -0.0),
    and penalty and relief are floats whether or not anything was summed."""
    result = score_items([Item("S", signal=True, weight=30)])
    assert json.dumps([result.points, result.penalty, result.relief]) == "[[0.0], 0.0, 0.0]"
    assert json.dumps(score_items([]).penalty) == "0.0"


def test_score_is_capped_at_100() -> None:
    items = [Item(f"R{i}", weight=40) for i in range(5)]
    assert score_items(items).score == 100


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "customer-centric"),
        (14, "customer-centric"),
        (15, "balanced"),
        (29, "balanced"),
        (30, "pushy"),
        (100, "pushy"),
    ],
)
def test_bands(value: int, band: str) -> None:
    assert band_for(value) == band
    assert [b for _, b in BANDS] == ["pushy", "balanced", "customer-centric"]
