"""`--fix` and `--diff`: apply the rewrites a rule marks safe, and nothing else.

An edit is applied only when the file on disk still holds exactly the matched words at
the finding's offsets, so a file changed since it was read, a format whose offsets are
not the file's (.eml), or a non-UTF-8 file is left alone. Findings only ever come from
the writer's own words, so quoted replies and signatures are never touched. Writes are
atomic: a temporary file in the same folder, flushed to disk, then renamed over the
original with its permissions; an interrupt or a full disk leaves the original intact.
"""

from __future__ import annotations

import codecs
import difflib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pushlint.records import Finding, Report
from pushlint.sources import SUFFIXES

FIXABLE_FORMATS = ("text", "md", "html", "vtt", "srt")


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str
    finding: Finding


@dataclass(frozen=True)
class FilePlan:
    """What --fix would do to one file: the new text, or why it is left alone."""

    path: str
    original: str = ""
    fixed: str = ""
    edits: tuple[Edit, ...] = ()
    skipped: str | None = None  # why the file is not edited
    bom: bool = False

    @property
    def changed(self) -> bool:
        return self.skipped is None and self.fixed != self.original

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.fixed.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


def safe_edits(report: Report) -> list[Edit]:
    """One edit per finding that has a safe replacement; overlapping edits keep the first."""
    edits: list[Edit] = []
    for finding in sorted(report.findings, key=lambda f: (f.start, f.end)):
        safe = next((s for s in finding.suggestions if s.safe and s.replacement is not None), None)
        if safe is None or finding.part != "body":
            continue
        if edits and finding.start < edits[-1].end:
            continue
        edits.append(Edit(finding.start, finding.end, safe.replacement or "", finding))
    return edits


def plan(report: Report, input_format: str | None = None) -> FilePlan | None:
    """The fix for one linted file, or None when it has nothing safe to fix."""
    edits = safe_edits(report)
    if not edits:
        return None
    path = report.path
    kind = input_format or SUFFIXES.get(Path(path).suffix.lower(), "text")
    if path == "-":
        return FilePlan(path, skipped="stdin is not edited; use --diff to see the fix")
    if kind not in FIXABLE_FORMATS:
        return FilePlan(path, skipped=f"{kind} files are not edited")
    if Path(path).is_symlink():
        return FilePlan(path, skipped="a symbolic link; edit the file it points to")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return FilePlan(path, skipped=f"cannot read: {exc.strerror}")
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        original = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return FilePlan(path, skipped="not UTF-8; not edited")
    applied = [e for e in edits if original[e.start : e.end] == e.finding.text]
    if len(applied) != len(edits):
        return FilePlan(path, skipped="the file changed since it was read; not edited")
    pieces: list[str] = []
    cursor = 0
    for edit in applied:
        pieces += [original[cursor : edit.start], edit.replacement]
        cursor = edit.end
    pieces.append(original[cursor:])
    return FilePlan(path, original, "".join(pieces), tuple(applied), None, bom)


def apply(file_plan: FilePlan) -> None:
    """Write the fixed text atomically, keeping the byte-order mark and permissions."""
    data = file_plan.fixed.encode("utf-8")
    write_atomic(Path(file_plan.path), codecs.BOM_UTF8 + data if file_plan.bom else data)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (bytes, or chunks of it) to `path` so that a reader sees the old file
    or the new one, never a half-written one. Symbolic links are refused rather than
    replaced. A device or pipe (`/dev/stdout`, `/dev/null`, a FIFO) is written to as it
    is: renaming a file over it would replace the device itself."""
    chunks = [data] if isinstance(data, bytes) else data
    if path.is_symlink():
        raise OSError(f"{path} is a symbolic link; not replacing it")
    if path.exists() and not path.is_file():
        with path.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
        return
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else _new_file_mode())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    """What `open(path, "w")` would give: 0o666 less the umask (mkstemp uses 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
