"""How the pipeline sees a text, for rule authors: tokens, the parse, and what every
pattern of every rule did (matched, ran without a match, skipped by the prefilter,
matched but stood down, or skipped because the model lacks an annotation)."""

from __future__ import annotations

from dataclasses import dataclass

from pushlint.api import Linter
from pushlint.records import Report


@dataclass(frozen=True)
class TokenRow:
    i: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int


@dataclass(frozen=True)
class PatternOutcome:
    rule: str
    name: str
    kind: str
    pattern: int | None
    status: str  # reported | stood down | no match | required words absent | skipped
    matches: tuple[str, ...] = ()
    value: float | None = None


@dataclass(frozen=True)
class DebugReport:
    tokens: tuple[TokenRow, ...]
    sentences: tuple[str, ...]
    outcomes: tuple[PatternOutcome, ...]
    report: Report


def debug_text(linter: Linter, text: str) -> DebugReport:
    doc = linter.nlp(text)
    report: Report = doc._.pushlint
    reported = {(f.rule, f.start) for f in (*report.findings, *report.signals)}
    outcomes: list[PatternOutcome] = []
    for check in linter.component.checks:
        for trace in check.trace(doc):
            spec = trace.rule.spec
            matches = tuple(doc[s:e].text for s, e in trace.spans)
            if not trace.ran:
                status = "required words absent"
            elif not trace.spans:
                status = "no match"
            elif any((spec.id, doc[s:e].start_char) in reported for s, e in trace.spans):
                status = "reported"
            else:
                status = "stood down"
            outcomes.append(
                PatternOutcome(
                    spec.id, spec.name, spec.kind, trace.pattern, status, matches, trace.value
                )
            )
    for rule in linter.component.skipped:
        needs = ", ".join(sorted(rule.spec.needs()))
        outcomes.append(
            PatternOutcome(rule.id, rule.spec.name, rule.spec.kind, None, f"skipped: needs {needs}")
        )
    tokens = tuple(
        TokenRow(t.i, t.text, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i)
        for t in doc
        if not t.is_space
    )
    sentences = tuple(s.text.strip() for s in doc.sents if s.text.strip())
    order = {"reported": 0, "stood down": 1, "no match": 2, "required words absent": 3}
    outcomes.sort(key=lambda o: (order.get(o.status, 4), o.rule, o.pattern or 0))
    return DebugReport(tokens, sentences, tuple(outcomes), report)
