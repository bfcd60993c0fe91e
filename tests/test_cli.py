"""The CLI as users run it: exit codes, JSON shape, plain output, errors."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from pushlint import __version__
from pushlint.cli import app

from .conftest import EXAMPLES, ROOT

runner = CliRunner()


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), input=stdin, env=env or {"NO_COLOR": "1"})


def test_check_examples_exits_1_and_reports_findings_and_rewrites() -> None:
    result = run("check", str(EXAMPLES))
    assert result.exit_code == 1, result.output
    assert "pushy" in result.output and "customer-centric" in result.output
    assert "PL301 vendor-period-deadline" in result.output
    assert "-> " in result.output  # rewrites shown
    assert "messages:" in result.output  # summary line


def test_customer_centric_examples_are_in_the_band_with_no_warning() -> None:
    result = run("check", str(EXAMPLES / "customer-centric"), "--format", "json")
    assert result.exit_code == 0, result.output
    files = json.loads(result.output)["files"]
    assert len(files) >= 4
    for entry in files:
        assert entry["band"] == "customer-centric", entry["path"]
        assert not [f for f in entry["findings"] if f["level"] != "info"], entry["path"]


def test_every_pushy_example_is_flagged() -> None:
    result = run("check", str(EXAMPLES / "pushy"), "--format", "json")
    for entry in json.loads(result.output)["files"]:
        assert entry["band"] == "pushy", entry["path"]


def test_json_document_has_the_stable_keys() -> None:
    result = run(
        "check", "-", "--format", "json", stdin="This discount expires at the end of the quarter."
    )
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["pushlint"] == __version__
    assert doc["model"]
    (entry,) = doc["files"]
    assert entry["path"] == "-"
    assert set(entry) >= {"path", "score", "band", "categories", "findings"}
    finding = entry["findings"][0]
    assert set(finding) >= {
        "rule", "name", "category", "level", "line", "column", "end_line", "end_column",
        "text", "message", "suggestions",
    }  # fmt: skip
    assert finding["line"] == 1 and finding["column"] >= 1
    assert all(isinstance(s, str) for s in finding["suggestions"])
    assert sum(entry["categories"].values()) >= entry["score"] - 0.5


def test_plain_output_marks_the_span_with_carets() -> None:
    result = run("check", "-", stdin="This discount expires on Friday.")
    assert "\x1b[" not in result.output
    assert "| This discount expires on Friday." in result.output
    assert "|      ^^^^^^^^^^^^^^^^" in result.output


def test_a_zero_weight_marker_is_not_shown_as_credit() -> None:
    """A rep reads `+` as customer-centric credit; "your trial ends" earns none, it only
    explains why the countdown rule stood down."""
    text = "Your trial ends tomorrow. What would help your team most?"
    result = run("check", "-", "--no-cache", stdin=text)
    lines = result.output.splitlines()
    marker = next(line for line in lines if "PL403 readers-own-date" in line)
    question = next(line for line in lines if "PL904 customer-question" in line)
    assert marker.lstrip().startswith("· ") and question.lstrip().startswith("+ ")


def test_fail_on_error_lets_warnings_pass() -> None:
    assert (
        run("check", "-", "--fail-on", "error", stdin="This discount expires on Friday.").exit_code
        == 0
    )
    assert run("check", "-", stdin="Thanks for the call, Sam.").exit_code == 0


def test_bad_rule_file_exits_2_naming_file_line_and_key(tmp_path: Path) -> None:
    pack = tmp_path / "team.yaml"
    pack.write_text(
        "rules:\n  - id: T1\n    name: x\n    kind: phrase\n    category: c\n"
        "    mesage: M.\n    why: W.\n    rewrite: [R.]\n    phrases: [a]\n",
        encoding="utf-8",
    )
    result = run("check", "-", "--rules", str(pack), stdin="hello")
    assert result.exit_code == 2
    assert f"{pack}:6:5: rule T1: unknown key 'mesage'" in result.output


def test_unreadable_input_exits_2_but_other_files_are_reported(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"
    good.write_text("Thanks for the call, Sam.", encoding="utf-8")
    result = run("check", str(good), str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "a.txt" in result.output and "missing.txt" in result.output


def test_unknown_model_exits_2() -> None:
    result = run("check", "-", "--model", "en_core_web_nope", stdin="hi")
    assert result.exit_code == 2
    assert "not installed" in result.output


def test_blank_model_says_once_what_it_skipped() -> None:
    result = run("check", "-", "--model", "blank", stdin="Hi. Just a feature-rich tool.")
    assert result.output.count("note:") == 1
    assert "PL101" in result.output


def test_explain_shows_what_why_example_and_rewrite() -> None:
    result = run("explain", "PL301")
    assert result.exit_code == 0
    for section in ("What it flags", "Why", "Example", "Use instead", "Fix safety"):
        assert section in result.output
    assert "[[" in result.output  # the example's span, marked in plain output
    assert run("explain", "vendor-period-deadline").output == result.output


def test_explain_a_signal_does_not_offer_its_near_misses_as_advice() -> None:
    output = run("explain", "PL604").output
    assert "What it rewards" in output and "Not counted" in output
    assert "Use instead" not in output and "level warning" not in output
    assert "I'll send the contract over this afternoon." in output.split("Not counted")[1]


def test_explain_unknown_rule_exits_2() -> None:
    result = run("explain", "PL999")
    assert result.exit_code == 2
    assert "no rule 'PL999'" in result.output


def test_version_and_help() -> None:
    assert run("--version").output.strip() == f"pushlint {__version__}"
    result = run("--help")
    assert result.exit_code == 0 and "check" in result.output and "explain" in result.output


def test_help_paragraphs_are_not_broken_at_the_sources_line_width() -> None:
    """Typer's rich help keeps a docstring's single line breaks, so a paragraph wrapped
    in the source showed up broken mid-sentence in `pushlint --help`."""

    def paragraphs(group: Any) -> Iterator[tuple[str, str]]:
        for name, command in group.commands.items():
            for paragraph in inspect.cleandoc(command.help or "").split("\n\n"):
                yield name, paragraph
            if hasattr(command, "commands"):
                yield from paragraphs(command)

    broken = [name for name, text in paragraphs(typer.main.get_command(app)) if "\n" in text]
    assert not broken


def test_readme_documents_every_rule_category() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for category in ("vendor-centric", "feature-dumping", "quarter-pressure", "customer-outcome"):
        assert category in readme


CATEGORY_EXAMPLES = sorted((EXAMPLES / "categories").glob("*.txt"))


@pytest.mark.parametrize("path", CATEGORY_EXAMPLES, ids=lambda p: p.stem)
def test_each_category_example_shows_its_findings_and_rewrites(path: Path) -> None:
    result = run("check", str(path), "--format", "json")
    (entry,) = json.loads(result.output)["files"]
    mine = [f for f in entry["findings"] if f["category"] == path.stem]
    assert mine, f"no {path.stem} finding in {path.name}"
    assert all(f["suggestions"] for f in mine)
    pretty = run("check", str(path)).output
    assert "-> " in pretty
    if path.stem == "passivity":
        assert entry["score"] == 0 and result.exit_code == 0  # advice only, never a penalty
