"""Hostile and broken input: nasty files, fuzzed rule and config files, catastrophic
regular expressions, interrupted fixes, unsafe YAML, and the configurable limits.

Fuzz runs are bounded for CI; HYPOTHESIS_PROFILE=long runs 2,000 examples each."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
import spacy
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pushlint.checks import compile_checks
from pushlint.cli import app
from pushlint.config import ConfigError, load_config
from pushlint.rules.loader import RuleFileError, load_rule_file

from . import test_fuzz  # noqa: F401  (registers and loads the Hypothesis profiles)

PUSHY = "Hi Sam,\n\nWe need to hit our quarter, so please sign by Friday.\n"
JARGON = "Hi Sam,\n\nIn order to keep your launch date, your team can leverage the export.\n"


def run(*args: str, cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args), env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)


# ------------------------------------------------------------------ nasty inputs


def test_nasty_files_are_linted_or_reported_and_the_rest_still_linted(tmp_path: Path) -> None:
    files = {
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t\n   \n",
        "invalid-utf8.txt": b"Hi \xff\xfe Sam, sign by Friday \xc3\x28 please.\n",
        "nul.txt": b"Hi\x00Sam\x00" * 100,
        "one-line.txt": b"sign by Friday " * 70_000,  # a single 1 MB line
        "nested.html": b"<div>" * 20_000 + b"Please sign by Friday." + b"</div>" * 20_000,
        # Under the length limit: once 35 s in the reply parser, now milliseconds.
        "nested-8k.html": b"<div>" * 8_000 + b"Please sign by Friday." + b"</div>" * 8_000,
        "bomb.eml": b"Subject: hi\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
        + b"--b\nContent-Type: text/plain\n\nsign by Friday\n" * 5000
        + b"--b--\n",
        "unicode.txt": (
            "Hi S\u200bam \u202eRTL\u202c \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 "
            "\U0001f680\U0001f469\u200d\U0001f4bb \u6f22\u5b57 \u0928\u092e\u0938\u094d\u0924\u0947"
            " \u0301\u0301 please sign by Friday.\n"
        ).encode(),
        "pushy.txt": PUSHY.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with open(tmp_path / "huge.txt", "wb") as out:  # 50 MB, sparse: cheap to make
        out.truncate(50 * 1024 * 1024)
    result = run("check", ".", "--isolated", "-f", "json", cwd=tmp_path)
    assert result.exit_code == 2  # some inputs could not be linted
    document = json.loads(result.stdout)
    reported = {Path(f["path"]).name for f in document["files"]}
    errors = {Path(e["path"]).name: e["problem"] for e in document["errors"]}
    assert set(files) | {"huge.txt"} == reported | set(errors)
    assert {"pushy.txt", "unicode.txt", "nested-8k.html", "bomb.eml"} <= reported
    assert "byte limit" in errors["huge.txt"]
    assert "character limit" in errors["one-line.txt"]
    assert "binary" in errors["nul.txt"]
    pushy = next(f for f in document["files"] if f["path"].endswith("pushy.txt"))
    assert pushy["findings"]


# ------------------------------------------------------------------ fuzzed rule and config files

YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ["rules", "pack", "id", "name", "kind", "patterns", "phrases", "level",
                 "weight", "message", "why", "rewrite", "examples", "REGEX", "LOWER", "extends",
                 "select", "levels", "per-path", "files", "exclude"]
            ) | st.text(max_size=8),
            children,
            max_size=5,
        ),
    ),
    max_leaves=25,
)  # fmt: skip

RULE_LIKE = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["T1", "bad id", ""]),
        "name": st.sampled_from(["team-rule", "Bad Name"]),
        "kind": st.sampled_from(["pattern", "phrase", "dependency", "metric", "signal", "x"]),
        "category": st.just("team"),
        "level": st.sampled_from(["warning", "info", "loud"]),
        "weight": st.integers(-5, 50),
        "message": st.text(max_size=20),
        "why": st.text(max_size=20),
        "rewrite": st.lists(st.text(min_size=1, max_size=10), max_size=2),
        "patterns": st.lists(st.lists(YAML_VALUES, max_size=3), max_size=2),
    }
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.one_of(YAML_VALUES, st.builds(lambda r: {"rules": [r]}, RULE_LIKE)))
def test_any_rule_file_loads_or_fails_with_a_clear_error(tmp_path: Path, document: object) -> None:
    path = tmp_path / "team.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    try:
        rules = load_rule_file(path)
        compile_checks(spacy.blank("en"), rules)
    except RuleFileError as exc:
        assert str(path) in str(exc)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_bytes_as_rule_or_config_file_fail_clearly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    with contextlib.suppress(RuleFileError):
        load_rule_file(path)
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(path) in str(exc)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=YAML_VALUES)
def test_any_config_document_loads_or_fails_clearly(tmp_path: Path, document: object) -> None:
    path = tmp_path / "pushlint.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as exc:
        assert str(path) in str(exc) or "preset" in str(exc)


@pytest.mark.parametrize("name", ["team.yaml", "pushlint.yaml"])
def test_yaml_is_loaded_safely(tmp_path: Path, name: str) -> None:
    marker = tmp_path / "executed"
    text = f"rules: !!python/object/apply:os.system ['touch {marker}']\n"
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises((RuleFileError, ConfigError)) as caught:
        (load_rule_file if name == "team.yaml" else load_config)(tmp_path / name)
    assert "python/object" in str(caught.value)
    assert not marker.exists()


# ------------------------------------------------------------------ regular expressions

RULE = """pack:
  name: team
rules:
  - id: TEAM1
    name: team-regex
    kind: pattern
    category: team
    level: warning
    weight: 5
    message: "odd word {match}"
    why: A team rule with a regular expression.
    rewrite: [Say it plainly.]
    patterns:
      - - {TEXT: {REGEX: 'EXPR'}}
"""


@pytest.mark.parametrize(
    "expression", [r"^(a+)+$", r"(\w*)*x", r"(a|ab)*c", r"(x+x+)+y", r"(.*a){12}", r"(a)\1"]
)
def test_catastrophic_regex_is_rejected_at_load_time(tmp_path: Path, expression: str) -> None:
    (tmp_path / "team.yaml").write_text(RULE.replace("EXPR", expression), encoding="utf-8")
    result = run("rules", "validate", "team.yaml", cwd=tmp_path)
    assert result.exit_code == 2
    assert "team.yaml:14:" in result.stderr and "rule TEAM1: unsafe REGEX" in result.stderr


def test_safe_regex_is_accepted_and_matches(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(RULE.replace("EXPR", r"^synerg(y|ies)$"), "utf-8")
    (tmp_path / "a.txt").write_text("Think of the synergies.\n", encoding="utf-8")
    result = run("check", "a.txt", "--isolated", "-r", "team.yaml", "-f", "concise", cwd=tmp_path)
    assert "a.txt:1:14: warning [TEAM1]" in result.stdout


def test_slow_regex_is_stopped_at_run_time_and_named(tmp_path: Path) -> None:
    # Polynomial, not exponential: it passes the load-time check but takes seconds on
    # one long word. Python's `re` cannot be interrupted; without the time limit this
    # test would run for minutes.
    (tmp_path / "team.yaml").write_text(RULE.replace("EXPR", r"\w*\w*\w*\w*\d$"), "utf-8")
    long_words = " ".join(["a" * 5000] * 15)  # 15 slow words: stopped once, not 15 times
    (tmp_path / "a.txt").write_text("Please sign by Friday. " + long_words + ".\n", "utf-8")
    (tmp_path / "b.txt").write_text(PUSHY, "utf-8")
    result = run("check", ".", "--isolated", "-r", "team.yaml", "-f", "json", cwd=tmp_path)
    files = {Path(f["path"]).name: f for f in json.loads(result.stdout)["files"]}
    assert any("rule TEAM1: a REGEX ran over" in n for n in files["a.txt"]["notes"])
    assert {f["rule"] for f in files["a.txt"]["findings"]} >= {"PL304"}  # others still ran
    assert files["b.txt"]["findings"]


# ------------------------------------------------------------------ no lost work


def test_interrupted_fix_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "j.txt").write_text(JARGON, encoding="utf-8")

    def interrupt(_: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    run("check", "j.txt", "--isolated", "--fix", cwd=tmp_path)
    assert (tmp_path / "j.txt").read_text("utf-8") == JARGON
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.txt"]


def test_reports_are_never_written_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PUSHY, encoding="utf-8")
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me", encoding="utf-8")
    (tmp_path / "out.json").symlink_to(target)
    result = run("check", "a.txt", "--isolated", "-f", "json", "-o", "out.json", cwd=tmp_path)
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert target.read_text("utf-8") == "keep me"


# ------------------------------------------------------------------ limits


def test_limits_are_configurable(tmp_path: Path) -> None:
    (tmp_path / "pushlint.yaml").write_text(
        "max-file-bytes: 200\nmax-findings: 2\n", encoding="utf-8"
    )
    (tmp_path / "big.txt").write_text(PUSHY * 10, encoding="utf-8")
    (tmp_path / "a.txt").write_text(PUSHY, encoding="utf-8")
    document = json.loads(run("check", ".", "-f", "json", cwd=tmp_path).stdout)
    assert [Path(e["path"]).name for e in document["errors"]] == ["big.txt"]
    assert "200-byte limit" in document["errors"][0]["problem"]
    report = document["files"][0]
    assert len(report["findings"]) == 2
    assert any("not listed (max-findings: 2)" in n for n in report["notes"])
    (tmp_path / "pushlint.yaml").write_text("max-message-chars: 20\n", encoding="utf-8")
    document = json.loads(run("check", "a.txt", "-f", "json", cwd=tmp_path).stdout)
    assert "20-character limit" in document["errors"][0]["problem"]
