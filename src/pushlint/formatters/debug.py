"""Rendering for `pushlint debug`: tokens and parse, then what every pattern did."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pushlint.debug import DebugReport

STATUS_STYLE = {
    "reported": "bold green",
    "stood down": "yellow",
    "no match": "dim",
    "required words absent": "dim",
}


def render(debug: DebugReport, console: Console, *, rule: str | None = None) -> None:
    tokens = Table(title="tokens", title_justify="left")
    for column in ("i", "text", "lemma", "pos", "tag", "dep", "head"):
        tokens.add_column(column)
    for t in debug.tokens:
        tokens.add_row(str(t.i), t.text, t.lemma, t.pos, t.tag, t.dep, str(t.head))
    console.print(tokens)
    console.print("[bold]sentences[/]")
    for i, sentence in enumerate(debug.sentences):
        console.print(f"  {i + 1}. {sentence}", markup=False)
    outcomes = [
        o for o in debug.outcomes if rule is None or rule.lower() in (o.rule.lower(), o.name)
    ]
    table = Table(title="rules and patterns", title_justify="left")
    for column in ("rule", "name", "kind", "pattern", "status", "matched"):
        table.add_column(column)
    for o in outcomes:
        matched = "; ".join(o.matches)
        if o.value is not None:
            matched = f"value {o.value:g}" + (f"; {matched}" if matched else "")
        table.add_row(
            o.rule,
            o.name,
            o.kind,
            "" if o.pattern is None else f"#{o.pattern + 1}",
            f"[{STATUS_STYLE.get(o.status, 'red')}]{o.status}[/]",
            matched,
        )
    console.print(table)
    console.print(
        f"score {debug.report.score} ({debug.report.band}); "
        f"{len(debug.report.findings)} findings, {len(debug.report.signals)} signals"
    )
