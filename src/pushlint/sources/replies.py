"""Quoted replies, forwarded threads, sign-offs and signatures: not the writer's words.

mail-parser-reply (maintained, multi-language) recognises reply headers ("On ... wrote:",
Outlook "From:/Sent:" blocks, forwarded headers), `>` quotes, sign-offs and signatures,
and returns the latest reply's own body. We find that body in the text and blank
everything after it, so positions stay exact."""

from __future__ import annotations

import re
from typing import Any, Literal, Protocol

from pushlint.sources.mask import blank

# Forwarded-message headers the parser does not know (Gmail's dashes, Apple Mail's line).
_FORWARDED = re.compile(
    r"^[ \t]*(?:-{3,}\s*Forwarded message\s*-{3,}|Begin forwarded message:)", re.I | re.M
)


def own_words_end(text: str) -> int | None:
    """Where the writer's own words end (at the sign-off, signature or quoted thread),
    or None when the parser found none of those: then the whole text is theirs."""
    if not text.strip():
        return None
    from pushlint.sources.reply_parser import replies as _replies  # only when not cached

    probe = _compact(text)
    replies = _replies(probe)
    skipped = 0  # markers are looked for after the last line that was not a sign-off
    for _ in range(_MAX_PROSE_SIGN_OFFS):
        first = _signature_line(replies)
        if not first or not _is_prose(first):
            break
        # "Thanks, Dana. We are the leading ..." opens a paragraph, it does not sign off:
        # hide its first word from the parser and look for the real sign-off after it
        probe = probe.replace(first, _hide_first_word(first), 1)
        at = text.find(first, skipped)
        skipped = at + len(first) if at >= 0 else skipped
        replies = _replies(probe)
    if not replies:
        forwarded = _FORWARDED.search(text)
        return forwarded.start() if forwarded and forwarded.start() > 0 else None
    own = replies[0]
    # Find where the other material starts, not where the body ends: the parser
    # normalises whitespace in what it returns, but the first line of a signature or of a
    # reply header is found verbatim in the text.
    markers = []
    for other in replies[1:2]:
        lines = (other.headers or other.content or other.body).strip().splitlines()
        if lines:
            markers.append(lines[0].strip())
    body_lines = own.body.strip().splitlines()
    after = max(text.find(body_lines[0].strip()) if body_lines else 0, skipped, 0)
    found = [text.find(marker, after) for marker in markers if marker]
    found.append(_signature_start(text, own.signatures, after))
    forwarded = _FORWARDED.search(text)
    if forwarded:
        found.append(forwarded.start())
    found = [at for at in found if at > 0]
    return min(found) if found else None


_MAX_PROSE_SIGN_OFFS = 5
_SENTENCE_GOES_ON = re.compile(r"[.!?]\s+\w")


def _signature_start(text: str, signature: str, after: int) -> int:
    """Where the signature the parser found starts in the text (-1: none). A closing
    line above the name is the writer's own words ("Thanks, and don't wait!" pushes as
    much as any sentence), so then the signature starts at the name below it."""
    lines = [line.strip() for line in signature.strip().splitlines() if line.strip()]
    if not lines:
        return -1
    at = text.find(lines[0], after)
    if at >= 0 and len(lines) > 1 and _is_closing(lines[0]):
        name = text.find(lines[1], at + len(lines[0]))
        return name if name > 0 else at
    return at


def _is_closing(line: str) -> bool:
    """A valediction above the name: a few words ending in a comma or "!"."""
    return line.endswith((",", "!")) and len(line.split()) <= 6


def _signature_line(replies: list[Any]) -> str:
    signature = replies[0].signatures.strip() if replies else ""
    return signature.splitlines()[0].strip() if signature else ""


def _is_prose(line: str) -> bool:
    """Whether a line the parser took for a sign-off ("Thanks,", "Best,") is a sentence
    that goes on: a sign-off is a few words ("Thanks again for your time,", "Best
    regards, Jordan Lee"), not "Thanks, Dana. We are ..."."""
    return bool(_SENTENCE_GOES_ON.search(line)) or len(line.split()) > 8


def _hide_first_word(line: str) -> str:
    word = line.split()[0]
    return line.replace(word, re.sub(r"\w", "x", word), 1)


def _compact(text: str) -> str:
    """The text with trailing blanks, runs of blank lines and long runs of spaces
    shortened. The parser's patterns take quadratic time on masked markup (thousands of
    blank lines: 30 s for a deeply nested HTML email); markers are looked up in the
    original text afterwards, so nothing else changes."""
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    return _LONG_SPACES.sub("        ", text)


_BLANK_LINES = re.compile(r"\n{3,}")
_LONG_SPACES = re.compile(r"[ \t]{9,}")


class Remembered(Protocol):
    """Where own words ended in texts seen before (the result cache keeps these as
    offsets under a hash of the text): the parser is the costliest part of reading."""

    def get(self, text: str) -> int | Literal[False] | None: ...  # False: not known

    def put(self, text: str, end: int | None) -> None: ...


def mask_replies(text: str, remembered: Remembered | None = None) -> tuple[str, int | None, bool]:
    """The text with quoted replies and the signature blanked; the 1-based line where
    the left-out part starts (None when nothing was left out); and whether a postscript
    after the sign-off was kept."""
    known = remembered.get(text) if remembered is not None else False
    if known is False:
        end = own_words_end(text)
        if remembered is not None:
            remembered.put(text, end)
    else:
        end = known
    if end is None:
        return text, None, False
    left_out = _left_out(text, end)
    kept_postscript = left_out != [(end, len(text))]
    return blank(text, left_out), text.count("\n", 0, end) + 1, kept_postscript


# "P.S." / "PS:" / "PS -" / "P.P.S." opening a line: the writer's own words after the
# sign-off. The mark must be punctuated, so a signature's "PS Consulting Ltd" is not one.
_POSTSCRIPT = re.compile(r"^[ \t]*P\.?[ \t]?(?:P\.?[ \t]?)?S(?:\.|[ \t]*[:,\-\u2013])", re.M)
# where someone else's words begin: a quote, a reply or forward header
_THREAD = re.compile(
    r"^[ \t]*(?:>|On\b.*\bwrote:|From:|-{2,}[ \t]*(?:Original|Forwarded)|_{10,})", re.M | re.I
)


def _left_out(text: str, end: int) -> list[tuple[int, int]]:
    """From `end` on, all but the postscripts the writer added after the sign-off
    ("P.S. the discount expires Friday" is theirs, and often the pushiest line), up to
    where a quoted thread starts."""
    thread = _THREAD.search(text, end)
    stop = thread.start() if thread else len(text)
    ranges, cursor = [], end
    for found in _POSTSCRIPT.finditer(text, end, stop):
        paragraph_end = text.find("\n\n", found.start())
        paragraph_end = stop if paragraph_end < 0 else min(paragraph_end, stop)
        if found.start() < cursor:
            continue
        ranges.append((cursor, found.start()))
        cursor = paragraph_end
    ranges.append((cursor, len(text)))
    return [(a, b) for a, b in ranges if b > a]
