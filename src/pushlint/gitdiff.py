"""`--diff-base REV`: which lines of each file changed since a git revision.

Asks git itself (`git diff --unified=0`), the one authority on what changed, once per
repository; untracked files count as changed throughout.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


class GitError(Exception):
    pass


def _git(folder: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=false", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise GitError("--diff-base needs git, and git is not installed") from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


@dataclass
class ChangedLines:
    """Changed lines per file since `rev`; `None` for a file means every line."""

    rev: str
    _repos: dict[Path, dict[Path, set[int] | None]] = field(default_factory=dict)

    def lines(self, path: str) -> set[int] | None:
        """Changed lines of `path`: an empty set when it did not change."""
        file = Path(path).resolve()
        root = self._root(file.parent)
        changes = self._repos.get(root)
        if changes is None:
            changes = self._repos[root] = self._changes(root)
        return changes.get(file, set())

    def _root(self, folder: Path) -> Path:
        for known in self._repos:
            if folder == known or known in folder.parents:
                return known
        return Path(_git(folder, "rev-parse", "--show-toplevel").strip()).resolve()

    def _changes(self, root: Path) -> dict[Path, set[int] | None]:
        try:
            _git(root, "rev-parse", "--verify", "--quiet", f"{self.rev}^{{commit}}")
        except GitError:
            raise GitError(f"--diff-base: {root} has no revision {self.rev!r}") from None
        diff = _git(
            root, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--relative",
            "--diff-filter=AMRC", self.rev, "--",
        )  # fmt: skip
        changes: dict[Path, set[int] | None] = {}
        for block in re.split(r"(?m)^diff --git ", diff)[1:]:
            target = re.search(r"(?m)^\+\+\+ b/(.+)$", block)
            if target is None:
                continue
            lines: set[int] = set()
            for hunk in HUNK.finditer(block):
                start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                lines.update(range(start, start + count))
            changes[(root / target.group(1)).resolve()] = lines
        for name in _git(root, "ls-files", "--others", "--exclude-standard").splitlines():
            changes[(root / name).resolve()] = None
        return changes
