"""`pattern` rules: spaCy Matcher token patterns, validated one by one at load time."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from spacy.matcher import Matcher

from pushlint.checks.base import Hit
from pushlint.rules.loader import LoadedRule, RuleFileError, RuleProblem

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class PatternCheck:
    def __init__(self, nlp: Language, rules: Sequence[LoadedRule]) -> None:
        self._matcher = Matcher(nlp.vocab, validate=True)
        self._rules: dict[int, LoadedRule] = {}
        problems: list[RuleProblem] = []
        for rule in rules:
            patterns = rule.spec.patterns or []  # type: ignore[union-attr]
            ok = True
            for i, pattern in enumerate(patterns):
                probe = Matcher(nlp.vocab, validate=True)
                try:
                    probe.add("probe", [pattern])
                except Exception as exc:  # spaCy raises several types for bad patterns
                    ok = False
                    message, token = explain_pattern_error(exc, pattern)
                    where = ("patterns", i) if token is None else ("patterns", i, token)
                    problems.append(rule.problem(f"invalid token pattern: {message}", *where))
            if ok:
                key = nlp.vocab.strings.add(rule.id)
                self._rules[key] = rule
                self._matcher.add(rule.id, patterns, greedy="LONGEST")
        if problems:
            raise RuleFileError(problems)

    def __call__(self, doc: Doc) -> Iterator[Hit]:
        for key, start, end in self._matcher(doc):
            yield Hit(self._rules[key], start, end)


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
