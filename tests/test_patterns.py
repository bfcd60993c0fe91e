"""spaCy pattern errors are reported at the pattern's line, with the rule id."""

from __future__ import annotations

from pathlib import Path

import pytest

from pushlint.api import get_linter
from pushlint.rules import RuleFileError

from .conftest import write_rules

PATTERN_RULE = """\
rules:
  - id: T100
    name: touching-base
    kind: pattern
    category: nagging
    message: Nags.
    why: Because.
    rewrite: [Ask a real question.]
    patterns:
      - - {LOWER: touching}
        - {LOWER: base}
      - - {LOWER: circling}
        - {LOWER: back}
"""


def test_invalid_token_pattern_names_line_and_token(tmp_path: Path) -> None:
    path = write_rules(tmp_path, PATTERN_RULE.replace("{LOWER: back}", "{LOWR: back}"))
    with pytest.raises(RuleFileError) as caught:
        get_linter(model="blank", rules=[path], shipped=False)
    (problem,) = caught.value.problems
    assert (problem.line, problem.rule) == (13, "T100")
    assert "invalid token pattern" in problem.problem


def test_yaml_boolean_in_a_pattern_gets_a_quoting_hint(tmp_path: Path) -> None:
    path = write_rules(tmp_path, PATTERN_RULE.replace("{LOWER: base}", "{LOWER: on}"))
    with pytest.raises(RuleFileError, match=r"quote the word") as caught:
        get_linter(model="blank", rules=[path], shipped=False)
    assert caught.value.problems[0].line == 11


def test_invalid_dependency_pattern_is_reported(tmp_path: Path) -> None:
    body = """\
rules:
  - id: T200
    name: broken-dep
    kind: dependency
    category: vendor-centric
    message: M.
    why: W.
    rewrite: [R.]
    patterns:
      - - RIGHT_ID: verb
          RIGHT_ATTRS: {LEMMA: offer}
        - LEFT_ID: nowhere
          REL_OP: ">"
          RIGHT_ID: obj
          RIGHT_ATTRS: {DEP: dobj}
"""
    path = write_rules(tmp_path, body)
    with pytest.raises(RuleFileError) as caught:
        get_linter(rules=[path], shipped=False)
    (problem,) = caught.value.problems
    assert problem.line == 10
    assert "invalid dependency pattern" in problem.problem


def test_rewrite_placeholders_are_checked_at_load_time(tmp_path: Path) -> None:
    path = write_rules(tmp_path, PATTERN_RULE.replace("[Ask a real question.]", "['Say {thing}']"))
    with pytest.raises(RuleFileError, match=r"rewrite uses \{thing\}"):
        get_linter(model="blank", rules=[path], shipped=False)


def test_a_listed_word_the_tokenizer_splits_still_matches(tmp_path: Path) -> None:
    """A rule author writes "end-of-quarter" or "sign-off" as one word; the tokenizer
    makes five and three tokens of them, so as written they could never match."""
    body = PATTERN_RULE.replace(
        "      - - {LOWER: circling}\n        - {LOWER: back}\n",
        "      - - {LOWER: {IN: [eoq, end-of-quarter, quarter-end]}}\n"
        '        - {LOWER: {IN: [deal, "sign-off", "i\'m"]}, OP: "?"}\n',
    )
    linter = get_linter(model="blank", rules=[write_rules(tmp_path, body)], shipped=False)

    def matched(text: str) -> list[str]:
        return [f.text for f in linter.lint_text(text).findings]

    assert matched("Our end-of-quarter deal is here.") == ["end-of-quarter deal"]
    assert matched("By quarter-end sign-off, please.") == ["quarter-end sign-off"]
    assert matched("Close it by EOQ.") == ["EOQ"]
    assert matched("The end of our quarter, an end-of-year party.") == []
    # the whole word: "end" alone, or "quarter-end" cut short, is no match
    assert matched("The quarter end is near.") == []


def test_debug_shows_each_written_pattern_once_with_its_split_matches(tmp_path: Path) -> None:
    """`pushlint debug` is how a rule author checks a pattern: the copies made for split
    words must not show up as extra patterns."""
    from pushlint.debug import debug_text

    body = PATTERN_RULE.replace(
        "      - - {LOWER: circling}\n        - {LOWER: back}\n",
        "      - - {LOWER: {IN: [eoq, end-of-quarter, quarter-end]}}\n",
    )
    linter = get_linter(model="blank", rules=[write_rules(tmp_path, body)], shipped=False)
    outcomes = debug_text(linter, "Our end-of-quarter deal, then quarter-end.").outcomes
    rows = [(o.rule, o.pattern) for o in outcomes]
    assert rows == [("T100", 1), ("T100", 0)]
    split = outcomes[0]
    assert split.status == "reported"
    assert split.matches == ("end-of-quarter", "quarter-end")
