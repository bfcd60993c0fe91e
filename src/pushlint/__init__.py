"""pushlint: lint sales messages for vendor-centric push.

The library API is imported lazily so that `pushlint --help` never pays for spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The one place the version is written (pyproject.toml reads it from here): looking it
# up with importlib.metadata costs every start 50 ms.
__version__ = "0.1.0"

if TYPE_CHECKING:
    from pushlint.api import Linter, get_linter, lint_paths, lint_text
    from pushlint.scoring import score_frame

__all__ = ["Linter", "__version__", "get_linter", "lint_paths", "lint_text", "score_frame"]


def __getattr__(name: str) -> Any:
    if name in {"Linter", "get_linter", "lint_paths", "lint_text"}:
        from pushlint import api

        return getattr(api, name)
    if name == "score_frame":
        from pushlint.scoring import score_frame

        return score_frame
    raise AttributeError(f"module 'pushlint' has no attribute {name!r}")
