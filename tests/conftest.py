from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

import pushlint
from pushlint.api import Linter

# Every run, in-process or in a subprocess, caches into a throwaway folder, never the
# user's own cache.
os.environ["PUSHLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="pushlint-test-cache-")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def linter() -> Linter:
    """The default pipeline with the shipped rules, loaded once for the whole run."""
    return pushlint.get_linter()


def write_rules(folder: Path, body: str, name: str = "team.yaml") -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path
