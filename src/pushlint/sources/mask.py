"""Masking: the readers' shared trick for keeping positions exact.

A reader turns a file into text of exactly the same length, with everything that is not
the writer's prose (markup, code, URLs, headers, quoted replies, signatures) replaced by
spaces and newlines kept. Every offset in the masked text is then the same offset in the
file, so line and column come straight from the original."""

from __future__ import annotations

import re
from collections.abc import Iterable

MERGE_FIELDS = re.compile(
    r"\{\{\s*[^{}\n]{1,60}?\s*\}\}"  # {{first_name}}, {{ contact.first_name }}
    r"|\{![^{}\n]{1,60}\}"  # {!Contact.FirstName}
    r"|\*\|[A-Z0-9_]{1,40}\|\*"  # *|FNAME|*
    r"|%[A-Z][A-Z0-9_]{1,40}%"  # %FIRST_NAME%
    r"|\{[A-Za-z_][\w.]{0,40}\}"  # {first_name}
    r"|\[[A-Z][A-Za-z]*(?: [A-Z][A-Za-z]*){0,3}\]"  # [First Name]
)


def blank(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """Replace the characters in `ranges` with spaces, keeping newlines."""
    chars = list(text)
    for start, end in ranges:
        for i in range(max(0, start), min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def name_like(length: int) -> str:
    """A same-length stand-in that reads as one proper name: never a rule's cue, never
    a sentence boundary."""
    return ("X" + "x" * (length - 1)) if length > 0 else ""


def is_stand_in(word: str) -> bool:
    """Whether a word is a merge field's stand-in (see `name_like`). Fields stand for the
    recipient's data ({{company}}, [First Name]), which a metric may count as the reader."""
    return len(word) >= 3 and word[0] == "X" and word[1:] == "x" * (len(word) - 1)


def merge_fields(text: str) -> str:
    """Merge fields become opaque names of the same length."""
    return MERGE_FIELDS.sub(lambda m: name_like(len(m.group(0))), text)
