"""Run a rule's own `flag` and `pass` examples, as LanguageTool and proselint do.

A flag example proves its marker: the rule must report exactly the [[...]] spans (metric
rules, which judge a whole message, only need to fire). A pass example must stay quiet.
Examples are linted with the whole rule set, so `unless` conditions act as in real use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pushlint.api import Linter
from pushlint.rules.loader import LoadedRule
from pushlint.rules.schema import MARK_RE


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str  # "flag" or "pass"
    text: str
    expected: tuple[str, ...]
    actual: tuple[str, ...]

    @property
    def ok(self) -> bool:
        if self.kind in ("pass", "rewrite"):
            return not self.actual
        if self.expected:
            return sorted(self.expected) == sorted(self.actual)
        return bool(self.actual)


def strip_marks(example: str) -> tuple[str, list[tuple[int, int]]]:
    """The example without [[ ]] and the character spans they marked."""
    text, spans, last = "", [], 0
    for match in MARK_RE.finditer(example):
        text += example[last : match.start()]
        spans.append((len(text), len(text) + len(match.group(1))))
        text += match.group(1)
        last = match.end()
    return text + example[last:], spans


def run_examples(linter: Linter, rule: LoadedRule) -> list[ExampleResult]:
    results = []
    for kind, examples in (("flag", rule.spec.examples.flag), ("pass", rule.spec.examples.pass_)):
        for example in examples:
            text, spans = strip_marks(example)
            report = linter.lint_text(text)
            hits = [f for f in (*report.findings, *report.signals) if f.rule == rule.id]
            results.append(
                ExampleResult(
                    rule=rule.id,
                    kind=kind,
                    text=text,
                    expected=tuple(text[s:e] for s, e in spans),
                    actual=tuple(f.text for f in hits),
                )
            )
    return results


_QUOTED = re.compile(r'"([^"]+)"')
_PLACEHOLDER = re.compile(r"<[^>]+>|\{[^}]+\}")


def run_rewrites(linter: Linter, rule: LoadedRule) -> list[ExampleResult]:
    """Every sentence a rule's rewrites suggest (the double-quoted parts, <placeholders>
    filled with a neutral name) must raise no flag: the advice never trips the rules.
    Metric rules judge a whole message, not one sentence of advice, so they are left out."""
    results = []
    for item in rule.spec.rewrites:
        for quoted in _QUOTED.findall(item.text):
            text = _PLACEHOLDER.sub("Xxxx", quoted)
            report = linter.lint_text(text)
            flagged = tuple(
                f"{f.rule} {f.text}"
                for f in report.findings
                if f.level != "info" and f.kind != "metric"
            )
            results.append(ExampleResult(rule.id, "rewrite", text, (), flagged))
    return results


def extra_examples(paths: list[str]) -> dict[str, tuple[list[str], list[str]]]:
    """Examples kept in `*.tests.yaml` files next to the given packs: rule -> (flag, pass).

    A tests file is a mapping with a `tests:` list of {rule, flag, pass} entries, so a
    team can grow its cases without crowding the rule file."""
    import yaml

    from pushlint.rules.loader import TEST_SUFFIXES

    found: dict[str, tuple[list[str], list[str]]] = {}
    folders = {Path(p) if Path(p).is_dir() else Path(p).parent for p in paths}
    for folder in sorted(folders):
        for file in sorted(folder.glob("*")):
            if not file.name.endswith(TEST_SUFFIXES):
                continue
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            for entry in data.get("tests", []):
                flags, passes = found.setdefault(str(entry["rule"]), ([], []))
                flags.extend(entry.get("flag", []))
                passes.extend(entry.get("pass", []))
    return found


def run_extra(
    linter: Linter, rule: LoadedRule, flags: list[str], passes: list[str]
) -> list[ExampleResult]:
    """Run extra examples for a rule the same way as its own."""
    spec = rule.spec.model_copy(
        update={"examples": type(rule.spec.examples)(flag=flags, **{"pass": passes})}
    )
    return run_examples(linter, LoadedRule(spec, rule.file, rule.pack, rule.index, rule.marks))
