"""`--format github`: GitHub Actions workflow commands, so findings show as annotations
on the pull request's changed files."""

from __future__ import annotations

from collections.abc import Iterator

from pushlint.records import RunResult

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult) -> str:
    return "".join(chunks(result))


def chunks(result: RunResult) -> Iterator[str]:
    """The commands, "\n"-separated, one file at a time."""
    for i, text in enumerate(_lines(result)):
        yield ("\n" if i else "") + text


def _lines(result: RunResult) -> Iterator[str]:
    for report in result.reports:
        for f in report.findings:
            where = (
                f"file={_property(report.path)},line={f.line},col={f.column},"
                f"endLine={f.end_line},endColumn={f.end_column}"
            )
            title = _property(f"pushlint {f.rule} ({f.name})")
            yield f"::{COMMAND[f.level]} {where},title={title}::{_data(f.message)}"
    for error in result.errors:
        yield f"::error file={_property(error.path)},title=pushlint::{_data(error.problem)}"
