"""A broken rule file fails with file:line:col, the rule id and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from pushlint.rules import RuleFileError, load_rule_file, load_rules
from pushlint.rules.loader import rule_files, shipped_packs_dir

from .conftest import write_rules

GOOD_RULE = """\
rules:
  - id: T001
    name: just-checking-in
    kind: phrase
    category: nagging
    message: Nags.
    why: Because.
    rewrite: [Ask a real question.]
    phrases: [just checking in]
"""


def _error(tmp_path: Path, body: str) -> RuleFileError:
    path = write_rules(tmp_path, body)
    with pytest.raises(RuleFileError) as caught:
        load_rules([path], shipped=False)
    return caught.value


def test_a_good_rule_file_loads(tmp_path: Path) -> None:
    rules = load_rules([write_rules(tmp_path, GOOD_RULE)], shipped=False).rules
    assert [r.id for r in rules] == ["T001"]
    assert rules[0].spec.level == "warning"


def test_misspelt_key_names_file_line_column_rule_and_suggestion(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD_RULE.replace("    message:", "    mesage:"))
    (problem,) = error.problems
    assert problem.file.endswith("team.yaml")
    assert (problem.line, problem.column) == (6, 5)
    assert problem.rule == "T001"
    assert "unknown key 'mesage'" in problem.problem
    assert "did you mean 'message'" in problem.problem
    assert str(problem).startswith(f"{problem.file}:6:5: rule T001:")


def test_a_real_key_in_the_wrong_kind_of_rule_says_so_instead_of_suggesting_itself(
    tmp_path: Path,
) -> None:
    error = _error(
        tmp_path, GOOD_RULE.replace("    phrases:", "    highlight: [verb]\n    phrases:")
    )
    (problem,) = error.problems
    assert (problem.line, problem.column) == (9, 5)
    assert problem.problem == "key 'highlight' does not apply to a `phrase` rule"


SIGNAL = """\
rules:
  - id: T002
    name: reader-decides
    kind: signal
    match: MATCH
    category: customer-focus
    message: Theirs.
    why: Because.
    highlight: [HIGHLIGHT]
    patterns:
      - - RIGHT_ID: verb
          RIGHT_ATTRS: {LEMMA: decide}
"""


@pytest.mark.parametrize(
    ("match", "highlight", "problem"),
    [
        ("pattern", "verb", "`highlight` does not apply to `match: pattern`"),
        ("dependency", "object", "highlight names ['object'], but pattern 1 has nodes ['verb']"),
    ],
)
def test_a_signal_highlight_must_name_its_dependency_nodes(
    tmp_path: Path, match: str, highlight: str, problem: str
) -> None:
    body = SIGNAL.replace("MATCH", match).replace("HIGHLIGHT", highlight)
    if match == "pattern":
        body = body.replace("      - - RIGHT_ID: verb\n          RIGHT_ATTRS:", "      - -")
    assert problem in str(_error(tmp_path, body))


def test_every_unless_condition_must_name_a_known_rule(tmp_path: Path) -> None:
    conditions = (
        "    unless:\n"
        "      - {any: [nagging], within: sentence}\n"
        "      - {any: [no-such-rule], within: overlap}\n"
    )
    error = _error(tmp_path, GOOD_RULE.replace("    phrases:", conditions + "    phrases:"))
    (problem,) = error.problems
    assert problem.rule == "T001"
    assert "`unless` names 'no-such-rule', which is no rule id, name or category" in problem.problem


def test_every_only_with_condition_must_name_a_known_rule(tmp_path: Path) -> None:
    condition = "    only_with: {any: [no-such-rule]}\n"
    error = _error(tmp_path, GOOD_RULE.replace("    phrases:", condition + "    phrases:"))
    (problem,) = error.problems
    assert problem.rule == "T001"
    assert "`only_with` names 'no-such-rule', which is no rule id" in problem.problem


def test_wrong_type_points_at_the_value(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD_RULE.replace("kind: phrase", "kind: phrase\n    weight: lots"))
    (problem,) = error.problems
    assert (problem.line, problem.column) == (5, 13)
    assert "weight" in problem.problem


def test_unknown_kind_is_reported(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD_RULE.replace("kind: phrase", "kind: regex"))
    assert "unknown kind 'regex'" in str(error)
    assert (error.problems[0].line, error.problems[0].column) == (4, 11)


def test_missing_rewrite_is_an_error_for_a_flagging_rule(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD_RULE.replace("    rewrite: [Ask a real question.]\n", ""))
    assert "needs at least one `rewrite`" in str(error)


def test_yaml_syntax_error_has_a_position(tmp_path: Path) -> None:
    error = _error(tmp_path, "rules:\n  - id: [unclosed\n")
    assert error.problems[0].line >= 2
    assert "invalid YAML" in error.problems[0].problem


def test_duplicate_key_is_an_error_not_silently_overwritten(tmp_path: Path) -> None:
    error = _error(
        tmp_path, GOOD_RULE.replace("    why: Because.", "    why: Because.\n    why: Again.")
    )
    assert "duplicate key 'why'" in str(error)
    assert error.problems[0].line == 8


def test_duplicate_rule_ids_across_files_are_rejected(tmp_path: Path) -> None:
    write_rules(tmp_path, GOOD_RULE, "a.yaml")
    write_rules(tmp_path, GOOD_RULE.replace("just-checking-in", "other-name"), "b.yaml")
    with pytest.raises(RuleFileError, match="duplicate id 'T001'"):
        load_rules([tmp_path], shipped=False)


def test_unless_must_name_a_known_rule(tmp_path: Path) -> None:
    error = _error(tmp_path, GOOD_RULE + "    unless: {any: [no-such-rule]}\n")
    assert "no-such-rule" in str(error)


def test_not_a_mapping(tmp_path: Path) -> None:
    error = _error(tmp_path, "- just a list\n")
    assert "mapping with a `rules:` list" in str(error)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="no such rule file"):
        load_rules([tmp_path / "nope.yaml"], shipped=False)


def test_every_error_in_a_file_is_listed_at_once(tmp_path: Path) -> None:
    body = GOOD_RULE.replace("    message:", "    mesage:") + GOOD_RULE.split("rules:\n")[
        1
    ].replace("T001", "T002").replace("just-checking-in", "second").replace("    why:", "    wy:")
    error = _error(tmp_path, body)
    assert {p.rule for p in error.problems} == {"T001", "T002"}


def test_metric_rule_validates_metric_name_and_params(tmp_path: Path) -> None:
    body = GOOD_RULE.replace(
        "kind: phrase", "kind: metric\n    metric: nope\n    above: 1"
    ).replace("    phrases: [just checking in]\n", "")
    assert "unknown metric 'nope'" in str(_error(tmp_path, body))
    body = body.replace("metric: nope", "metric: words\n    params: {colour: red}")
    assert "no param(s) colour" in str(_error(tmp_path, body))


def test_shipped_packs_are_found_and_valid() -> None:
    files = rule_files([shipped_packs_dir()])
    assert len(files) >= 4
    for file in files:
        assert load_rule_file(file)


def test_an_edited_rule_file_is_reloaded_not_served_from_the_cache(tmp_path: Path) -> None:
    path = write_rules(tmp_path, GOOD_RULE)
    assert load_rules([path], shipped=False).rules[0].spec.weight == 10
    assert load_rules([path], shipped=False) is load_rules([path], shipped=False)  # cached
    path.write_text(
        GOOD_RULE.replace("kind: phrase", "kind: phrase\n    weight: 3"), encoding="utf-8"
    )
    assert load_rules([path], shipped=False).rules[0].spec.weight == 3


def test_a_broken_rule_file_names_the_same_line_when_its_parse_comes_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse cache keeps the marks as text and decodes them only for a problem; a
    rep who breaks a file twice must get the same position both times, and a cache
    entry whose marks cannot be read falls back to parsing the YAML again."""
    from pushlint import cache

    monkeypatch.setenv("PUSHLINT_CACHE_DIR", str(tmp_path / "cache"))
    broken = GOOD_RULE.replace("    message:", "    mesage:")
    path = write_rules(tmp_path, broken)
    positions = []
    for _ in range(2):  # the first load parses the YAML, the second reads the cache
        with pytest.raises(RuleFileError) as caught:
            load_rule_file(path)
        positions.append([(p.line, p.column) for p in caught.value.problems])
    assert positions == [[(6, 5)], [(6, 5)]]
    assert cache.parsed_rule_file(broken) is not None  # the second load was the cache's
    (stored,) = (tmp_path / "cache" / "rules").glob("*.json")
    entry = stored.read_text("utf-8")
    assert '"marks": "' in entry
    stored.write_text(entry.replace('"marks": "', '"marks": "not json'), "utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule_file(path)
    assert [(p.line, p.column) for p in caught.value.problems] == [(6, 5)]
