"""Inline control: `pushlint-disable` and friends, in HTML/Markdown comments or plain text.

    <!-- pushlint-disable PL301, buzzwords -->   ... <!-- pushlint-enable -->
    <!-- pushlint-disable-next-line PL501 -->
    Our renewal is due. <!-- pushlint-disable-line -->
    # pushlint-disable-file quarter-pressure

The same words work in any comment style a template language offers (`<!-- -->`,
`{# #}`, `/* */`, `[ ]`, `#`, `//`), so one syntax serves every format. Readers call
`find_directives` on the file's text and blank the directive so it is never linted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["disable", "enable", "disable-next-line", "disable-line", "disable-file"]

DIRECTIVE = re.compile(
    r"(?P<open><!--|\{#|/\*|\[|#|//)?[ \t]*"
    r"pushlint-(?P<kind>disable-next-line|disable-line|disable-file|disable|enable)\b"
    r"(?P<rules>(?:[ \t]*,?[ \t]*[A-Za-z][\w-]*)*)"
    r"[ \t]*(?P<close>-->|#\}|\*/|\])?"
)


@dataclass(frozen=True)
class Directive:
    kind: Kind
    rules: tuple[str, ...]  # empty: every rule
    line: int  # 1-based line in the file
    column: int

    @property
    def text(self) -> str:
        names = ", ".join(self.rules)
        return f"pushlint-{self.kind}" + (f" {names}" if names else "")


def find_directives(text: str) -> tuple[list[Directive], list[tuple[int, int]]]:
    """Directives in `text` with their 1-based line, and the character ranges they take
    (to blank). Lines are counted in `text` itself."""
    directives: list[Directive] = []
    spans: list[tuple[int, int]] = []
    if "pushlint-" not in text:
        return directives, spans
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    line = 0
    for match in DIRECTIVE.finditer(text):
        while line + 1 < len(line_starts) and line_starts[line + 1] <= match.start("kind"):
            line += 1
        rules = tuple(
            name.strip("-") for name in re.split(r"[\s,]+", match.group("rules")) if name.strip("-")
        )
        column = match.start("kind") - line_starts[line] - len("pushlint-") + 1
        directives.append(Directive(match.group("kind"), rules, line + 1, column))  # type: ignore[arg-type]
        spans.append((match.start(), match.end()))
    return directives, spans
