"""Reading inputs: which files a path stands for, and the words in them to lint.

Every input becomes a `Message`, or a `FileError` that says why it could not be read;
one bad file never stops the run. A reader per format (plain text and stdin, .eml,
HTML, Markdown, WebVTT/SRT) produces the same `Message`: text of the same length as the
file with everything that is not the writer's prose blanked, so positions map back
exactly (decoded email bodies carry a line map instead).
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pushlint.records import FileError
from pushlint.sources.directives import Directive, find_directives
from pushlint.turns import Layout, analyse, is_call, is_notes, quoted_blocks

if TYPE_CHECKING:
    from pushlint.sources.replies import Remembered

STDIN = "-"
FORMATS = ("text", "eml", "html", "md", "vtt", "srt")
SUFFIXES = {
    ".txt": "text", ".text": "text", ".eml": "eml", ".html": "html", ".htm": "html",
    ".md": "md", ".markdown": "md", ".vtt": "vtt", ".srt": "srt",
}  # fmt: skip
TEXT_SUFFIXES = tuple(SUFFIXES)
MAX_BYTES = 5 * 1024 * 1024
# About 15,000 words: far beyond any email or call note, and well inside what the parser
# handles in memory (spaCy refuses texts over 1,000,000 characters outright).
MAX_CHARS = 100_000


@dataclass(frozen=True)
class ReadOptions:
    input_format: str | None = None  # None: by extension
    include_quoted: bool = False
    seller: str | None = None
    max_bytes: int = MAX_BYTES  # larger files are reported and skipped, never read
    max_chars: int = MAX_CHARS  # longer messages are reported and skipped


@dataclass(frozen=True)
class Message:
    path: str
    text: str  # what is linted
    source: str | None = None  # the file's text, same length as `text`, for positions
    line_map: tuple[tuple[int, int], ...] | None = None  # text line -> (file line, col shift)
    layout: Layout | None = None  # speaker turns a reader found (transcripts)
    subject: tuple[int, int] | None = None  # character range of an email's subject
    notes: tuple[str, ...] = field(default=())
    directives: tuple[Directive, ...] = ()  # inline pushlint-disable comments


def expand(paths: Iterable[str]) -> Iterator[str]:
    """Files in the order given; folders expand to the files pushlint reads, sorted,
    hidden ones skipped."""
    for raw in paths:
        if raw == STDIN or not os.path.isdir(raw):
            yield raw
            continue
        found = list(_readable_files(str(Path(raw))))
        # the order `sorted(Path.rglob(...))` gives: part by part, case-folded where the
        # system's paths are
        yield from sorted(found, key=lambda p: os.path.normcase(p).split(os.sep))


def _readable_files(folder: str) -> Iterator[str]:
    """Files under `folder` with a suffix pushlint reads, named as `Path(folder) / ...`
    would name them. One scandir per folder: hidden folders (.git) are not even
    entered, and symlinked folders are not followed. A folder that cannot be listed is
    passed on as if it were a file, so that reading it reports why and the run fails."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        yield folder
        return
    prefix = "" if folder == "." else os.path.join(folder, "")
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _readable_files(prefix + entry.name)
            elif os.path.splitext(entry.name)[1].lower() in SUFFIXES and entry.is_file():
                yield prefix + entry.name
        except OSError:
            continue


def read(
    path: str,
    options: ReadOptions | None = None,
    *,
    max_bytes: int | None = None,
    max_chars: int | None = None,
    remembered: Remembered | None = None,
) -> Message | FileError:
    options = options or ReadOptions()
    if max_bytes is not None or max_chars is not None:
        options = dataclasses.replace(
            options,
            max_bytes=options.max_bytes if max_bytes is None else max_bytes,
            max_chars=options.max_chars if max_chars is None else max_chars,
        )
    max_bytes, max_chars = options.max_bytes, options.max_chars
    try:
        data = sys.stdin.buffer.read() if path == STDIN else _read_bytes(path, max_bytes)
    except _TooLarge as exc:
        return FileError(path, str(exc))
    except OSError as exc:
        return FileError(path, f"cannot read: {exc.strerror or exc}")
    kind = options.input_format or SUFFIXES.get(os.path.splitext(path)[1].lower(), "text")
    try:
        message = _with_directives(_parse(path, data, kind, options, remembered))
    except ValueError as exc:
        return FileError(path, str(exc))
    if len(message.text) > max_chars:
        return FileError(path, _too_long(len(message.text), max_chars))
    return message


def _parse(
    path: str, data: bytes, kind: str, options: ReadOptions, remembered: Remembered | None
) -> Message:
    from pushlint.sources.mask import merge_fields
    from pushlint.sources.replies import mask_replies

    if kind == "eml":
        from pushlint.sources.eml import read_eml

        subject, body, line_map, notes, _ = read_eml(data, keep_quoted=options.include_quoted)
        body = merge_fields(body)
        if not options.include_quoted:
            body, cut, postscript = mask_replies(body, remembered)
            if cut is not None:
                notes.append(
                    "sign-off, signature or quoted text at the end of the body not linted"
                    + (", except the P.S." if postscript else "")
                )
        text = f"{subject}\n\n{body}"
        return Message(path, text, None, tuple(line_map), None, (0, len(subject)), tuple(notes))
    source, note = decode_with_note(data)
    return _parse_text(path, source, kind, options, remembered, [note] if note else [])


def _parse_text(
    path: str,
    source: str,
    kind: str,
    options: ReadOptions,
    remembered: Remembered | None,
    notes: list[str],
) -> Message:
    from pushlint.sources.mask import merge_fields
    from pushlint.sources.replies import mask_replies

    if len(source) > options.max_chars:  # before any parsing: the text is skipped anyway
        raise ValueError(_too_long(len(source), options.max_chars))
    layout = None
    if kind == "html":
        from pushlint.sources.html import visible_text

        text, hidden, quoted = visible_text(source, keep_quoted=options.include_quoted)
        notes += [
            f"hidden text at line {n} (a preheader or display:none) not linted" for n in hidden
        ]
        notes += [f"quoted reply at line {n} not linted" for n in quoted]
    elif kind == "md":
        from pushlint.sources.markdown import prose

        text, _ = prose(source)
    elif kind in ("vtt", "srt"):
        from pushlint.sources.transcript import transcript

        text, layout = transcript(source, seller=options.seller)
    else:
        text = source
    text = merge_fields(text)
    if kind != "vtt" and kind != "srt":
        if options.seller:
            layout = analyse(text, seller=options.seller)
        call = layout.is_call if layout is not None else is_call(text)
        if options.include_quoted:
            if not call:  # read everything, `>` quotes included
                layout = Layout((), None, False, ((0, len(text)),), is_notes(text))
        elif not call:
            text, cut, postscript = mask_replies(text, remembered)
            if cut is not None:
                notes.append(
                    f"sign-off, signature or quoted text from line {cut} on not linted"
                    + (", except the P.S." if postscript else "")
                )
            # `>` lines the reply detection kept in (no "On ... wrote:" above them) are
            # left out by the layout; say so, as for an HTML <blockquote>
            notes += [f"quoted reply at line {n} not linted" for n in quoted_blocks(text)]
    if not text.strip():
        notes.append("empty: there is no text to lint")
    return Message(path, text, source, None, layout, None, tuple(notes))


def from_field(
    name: str, body: str, options: ReadOptions | None = None, *, subject: str | None = None
) -> Message:
    """A message kept in a data file's field (a CRM export's body, with its subject line),
    read as a file in `options.input_format` (plain text by default) would be: replies
    masked, call notes found, inline directives honoured; a raw MIME message with
    "eml", which brings its own subject. Raises ValueError if too long."""
    options = options or ReadOptions()
    if options.input_format == "eml":  # the email parser reads bytes, as from a file
        message = _parse(name, body.encode("utf-8", "surrogateescape"), "eml", options, None)
    else:
        message = _parse_text(name, body, options.input_format or "text", options, None, [])
    is_call = message.layout is not None and message.layout.is_call
    if subject and message.subject is None and not is_call:
        message = _with_subject(message, " ".join(subject.split()))
    message = _with_directives(message)
    if len(message.text) > options.max_chars:
        raise ValueError(_too_long(len(message.text), options.max_chars))
    return message


def _with_subject(message: Message, subject: str) -> Message:
    """The subject line first, as in an .eml file, everything after it shifted along."""
    prefix = f"{subject}\n\n"
    shift = len(prefix)
    layout = message.layout
    if layout is not None:
        layout = Layout(
            tuple(
                dataclasses.replace(
                    t, start=t.start + shift, text_start=t.text_start + shift, end=t.end + shift
                )
                for t in layout.turns
            ),
            layout.seller,
            layout.seller_guessed,
            ((0, len(subject)), *((a + shift, b + shift) for a, b in layout.writer)),
            layout.notes,
        )
    return dataclasses.replace(
        message,
        text=prefix + message.text,
        source=None if message.source is None else prefix + message.source,
        layout=layout,
        subject=(0, len(subject)),
    )


def _with_directives(message: Message) -> Message:
    """Find inline pushlint-disable comments, with their file lines, and keep them out of
    the linted text."""
    from pushlint.sources.mask import blank

    scan = message.source if message.source is not None else message.text
    directives, spans = find_directives(scan)
    if not directives:
        return message
    if message.source is None and message.line_map:  # decoded email: text line -> file line
        lines = message.line_map
        directives = [
            dataclasses.replace(d, line=lines[min(d.line, len(lines)) - 1][0]) for d in directives
        ]
    return dataclasses.replace(
        message, text=blank(message.text, spans), directives=tuple(directives)
    )


def _too_long(length: int, limit: int) -> str:
    return f"skipped: {length:,} characters is over the {limit:,}-character limit"


class _TooLarge(Exception):
    pass


def _read_bytes(path: str, max_bytes: int) -> bytes:
    """One open and one fstat: a cached re-run reads thousands of small files."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                raise _TooLarge(f"skipped: {size:,} bytes is over the {max_bytes:,}-byte limit")
            return handle.read()
    except FileNotFoundError:
        raise OSError(2, "no such file") from None
    except IsADirectoryError:
        # only a folder that could not be listed gets here: listing it again says why
        with os.scandir(path):
            pass
        raise OSError(21, "a folder, not a file") from None


def decode(data: bytes) -> str:
    return decode_with_note(data)[0]


def decode_with_note(data: bytes) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is decoded with
    charset-normalizer's best guess (cp1252 when it has none) and a note saying so."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), None
    if b"\x00" in data[:8192]:
        raise ValueError("skipped: looks like a binary file (NUL bytes)")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = best.encoding if best is not None else "cp1252"
    return data.decode(encoding, errors="replace"), f"not UTF-8: decoded as {encoding} (a guess)"
