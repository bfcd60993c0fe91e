"""`--format concise`: one line per finding, `path:line:col: level [rule] message`, the
shape editors, grep and CI log parsers already understand."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from pushlint.records import Finding, Report, RunResult


def line(report: Report, finding: Finding) -> str:
    return (
        f"{report.path}:{finding.line}:{finding.column}: {finding.level} "
        f"[{finding.rule}] {finding.message}"
    )


def render(result: RunResult) -> str:
    return "".join(chunks(result))


def chunks(result: RunResult) -> Iterator[str]:
    """The lines, "\n"-separated, one file at a time."""
    lines = (line(report, f) for report in result.reports for f in report.findings)
    errors = (f"{e.path}:1:1: error [read] {e.problem}" for e in result.errors)
    for i, text in enumerate(chain(lines, errors)):
        yield ("\n" if i else "") + text
