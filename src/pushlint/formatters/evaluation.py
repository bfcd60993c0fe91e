"""Render an Evaluation: a Rich summary for people, or one JSON document for machines."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from pushlint import __version__
from pushlint.corpus import LABELS
from pushlint.evaluate import BAND_NAMES, Evaluation


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def render(evaluation: Evaluation, console: Console, *, show: int = 10) -> None:
    counts = ", ".join(f"{evaluation.counts[label]} {label}" for label in LABELS)
    console.print(f"[bold]{len(evaluation.outcomes)} messages[/]: {counts}")
    console.print(f"ROC AUC, pushy vs the rest:        [bold]{_fmt(evaluation.auc)}[/]")
    console.print(f"ROC AUC, pushy vs customer-centric: {_fmt(evaluation.auc_vs_customer_centric)}")
    console.print(f"band accuracy:                      {evaluation.band_accuracy:.3f}")
    console.print(
        "customer-centric messages in the pushy band: "
        f"{evaluation.rate('customer-centric', 'pushy'):.1%}; "
        f"with any warning: {evaluation.flagged_rate('customer-centric'):.1%}"
    )
    console.print(f"pushy messages with a warning: {evaluation.flagged_rate('pushy'):.1%}")

    confusion = Table(title="label x band", title_justify="left")
    confusion.add_column("label")
    for band in BAND_NAMES:
        confusion.add_column(band, justify="right")
    for label in LABELS:
        confusion.add_row(label, *(str(evaluation.confusion[label][b]) for b in BAND_NAMES))
    console.print(confusion)

    rules = Table(title="messages each rule fired on, by label", title_justify="left")
    rules.add_column("rule")
    for label in LABELS:
        rules.add_column(label, justify="right")
    order = sorted(
        evaluation.rules.items(),
        key=lambda kv: (-kv[1]["customer-centric"], -kv[1]["pushy"], kv[0]),
    )
    for rule, per_label in order:
        rules.add_row(rule, *(str(per_label[label]) for label in LABELS))
    console.print(rules)

    if show:
        misses = sorted(
            (o for o in evaluation.outcomes if o.sample.label == "pushy" and not o.flagged),
            key=lambda o: o.report.score,
        )[:show]
        alarms = sorted(
            (o for o in evaluation.outcomes if o.sample.label != "pushy" and o.flagged),
            key=lambda o: -o.report.score,
        )[:show]
        if misses:
            console.print("[bold]pushy messages with no warning[/] (first few):")
            for o in misses:
                console.print(f"  {o.sample.id}  score {o.report.score}", markup=False)
        if alarms:
            console.print("[bold]non-pushy messages with warnings[/] (worst first):")
            for o in alarms:
                fired = ", ".join(sorted({f.rule for f in o.report.findings if f.level != "info"}))
                console.print(f"  {o.sample.id}  score {o.report.score}  {fired}", markup=False)


def render_json(evaluation: Evaluation, model: str) -> str:
    document = {
        "pushlint": __version__,
        "model": model,
        "messages": len(evaluation.outcomes),
        "counts": evaluation.counts,
        "auc": evaluation.auc,
        "auc_vs_customer_centric": evaluation.auc_vs_customer_centric,
        "band_accuracy": evaluation.band_accuracy,
        "customer_centric_in_pushy_band": evaluation.rate("customer-centric", "pushy"),
        "flagged_rate": {label: evaluation.flagged_rate(label) for label in LABELS},
        "confusion": evaluation.confusion,
        "rules": evaluation.rules,
        "results": [
            {
                "id": o.sample.id,
                "label": o.sample.label,
                "score": o.report.score,
                "band": o.report.band,
                "rules": sorted({f.rule for f in o.report.findings}),
            }
            for o in evaluation.outcomes
        ],
    }
    return json.dumps(document, indent=2)


def _figures(evaluation: Evaluation) -> dict[str, float | None]:
    return {
        "auc": evaluation.auc,
        "band_accuracy": evaluation.band_accuracy,
        "customer_centric_in_pushy_band": evaluation.rate("customer-centric", "pushy"),
        "customer_centric_with_warning": evaluation.flagged_rate("customer-centric"),
        "pushy_with_warning": evaluation.flagged_rate("pushy"),
    }


def render_comparison(base: Evaluation, other: Evaluation, console: Console) -> None:
    """The same corpus under two rule sets: headline figures, then rules whose counts moved."""
    table = Table(title="baseline vs compared", title_justify="left")
    for column in ("figure", "baseline", "compared", "change"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    before, after = _figures(base), _figures(other)
    for key in before:
        b, a = before[key], after[key]
        change = "" if a is None or b is None else f"{a - b:+.3f}"
        table.add_row(key.replace("_", " "), _fmt(b), _fmt(a), change)
    console.print(table)
    rules = Table(
        title="rules whose counts changed (messages fired on, by label)", title_justify="left"
    )
    rules.add_column("rule")
    for label in LABELS:
        rules.add_column(f"{label} before > after", justify="right")
    for rule in sorted(set(base.rules) | set(other.rules)):
        b = base.rules.get(rule, dict.fromkeys(LABELS, 0))
        a = other.rules.get(rule, dict.fromkeys(LABELS, 0))
        if a != b:
            rules.add_row(rule, *(f"{b[label]} > {a[label]}" for label in LABELS))
    console.print(rules)


def render_comparison_json(base: Evaluation, other: Evaluation, model: str) -> str:
    return json.dumps(
        {
            "pushlint": __version__,
            "model": model,
            "baseline": {**_figures(base), "rules": base.rules},
            "compared": {**_figures(other), "rules": other.rules},
        },
        indent=2,
    )
