"""pushlint in a content repo's CI: config files, selection, suppressions, baselines,
machine formats, exit codes, --fix and --diff-base, run the way CI runs them."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from pushlint.cli import app

PUSHY = "Hi Sam,\n\nWe need to hit our quarter, so please sign by Friday.\n"
CLEAN = (
    "Hi Sam,\n\nYour team said onboarding takes six weeks. What would two weeks change for you?\n"
)
JARGON = "Hi Sam,\n\nIn order to keep your launch date, your team can leverage the export.\n"
SARIF_SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"


def run(*args: str, cwd: Path, stdin: str | None = None):
    """Run the CLI in `cwd`, as a CI step would."""
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args), input=stdin, env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)


def concise(result) -> list[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    """(path, line, rule) of every finding in concise output."""
    found = re.findall(r"^(.+?):(\d+):\d+: \w+ \[(\w+)\]", result.stdout, re.M)
    return [(path, int(line), rule) for path, line, rule in found]


def rules_in(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {rule for _, _, rule in concise(result)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A template repo: pushy and clean templates in two folders."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "pushy.txt").write_text(PUSHY, encoding="utf-8")
    (tmp_path / "templates" / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "renewals").mkdir()
    (tmp_path / "renewals" / "renewal.txt").write_text(PUSHY, encoding="utf-8")
    return tmp_path


# ------------------------------------------------------------------ config


def test_without_config_every_shipped_rule_reports(repo: Path) -> None:
    result = run("check", ".", "-f", "concise", cwd=repo)
    assert result.exit_code == 1
    assert {"PL302", "PL304"} <= rules_in(result)


def test_closest_config_wins(repo: Path) -> None:
    (repo / "pushlint.yaml").write_text("ignore: [PL302]\n", encoding="utf-8")
    (repo / "renewals" / "pushlint.yaml").write_text("select: [quota-talk]\n", encoding="utf-8")
    result = run("check", ".", "-f", "concise", cwd=repo)
    by_file: dict[str, set[str]] = {}
    for path, _, rule in concise(result):
        by_file.setdefault(Path(path).as_posix(), set()).add(rule)
    assert "PL302" not in by_file["templates/pushy.txt"]
    assert "PL304" in by_file["templates/pushy.txt"]
    assert by_file["renewals/renewal.txt"] == {"PL302"}  # the closer file, not merged


def test_pyproject_tool_section_is_found(repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "templates"\n\n[tool.pushlint]\nignore = ["quarter-pressure"]\n',
        encoding="utf-8",
    )
    result = run("check", "templates", "-f", "concise", cwd=repo)
    assert not {"PL302", "PL304"} & rules_in(result)


def test_pyproject_without_the_section_is_not_a_config(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (repo.parent / "pushlint.yaml").write_text("nonsense: 1\n", encoding="utf-8")
    try:
        result = run("check", "templates", "-f", "concise", cwd=repo)
        assert result.exit_code == 2  # the walk went on up, past the pyproject.toml
        assert "unknown key 'nonsense'" in result.stderr
    finally:
        (repo.parent / "pushlint.yaml").unlink()


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("pushlint.yaml", "select: [ALL]\nfail_onn: error\n", ":2:1: unknown key 'fail_onn'"),
        (".pushlint.yaml", "levels:\n  PL302: loud\n", ":2:10: levels.PL302"),
        (
            "pushlint.yaml",
            "fail-on: yes\n",
            ":1:10: fail-on: Input should be 'info', 'warning' "
            "or 'error' (YAML reads unquoted yes/no/on/off/true/false as booleans: quote it)",
        ),
        (
            "pyproject.toml",
            '[tool.pushlint]\nselect = ["ALL"]\nexlude = ["x"]\n',
            ":3:1: unknown key 'exlude' (did you mean 'exclude'?)",
        ),
    ],
)
def test_config_errors_name_file_and_line(repo: Path, name: str, text: str, where: str) -> None:
    (repo / name).write_text(text, encoding="utf-8")
    result = run("check", ".", cwd=repo)
    assert result.exit_code == 2
    assert f"{name}{where}" in result.stderr


def test_unknown_rule_in_config_is_an_error_with_its_line(repo: Path) -> None:
    (repo / "pushlint.yaml").write_text("select: [ALL]\nignore: [PL302, PL999]\n", "utf-8")
    result = run("check", ".", cwd=repo)
    assert result.exit_code == 2
    assert "pushlint.yaml:2:17: no rule, category or id prefix 'PL999'" in result.stderr


def test_extends_a_file_and_a_preset(repo: Path) -> None:
    (repo / "base.yaml").write_text(
        "extends: pushlint:lenient\nignore: [PL304]\nlevels: {PL302: error}\n", "utf-8"
    )
    (repo / "pushlint.yaml").write_text("extends: base.yaml\nfail-on: error\n", "utf-8")
    result = run("check", "templates/pushy.txt", "-f", "concise", cwd=repo)
    assert "error [PL302]" in result.stdout
    assert "PL304" not in rules_in(result)
    assert result.exit_code == 1  # an error-level finding, and fail-on: error
    config = run("config", "templates/pushy.txt", cwd=repo)
    assert "pushlint:lenient" in config.stdout and "base.yaml" in config.stdout
    assert "PL302: error" in config.stdout and "PL304: 'off'" in config.stdout


def test_levels_prefer_the_most_specific_name(repo: Path) -> None:
    (repo / "pushlint.yaml").write_text(
        "levels:\n  PL302: error\n  quarter-pressure: info\n", "utf-8"
    )
    out = run("check", "templates/pushy.txt", "-f", "concise", cwd=repo).stdout
    assert "error [PL302]" in out and "info [PL304]" in out


def test_an_unquoted_off_level_turns_the_rule_off(repo: Path) -> None:
    # YAML reads an unquoted `off` as false; the user meant the level "off"
    (repo / "pushlint.yaml").write_text("levels:\n  PL302: off\n", "utf-8")
    result = run("check", "templates/pushy.txt", "-f", "concise", cwd=repo)
    assert "[PL302]" not in result.stdout and "[PL304]" in result.stdout
    assert result.exit_code == 1


def test_per_path_overrides_and_excludes(repo: Path) -> None:
    (repo / "drafts").mkdir()
    (repo / "drafts" / "wip.txt").write_text(PUSHY, encoding="utf-8")
    (repo / "pushlint.yaml").write_text(
        "per-path:\n  - files: ['renewals/**']\n    ignore: [quarter-pressure]\n"
        "exclude: ['drafts/']\n",
        encoding="utf-8",
    )
    result = run("check", ".", "-f", "concise", cwd=repo)
    paths = {Path(p).as_posix() for p, _, _ in concise(result)}
    assert "templates/pushy.txt" in paths
    assert not any(p.startswith("drafts/") for p in paths)
    renewal = {r for p, _, r in concise(result) if p.endswith("renewal.txt")}
    assert not {"PL302", "PL304"} & renewal
    # A file named on the command line is linted unless --force-exclude (pre-commit).
    assert concise(run("check", "drafts/wip.txt", "-f", "concise", cwd=repo))
    forced = run("check", "drafts/wip.txt", "--force-exclude", "-f", "concise", cwd=repo)
    assert not concise(forced) and forced.exit_code == 0


def test_explicit_config_and_isolated(repo: Path) -> None:
    (repo / "pushlint.yaml").write_text("ignore: [ALL]\n", "utf-8")
    (repo / "ci.yaml").write_text("select: [PL304]\n", "utf-8")
    assert run("check", ".", cwd=repo).exit_code == 0
    assert rules_in(run("check", ".", "--config", "ci.yaml", "-f", "concise", cwd=repo)) == {
        "PL304"
    }
    assert "PL302" in rules_in(run("check", ".", "--isolated", "-f", "concise", cwd=repo))


def test_cli_select_and_ignore_by_id_name_category_and_prefix(repo: Path) -> None:
    def rules(*extra: str) -> set[str]:
        return rules_in(run("check", "templates", "-f", "concise", *extra, cwd=repo))

    assert rules("--select", "quota-talk") == {"PL302"}
    assert rules("--select", "PL3") == {"PL302", "PL304"}
    assert rules("--select", "quarter-pressure", "--ignore", "PL304") == {"PL302"}
    assert not rules("--ignore", "quarter-pressure") & {"PL302", "PL304"}


def test_init_writes_a_config_that_loads(repo: Path) -> None:
    assert run("init", cwd=repo).exit_code == 0
    assert (repo / "pushlint.yaml").is_file()
    assert run("init", cwd=repo).exit_code == 2  # never overwrites
    shown = run("config", "templates/pushy.txt", cwd=repo)
    assert shown.exit_code == 0, shown.output
    assert "pushlint:recommended" in shown.stdout


def test_model_in_config_is_used(repo: Path) -> None:
    (repo / "pushlint.yaml").write_text("model: blank\n", "utf-8")
    result = run("check", "templates/pushy.txt", "-f", "json", cwd=repo)
    assert json.loads(result.stdout)["model"] == "blank"


# ------------------------------------------------------------------ suppressions


def test_markdown_suppressions(repo: Path) -> None:
    (repo / "t.md").write_text(
        "# Renewal\n\n"
        "<!-- pushlint-disable-next-line PL302 -->\n"
        "We need to hit our quarter.\n\n"
        "<!-- pushlint-disable quarter-pressure -->\n"
        "Please sign by Friday for our quarter.\n"
        "<!-- pushlint-enable quarter-pressure -->\n\n"
        "Please sign by Friday.\n",
        encoding="utf-8",
    )
    found = concise(run("check", "t.md", "-f", "concise", cwd=repo))
    assert ("t.md", 4, "PL302") not in found
    assert not [f for f in found if f[1] == 7]
    assert ("t.md", 10, "PL304") in found  # after the enable


def test_plain_text_and_html_suppressions(repo: Path) -> None:
    (repo / "a.txt").write_text(
        "# pushlint-disable-file quarter-pressure\nHi Sam,\n\nPlease sign by Friday.\n",
        encoding="utf-8",
    )
    (repo / "b.html").write_text(
        "<p>Please sign by Friday. <!-- pushlint-disable-line --></p>\n"
        "<p>Please sign by Friday.</p>\n",
        encoding="utf-8",
    )
    found = concise(run("check", "a.txt", "b.html", "-f", "concise", cwd=repo))
    assert not [f for f in found if f[0] == "a.txt" and f[2] in ("PL302", "PL304")]
    assert ("b.html", 1, "PL304") not in found and ("b.html", 2, "PL304") in found


def test_unused_suppressions_are_reported_on_request(repo: Path) -> None:
    (repo / "t.md").write_text(
        "<!-- pushlint-disable-next-line buzzwords -->\nYour team can see the numbers.\n"
        "<!-- pushlint-disable-next-line PL9999 -->\nThanks.\n",
        encoding="utf-8",
    )
    quiet = run("check", "t.md", "-f", "concise", cwd=repo)
    assert "PL000" not in quiet.stdout
    loud = run("check", "t.md", "--report-unused-disables", "-f", "concise", cwd=repo)
    assert loud.exit_code == 1
    assert "t.md:1:6: warning [PL000]" in loud.stdout and "suppresses nothing" in loud.stdout
    assert "names no known rule: PL9999" in loud.stdout


def test_suppressed_findings_do_not_count_in_the_score(repo: Path) -> None:
    body = "Hi Sam,\n\nWe need to hit our quarter, so please sign by Friday.\n"
    (repo / "a.txt").write_text(body, "utf-8")
    (repo / "b.txt").write_text("# pushlint-disable-file quarter-pressure\n" + body, "utf-8")
    files = json.loads(run("check", "a.txt", "b.txt", "-f", "json", cwd=repo).stdout)["files"]
    assert files[1]["score"] < files[0]["score"]
    assert files[1]["categories"].get("quarter-pressure", 0) == 0


# ------------------------------------------------------------------ baseline


def test_baseline_reports_only_new_findings_and_survives_unrelated_edits(repo: Path) -> None:
    written = run("check", ".", "--write-baseline", "baseline.json", cwd=repo)
    assert written.exit_code == 0
    stored = (repo / "baseline.json").read_text("utf-8")
    assert "quarter" not in stored and "Friday" not in stored  # no message text
    assert run("check", ".", "--baseline", "baseline.json", cwd=repo).exit_code == 0
    pushy = repo / "templates" / "pushy.txt"
    pushy.write_text("Hello again.\n\n" + PUSHY, encoding="utf-8")  # lines shift
    assert run("check", ".", "--baseline", "baseline.json", cwd=repo).exit_code == 0
    pushy.write_text(pushy.read_text("utf-8") + "\nThis offer ends tomorrow.\n", "utf-8")
    result = run("check", ".", "--baseline", "baseline.json", "-f", "concise", cwd=repo)
    assert result.exit_code == 1
    assert {(Path(p).as_posix(), line) for p, line, _ in concise(result)} == {
        ("templates/pushy.txt", 7)
    }


def test_a_broken_baseline_is_a_clear_error(repo: Path) -> None:
    (repo / "b.json").write_text("{not json", "utf-8")
    result = run("check", ".", "--baseline", "b.json", cwd=repo)
    assert result.exit_code == 2 and "b.json:1:2: not JSON" in result.stderr


# ------------------------------------------------------------------ output formats


def test_concise_format(repo: Path) -> None:
    result = run("check", "templates/pushy.txt", "-f", "concise", cwd=repo)
    for line in result.stdout.strip().splitlines():
        assert re.fullmatch(
            r"templates/pushy\.txt:\d+:\d+: (info|warning|error) \[PL\d+\] .+", line
        )


def test_sarif_validates_against_the_schema_and_carries_rule_metadata(repo: Path) -> None:
    (repo / "j.txt").write_text(JARGON, "utf-8")
    result = run("check", ".", "-f", "sarif", "-o", "out.sarif", cwd=repo)
    assert result.exit_code == 1
    document = json.loads((repo / "out.sarif").read_text("utf-8"))
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert not list(validator.iter_errors(document))
    run_ = document["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert rules["PL302"]["help"]["text"] and rules["PL302"]["fullDescription"]["text"]
    levels = {r["ruleId"]: r["level"] for r in run_["results"]}
    assert levels["PL302"] == "warning" and levels["PL804"] == "note"
    for result_ in run_["results"]:
        assert rules[result_["ruleId"]] == run_["tool"]["driver"]["rules"][result_["ruleIndex"]]
    assert any("fixes" in r for r in run_["results"])  # the safe rewrites
    # Negative control: the validator does reject a broken document.
    del run_["tool"]
    assert list(validator.iter_errors(document))


def test_github_annotations(repo: Path) -> None:
    out = run("check", "templates/pushy.txt", "-f", "github", cwd=repo).stdout
    lines = out.strip().splitlines()
    assert lines and all(
        re.match(r"::(warning|error|notice) file=templates/pushy\.txt,line=\d+,col=\d+,", x)
        for x in lines
    )
    assert "title=pushlint PL302 (quota-talk)::" in out


def test_junit_report(repo: Path) -> None:
    out = run("check", "templates", "-f", "junit", cwd=repo).stdout
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    failed = [c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None]
    assert failed == ["templates/pushy.txt"]


def test_a_saved_pretty_report_is_the_piped_one(repo: Path) -> None:
    """`-o report.txt` keeps what a pipe shows: plain text, each line whole however long,
    so a finding stays on one line for grep."""
    piped = run("check", ".", cwd=repo)
    saved = run("check", ".", "-o", "report.txt", cwd=repo)
    assert saved.stdout == "" and saved.exit_code == piped.exit_code == 1
    text = (repo / "report.txt").read_text(encoding="utf-8")
    assert text == piped.stdout
    assert "\x1b" not in text and max(len(line) for line in text.splitlines()) > 120
    assert re.search(r"^  \d+:\d+  warning  PL\d+ [a-z-]+  .+\(\+[\d.]+\)$", text, re.M)


def test_statistics(repo: Path) -> None:
    result = run("check", ".", "--statistics", "-f", "json", cwd=repo)
    counts = {row["rule"]: row["count"] for row in json.loads(result.stdout)}
    assert counts["PL302"] == 2 and counts["PL304"] == 2
    # the table written to --output: the same counts, plain text, nothing on stdout
    written = run("check", ".", "--statistics", "-o", "stats.txt", cwd=repo)
    assert written.stdout == ""
    table = (repo / "stats.txt").read_text(encoding="utf-8")
    assert "\x1b" not in table and table.endswith("\n") and not table.endswith("\n\n")
    rows = {m[1]: int(m[0]) for m in re.findall(r"^\s*(\d+)\s+(PL\d+)\b", table, re.M)}
    assert rows == counts


# ------------------------------------------------------------------ exit codes


def test_exit_codes(repo: Path) -> None:
    assert run("check", "templates/clean.txt", cwd=repo).exit_code == 0
    assert run("check", "templates/pushy.txt", cwd=repo).exit_code == 1
    assert run("check", "templates/pushy.txt", "--fail-on", "error", cwd=repo).exit_code == 0
    assert run("check", "templates/pushy.txt", "--exit-zero", cwd=repo).exit_code == 0
    failing_score = ["--fail-on", "error", "--max-score", "10"]
    assert run("check", "templates/pushy.txt", *failing_score, cwd=repo).exit_code == 1
    assert run("check", "templates/clean.txt", "--max-score", "10", cwd=repo).exit_code == 0


def test_an_unreadable_file_exits_2_and_the_rest_is_still_reported(repo: Path) -> None:
    result = run(
        "check", "missing.txt", "templates/pushy.txt", "--exit-zero", "-f", "concise", cwd=repo
    )
    assert result.exit_code == 2
    assert "templates/pushy.txt" in result.stdout and "missing.txt" in result.stdout


# ------------------------------------------------------------------ --fix and --diff


def test_fix_applies_safe_rewrites_atomically_and_idempotently(repo: Path) -> None:
    path = repo / "j.txt"
    path.write_text(JARGON, encoding="utf-8")
    path.chmod(0o640)
    result = run("check", "j.txt", "--fix", "-f", "concise", cwd=repo)
    fixed = path.read_text("utf-8")
    assert fixed == "Hi Sam,\n\nTo keep your launch date, your team can use the export.\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "PL804" not in result.stdout  # reported after the fix
    run("check", "j.txt", "--fix", cwd=repo)
    assert path.read_text("utf-8") == fixed  # a second run changes nothing
    assert [p.name for p in repo.iterdir() if p.name.startswith(".j.txt")] == []


def test_diff_shows_the_fix_and_changes_nothing(repo: Path) -> None:
    (repo / "j.txt").write_text(JARGON, encoding="utf-8")
    result = run("check", "j.txt", "--diff", cwd=repo)
    assert result.exit_code == 1
    assert "-In order to keep" in result.stdout and "+To keep" in result.stdout
    assert (repo / "j.txt").read_text("utf-8") == JARGON


def test_fix_never_touches_quoted_text(repo: Path) -> None:
    quoted = "> In order to help, we can leverage our platform.\n"
    body = "Hi Sam,\n\nIn order to keep your date, the export is ready.\n\nOn Monday Ann wrote:\n"
    (repo / "r.txt").write_text(body + quoted, encoding="utf-8")
    run("check", "r.txt", "--fix", cwd=repo)
    text = (repo / "r.txt").read_text("utf-8")
    assert text.startswith("Hi Sam,\n\nTo keep your date")
    assert text.endswith(quoted)


def test_fix_leaves_the_original_when_the_write_fails(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "j.txt").write_text(JARGON, encoding="utf-8")

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    result = run("check", "j.txt", "--fix", cwd=repo)
    assert (repo / "j.txt").read_text("utf-8") == JARGON
    assert "not fixed" in result.stderr
    assert [p.name for p in repo.iterdir() if p.suffix == ".tmp"] == []


def test_fix_skips_symlinks_and_non_utf8(repo: Path) -> None:
    (repo / "real.txt").write_text(JARGON, encoding="utf-8")
    (repo / "link.txt").symlink_to(repo / "real.txt")
    (repo / "latin.txt").write_bytes(JARGON.replace("Sam", "S\xe9b").encode("latin-1"))
    result = run("check", "link.txt", "latin.txt", "--fix", cwd=repo)
    assert (repo / "real.txt").read_text("utf-8") == JARGON
    assert (repo / "latin.txt").read_bytes() == JARGON.replace("Sam", "S\xe9b").encode("latin-1")
    assert "symbolic link" in result.stderr and "not UTF-8" in result.stderr


# ------------------------------------------------------------------ --diff-base


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=CI", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_diff_base_lints_only_changed_lines(repo: Path) -> None:
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "templates")
    pushy = repo / "templates" / "pushy.txt"
    pushy.write_text(PUSHY + "\nThis offer ends tomorrow.\n", encoding="utf-8")
    (repo / "templates" / "new.txt").write_text("Please sign by Friday.\n", "utf-8")
    result = run("check", ".", "--diff-base", "HEAD", "-f", "concise", cwd=repo)
    assert {(path, line) for path, line, _ in concise(result)} == {
        ("templates/pushy.txt", 5),
        ("templates/new.txt", 1),
    }
    bad = run("check", ".", "--diff-base", "no-such-rev", cwd=repo)
    assert bad.exit_code == 2 and "no revision 'no-such-rev'" in bad.stderr
