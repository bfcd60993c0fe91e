"""Rendering for `pushlint stats`: Rich bars in the terminal, or one JSON document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pushlint.stats import GroupStats, Stats

BAR = 40
GROUP_ROWS = 25


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
    for name, groups in stats.groups.items():
        if groups:
            _groups(name, groups, console)


def _groups(name: str, groups: Sequence[GroupStats], console: Console) -> None:
    """Scores per author, team or month: how many, mean, median, 90th percentile, and
    the share of pushy messages as a bar."""
    shown = groups if name == "month" else groups[:GROUP_ROWS]
    order = "in time order" if name == "month" else "highest mean first"
    table = Table(title=f"scores per {name} ({order})", title_justify="left", box=None)
    for column in (name, "messages", "mean", "median", "p90", "pushy"):
        table.add_column(column, justify="left" if column == name else "right")
    table.add_column("")
    for group in shown:
        pushy = group.bands.get("pushy", 0) / group.messages
        table.add_row(
            Text(group.key),
            f"{group.messages:,}",
            f"{group.mean_score:g}",
            str(group.median),
            str(group.p90),
            f"{pushy:.0%}",
            "█" * round(pushy * BAR / 2),
        )
    console.print(table)
    if len(groups) > len(shown):
        console.print(f"  ... and {len(groups) - len(shown)} more (all of them in --format json)")


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
