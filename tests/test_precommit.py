"""The pre-commit hook, run by the real pre-commit against a temporary git repository.

pre-commit installs this checkout into its own environment (from the package index or
pip's cache), so this is the slowest test: about 20 s with a warm cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PUSHY = "Hi Sam,\n\nWe need to hit our quarter, so please sign by Friday.\n"
CLEAN = "Hi Sam,\n\nYour team said onboarding takes six weeks. What would two weeks change?\n"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="needs git and a git checkout of pushlint",
)


def test_pre_commit_hook_fails_pushy_files_and_passes_clean_ones(tmp_path: Path) -> None:
    repo = tmp_path / "templates"
    repo.mkdir()
    (repo / "pushy.txt").write_text(PUSHY, encoding="utf-8")
    (repo / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "wip.txt").write_text(PUSHY, encoding="utf-8")
    (repo / "pushlint.yaml").write_text("exclude: ['drafts/']\n", encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)

    def hook(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "pushlint",
             "--files", *files],
            cwd=repo, env=env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    failed = hook("pushy.txt", "clean.txt")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "pushy.txt:3:16: warning [PL302]" in failed.stdout
    assert "clean.txt" not in failed.stdout.split("exit code: 1", 1)[1]

    passed = hook("clean.txt", "drafts/wip.txt")  # the excluded draft is skipped
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
