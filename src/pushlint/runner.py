"""`pushlint check` as a library call: config, changed lines, baseline and fixes around
`lint_paths`. The CLI only turns options into `Overrides` and the outcome into output."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pushlint.baseline import Baseline, BaselineError, write_baseline
from pushlint.cache import ResultCache
from pushlint.config import ConfigError
from pushlint.gitdiff import ChangedLines, GitError
from pushlint.policy import only_lines
from pushlint.project import FileSettings, Overrides, Project
from pushlint.records import Report, RunResult
from pushlint.sources import STDIN, Message
from pushlint.spool import ReportSpool

__all__ = ["SETUP_ERRORS", "Overrides", "Run", "check", "render", "save_baseline"]


def _setup_errors() -> tuple[type[Exception], ...]:
    from pushlint.nlp import ModelError  # spaCy-free at import
    from pushlint.rules.loader import RuleFileError

    return (ConfigError, BaselineError, GitError, ModelError, RuleFileError)


SETUP_ERRORS = _setup_errors()


@dataclass
class Run:
    result: RunResult
    unfiltered: ReportSpool = field(default_factory=ReportSpool)  # before --baseline filters
    diffs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    project: Project | None = None

    @property
    def rules(self) -> Sequence[object]:
        """The rules that ran, for SARIF's rule metadata: loaded only when asked for."""
        from pushlint.rules.loader import load_rules

        if self.project is None:
            return ()
        _, rules, shipped = self.project.settings(STDIN).linter_key
        return load_rules([Path(r) for r in rules], shipped=shipped).rules


def check(
    paths: Sequence[str],
    overrides: Overrides,
    *,
    baseline: Path | None = None,
    diff_base: str | None = None,
    fix: Literal["write", "diff"] | None = None,
    cache: bool = True,
    jobs: int | None = None,
    keep_unfiltered: bool = False,
) -> Run:
    """`jobs` None: every core for a large run. The result cache (see `pushlint.cache`)
    serves messages linted before with the same code, model and rules.
    `keep_unfiltered` keeps the reports before --baseline filtering (to write one)."""
    from pushlint import cache as caching

    caching.set_enabled(cache)
    results = ResultCache() if cache else None
    try:
        return _check(paths, overrides, baseline, diff_base, fix, results, jobs, keep_unfiltered)
    finally:
        if results is not None:
            results.close()


def _check(
    paths: Sequence[str],
    overrides: Overrides,
    baseline: Path | None,
    diff_base: str | None,
    fix: Literal["write", "diff"] | None,
    cache: ResultCache | None,
    jobs: int | None,
    keep_unfiltered: bool,
) -> Run:
    from pushlint.api import lint_paths

    changed = ChangedLines(diff_base) if diff_base else None
    project = Project(overrides, changed=changed)
    known = Baseline.load(baseline) if baseline is not None else None
    run = Run(RunResult("", ()))
    fixed: list[str] = []

    def filtered(report: Report, message: Message) -> Report:
        if changed is not None and message.path != STDIN:
            lines = changed.lines(message.path)
            if lines is not None:
                report = only_lines(report, lines)
        return report

    def finish(report: Report, message: Message, settings: FileSettings) -> Report:
        report = filtered(report, message)
        if fix is not None and _fix(report, settings, fix, run):
            fixed.append(report.path)
        if keep_unfiltered:
            run.unfiltered.append(report)
        return known.new_only(report) if known is not None else report

    run.result = lint_paths(paths, project=project, finish=finish, cache=cache, jobs=jobs)
    if fixed:  # lint the fixed files again, so positions and the score are the new file's

        def refinish(report: Report, message: Message, settings: FileSettings) -> Report:
            report = filtered(report, message)
            return known.new_only(report) if known is not None else report

        again = lint_paths(fixed, project=project, finish=refinish, cache=cache, jobs=1)
        by_path = {r.path: r for r in again.reports}
        run.result = dataclasses.replace(
            run.result, reports=ReportSpool(by_path.get(r.path, r) for r in run.result.reports)
        )
    run.project = project
    return run


def _fix(report: Report, settings: FileSettings, mode: str, run: Run) -> bool:
    """Apply (or, for --diff, show) the safe rewrites; True when the file was written."""
    from pushlint import fix as fixing

    plan = fixing.plan(report, settings.read.input_format)
    if plan is None or (plan.skipped is None and not plan.changed):
        return False
    if plan.skipped is not None:
        run.notes.append(f"{report.path}: not fixed: {plan.skipped}")
        return False
    if mode == "diff":
        run.diffs.append(plan.diff())
        return False
    try:
        fixing.apply(plan)
    except OSError as exc:
        run.notes.append(f"{report.path}: not fixed, the file is unchanged: {exc}")
        return False
    run.notes.append(f"{report.path}: fixed {len(plan.edits)} finding(s)")
    return True


def render(result: RunResult, output_format: str, rules: Sequence[object] = ()) -> str:
    return "".join(render_chunks(result, output_format, rules))


def render_chunks(
    result: RunResult, output_format: str, rules: Sequence[object] = ()
) -> Iterator[str]:
    """The output in pieces, one file at a time, so a large run is never held whole."""
    if output_format == "json":
        from pushlint.formatters import json as json_format

        return json_format.chunks(result)
    if output_format == "concise":
        from pushlint.formatters import concise

        return concise.chunks(result)
    if output_format == "github":
        from pushlint.formatters import github

        return github.chunks(result)
    if output_format == "junit":
        from pushlint.formatters import junit

        return junit.chunks(result)
    if output_format == "sarif":
        from pushlint.formatters import sarif

        return sarif.chunks(result, rules)  # type: ignore[arg-type]
    raise ValueError(f"unknown format {output_format!r}")


def save_baseline(path: Path, reports: Sequence[Report]) -> int:
    return write_baseline(path, reports)
