"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint hashes its file, rule, matched words and the words of its
sentence, plus its rank among identical findings in that file: line numbers are left
out, so edits elsewhere in the file do not turn old findings into new ones. A metric
finding judges the whole message, so its file and rule are its identity. The file
stores hashes, rule ids and lines only, never the message text.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pushlint import __version__
from pushlint.records import Finding, Report

FORMAT = 1


class BaselineError(Exception):
    pass


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def display_path(path: str) -> str:
    """Paths as stored: relative to the working folder when inside it, `/`-separated."""
    if path == "-":
        return path
    try:
        return Path(os.path.relpath(Path(path).resolve(), Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()


def fingerprints(report: Report) -> list[tuple[Finding, str]]:
    """Each finding with its fingerprint, in report order."""
    seen: Counter[tuple[str, str, str]] = Counter()
    path = display_path(report.path)
    result = []
    for finding in report.findings:
        if finding.kind == "metric":
            key = (finding.rule, "", "")
        else:
            key = (finding.rule, _words(finding.text), _words(finding.sentence))
        rank = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\0".join((path, *key, str(rank))).encode("utf-8"))
        result.append((finding, digest.hexdigest()[:20]))
    return result


@dataclass(frozen=True)
class Baseline:
    known: frozenset[str]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BaselineError(f"{path}: not a pushlint baseline (format {FORMAT})")
        return cls(frozenset(str(item["fingerprint"]) for item in data.get("findings", [])))

    def new_only(self, report: Report) -> Report:
        from pushlint.policy import rescore

        old = {id(f) for f, digest in fingerprints(report) if digest in self.known}
        return rescore(report, lambda f: f.signal or id(f) not in old) if old else report


def write_baseline(path: Path, reports: Iterable[Report]) -> int:
    """Write every current finding's fingerprint; returns how many."""
    from pushlint.fix import write_atomic

    items = [
        {
            "path": display_path(report.path),
            "rule": finding.rule,
            "line": finding.line,
            "fingerprint": digest,
        }
        for report in reports
        for finding, digest in fingerprints(report)
    ]
    document = {"format": FORMAT, "pushlint": __version__, "findings": items}
    write_atomic(path, (json.dumps(document, indent=2) + "\n").encode("utf-8"))
    return len(items)
