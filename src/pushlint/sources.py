"""Reading inputs: which files a path stands for, and their text.

Every input becomes a `Message`, or a `FileError` that says why it could not be read;
one bad file never stops the run. Only plain text is read here for now; richer formats
(.eml, HTML, transcripts) get readers of their own that produce the same `Message`.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pushlint.records import FileError

STDIN = "-"
TEXT_SUFFIXES = (".txt", ".text", ".md")
MAX_BYTES = 5 * 1024 * 1024
# About 15,000 words: far beyond any email or call note, and well inside what the parser
# handles in memory (spaCy refuses texts over 1,000,000 characters outright).
MAX_CHARS = 100_000


@dataclass(frozen=True)
class Message:
    path: str
    text: str


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Files in the order given; folders expand to their text files, sorted, hidden ones skipped."""
    for raw in paths:
        path = Path(raw)
        if raw == STDIN or not path.is_dir():
            yield raw
            continue
        for found in sorted(path.rglob("*")):
            relative = found.relative_to(path).parts
            if (
                found.is_file()
                and found.suffix.lower() in TEXT_SUFFIXES
                and not any(part.startswith(".") for part in relative)
            ):
                yield str(found)


def read(
    path: str, *, max_bytes: int = MAX_BYTES, max_chars: int = MAX_CHARS
) -> Message | FileError:
    try:
        data = sys.stdin.buffer.read() if path == STDIN else _read_bytes(Path(path), max_bytes)
    except _TooLarge as exc:
        return FileError(path, str(exc))
    except OSError as exc:
        return FileError(path, f"cannot read: {exc.strerror or exc}")
    try:
        text = decode(data)
    except ValueError as exc:
        return FileError(path, str(exc))
    if len(text) > max_chars:
        return FileError(
            path, f"skipped: {len(text):,} characters is over the {max_chars:,}-character limit"
        )
    return Message(path, text)


class _TooLarge(Exception):
    pass


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    if not path.exists():
        raise OSError(2, "no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise _TooLarge(f"skipped: {size:,} bytes is over the {max_bytes:,}-byte limit")
    return path.read_bytes()


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise ValueError("skipped: looks like a binary file (NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"skipped: not valid UTF-8 (byte {exc.start})") from None
