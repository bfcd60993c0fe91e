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


class InputFormat(StrEnum):
    text = "text"
    eml = "eml"
    html = "html"
    md = "md"
    vtt = "vtt"
    srt = "srt"


InputFormatOption = Annotated[
    InputFormat | None,
    typer.Option("--input-format", help="Read every input as this format (default: by extension)."),
]
IncludeQuotedOption = Annotated[
    bool,
    typer.Option("--include-quoted", help="Also lint quoted replies, sign-offs and signatures."),
]
SellerOption = Annotated[
    str | None,
    typer.Option(help="In call notes and transcripts, the speaker who is the seller."),
]


def _read_options(input_format: InputFormat | None, include_quoted: bool, seller: str | None):  # type: ignore[no-untyped-def]
    from pushlint.sources import ReadOptions

    return ReadOptions(input_format.value if input_format else None, include_quoted, seller)


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
    input_format: InputFormatOption = None,
    include_quoted: IncludeQuotedOption = False,
    seller: SellerOption = None,
) -> None:
    """Lint messages and report findings, a pushiness score and rewrites."""
    from pushlint.api import lint_paths
    from pushlint.nlp import ModelError
    from pushlint.rules.loader import RuleFileError

    try:
        result = lint_paths(
            paths,
            model=model,
            rules=rules or (),
            shipped=not no_shipped,
            options=_read_options(input_format, include_quoted, seller),
        )
    except RuleFileError as exc:
        raise _fail(f"invalid rules:\n{exc}") from None
    except ModelError as exc:
        raise _fail(str(exc)) from None

    for note in result.notes:
        _stderr().print(f"pushlint: note: {note}", markup=False)
    if not result.reports and not result.errors:
        _stderr().print(
            "pushlint: warning: no .txt or .md files to lint in: " + ", ".join(paths), markup=False
        )
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
    compare: Annotated[
        list[Path] | None,
        typer.Option(help="Also evaluate with these rule packs added, side by side (repeatable)."),
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
    if compare:
        try:
            other = evaluate(samples, get_linter(model, [*(rules or ()), *compare]))
        except (RuleFileError, ModelError) as exc:
            raise _fail(str(exc)) from None
        if output_format is OutputFormat.json:
            print(evaluation_format.render_comparison_json(result, other, linter.model))
        else:
            evaluation_format.render_comparison(result, other, _stdout())
    elif output_format is OutputFormat.json:
        print(evaluation_format.render_json(result, linter.model))
    else:
        evaluation_format.render(result, _stdout(), show=show)
    failing = min_auc is not None and (result.auc is None or result.auc < min_auc)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_CLEAN)


rules_app = typer.Typer(
    help="Work on rule packs: list, show, test, validate, scaffold.", no_args_is_help=True
)
app.add_typer(rules_app, name="rules")

RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", "-r", help="Add a rule pack file or folder (repeatable)."),
]


def _load(rules: list[Path] | None, *, shipped: bool = True):  # type: ignore[no-untyped-def]
    from pushlint.rules.loader import RuleFileError, load_rules

    try:
        return load_rules(rules or (), shipped=shipped)
    except RuleFileError as exc:
        raise _fail(f"invalid rules:\n{exc}") from None


@rules_app.command("list")
def rules_list(
    rules: RulesOption = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    pack: Annotated[str | None, typer.Option(help="Only this pack.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.pretty,
) -> None:
    """List the active rules: id, name, category, level, weight, kind and pack."""
    from pushlint.formatters import rules as rules_format

    chosen = [
        r
        for r in _load(rules).rules
        if (category is None or r.spec.category == category) and (pack is None or r.pack == pack)
    ]
    if output_format is OutputFormat.json:
        print(rules_format.render_list_json(chosen))
    else:
        rules_format.render_list(chosen, _stdout())


@rules_app.command("show")
def rules_show(
    rule: Annotated[str, typer.Argument(help="Rule id or name.")],
    rules: RulesOption = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline for the examples.")] = None,
) -> None:
    """Show a rule's definition, its documentation, and its examples as the linter sees them."""
    from pushlint.api import get_linter
    from pushlint.examples import run_examples
    from pushlint.formatters import explain as explain_format
    from pushlint.formatters import rules as rules_format

    ruleset = _load(rules)
    found = ruleset.get(rule)
    if found is None:
        raise _fail(f"no rule {rule!r}")
    console = _stdout()
    rules_format.render_definition(found, console)
    explain_format.render(found, console)
    console.print("\n[bold]Examples, as the linter sees them[/]")
    rules_format.render_results(run_examples(get_linter(model, rules or ()), found), console)


@rules_app.command("test")
def rules_test(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Rule pack files or folders to test (default: the shipped packs)."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to use.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show failures only.")] = False,
) -> None:
    """Run every rule's `flag` and `pass` examples (and *.tests.yaml next to the packs)."""
    from pushlint.api import get_linter
    from pushlint.examples import extra_examples, run_examples, run_extra
    from pushlint.formatters import rules as rules_format
    from pushlint.nlp import ModelError
    from pushlint.rules.loader import RuleFileError, rule_files, shipped_packs_dir

    targets = list(paths or [shipped_packs_dir()])
    try:
        files = {str(f) for f in rule_files(targets)}
        linter = get_linter(model, paths or ())
    except (RuleFileError, ModelError) as exc:
        raise _fail(str(exc)) from None
    chosen = [r for r in linter.component.ruleset.rules if r.file in files]
    extras = extra_examples([str(p) for p in targets])
    results = []
    for rule in chosen:
        results.extend(run_examples(linter, rule))
        if rule.id in extras:
            results.extend(run_extra(linter, rule, *extras[rule.id]))
    console = _stdout()
    rules_format.render_results([r for r in results if not (quiet and r.ok)], console)
    missing = [r.id for r in chosen if not (r.spec.examples.flag and r.spec.examples.pass_)]
    failed = [r for r in results if not r.ok]
    if missing:
        console.print(
            f"rules without both flag and pass examples: {', '.join(missing)}", markup=False
        )
    console.print(
        f"{len(chosen)} rules, {len(results)} examples: "
        f"{len(results) - len(failed)} passed, {len(failed)} failed",
        markup=False,
    )
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


@rules_app.command("validate")
def rules_validate(
    paths: Annotated[list[Path], typer.Argument(help="Rule pack files or folders.")],
) -> None:
    """Check rule files against the schema and spaCy's pattern validation (no model needed)."""
    import spacy

    from pushlint.checks import compile_checks
    from pushlint.rules.loader import RuleFileError, rule_files

    ruleset = _load(paths)
    files = {str(f) for f in rule_files(paths)}
    mine = [r for r in ruleset.rules if r.file in files]
    try:
        compile_checks(spacy.blank("en"), mine)
    except RuleFileError as exc:
        raise _fail(f"invalid rules:\n{exc}") from None
    print(f"{len(mine)} rules in {len(files)} files: OK")


@rules_app.command("new")
def rules_new(
    output: Annotated[Path, typer.Argument(help="The rule file to write.")],
    rule_id: Annotated[str, typer.Option("--id", help="The new rule's id.")] = "TEAM001",
    name: Annotated[str, typer.Option(help="The new rule's kebab-case name.")] = "my-rule",
    category: Annotated[str, typer.Option(help="The rule's category.")] = "team-rules",
) -> None:
    """Write a starter rule file with every field commented."""
    from pushlint.rules.scaffold import scaffold

    if output.exists():
        raise _fail(f"{output} exists; not overwriting it")
    text = scaffold(
        file=str(output),
        pack=output.stem.replace("_", "-").lower(),
        rule_id=rule_id,
        name=name,
        category=category,
        schema=str(schema_path()),
    )
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}; next: pushlint rules test {output}")


def schema_path() -> Path:
    return Path(__file__).resolve().parent / "rule-schema.json"


@rules_app.command("schema")
def rules_schema(
    path: Annotated[bool, typer.Option("--path", help="Print where the schema file is.")] = False,
) -> None:
    """Print the JSON Schema for rule files (for editors and CI validators)."""
    print(
        schema_path() if path else schema_path().read_text(encoding="utf-8"),
        end="\n" if path else "",
    )


@app.command()
def debug(
    text: Annotated[str, typer.Argument(help="The text to inspect, or - for stdin.")],
    rule: Annotated[str | None, typer.Option(help="Only this rule's patterns.")] = None,
    rules: RulesOption = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to use.")] = None,
) -> None:
    """Show how the pipeline sees a text: tokens, parse, and what every pattern did."""
    from pushlint.api import get_linter
    from pushlint.debug import debug_text
    from pushlint.formatters import debug as debug_format
    from pushlint.nlp import ModelError
    from pushlint.rules.loader import RuleFileError

    if text == "-":
        text = sys.stdin.read()
    try:
        linter = get_linter(model, rules or ())
    except (RuleFileError, ModelError) as exc:
        raise _fail(str(exc)) from None
    debug_format.render(debug_text(linter, text), _stdout(), rule=rule)


@app.command()
def stats(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or - for stdin.")],
    rules: RulesOption = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to use.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.pretty,
    worst: Annotated[int, typer.Option(help="How many top-scoring messages to list.")] = 10,
    compare: Annotated[
        list[Path] | None,
        typer.Option(help="Also run with these rule packs added, side by side (repeatable)."),
    ] = None,
    input_format: InputFormatOption = None,
    include_quoted: IncludeQuotedOption = False,
    seller: SellerOption = None,
) -> None:
    """Corpus statistics: score distribution, findings per rule and category, worst messages."""
    options = _read_options(input_format, include_quoted, seller)
    from pushlint.api import lint_paths
    from pushlint.formatters import stats as stats_format
    from pushlint.nlp import ModelError
    from pushlint.rules.loader import RuleFileError
    from pushlint.stats import corpus_stats

    try:
        result = lint_paths(paths, model=model, rules=rules or (), options=options)
    except (RuleFileError, ModelError) as exc:
        raise _fail(str(exc)) from None
    summary = corpus_stats(result.reports, worst=worst)
    if compare:
        try:
            other_run = lint_paths(
                paths, model=model, rules=[*(rules or ()), *compare], options=options
            )
        except (RuleFileError, ModelError) as exc:
            raise _fail(str(exc)) from None
        other = corpus_stats(other_run.reports, worst=worst)
        if output_format is OutputFormat.json:
            print(stats_format.render_comparison_json(summary, other))
        else:
            stats_format.render_comparison(summary, other, _stdout())
    elif output_format is OutputFormat.json:
        print(stats_format.render_json(summary))
    else:
        stats_format.render(summary, _stdout())
    raise typer.Exit(EXIT_ERROR if result.errors else EXIT_CLEAN)


@app.command()
def report(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or - for stdin.")],
    html_file: Annotated[Path, typer.Option("--html", help="The HTML file to write.")],
    rules: RulesOption = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline to use.")] = None,
    input_format: InputFormatOption = None,
    include_quoted: IncludeQuotedOption = False,
    seller: SellerOption = None,
) -> None:
    """Write one self-contained HTML report: charts, and every message with its findings.

    The report contains the messages' text (that is what it is for); keep it where the
    messages themselves may be kept."""
    from pushlint.api import get_linter
    from pushlint.formatters import html as html_format
    from pushlint.nlp import ModelError
    from pushlint.records import FileError
    from pushlint.rules.loader import RuleFileError
    from pushlint.sources import Message, expand, read
    from pushlint.stats import corpus_stats

    try:
        linter = get_linter(model, rules or ())
    except (RuleFileError, ModelError) as exc:
        raise _fail(str(exc)) from None
    messages: list[Message] = []
    errors: list[FileError] = []
    options = _read_options(input_format, include_quoted, seller)
    for path in expand(paths):
        item = read(path, options)
        (errors if isinstance(item, FileError) else messages).append(item)  # type: ignore[arg-type]
    reports = list(linter.lint_messages(messages))
    pairs = [(m.text, r) for m, r in zip(messages, reports, strict=True)]
    page = html_format.render(pairs, corpus_stats(reports), model=linter.model)
    html_file.write_text(page, encoding="utf-8")
    for error in errors:
        _stderr().print(f"{error.path}: {error.problem}", markup=False)
    print(f"wrote {html_file} ({len(reports)} messages)")
    raise typer.Exit(EXIT_ERROR if errors else EXIT_CLEAN)


def main() -> None:
    app(prog_name="pushlint")


__all__ = ["LEVELS", "app", "main"]
