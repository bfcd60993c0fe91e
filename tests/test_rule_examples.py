"""Every shipped rule proves itself on its own examples: flag spans exact, pass cases quiet."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import pushlint
from pushlint.api import Linter
from pushlint.examples import run_examples, run_rewrites, strip_marks
from pushlint.rules import load_rules

SHIPPED = load_rules().rules
CASES = [
    pytest.param(rule, kind, i, id=f"{rule.id}-{rule.spec.name}-{kind}{i}")
    for rule in SHIPPED
    for kind, items in (("flag", rule.spec.examples.flag), ("pass", rule.spec.examples.pass_))
    for i in range(len(items))
]


@pytest.mark.parametrize(("rule", "kind", "index"), CASES)
def test_rule_example(linter: Linter, rule, kind: str, index: int) -> None:
    result = [r for r in run_examples(linter, rule) if r.kind == kind][index]
    if kind == "flag" and result.expected:
        assert sorted(result.actual) == sorted(result.expected), result.text
    elif kind == "flag":
        assert result.actual, f"{rule.id} did not fire on: {result.text}"
    else:
        assert not result.actual, f"{rule.id} fired on a pass example: {result.actual}"


@pytest.mark.parametrize("rule", SHIPPED, ids=lambda r: r.id)
def test_every_shipped_rule_has_flag_and_pass_examples(rule) -> None:
    assert rule.spec.examples.flag, f"{rule.id} has no flag example"
    assert rule.spec.examples.pass_, f"{rule.id} has no pass example"


@pytest.mark.parametrize("rule", [r for r in SHIPPED if not r.spec.is_signal], ids=lambda r: r.id)
def test_every_flagging_rule_offers_a_rewrite(rule) -> None:
    assert rule.spec.rewrite
    assert all(item.text.strip() for item in rule.spec.rewrites)


def test_shipped_packs_cover_the_core_categories() -> None:
    categories = {r.spec.category for r in SHIPPED}
    assert {
        "vendor-centric",
        "feature-dumping",
        "quarter-pressure",
        "customer-outcome",
    } <= categories
    for category in ("vendor-centric", "feature-dumping", "quarter-pressure"):
        assert len([r for r in SHIPPED if r.spec.category == category]) >= 3


def test_core_packs_use_the_parse() -> None:
    parse_rules = [r.id for r in SHIPPED if "parse" in r.spec.needs()]
    assert {"PL101", "PL102", "PL201", "PL303", "PL901"} <= set(parse_rules)


def test_strip_marks_returns_the_marked_offsets() -> None:
    text, spans = strip_marks("a [[bc]] d [[e]]")
    assert text == "a bc d e"
    assert [text[s:e] for s, e in spans] == ["bc", "e"]


@pytest.mark.parametrize("rule", [r for r in SHIPPED if r.spec.rewrites], ids=lambda r: r.id)
def test_the_rewrites_we_suggest_are_not_flagged(linter: Linter, rule) -> None:
    failed = [(r.text, r.actual) for r in run_rewrites(linter, rule) if not r.ok]
    assert not failed, f"{rule.id} suggests sentences that are flagged: {failed}"


ONLY_WITH = [r for r in SHIPPED if r.spec.companions]


def _packs_without_only_with(folder: Path) -> Path:
    """The shipped packs with every `only_with` lifted, so a rule's own reading shows."""
    for path in {r.file for r in SHIPPED}:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        for rule in data["rules"]:
            rule.pop("only_with", None)
        (folder / Path(path).name).write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    return folder


@pytest.mark.parametrize("rule", ONLY_WITH, ids=lambda r: r.id)
def test_pass_examples_of_an_only_with_rule_hold_on_its_own_reading(rule, tmp_path: Path) -> None:
    # `only_with` alone would keep every pass example quiet; each must be quiet because
    # the rule's own reading says so
    packs = _packs_without_only_with(tmp_path)
    for text in rule.spec.examples.pass_:
        found = pushlint.lint_text(text, rules=[packs], shipped=False).findings
        assert rule.id not in {f.rule for f in found}, text


@pytest.mark.parametrize(
    "note",
    [
        "Hi Vic, I'm out of the office until Monday with limited access to email, back on the 3rd.",
        "Dear Dr. Moreau, please find attached the minutes of our meeting on Tuesday, as well as "
        "the updated project timeline.",
    ],
)
def test_reader_absent_waits_for_another_habit(note: str) -> None:
    # a neutral note never says "your", and on its own that is no verdict
    assert "PL152" not in {f.rule for f in pushlint.lint_text(note).findings}
    boast = note + " We are the leading provider of project software."
    assert "PL152" in {f.rule for f in pushlint.lint_text(boast).findings}
