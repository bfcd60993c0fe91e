"""`--format sarif`: SARIF 2.1.0, the format GitHub code scanning and most CI dashboards
import. Every rule that ran is described (name, why, rewrites, default level) so a
viewer can explain a result without pushlint; results carry a fingerprint that ignores
line numbers, and safe rewrites as SARIF fixes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from pushlint import __version__
from pushlint.baseline import display_path, fingerprints
from pushlint.formatters.streamed import HOLE, json_chunks
from pushlint.policy import UNUSED_RULE
from pushlint.records import Finding, RunResult
from pushlint.rules.loader import LoadedRule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
HOME = "https://pypi.org/project/pushlint/"


def _rule(rule: LoadedRule) -> dict[str, Any]:
    spec = rule.spec
    rewrites = [r.text for r in spec.rewrites]
    help_text = spec.why.strip() + "".join(f"\n- {r}" for r in rewrites)
    return {
        "id": spec.id,
        "name": spec.name,
        "shortDescription": {"text": spec.name.replace("-", " ")},
        "fullDescription": {"text": " ".join(spec.why.split())},
        "help": {
            "text": help_text,
            "markdown": " ".join(spec.why.split())
            + "\n\n**Instead:**\n"
            + "".join(f"\n- {r}" for r in rewrites),
        },
        "defaultConfiguration": {"level": LEVEL[spec.level], "rank": float(spec.weight)},
        "properties": {"category": spec.category, "tags": [spec.category, "pushlint"]},
    }


def _descriptor(finding: Finding) -> dict[str, Any]:
    """For a finding whose rule was not loaded here (an unused suppression)."""
    unused = finding.rule == UNUSED_RULE
    return {
        "id": finding.rule,
        "name": finding.name,
        "shortDescription": {"text": finding.name.replace("-", " ")},
        "help": {
            "text": "Remove the comment, or name the rule it was meant for."
            if unused
            else finding.message
        },
        "defaultConfiguration": {"level": LEVEL[finding.level]},
        "properties": {"category": finding.category, "tags": [finding.category, "pushlint"]},
    }


def _region(f: Finding) -> dict[str, int]:
    return {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.end_line,
        "endColumn": max(f.end_column, f.column),
    }


def _result(f: Finding, uri: str, index: int, fingerprint: str) -> dict[str, Any]:
    location = {"artifactLocation": {"uri": uri, "uriBaseId": "SRCROOT"}, "region": _region(f)}
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": LEVEL[f.level],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {"pushlintFingerprint/v1": fingerprint},
        "properties": {"points": f.points, "category": f.category},
    }
    fixes = [
        {
            "description": {"text": s.text},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": uri, "uriBaseId": "SRCROOT"},
                    "replacements": [
                        {"deletedRegion": _region(f), "insertedContent": {"text": s.replacement}}
                    ],
                }
            ],
        }
        for s in f.suggestions
        if s.safe and s.replacement is not None
    ]
    if fixes:
        result["fixes"] = fixes
    return result


def chunks(result: RunResult, rules: Sequence[LoadedRule]) -> Iterator[str]:
    """The document, its results written one file at a time. The rule table comes first
    in the document, so a first pass over the reports finds the rules that are not in
    `rules` (unused suppressions); the second writes the results."""
    descriptors = [_rule(r) for r in rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for report in result.reports:
        for finding in report.findings:
            if finding.rule not in index:
                index[finding.rule] = len(descriptors)
                descriptors.append(_descriptor(finding))
    notifications = [
        {
            "level": "error",
            "message": {"text": error.problem},
            "locations": [
                {"physicalLocation": {"artifactLocation": {"uri": quote(display_path(error.path))}}}
            ],
        }
        for error in result.errors
    ]
    run = {
        "tool": {
            "driver": {
                "name": "pushlint",
                "version": __version__,
                "informationUri": HOME,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {"SRCROOT": {"uri": "./"}},
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": HOLE,
        "properties": {"model": result.model, "modelVersion": result.model_version},
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_chunks(document, _results(result, index))


def _results(result: RunResult, index: dict[str, int]) -> Iterator[dict[str, Any]]:
    for report in result.reports:
        uri = quote(display_path(report.path))
        for finding, fingerprint in fingerprints(report):
            yield _result(finding, uri, index[finding.rule], fingerprint)
