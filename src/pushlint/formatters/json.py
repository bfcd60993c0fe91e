"""`--format json`: exactly one JSON document for the whole run. Keys documented in README."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pushlint import __version__
from pushlint.records import Finding, Report, RunResult


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "name": finding.name,
        "category": finding.category,
        "level": finding.level,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "text": finding.text,
        "message": finding.message,
        "suggestions": [s.text for s in finding.suggestions],
        "points": finding.points,
        "part": finding.part,
        "fixes": [
            {"replacement": s.replacement, "safe": s.safe}
            for s in finding.suggestions
            if s.replacement is not None
        ],
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "path": report.path,
        "score": report.score,
        "band": report.band,
        "categories": report.categories,
        "findings": [finding_dict(f) for f in report.findings],
        "signals": [
            {k: v for k, v in finding_dict(s).items() if k not in ("suggestions", "fixes")}
            for s in report.signals
        ],
        "penalty": report.penalty,
        "relief": report.relief,
        "notes": list(report.notes),
        "call": report.call,
    }


def render(result: RunResult) -> str:
    return "".join(chunks(result))


def chunks(result: RunResult) -> Iterator[str]:
    """The document `json.dumps(..., indent=2)` would give, one file at a time, so a run
    over thousands of files never holds the whole document in memory."""
    yield "{\n"
    for key, value in (
        ("pushlint", __version__),
        ("model", result.model),
        ("model_version", result.model_version),
    ):
        yield f"  {_dumps(key)}: {_dumps(value)},\n"
    yield '  "files": ['
    for i, report in enumerate(result.reports):
        yield ("," if i else "") + "\n" + _indented(_dumps(report_dict(report)), "    ")
    yield ("\n  ]" if result.reports else "]") + ",\n"
    errors = [{"path": e.path, "problem": e.problem} for e in result.errors]
    yield f'  "errors": {_indented(_dumps(errors), "  ", first=False)},\n'
    yield f'  "notes": {_indented(_dumps(list(result.notes)), "  ", first=False)}\n'
    yield "}"


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _indented(text: str, prefix: str, *, first: bool = True) -> str:
    lines = text.split("\n")
    return "\n".join(
        line if (i == 0 and not first) else prefix + line for i, line in enumerate(lines)
    )
