"""Rendering for `pushlint rules list/show/test`."""

from __future__ import annotations

import json
from collections.abc import Sequence

import yaml
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pushlint.examples import ExampleResult
from pushlint.rules.loader import LoadedRule


def rule_row(rule: LoadedRule) -> dict[str, object]:
    spec = rule.spec
    return {
        "id": spec.id,
        "name": spec.name,
        "category": spec.category,
        "level": "signal" if spec.is_signal else spec.level,
        "weight": spec.weight,
        "kind": spec.kind,
        "pack": rule.pack,
        "file": rule.file,
    }


COLUMNS = ("id", "name", "category", "level", "weight", "kind", "pack")


def render_list(rules: Sequence[LoadedRule], console: Console) -> None:
    table = Table(title=f"{len(rules)} rules", title_justify="left")
    for column in COLUMNS:
        table.add_column(column, justify="right" if column == "weight" else "left")
    for rule in rules:
        row = rule_row(rule)
        table.add_row(*(f"{row[c]:g}" if c == "weight" else str(row[c]) for c in COLUMNS))
    console.print(table)


def render_list_json(rules: Sequence[LoadedRule]) -> str:
    return json.dumps([rule_row(r) for r in rules], indent=2)


def render_definition(rule: LoadedRule, console: Console) -> None:
    data = rule.spec.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    console.print(Text(f"# {rule.file} (pack {rule.pack})", style="dim"))
    console.print(
        yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=100), markup=False
    )


def render_results(results: Sequence[ExampleResult], console: Console) -> None:
    for result in results:
        mark, style = ("ok  ", "green") if result.ok else ("FAIL", "bold red")
        console.print(
            Text.assemble((mark, style), f" {result.rule} {result.kind}: ", result.text.strip())
        )
        if not result.ok:
            if result.kind != "flag":  # a pass example or a suggested rewrite
                console.print(
                    f"       fired on: {', '.join(repr(a) for a in result.actual)}", markup=False
                )
            else:
                expected = ", ".join(repr(e) for e in result.expected) or "(any span)"
                actual = ", ".join(repr(a) for a in result.actual) or "(nothing)"
                console.print(f"       expected: {expected}", markup=False)
                console.print(f"       actual:   {actual}", markup=False)
