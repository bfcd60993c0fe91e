"""The command line: parse options, call the library, pick a formatter, return an exit code.

Exit codes: 0 nothing at or above the failing level, 1 something is, 2 usage,
configuration or input errors. spaCy is imported only by commands that lint.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pushlint import __version__
from pushlint.records import LEVELS, RunResult, level_rank

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="pushlint",
    help="Lint sales messages: flag vendor-centric push, reward customer-centric push.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    pretty = "pretty"
    json = "json"


class FailLevel(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


def _stdout() -> Console:
    return Console(
        highlight=False, soft_wrap=not sys.stdout.isatty(), no_color="NO_COLOR" in os.environ
    )


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    _stderr().print(f"pushlint: error: {message}", markup=False)
    return typer.Exit(EXIT_ERROR)


def _version(value: bool) -> None:
    if value:
        print(f"pushlint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """pushlint tells a seller where a message pushes the vendor's agenda, and how to
    turn it toward the customer's."""


@app.command()
def check(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (their .txt/.md files) or - for stdin.")
    ],
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", "-r", help="Add a rule pack file or folder (repeatable)."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="spaCy pipeline: package name, path, or 'blank' (no tagger/parser)."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.pretty,
    fail_on: Annotated[
        FailLevel, typer.Option(help="Exit 1 when a finding reaches this level.")
    ] = FailLevel.warning,
    no_shipped: Annotated[
        bool, typer.Option("--no-shipped", help="Use only the --rules packs, not the shipped ones.")
    ] = False,
) -> None:
    """Lint messages and report findings, a pushiness score and rewrites."""
    from pushlint.api import lint_paths
    from pushlint.nlp import ModelError
    from pushlint.rules.loader import RuleFileError

    try:
        result = lint_paths(paths, model=model, rules=rules or (), shipped=not no_shipped)
    except RuleFileError as exc:
        raise _fail(f"invalid rules:\n{exc}") from None
    except ModelError as exc:
        raise _fail(str(exc)) from None

    for note in result.notes:
        _stderr().print(f"pushlint: note: {note}", markup=False)
    if output_format is OutputFormat.json:
        from pushlint.formatters import json as json_format

        print(json_format.render(result))
    else:
        from pushlint.formatters import pretty

        pretty.render(result, _stdout())
    raise typer.Exit(exit_code(result, fail_on.value))


def exit_code(result: RunResult, fail_on: str) -> int:
    if result.errors:
        return EXIT_ERROR
    threshold = level_rank(fail_on)
    failing = any(
        level_rank(f.level) >= threshold for report in result.reports for f in report.findings
    )
    return EXIT_FINDINGS if failing else EXIT_CLEAN


@app.command()
def explain(
    rule: Annotated[
        str, typer.Argument(help="Rule id or name, e.g. PL101 or vendor-self-promotion.")
    ],
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", "-r", help="Also look in this rule pack.")
    ] = None,
) -> None:
    """Explain a rule: what it flags, why, an example, and what to write instead."""
    from pushlint.formatters import explain as explain_format
    from pushlint.rules.loader import RuleFileError, load_rules

    try:
        ruleset = load_rules(rules or ())
    except RuleFileError as exc:
        raise _fail(f"invalid rules:\n{exc}") from None
    found = ruleset.get(rule)
    if found is None:
        known = ", ".join(f"{r.id} {r.spec.name}" for r in ruleset.rules)
        raise _fail(f"no rule {rule!r}; known rules: {known}")
    explain_format.render(found, _stdout())


@app.command(name="eval")
def eval_command(
    corpus: Annotated[
        list[Path],
        typer.Argument(help="Labelled corpus: folders by label, or .yaml/.jsonl/.csv files."),
    ],
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", "-r", help="Add a rule pack file or folder (repeatable)."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to use.")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.pretty,
    show: Annotated[int, typer.Option(help="How many misses and false alarms to list.")] = 10,
    min_auc: Annotated[
        float | None, typer.Option(help="Exit 1 when the ROC AUC is below this (for CI).")
    ] = None,
) -> None:
    """Measure the rules against a labelled corpus: ROC AUC, bands, per-rule counts."""
    from pushlint.api import get_linter
    from pushlint.corpus import CorpusError, load_corpus
    from pushlint.evaluate import evaluate
    from pushlint.formatters import evaluation as evaluation_format
    from pushlint.nlp import ModelError
    from pushlint.rules.loader import RuleFileError

    try:
        samples = load_corpus(corpus)
        linter = get_linter(model, rules or ())
    except (CorpusError, RuleFileError, ModelError) as exc:
        raise _fail(str(exc)) from None
    if not samples:
        raise _fail("the corpus holds no labelled messages")
    result = evaluate(samples, linter)
    if output_format is OutputFormat.json:
        print(evaluation_format.render_json(result, linter.model))
    else:
        evaluation_format.render(result, _stdout(), show=show)
    failing = min_auc is not None and (result.auc is None or result.auc < min_auc)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


def main() -> None:
    app(prog_name="pushlint")


__all__ = ["LEVELS", "app", "main"]
