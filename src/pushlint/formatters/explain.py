"""`pushlint explain RULE`, in the shape of ruff's rule docs: what it flags, why,
an example, what to write instead, and whether the fix is safe to apply."""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

from pushlint.rules.loader import LoadedRule
from pushlint.rules.schema import MARK_RE


def render(rule: LoadedRule, console: Console) -> None:
    spec = rule.spec
    console.print(Text.assemble((f"{spec.id} {spec.name}", "bold magenta")))
    level = "" if spec.is_signal else f" · level {spec.level}"  # a signal is never a fault
    console.print(
        Text(
            f"{spec.kind} rule in {spec.category}{level} · weight {spec.weight:g}"
            f" · pack {rule.pack} ({rule.file})",
            style="dim",
        )
    )
    _section(console, "What it flags" if not spec.is_signal else "What it rewards", spec.message)
    _section(console, "Why", spec.why)
    if spec.examples.flag:
        console.print(Text("\nExample", style="bold"))
        for example in spec.examples.flag:
            console.print(Text("  ") + _marked(example.strip(), console))
    if spec.is_signal and spec.examples.pass_:
        # a signal's pass examples are near misses, not advice: "I'll send the contract
        # over" does not earn readers-request, and is no better for it
        console.print(Text("\nNot counted", style="bold"))
        for example in spec.examples.pass_:
            console.print(Text.assemble("  ", ("no ", "yellow"), example.strip()))
    elif spec.rewrite or spec.examples.pass_:
        console.print(Text("\nUse instead", style="bold"))
        for item in spec.rewrites:
            console.print(Text.assemble("  ", ("-> ", "green"), item.text))
        for example in spec.examples.pass_:
            console.print(Text.assemble("  ", ("ok ", "green"), example.strip()))
    if not spec.is_signal:
        safe = [r for r in spec.rewrites if r.safe]
        if not safe:
            verdict = "Not applied automatically: the rewrite needs the writer's judgement."
        elif isinstance(safe[0].replacement, dict):
            pairs = ", ".join(f"{k!r} -> {v!r}" for k, v in safe[0].replacement.items())
            verdict = f"Safe: --fix replaces the matched words: {pairs}."
        else:
            verdict = f"Safe: --fix may replace the span with {safe[0].replacement!r}."
        _section(console, "Fix safety", verdict)


def _section(console: Console, title: str, body: str) -> None:
    console.print(Text(f"\n{title}", style="bold"))
    console.print(Text("  " + re.sub(r"\s+", " ", body).strip()))


def _marked(example: str, console: Console) -> Text:
    """An example with its [[span]] highlighted (or kept in brackets when not coloured)."""
    coloured = console.color_system is not None
    text = Text()
    last = 0
    for match in MARK_RE.finditer(example):
        text.append(example[last : match.start()])
        if coloured:
            text.append(match.group(1), style="bold red underline")
        else:
            text.append(f"[[{match.group(1)}]]")
        last = match.end()
    text.append(example[last:])
    return text
