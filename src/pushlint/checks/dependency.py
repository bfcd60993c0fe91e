"""`dependency` rules: spaCy DependencyMatcher patterns over the parse.

These are what let a rule ask who the grammatical subject is, so "We are the leading
provider" and "We will help you cut onboarding time" can be told apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from spacy.matcher import DependencyMatcher

from pushlint.checks.base import Hit
from pushlint.checks.pattern import explain_pattern_error
from pushlint.rules.loader import LoadedRule, RuleFileError, RuleProblem

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class DependencyCheck:
    def __init__(self, nlp: Language, rules: Sequence[LoadedRule]) -> None:
        self._matcher = DependencyMatcher(nlp.vocab, validate=True)
        self._rules: dict[int, LoadedRule] = {}
        self._names: dict[int, list[str]] = {}
        self._shown: dict[int, list[int]] = {}
        problems: list[RuleProblem] = []
        for rule in rules:
            for i, pattern in enumerate(rule.spec.patterns or []):  # type: ignore[union-attr]
                key_name = f"{rule.id}#{i}"
                try:
                    self._matcher.add(key_name, [pattern])
                except Exception as exc:
                    message, _ = explain_pattern_error(exc, pattern)
                    problems.append(
                        rule.problem(f"invalid dependency pattern: {message}", "patterns", i)
                    )
                    continue
                key = nlp.vocab.strings[key_name]
                self._rules[key] = rule
                self._names[key] = [str(node["RIGHT_ID"]) for node in pattern]
                shown = getattr(rule.spec, "highlight", None)
                self._shown[key] = [
                    n for n, name in enumerate(self._names[key]) if not shown or name in shown
                ]
        if problems:
            raise RuleFileError(problems)

    def __call__(self, doc: Doc) -> Iterator[Hit]:
        for key, token_ids in self._matcher(doc):
            names = self._names[key]
            captures = {name: doc[i].text for name, i in zip(names, token_ids, strict=True)}
            shown = [token_ids[n] for n in self._shown[key]] or token_ids
            yield Hit(self._rules[key], min(shown), max(shown) + 1, captures)
