"""Rendering for `pushlint stats`: Rich bars in the terminal, or one JSON document."""

from __future__ import annotations

import json
from dataclasses import asdict

from rich.console import Console
from rich.table import Table

from pushlint.stats import Stats

BAR = 40


def _bars(title: str, counts: dict[str, float], console: Console, limit: int = 20) -> None:
    table = Table(title=title, title_justify="left", show_header=False, box=None)
    table.add_column("key")
    table.add_column("n", justify="right")
    table.add_column("bar")
    top = max((abs(v) for v in counts.values()), default=0) or 1
    for key, value in list(counts.items())[:limit]:
        table.add_row(key, f"{value:g}", "█" * max(0, round(abs(value) / top * BAR)))
    console.print(table)


def render(stats: Stats, console: Console) -> None:
    console.print(f"[bold]{stats.messages} messages[/], mean score {stats.mean_score:g}")
    _bars("score distribution", dict(stats.histogram), console)
    _bars("bands", dict(stats.bands), console)
    _bars("points per category", dict(stats.categories), console)
    _bars("messages each rule fired on", dict(stats.rules), console)
    console.print("[bold]highest scores[/]")
    for path, score in stats.worst:
        console.print(f"  {score:3d}  {path}", markup=False)


def render_json(stats: Stats) -> str:
    return json.dumps(asdict(stats), indent=2)


def render_comparison(base: Stats, other: Stats, console: Console) -> None:
    table = Table(title="baseline vs compared", title_justify="left")
    for column in ("", "baseline", "compared"):
        table.add_column(column, justify="left" if not column else "right")
    table.add_row("mean score", f"{base.mean_score:g}", f"{other.mean_score:g}")
    for band in base.bands:
        table.add_row(band, str(base.bands[band]), str(other.bands[band]))
    for rule in sorted(set(base.rules) | set(other.rules)):
        before, after = base.rules.get(rule, 0), other.rules.get(rule, 0)
        if before != after:
            table.add_row(f"rule {rule}", str(before), str(after))
    console.print(table)


def render_comparison_json(base: Stats, other: Stats) -> str:
    return json.dumps({"baseline": asdict(base), "compared": asdict(other)}, indent=2)
