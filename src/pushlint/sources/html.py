"""HTML email templates: the visible text only, at its exact source positions.

The standard library's HTMLParser walks the markup; tags, comments, <script>, <style>,
<head> and hidden elements (display:none, the usual "preheader" blocks) are blanked, and
so is quoted text, someone else's words: any <blockquote> (the HTML form of a `>` line)
and the wrappers mail clients put around a quoted reply (gmail_quote, yahoo_quoted).
Block-level tags become line breaks so paragraphs stay paragraphs for the parser.
Entities are decoded in place and padded to their original length."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from pushlint.sources.mask import blank

SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})
BLOCK = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
     "table", "section", "article", "header", "footer", "blockquote", "hr", "center"}
)  # fmt: skip
VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all|max-height\s*:\s*0", re.I
)
# What mail clients put around a quoted reply besides <blockquote> (Apple Mail and
# Thunderbird use <blockquote type="cite">): Gmail, Yahoo and Proton Mail use a class.
_QUOTE_CLASSES = ("gmail_quote", "yahoo_quoted", "protonmail_quote")


class _Visible(HTMLParser):
    def __init__(self, source: str, keep_quoted: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.keep_quoted = keep_quoted
        self.starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.chars = list(source)
        self.keep: list[tuple[int, int]] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.hidden_lines: list[int] = []
        self.quoted_lines: list[int] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def _hidden(self) -> bool:
        return any(hides for _, hides in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        text = self.get_starttag_text() or ""
        if tag in BLOCK and len(text) >= 2:
            self.chars[start] = "\n"
            self.chars[start + 1] = "\n" if tag != "br" else " "
        if tag in VOID:
            return
        values = {k: (v or "") for k, v in attrs}
        hides = (
            tag in SKIP
            or "hidden" in values
            or bool(_HIDDEN_STYLE.search(values.get("style", "")))
            or "preheader" in values.get("class", "").lower()
        )
        if hides and tag not in SKIP:
            self.hidden_lines.append(self.getpos()[0])
        elif not self.keep_quoted and not self._hidden() and _quotes(tag, values):
            hides = True
            self.quoted_lines.append(self.getpos()[0])
        self.stack.append((tag, hides))

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        if tag in BLOCK and start + 1 < len(self.chars):
            self.chars[start] = "\n"
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            start = self._offset()
            self.keep.append((start, start + len(data)))

    def _entity(self, raw: str) -> None:
        if self._hidden():
            return
        start = self._offset()
        decoded = html.unescape(raw)
        if len(decoded) <= len(raw):
            for i, ch in enumerate(decoded.ljust(len(raw))):
                self.chars[start + i] = " " if ch in "\xa0" else ch
            self.keep.append((start, start + len(decoded)))

    def handle_entityref(self, name: str) -> None:
        self._entity(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._entity(f"&#{name};")


def _quotes(tag: str, values: dict[str, str]) -> bool:
    if tag == "blockquote":
        return True
    classes = values.get("class", "").lower()
    return any(name in classes for name in _QUOTE_CLASSES)


def visible_text(source: str, *, keep_quoted: bool = False) -> tuple[str, list[int], list[int]]:
    """Same-length text with only what a reader of the email sees and the writer wrote;
    the lines where hidden text (a preheader, a display:none block) was left out; and
    the lines where a quoted reply was left out (none with `keep_quoted`)."""
    parser = _Visible(source, keep_quoted)
    parser.feed(source)
    parser.close()
    shown = sorted(parser.keep)
    hidden, cursor = [], 0
    for start, end in shown:
        if start > cursor:
            hidden.append((cursor, start))
        cursor = max(cursor, end)
    hidden.append((cursor, len(source)))
    masked = "".join(parser.chars)
    # keep the newlines that block tags put in, blank the rest of the markup
    kept = blank(masked, hidden)
    return kept, sorted(set(parser.hidden_lines)), sorted(set(parser.quoted_lines))
