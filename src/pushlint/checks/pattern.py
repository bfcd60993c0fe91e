"""`pattern` rules: spaCy Matcher token patterns, validated one by one at load time."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.matcher import Matcher

from pushlint.checks.base import Hit, Trace
from pushlint.checks.prefilter import (
    DocWords,
    HashedAnchor,
    HashedRequirement,
    RequirementIndex,
    anchors,
    hashed,
    hashed_anchor,
    pattern_requirements,
)
from pushlint.checks.regex import bounded, regexes, unsafe_reason
from pushlint.rules.loader import LoadedRule, RuleFileError, RuleProblem

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@dataclass(frozen=True)
class _Compiled:
    rule: LoadedRule
    index: int
    matcher: Matcher
    requirements: list[HashedRequirement]
    anchors: list[HashedAnchor]  # none: a repeat can match any token, search the whole doc

    def spans(self, doc: Doc, words: DocWords) -> Iterator[tuple[int, int]]:
        """Every match, found by running the matcher only around the occurrences of
        the required word that is rarest in the doc (same matches, a fraction of the
        tokens)."""
        for low, high in words.search_windows(self.anchors):
            for _, start, end in self.matcher(doc[low:high]):
                yield low + start, low + end


class PatternCheck:
    """One Matcher per pattern, run only when the pattern's literal words occur in the doc,
    and then only near them.

    Overlapping matches of one rule are resolved by the engine (longest wins), so the
    patterns of a rule need not share a matcher."""

    def __init__(self, nlp: Language, rules: Sequence[LoadedRule]) -> None:
        self._patterns: list[_Compiled] = []
        problems: list[RuleProblem] = []
        for rule in rules:
            for i, pattern in enumerate(rule.spec.patterns or []):  # type: ignore[union-attr]
                unsafe = [
                    (t, reason)
                    for t, token in enumerate(pattern)
                    for _, expression in regexes(token)
                    if (reason := unsafe_reason(expression))
                ]
                if unsafe:
                    token, reason = unsafe[0]
                    problems.append(rule.problem(f"unsafe REGEX: {reason}", "patterns", i, token))
                    continue
                matcher = Matcher(nlp.vocab, validate=True)
                try:
                    matcher.add(rule.id, [[bounded(token, rule.id) for token in pattern]])
                except Exception as exc:  # spaCy raises several types for bad patterns
                    message, token = explain_pattern_error(exc, pattern)
                    where = ("patterns", i) if token is None else ("patterns", i, token)
                    problems.append(rule.problem(f"invalid token pattern: {message}", *where))
                    continue
                strings = nlp.vocab.strings
                self._patterns.append(
                    _Compiled(
                        rule,
                        i,
                        matcher,
                        hashed(pattern_requirements(pattern), strings),
                        [hashed_anchor(a, strings) for a in anchors(pattern) or []],
                    )
                )
        if problems:
            raise RuleFileError(problems)
        self._index = RequirementIndex([p.requirements for p in self._patterns])

    def __call__(self, doc: Doc, words: DocWords | None = None) -> Iterator[Hit]:
        words = words or DocWords(doc)
        for i in self._index.satisfied(words):
            compiled = self._patterns[i]
            for start, end in compiled.spans(doc, words):
                yield Hit(compiled.rule, start, end)

    def trace(self, doc: Doc) -> Iterator[Trace]:
        words = DocWords(doc)
        for compiled in self._patterns:
            ran = words.satisfies(compiled.requirements)
            spans = tuple(compiled.spans(doc, words)) if ran else ()
            yield Trace(compiled.rule, compiled.index, ran, spans)


_TOKEN_LOC = re.compile(r"\[pattern -> (\d+) -> ([^\]]+)\] ([^\[]+)")


def explain_pattern_error(exc: Exception, pattern: object) -> tuple[str, int | None]:
    """Turn spaCy's pattern validation table into one line and the failing token's index."""
    text = str(exc)
    found = _TOKEN_LOC.findall(text)
    if found:
        token, where, problem = found[0]
        problem = " ".join(problem.split()).rstrip(" -")
        message = f"token {int(token) + 1}, {where.split(' -> ')[0]}: {problem}"
        index: int | None = int(token)
    else:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        message, index = (lines[-1] if lines else type(exc).__name__), None
    if _has_bool(pattern):
        message += (
            ' (YAML reads unquoted yes/no/on/off/true/false as booleans: quote the word, e.g. "on")'
        )
    return message, index


def _has_bool(value: object) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, dict):
        return any(_has_bool(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_bool(v) for v in value)
    return False
