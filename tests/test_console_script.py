"""The installed console script and `python -m pushlint`, as a user's shell runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES

SCRIPT = shutil.which("pushlint", path=str(Path(sys.executable).parent)) or shutil.which("pushlint")


@pytest.mark.skipif(SCRIPT is None, reason="pushlint console script not installed")
def test_installed_console_script_lints_stdin() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(
        [SCRIPT, "check", "-", "--format", "json"],
        input="Sign by Friday so we can close this deal before the quarter ends.",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert doc["files"][0]["path"] == "-"
    assert "quarter-pressure" in {f["category"] for f in doc["files"][0]["findings"]}


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pushlint", "check", str(EXAMPLES / "customer-centric")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "customer-centric" in done.stdout


def test_help_does_not_import_spacy() -> None:
    code = (
        "import sys; from pushlint.cli import app; from typer.testing import CliRunner;"
        "CliRunner().invoke(app, ['--help']); CliRunner().invoke(app, ['explain', 'PL101']);"
        "print('spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
