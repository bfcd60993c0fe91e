"""`.eml` messages: the subject and the body the rep wrote.

The standard library's email package decodes MIME (multipart, quoted-printable,
base64, any declared charset); the plain-text part is preferred, else the HTML part is
read like an HTML template. Lines map back to the .eml file: exactly for unencoded
bodies, to the body's first line otherwise."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

from pushlint.sources.html import visible_text

_SUBJECT = re.compile(r"^Subject:[ \t]*", re.I | re.M)


def read_eml(
    data: bytes, *, keep_quoted: bool = False
) -> tuple[str, str, list[tuple[int, int]], list[str], bool]:
    """Return (subject, body, line map, notes, body is html) for an .eml file.

    The line map gives, for each line of "subject\\n\\nbody", the 1-based line in the
    file and the column shift to add."""
    message = message_from_bytes(data, policy=policy.default)
    raw = data.decode("utf-8", errors="replace")
    subject = " ".join(str(message.get("subject", "")).split())
    part = message.get_body(preferencelist=("plain", "html"))
    body = part.get_content() if part is not None else ""
    is_html = part is not None and part.get_content_type() == "text/html"
    body = body.replace("\r\n", "\n")
    notes: list[str] = []
    if is_html:
        body, hidden, quoted = visible_text(body, keep_quoted=keep_quoted)
        if hidden:
            notes.append("hidden preheader or display:none text left out")
        if quoted:
            notes.append("quoted reply in the HTML body not linted")
    found = _SUBJECT.search(raw)
    subject_line = raw.count("\n", 0, found.start()) + 1 if found else 1
    subject_shift = (found.end() - found.start()) if found else 0
    line_map = [(subject_line, subject_shift), (subject_line, 0)]
    first = next((ln for ln in body.splitlines() if ln.strip()), "")
    anchor = raw.replace("\r\n", "\n").find(body) if body else -1
    if anchor >= 0 and not is_html:
        body_line = raw.replace("\r\n", "\n").count("\n", 0, anchor) + 1
    else:
        at = raw.find(first[:40]) if first else -1
        header_end = raw.replace("\r\n", "\n").find("\n\n")
        body_line = (raw.count("\n", 0, at) + 1) if at >= 0 else raw.count("\n", 0, header_end) + 2
        body_line -= next((i for i, ln in enumerate(body.splitlines()) if ln.strip()), 0)
        if at < 0:
            notes.append("encoded body: positions point at the body's first line")
    line_map += [(body_line + i, 0) for i in range(body.count("\n") + 1)]
    return subject, body, line_map, notes, is_html
