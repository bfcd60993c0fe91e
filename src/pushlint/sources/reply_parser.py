"""mail-parser-reply, set up the way pushlint reads replies. A module of its own so that
a re-run whose reply offsets are all cached never imports the parser."""

from __future__ import annotations

import re
from typing import Any

from mailparser_reply.parser import EmailMessage

LANGUAGES = ("en", "de", "fr", "es", "it", "nl")


def replies(text: str) -> list[Any]:
    try:
        # keep_hyphen_lists: by default a line starting "- word" is a signature, which cut
        # every "- " bullet list (and all after it) out of the message; the parser's
        # EmailReplyParser.read() does not pass the option on, so build the message here
        message = ReplyMessage(text=text, languages=list(LANGUAGES), keep_hyphen_lists=True)
        return list(message.read().replies)
    except Exception:  # a third-party parser must never stop a lint run
        return []


class ReplyMessage(EmailMessage):  # type: ignore[misc]
    """mail-parser-reply's message, minus a search that cannot succeed.

    Its reply-header search ("On ... wrote:", "From: ... Sent: ...", in each language,
    and "-----Original Message-----") is two thirds of its time, and every header it
    knows holds a colon or five dashes. A text with neither gets a pattern that matches
    nothing, which is what the search would find; tests/test_sources.py checks that
    premise against the installed version's pattern."""

    @property
    def HEADER_REGEX(self) -> re.Pattern[str]:
        if ":" in self.text or "-----" in self.text:
            return super().HEADER_REGEX  # type: ignore[no-any-return]
        return _MATCHES_NOTHING


_MATCHES_NOTHING = re.compile(r"(?!)")
