"""The result cache and `--jobs`: a cached or parallel run reports exactly what a plain
serial run reports, and the cache keeps no words of any message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pushlint.api import lint_paths
from pushlint.cache import DB_NAME, ResultCache
from pushlint.cli import app
from tests.conftest import write_rules

PUSHY = "We are the leading provider of sales software. Sign by Friday so we can close this deal."
CENTRIC = "You mentioned your reps rebuild the forecast every Monday. How long does that take?"
SECRET = "Quokkafield"  # a word no rule or rewrite contains: must never reach the cache


def _corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = PUSHY if i % 3 else CENTRIC
        (folder / f"m{i:03d}.txt").write_text(
            f"Hi {SECRET} {i},\n\n{body}\n\nBest,\nSam {SECRET}\n", encoding="utf-8"
        )
    return folder


def _check(*args: str, cache_dir: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["check", *args, "--format", "json"],
        env={"PUSHLINT_CACHE_DIR": str(cache_dir), "NO_COLOR": "1"},
    )
    return result.exit_code, result.stdout


def test_a_warm_run_serves_every_message_from_the_cache_with_identical_results(
    tmp_path: Path,
) -> None:
    folder = _corpus(tmp_path / "msgs", 12)
    cache = ResultCache(tmp_path / "cache")
    cold = lint_paths([folder], cache=cache)
    assert (cache.hits, cache.misses) == (0, 12)
    warm_cache = ResultCache(tmp_path / "cache")
    warm = lint_paths([folder], cache=warm_cache)
    assert (warm_cache.hits, warm_cache.misses) == (12, 0)
    plain = lint_paths([folder])
    assert warm.reports == cold.reports == plain.reports
    assert any(r.findings for r in plain.reports)


def test_cli_output_is_the_same_cold_warm_and_without_cache(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "msgs", 6)
    cache_dir = tmp_path / "cache"
    cold = _check(str(folder), cache_dir=cache_dir)
    warm = _check(str(folder), cache_dir=cache_dir)
    uncached = _check(str(folder), "--no-cache", cache_dir=tmp_path / "unused")
    assert cold == warm == uncached
    assert cold[0] == 1
    assert not (tmp_path / "unused").exists()  # --no-cache writes nothing


def test_the_cache_holds_no_message_text(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "msgs", 5)
    cache_dir = tmp_path / "cache"
    _, out = _check(str(folder), cache_dir=cache_dir)
    assert SECRET in out and "leading provider" in out  # the report itself shows them
    stored = b"".join(p.read_bytes() for p in cache_dir.rglob("*") if p.is_file())
    assert len(stored) > 1000
    for words in (SECRET, "leading provider", "Sign by", "forecast"):
        assert words.encode() not in stored, words


def test_a_warm_run_imports_neither_spacy_nor_the_reply_parser(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "msgs", 3)
    env = {**os.environ, "PUSHLINT_CACHE_DIR": str(tmp_path / "cache")}
    probe = (
        "import sys\n"
        "from pushlint.cli import app\n"
        "try:\n"
        f"    app(['check', {str(folder)!r}, '--format', 'concise'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('spacy', 'mailparser_reply')\n"
        "print('IMPORTED', *(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert first.stderr.strip().endswith("IMPORTED spacy mailparser_reply")
    assert second.stderr.strip().endswith("IMPORTED")
    assert first.stdout == second.stdout and "PL101" in first.stdout


def test_editing_a_rule_pack_is_never_served_stale(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "msgs", 2)
    body = (
        "rules:\n  - id: TEAM7\n    name: secret-word\n    kind: phrase\n"
        "    category: buzzwords\n    message: M.\n    why: W.\n    rewrite: [R.]\n"
        "    phrases: [PHRASE]\n"
    )
    rules = write_rules(tmp_path, body.replace("PHRASE", SECRET.lower()))
    cache_dir = tmp_path / "cache"
    _, before = _check(str(folder), "--rules", str(rules), cache_dir=cache_dir)
    # same size, same second: only the content tells the two files apart
    rules.write_text(body.replace("PHRASE", "z" * len(SECRET)), encoding="utf-8")
    _, after = _check(str(folder), "--rules", str(rules), cache_dir=cache_dir)
    assert '"TEAM7"' in before
    assert '"TEAM7"' not in after and '"PL101"' in after


def test_config_changes_apply_to_cached_results(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "msgs", 3)
    cache = ResultCache(tmp_path / "cache")
    lint_paths([folder], cache=cache)
    _, ignored = _check(str(folder), "--ignore", "PL101", cache_dir=tmp_path / "cache")
    _, fresh = _check(str(folder), "--ignore", "PL101", cache_dir=tmp_path / "fresh")
    assert ignored == fresh
    assert '"PL101"' not in ignored and '"PL304"' in ignored


def test_a_broken_cache_file_is_a_note_not_a_failure(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "msgs", 2)
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    (cache_dir / DB_NAME).write_bytes(b"this is not a database" * 100)
    code, out = _check(str(folder), cache_dir=cache_dir)
    _, plain = _check(str(folder), "--no-cache", cache_dir=cache_dir)
    assert code == 1
    report = json.loads(out)
    assert any("cache" in note for note in report["notes"])
    assert json.loads(plain)["files"] == report["files"]


def test_stdin_drafts_are_not_cached(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    result = CliRunner().invoke(
        app,
        ["check", "-", "--format", "json"],
        input=f"{PUSHY} {SECRET}",
        env={"PUSHLINT_CACHE_DIR": str(cache_dir)},
    )
    assert result.exit_code == 1
    cache = ResultCache(cache_dir)
    assert cache._connect() is not None
    assert cache._connect().execute("SELECT count(*) FROM results").fetchone() == (0,)  # type: ignore[union-attr]


def test_cache_dir_and_clear(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "msgs", 2)
    cache_dir = tmp_path / "cache"
    env = {"PUSHLINT_CACHE_DIR": str(cache_dir)}
    assert CliRunner().invoke(app, ["cache", "dir"], env=env).stdout.strip() == str(cache_dir)
    _check(str(folder), cache_dir=cache_dir)
    assert (cache_dir / DB_NAME).exists() and (cache_dir / "CACHEDIR.TAG").exists()
    cleared = CliRunner().invoke(app, ["cache", "clear"], env=env)
    assert cleared.exit_code == 0 and "cleared" in cleared.stdout
    assert not cache_dir.exists()
    again = CliRunner().invoke(app, ["cache", "clear"], env=env)
    assert again.exit_code == 0 and "nothing cached" in again.stdout


@pytest.mark.parametrize("cached", [False, True])
def test_jobs_2_reports_exactly_what_a_serial_run_reports(tmp_path: Path, cached: bool) -> None:
    folder = _corpus(tmp_path / "msgs", 70)  # several worker tasks of 16 messages
    (folder / "m010.txt").write_bytes(b"\xff\xfe\x00broken")  # unreadable in the middle
    serial = _check(str(folder), "--jobs", "1", "--no-cache", cache_dir=tmp_path / "c1")
    cache_args = () if cached else ("--no-cache",)
    parallel = _check(str(folder), "--jobs", "2", *cache_args, cache_dir=tmp_path / "c2")
    again = _check(str(folder), "--jobs", "2", *cache_args, cache_dir=tmp_path / "c2")
    assert serial == parallel == again
    paths = [r["path"] for r in json.loads(serial[1])["files"]]
    assert paths == sorted(paths) and len(paths) >= 69


def test_parallel_library_call_keeps_input_order(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "msgs", 40)
    files = sorted(folder.iterdir(), reverse=True)  # not alphabetical: order given wins
    serial = lint_paths(files, jobs=1)
    parallel = lint_paths(files, jobs=2)
    assert [r.path for r in parallel.reports] == [str(f) for f in files]
    assert parallel.reports == serial.reports
