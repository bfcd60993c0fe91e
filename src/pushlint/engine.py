"""From raw matches to a Report: sentence-level conditions, de-duplication, rewrites, score.

Conditions such as "unless the same sentence names a customer outcome" or "only beside
another report" live here, once, instead of in every check kind.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from pushlint.checks.base import Hit
from pushlint.checks.regex import stopped_rules, timeout_notes
from pushlint.records import Finding, Report, Suggestion
from pushlint.rules.loader import LoadedRule, RuleSet
from pushlint.rules.schema import Rewrite, Unless
from pushlint.score import Score, score_items
from pushlint.turns import Layout, layout_of

if TYPE_CHECKING:
    import numpy
    from spacy.tokens import Doc, Span


class LineIndex:
    """Character offset -> 1-based line and column."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def same_lines(self, other: LineIndex) -> bool:
        return self._starts == other._starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


class _Row(NamedTuple):
    """What the scorer reads of a rule."""

    rule: str
    category: str
    level: str
    weight: float
    signal: bool


class Mark(NamedTuple):
    """One kept hit, as character offsets into the message text: no words of its own, so
    it can be cached without keeping what the message said. A named tuple: a cached
    re-run rebuilds thousands of them, ten times faster than a frozen dataclass."""

    rule: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    captures: tuple[tuple[str, int, int], ...] = ()  # dependency node name, its offsets
    value: float | None = None  # a metric's measure


@dataclass(frozen=True)
class Outcome:
    """Everything the pipeline found in one message; with the text, it makes the Report."""

    marks: tuple[Mark, ...]
    stopped: tuple[str, ...] = ()  # rules whose REGEX ran over its time limit
    call: dict[str, float] | None = None  # call figures, for call notes


class Engine:
    def __init__(self, rules: Sequence[LoadedRule], ruleset: RuleSet) -> None:
        self._unless = _resolved(rules, ruleset, lambda spec: spec.conditions)
        # `only_with`: reported only beside another rule's report
        self._only_with = _resolved(rules, ruleset, lambda spec: spec.companions)

    def outcome(self, doc: Doc, hits: Sequence[Hit]) -> Outcome:
        """The kept hits as character offsets: all a report needs besides the text."""
        layout = layout_of(doc)
        # Only the seller's own words count: not a customer's turn, not a quoted line.
        hits = [h for h in hits if _by_seller(doc, h, layout)]
        conditional = [h for h in hits if h.rule.id in self._unless or h.rule.id in self._only_with]
        sentence_of = sentence_index(doc) if conditional else []
        kept = [h for h in hits if not self._suppressed(h, hits, sentence_of)]
        if self._only_with:
            # companions are the reports that stand: warnings and errors, not stood down
            reports = [
                h
                for h in kept
                if not h.rule.spec.is_signal and h.rule.spec.level in ("warning", "error")
            ]
            kept = [
                h
                for h in kept
                if h.rule.id not in self._only_with
                or _near_any(h, reports, self._only_with[h.rule.id], sentence_of)
            ]
        kept = _longest_per_rule(kept)
        bounds = sentence_bounds(doc) if kept else []
        marks = sorted((_mark(doc, hit, bounds) for hit in kept), key=_mark_order)
        return Outcome(
            marks=tuple(marks),
            stopped=tuple(sorted(stopped_rules(doc.user_data))),
            call=_call_summary(doc) if layout.is_call else None,
        )

    def _suppressed(self, hit: Hit, hits: Sequence[Hit], sentence_of: list[int]) -> bool:
        return _near_any(hit, hits, self._unless.get(hit.rule.id, ()), sentence_of)


Conditions = dict[str, list[tuple[frozenset[str], str]]]


def _resolved(
    rules: Sequence[LoadedRule], ruleset: RuleSet, conditions_of: Callable[[Any], list[Unless]]
) -> Conditions:
    """Rule id -> [(the rule ids a condition names, its reach)], the rule itself left out."""
    resolved: Conditions = {}
    for rule in rules:
        for condition in conditions_of(rule.spec):
            refs = {r.id for ref in condition.any for r in ruleset.resolve(ref)}
            resolved.setdefault(rule.id, []).append((frozenset(refs - {rule.id}), condition.within))
    return resolved


def _near_any(
    hit: Hit,
    others: Sequence[Hit],
    conditions: Sequence[tuple[frozenset[str], str]],
    sentence_of: list[int],
) -> bool:
    """Whether any of `others` named by a condition lies within that condition's reach."""
    own: tuple[int, int] | None = None  # the hit's sentences, found once if needed
    for refs, within in conditions:
        for other in others:
            if other is hit or other.rule.id not in refs:
                continue
            if within == "message":
                return True
            if within == "overlap":
                if other.start < hit.end and hit.start < other.end:
                    return True
                continue
            own = own or _sentences(hit, sentence_of)
            theirs = _sentences(other, sentence_of)
            reach = 1 if within == "adjacent" else 0
            if theirs[0] <= own[1] + reach and own[0] <= theirs[1] + reach:
                return True
    return False


def _call_summary(doc: Doc) -> dict[str, float]:
    """The call figures a coach reads first, whatever the thresholds."""
    from pushlint.checks.metric import METRICS

    summary = {}
    for key, name in (
        ("rep_talk_share", "rep_talk_share"),
        ("rep_questions", "rep_questions"),
        ("rep_longest_monologue", "rep_longest_monologue"),
    ):
        metric = METRICS[name]
        value = metric.func(doc, {**metric.params, "min_words": 0}).value
        if value is not None:
            summary[key] = round(value, 3)
    return summary


def _by_seller(doc: Doc, hit: Hit, layout: Layout) -> bool:
    if hit.start >= len(doc):
        return True
    span = doc[hit.start : hit.end]
    return layout.overlaps_seller(span.start_char, span.end_char)


def _sentence_starts(doc: Doc) -> numpy.ndarray:
    starts = doc.to_array(["SENT_START"]).reshape(-1) == 1
    starts[0] = True
    return starts


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token."""
    if not len(doc):
        return []
    import numpy  # here, not at the top: a run served from the cache never needs it

    return (numpy.cumsum(_sentence_starts(doc)) - 1).tolist()


def sentence_bounds(doc: Doc) -> list[int]:
    """Token index where each sentence starts, plus len(doc) at the end."""
    if not len(doc):
        return [0]
    import numpy

    return [*numpy.flatnonzero(_sentence_starts(doc)).tolist(), len(doc)]


def _sentences(hit: Hit, sentence_of: list[int]) -> tuple[int, int]:
    if not sentence_of:
        return 0, 0
    last = max(hit.start, hit.end - 1)
    return sentence_of[min(hit.start, len(sentence_of) - 1)], sentence_of[
        min(last, len(sentence_of) - 1)
    ]


def _longest_per_rule(hits: list[Hit]) -> list[Hit]:
    """Keep, for each rule, the longest of any overlapping matches (like filter_spans)."""
    taken: dict[str, list[tuple[int, int]]] = {}
    result: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        spans = taken.setdefault(hit.rule.id, [])
        if any(hit.start < end and start < hit.end for start, end in spans):
            continue
        spans.append((hit.start, hit.end))
        result.append(hit)
    return result


def _mark(doc: Doc, hit: Hit, bounds: list[int]) -> Mark:
    span = _trim(doc[hit.start : hit.end])
    k = bisect_right(bounds, span.start) - 1
    sentence = doc[bounds[k] : bounds[k + 1]] if len(doc) else span
    captures = tuple(
        (name, token.idx, token.idx + len(token))
        for name, i in hit.captures.items()
        for token in (doc[i],)
    )
    return Mark(
        rule=hit.rule.id,
        start=span.start_char,
        end=span.end_char,
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
        captures=captures,
        value=hit.value,
    )


def _mark_order(mark: Mark) -> tuple[int, int, str]:
    return mark.start, mark.end, mark.rule


class Wording:
    """What every finding of one rule shares, worked out once per rule set instead of
    once per finding: its score row, whether its message needs filling in, and its
    rewrites (one shared tuple when none has a placeholder)."""

    __slots__ = (
        "kind", "match_only", "message", "metric", "name", "plain", "rewrites", "row",
        "templated",
    )  # fmt: skip

    def __init__(self, spec: Any) -> None:
        self.row = _Row(spec.id, spec.category, spec.level, spec.weight, spec.is_signal)
        self.name: str = spec.name
        self.kind: str = spec.kind
        self.message: str = spec.message
        self.templated = _templated(spec.message)
        # "... {match} ..." and no other placeholder or brace: joined, not formatted
        self.match_only = _match_only(spec.message) if self.templated else None
        self.metric: str | None = getattr(spec, "metric", None)
        self.rewrites: list[Rewrite] = spec.rewrites
        plain = all(r.replacement is None and not _templated(r.text) for r in self.rewrites)
        self.plain = tuple(_plain_suggestion(r.text) for r in self.rewrites) if plain else None


class Wordings(dict[str, Wording]):
    """Rule id -> Wording, built the first time a rule is worded."""

    def __init__(self, rules: Mapping[str, LoadedRule]) -> None:
        super().__init__()
        self._rules = rules

    def __missing__(self, rule_id: str) -> Wording:
        wording = self[rule_id] = Wording(self._rules[rule_id].spec)
        return wording


def build_report(outcome: Outcome, text: str, wordings: Wordings, layout: Layout) -> Report:
    """A Report from an outcome and the text it was found in. The one place findings are
    worded and scored, whether the outcome was just computed or read from the cache."""
    lines = LineIndex(text)
    used = [wordings[mark.rule] for mark in outcome.marks]
    result = score_items([w.row for w in used])
    findings = [
        _finding(mark, wording, text, lines, p)
        for mark, wording, p in zip(outcome.marks, used, result.points, strict=True)
    ]
    return Report(
        path="",
        notes=(*(n for n in (layout.note(),) if n), *timeout_notes(outcome.stopped)),
        call=outcome.call,
        **_score_fields(result, findings),
    )


def scored(report: Report, items: Sequence[Finding]) -> Report:
    """The report holding `items` (findings and signals in message order), scored with
    the one formula."""
    result = score_items(items)
    updated = [
        dataclasses.replace(f, points=p) if f.points != p else f
        for f, p in zip(items, result.points, strict=True)
    ]
    return dataclasses.replace(report, **_score_fields(result, updated))


def _score_fields(result: Score, items: Sequence[Finding]) -> dict[str, Any]:
    return {
        "score": result.score,
        "band": result.band,
        "categories": result.categories,
        "findings": tuple(f for f in items if not f.signal),
        "signals": tuple(f for f in items if f.signal),
        "penalty": result.penalty,
        "relief": result.relief,
    }


def _finding(mark: Mark, wording: Wording, text: str, lines: LineIndex, points: float) -> Finding:
    _, start, end, sentence_start, sentence_end, captures, value = mark
    row = wording.row
    matched = text[start:end]
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    message = wording.message
    suggestions = wording.plain
    if wording.match_only is not None and suggestions is not None:
        message = " ".join(matched.split()).join(wording.match_only)
    elif wording.templated or suggestions is None:
        values = _Keep(match=" ".join(matched.split()))
        for name, capture_start, capture_end in captures:
            values[name] = text[capture_start:capture_end]
        if value is not None:
            values["value"] = format_value(value, wording.metric)
        if wording.templated:
            message = message.format_map(values)
        if suggestions is None:
            suggestions = tuple(_suggestion(item, values, matched) for item in wording.rewrites)
    return Finding.from_fields(
        {
            "rule": row.rule,
            "name": wording.name,
            "category": row.category,
            "level": row.level,
            "message": message,
            "start": start,
            "end": end,
            "text": matched,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "points": points,
            "signal": row.signal,
            "suggestions": suggestions,
            "sentence": text[sentence_start:sentence_end],
            "sentence_start": sentence_start,
            "part": "body",
            "weight": row.weight,
            "kind": wording.kind,
        }
    )


def _suggestion(item: Rewrite, values: dict[str, str], matched: str) -> Suggestion:
    """Fill in a rewrite; a replacement table gives a replacement only for the words it lists."""
    if item.replacement is None and not _templated(item.text):
        return _plain_suggestion(item.text)  # most rewrites: the same words every time
    replacement: str | None = None
    if isinstance(item.replacement, str):
        replacement = _fill(item.replacement, values)
    elif item.replacement is not None:
        found = item.replacement.get(" ".join(matched.lower().split()))
        if found is not None:
            replacement = match_case(found, matched)
    return Suggestion(
        text=_fill(item.text, values),
        replacement=replacement,
        safe=item.safe and replacement is not None,
    )


@lru_cache(maxsize=4096)
def _plain_suggestion(text: str) -> Suggestion:
    """One shared (frozen) Suggestion per plain rewrite text, not one per finding."""
    return Suggestion(text=text)


def _match_only(template: str) -> list[str] | None:
    """The text around each {match} when that is the template's only placeholder."""
    parts = template.split("{match}")
    return parts if not any("{" in p or "}" in p for p in parts) else None


def _templated(text: str) -> bool:
    return "{" in text or "}" in text  # "}}" is an escaped brace: format_map it too


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format_map(_Keep(values)) if _templated(template) else template


def match_case(replacement: str, original: str) -> str:
    """ "Leverage" -> "Use", "leverage" -> "use": a replacement keeps a capital first letter."""
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


_TRAILING = frozenset({",", ";", ":"})


def _trim(span: Span) -> Span:
    """Drop leading and trailing whitespace tokens from a reported span, and a trailing
    comma, semicolon or colon a pattern matched only to see where a clause ends."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].is_space:
        start += 1
    while end > start + 1 and (span.doc[end - 1].is_space or span.doc[end - 1].text in _TRAILING):
        end -= 1
    return span.doc[start:end]


def format_value(value: float, metric_name: str | None) -> str:
    from pushlint.checks.metric import METRICS

    metric = METRICS.get(metric_name or "")
    if metric is not None and metric.unit == "share":
        return f"{value:.0%}"
    return f"{value:g}"


class _Keep(dict[str, str]):
    """format_map that leaves unknown {names} as written instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
