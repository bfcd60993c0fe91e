"""Markdown templates: prose only. markdown-it-py (already installed with Rich) finds
the code blocks, fences and HTML blocks by line; front matter, inline code, link URLs,
images, autolinks and comments are blanked by pattern. Link text stays."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from pushlint.sources.mask import blank

_FRONT_MATTER = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n.*?\n(?:---|\+\+\+)[ \t]*(?:\n|\Z)", re.S)
_INLINE = re.compile(
    r"(?P<code>`+)[^`\n].*?(?P=code)"  # `code`
    r"|!\[[^\]\n]*\]\([^)\n]*\)"  # ![alt](image)
    r"|<!--.*?-->"  # comments
    r"|<https?://[^>\n]+>"  # <autolinks>
    r"|https?://[^\s)>\]]+"  # bare URLs
    r"|</?[A-Za-z][^>\n]*>",  # inline HTML tags
    re.S,
)
_LINK = re.compile(r"\[(?P<text>[^\]\n]+)\](?P<target>\([^)\n]*\)|\[[^\]\n]*\])")


def prose(source: str) -> tuple[str, bool]:
    """Same-length text with code, front matter and URLs blanked; and whether the file
    had front matter."""
    ranges: list[tuple[int, int]] = []
    front = _FRONT_MATTER.match(source)
    if front:
        ranges.append(front.span())
    starts = [0] + [m.end() for m in re.finditer("\n", source)] + [len(source)]
    for token in MarkdownIt("commonmark").parse(source):
        if token.type in ("fence", "code_block", "html_block") and token.map:
            first, last = token.map
            ranges.append((starts[first], starts[min(last, len(starts) - 1)]))
    for match in _INLINE.finditer(source):
        ranges.append(match.span())
    for match in _LINK.finditer(source):
        ranges.append((match.start(), match.start("text")))  # "["
        ranges.append((match.end("text"), match.end()))  # "](url)"
    return blank(source, ranges), front is not None
