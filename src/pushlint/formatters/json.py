"""`--format json`: exactly one JSON document for the whole run. Keys documented in README."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pushlint import __version__
from pushlint.formatters.streamed import HOLE, json_chunks
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
    document = {
        "pushlint": __version__,
        "model": result.model,
        "model_version": result.model_version,
        "files": HOLE,
        "errors": [{"path": e.path, "problem": e.problem} for e in result.errors],
        "notes": list(result.notes),
    }
    return json_chunks(document, (report_dict(r) for r in result.reports))
