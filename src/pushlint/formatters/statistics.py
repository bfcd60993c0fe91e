"""`--statistics`: how often each rule fired, most frequent first (as ruff does)."""

from __future__ import annotations

import json
from collections import Counter

from rich.console import Console
from rich.table import Table

from pushlint.records import Finding, RunResult


def counts(result: RunResult) -> list[tuple[int, Finding]]:
    seen: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for report in result.reports:
        for finding in report.findings:
            seen[finding.rule] += 1
            first.setdefault(finding.rule, finding)
    return [(n, first[rule]) for rule, n in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))]


def render(result: RunResult, console: Console) -> None:
    table = Table(box=None, show_header=True, header_style="bold")
    for column in ("count", "rule", "name", "level"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for n, finding in counts(result):
        table.add_row(str(n), finding.rule, finding.name, finding.level)
    console.print(table)


def render_json(result: RunResult) -> str:
    rows = [
        {"rule": f.rule, "name": f.name, "level": f.level, "count": n} for n, f in counts(result)
    ]
    return json.dumps(rows, indent=2)
