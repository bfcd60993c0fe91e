"""The enablement workbench: rules list/show/test/validate/new/schema, debug and stats."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from pushlint.cli import app
from pushlint.rules import load_rules, shipped_packs_dir

from .conftest import EXAMPLES

runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, env={"NO_COLOR": "1"})


def test_rules_list_json_lists_every_active_rule_and_filters() -> None:
    rows = json.loads(run("rules", "list", "--format", "json").output)
    assert {r["id"] for r in rows} == {r.id for r in load_rules().rules}
    assert set(rows[0]) >= {"id", "name", "category", "level", "weight", "kind", "pack"}
    nagging = json.loads(run("rules", "list", "--category", "nagging", "--format", "json").output)
    assert nagging and {r["category"] for r in nagging} == {"nagging"}


def test_rules_list_does_not_import_spacy() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from pushlint.cli import app;"
        "CliRunner().invoke(app, ['rules', 'list']); print('spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr


def test_rules_show_prints_definition_docs_and_example_results() -> None:
    out = run("rules", "show", "PL304").output
    assert "id: PL304" in out and "patterns:" in out  # the definition, as YAML
    assert "Why" in out and "Use instead" in out  # the docs
    assert "ok   PL304 flag:" in out  # the examples, run through the linter


def _team_pack(tmp_path: Path) -> Path:
    team = tmp_path / "team"
    team.mkdir()
    shutil.copy(shipped_packs_dir() / "buzzwords.yaml", team / "buzzwords.yaml")
    return team


def test_a_copied_pack_replaces_the_shipped_one_and_its_edits_are_tested(tmp_path: Path) -> None:
    team = _team_pack(tmp_path)
    pack = team / "buzzwords.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace(
            "      - move the needle\n", "      - move the needle\n      - circle the wagons\n"
        ),
        encoding="utf-8",
    )
    (team / "buzzwords.tests.yaml").write_text(
        "tests:\n  - rule: PL801\n    flag: ['Time to [[circle the wagons]].']\n"
        "    pass: ['The wagons are parked.']\n",
        encoding="utf-8",
    )
    result = run("rules", "test", str(team))
    assert result.exit_code == 0, result.output
    assert "ok   PL801 flag: Time to circle the wagons." in result.output
    report = json.loads(
        run(
            "check", "-", "--rules", str(team), "--format", "json", stdin="Let's circle the wagons."
        ).output
    )
    assert "PL801" in {f["rule"] for f in report["files"][0]["findings"]}


def test_rules_test_reports_expected_and_actual_spans_and_exits_1(tmp_path: Path) -> None:
    team = _team_pack(tmp_path)
    (team / "buzzwords.tests.yaml").write_text(
        "tests:\n  - rule: PL801\n    flag: ['A [[cutting-edge tool]] for you.']\n"
        "    pass: ['Our best-in-class tool.']\n",
        encoding="utf-8",
    )
    result = run("rules", "test", str(team))
    assert result.exit_code == 1
    assert "FAIL PL801 flag" in result.output
    assert "expected: 'cutting-edge tool'" in result.output
    assert "actual:   'cutting-edge'" in result.output
    assert "FAIL PL801 pass" in result.output and "fired on: 'best-in-class'" in result.output


def test_rules_test_fails_a_rewrite_that_the_rules_would_flag(tmp_path: Path) -> None:
    team = _team_pack(tmp_path)
    pack = team / "buzzwords.yaml"
    old = "      - Delete it; the sentence usually reads better without it.\n"
    text = pack.read_text(encoding="utf-8")
    assert old in text
    pack.write_text(
        text.replace(
            old, old + "      - 'Say instead: \"Our best-in-class <product> saves time.\"'\n"
        ),
        encoding="utf-8",
    )
    result = run("rules", "test", str(team))
    assert result.exit_code == 1
    assert "FAIL PL801 rewrite: Our best-in-class Xxxx saves time." in result.output
    assert "fired on: 'PL801 best-in-class'" in result.output


def test_rules_validate_names_file_line_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "rules:\n  - id: T1\n    name: t\n    kind: pattern\n    category: c\n    message: M.\n"
        "    why: W.\n    rewrite: [R.]\n    patterns:\n      - - {LOWR: x}\n",
        encoding="utf-8",
    )
    result = run("rules", "validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:10:" in result.output and "rule T1" in result.output
    assert run("rules", "validate", str(shipped_packs_dir())).exit_code == 0


_WORDS_RULES = """\
rules:
  - id: T1
    name: t
    kind: pattern
    category: c
    message: M.
    why: W.
    rewrite: [R.]
    patterns:
      - - {LOWER: {IN: [we, "we're"]}}
        - {LOWER: {IN: ["'re", are]}, OP: "?"}
        - {LOWER: {IN: [thrilled, "end-of-quarter"]}}
        - {LOWER: {NOT_IN: ["don't"]}, OP: "*"}
        - {LOWER: {NOT_IN: ["sign-off"]}}
  - id: T2
    name: t2
    kind: dependency
    category: c
    message: M.
    why: W.
    rewrite: [R.]
    patterns:
      - - RIGHT_ID: role
          RIGHT_ATTRS: {LOWER: provider}
        - LEFT_ID: role
          REL_OP: ">"
          RIGHT_ID: boast
          RIGHT_ATTRS: {LOWER: {IN: [leading, "world-class"]}}
"""


def test_rules_validate_warns_about_words_that_can_never_match(tmp_path: Path) -> None:
    rules = tmp_path / "team.yaml"
    rules.write_text(_WORDS_RULES, encoding="utf-8")
    result = run("rules", "validate", str(rules))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    # a contraction the tokenizer always splits, in a token pattern and in a NOT_IN list,
    # and a hyphenated word in a dependency pattern, each at its own line and column
    assert [w.split(": warning: ")[0] for w in warnings] == [
        f"{rules}:{_where(word)}"
        for word in ('"we\'re"', '"don\'t"', '"sign-off"', '"world-class"')
    ]
    assert '"we\'re" is 2 tokens' in warnings[0] and "never matches" in warnings[0]
    # in a NOT_IN list even a word the compiler splits is compared with one token
    assert "excludes nothing" in warnings[1] and "excludes nothing" in warnings[2]
    assert '"world-class" is 3 tokens' in warnings[3] and "head" in warnings[3]
    # "'re" is a token after "we"; "end-of-quarter" matches as the copy the compiler adds
    assert '"\'re" is' not in result.output and "end-of-quarter" not in result.output
    assert "2 rules in 1 files: OK, 4 warnings" in result.output
    assert run("rules", "validate", "--strict", str(rules)).exit_code == 1


def _where(word: str) -> str:
    """Line and column (1-based) of `word` in the test rules, as the YAML parser marks it."""
    for number, line in enumerate(_WORDS_RULES.splitlines(), start=1):
        if word in line:
            return f"{number}:{line.index(word) + 1}"
    raise AssertionError(word)


def test_shipped_packs_list_no_word_that_can_never_match() -> None:
    result = run("rules", "validate", "--strict", str(shipped_packs_dir()))
    assert result.exit_code == 0 and "warning" not in result.output, result.output


def test_rules_new_scaffolds_a_file_that_validates_and_passes(tmp_path: Path) -> None:
    target = tmp_path / "team-rules.yaml"
    assert run("rules", "new", str(target), "--id", "TEAM9", "--name", "my-rule").exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "yaml-language-server: $schema=" in text and "id: TEAM9" in text
    assert run("rules", "validate", str(target)).exit_code == 0
    assert run("rules", "test", str(target)).exit_code == 0
    assert run("rules", "new", str(target)).exit_code == 2  # never overwrites


def test_rules_schema_is_the_shipped_json_schema() -> None:
    path = Path(run("rules", "schema", "--path").output.strip())
    assert path.is_file()
    assert json.loads(run("rules", "schema").output)["title"] == "pushlint rule file"


def test_debug_shows_tokens_and_what_each_pattern_did() -> None:
    out = run("debug", "Sign by Friday so we can close this deal.", "--rule", "PL304").output
    assert "lemma" in out and "dep" in out  # the token table
    assert "reported" in out and "required words" in out
    assert "PL101" not in out  # filtered to one rule


def test_stats_json_counts_scores_rules_and_worst_messages() -> None:
    result = run(
        "stats", str(EXAMPLES / "pushy"), str(EXAMPLES / "customer-centric"), "--format", "json"
    )
    doc = json.loads(result.output)
    total = len(list((EXAMPLES / "pushy").glob("*.txt"))) + len(
        list((EXAMPLES / "customer-centric").glob("*.txt"))
    )
    assert doc["messages"] == total == sum(doc["histogram"].values()) == sum(doc["bands"].values())
    assert doc["worst"][0][1] >= doc["worst"][-1][1]
    assert "pushy" in doc["worst"][0][0]
    assert doc["rules"]["PL301"] >= 1
    pretty = run("stats", str(EXAMPLES / "pushy")).output
    assert "score distribution" in pretty and "█" in pretty


def _louder_passivity(tmp_path: Path) -> Path:
    team = tmp_path / "louder"
    team.mkdir()
    text = (shipped_packs_dir() / "passivity.yaml").read_text(encoding="utf-8")
    text = text.replace("level: info\n    weight: 0", "level: warning\n    weight: 10", 1)
    (team / "passivity.yaml").write_text(text, encoding="utf-8")
    return team


def test_eval_compare_shows_a_pack_change_side_by_side(tmp_path: Path) -> None:
    corpus = EXAMPLES / "corpus" / "passive.yaml"
    result = run(
        "eval", str(corpus), "--compare", str(_louder_passivity(tmp_path)), "--format", "json"
    )
    doc = json.loads(result.output)
    assert doc["baseline"]["band_accuracy"] > doc["compared"]["band_accuracy"]
    assert (
        "baseline vs compared"
        in run("eval", str(corpus), "--compare", str(tmp_path / "louder")).output
    )


def test_stats_compare_shows_both_runs(tmp_path: Path) -> None:
    corpus = EXAMPLES / "customer-centric"
    doc = json.loads(
        run(
            "stats", str(corpus), "--compare", str(_louder_passivity(tmp_path)), "--format", "json"
        ).output
    )
    assert doc["baseline"]["messages"] == doc["compared"]["messages"] > 0
