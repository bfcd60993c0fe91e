"""`dependency` rules: spaCy DependencyMatcher patterns over the parse.

These are what let a rule ask who the grammatical subject is, so "We are the leading
provider" and "We will help you cut onboarding time" can be told apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.matcher import DependencyMatcher

from pushlint.checks.base import Hit, Trace
from pushlint.checks.pattern import explain_pattern_error
from pushlint.checks.prefilter import (
    DocWords,
    HashedRequirement,
    RequirementIndex,
    dependency_requirements,
    hashed,
)
from pushlint.checks.regex import bounded, regexes, unsafe_reason
from pushlint.rules.loader import LoadedRule, RuleFileError, RuleProblem

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class DependencyCheck:
    """One DependencyMatcher per pattern, run only when its literal nodes occur in the doc."""

    def __init__(self, nlp: Language, rules: Sequence[LoadedRule]) -> None:
        self._patterns: list[_Compiled] = []
        problems: list[RuleProblem] = []
        for rule in rules:
            shown_names = getattr(rule.spec, "highlight", None)
            for i, pattern in enumerate(rule.spec.patterns or []):  # type: ignore[union-attr]
                reasons = [
                    reason
                    for node in pattern
                    for _, expression in regexes(node.get("RIGHT_ATTRS", {}))
                    if (reason := unsafe_reason(expression))
                ]
                if reasons:
                    problems.append(rule.problem(f"unsafe REGEX: {reasons[0]}", "patterns", i))
                    continue
                safe_pattern = [
                    {**node, "RIGHT_ATTRS": bounded(node.get("RIGHT_ATTRS", {}), rule.id)}
                    for node in pattern
                ]
                matcher = DependencyMatcher(nlp.vocab, validate=True)
                try:
                    matcher.add(rule.id, [safe_pattern])
                except Exception as exc:
                    message, _ = explain_pattern_error(exc, pattern)
                    problems.append(
                        rule.problem(f"invalid dependency pattern: {message}", "patterns", i)
                    )
                    continue
                names = [str(node["RIGHT_ID"]) for node in pattern]
                shown = [
                    n for n, name in enumerate(names) if not shown_names or name in shown_names
                ]
                self._patterns.append(
                    _Compiled(
                        i,
                        rule,
                        matcher,
                        names,
                        shown,
                        hashed(dependency_requirements(pattern), nlp.vocab.strings),
                    )
                )
        if problems:
            raise RuleFileError(problems)
        self._index = RequirementIndex([p.requirements for p in self._patterns])

    def __call__(self, doc: Doc, words: DocWords | None = None) -> Iterator[Hit]:
        words = words or DocWords(doc)
        for i in self._index.satisfied(words):
            compiled = self._patterns[i]
            for token_ids in compiled.matches(doc, words):
                captures = dict(zip(compiled.names, token_ids, strict=True))
                shown = [token_ids[n] for n in compiled.shown] or token_ids
                yield Hit(compiled.rule, min(shown), max(shown) + 1, captures)

    def trace(self, doc: Doc) -> Iterator[Trace]:
        words = DocWords(doc)
        for compiled in self._patterns:
            ran = words.satisfies(compiled.requirements)
            spans: list[tuple[int, int]] = []
            if ran:
                for token_ids in compiled.matches(doc, words):
                    shown = [token_ids[n] for n in compiled.shown] or token_ids
                    spans.append((min(shown), max(shown) + 1))
            yield Trace(compiled.rule, compiled.index, ran, tuple(spans))


@dataclass(frozen=True)
class _Compiled:
    index: int
    rule: LoadedRule
    matcher: DependencyMatcher
    names: list[str]
    shown: list[int]
    requirements: list[HashedRequirement]

    def matches(self, doc: Doc, words: DocWords) -> Iterator[list[int]]:
        """Token ids of every match. A parse tree never crosses a sentence, so only the
        sentences holding all the pattern's words are searched."""
        if not self.requirements:
            for _, token_ids in self.matcher(doc):
                yield token_ids
            return
        for start, end in words.sentences(self.requirements):
            yield from _matches_in_sentence(self.matcher, doc, start, end)


def _matches_in_sentence(
    matcher: DependencyMatcher, doc: Doc, start: int, end: int
) -> Iterator[list[int]]:
    """What `matcher(doc[start:end])` finds, in doc positions, without the copy.

    Given a span, DependencyMatcher copies it into a new Doc (~80 us a sentence, more
    than the search) and then takes three steps, repeated here on the parsed doc:
    match each node's token pattern, group the tokens by the root of their tree, check
    the relations between them. Every relation it knows stays inside a token's tree, and
    a sentence's tree inside the sentence, so the matches are the same, in the same
    order (tests/test_speed.py compares both on a corpus). This reads DependencyMatcher's
    own attributes, which spaCy 3.8 declares public; the spaCy pin keeps them."""
    by_root: dict[int, dict[int, list[int]]] = {}
    for match_id, first, _ in matcher._matcher(doc[start:end]):
        token = doc[start + first]
        root = token
        while root.head.i != root.i:
            root = root.head
        by_root.setdefault(root.i, {}).setdefault(match_id, []).append(token.i)
    cache: dict[object, list[int]] = {}
    for key in matcher._patterns:
        for tree, tokens_to_key in zip(
            matcher._tree[key], matcher._tokens_to_key[key], strict=True
        ):
            for positions in by_root.values():
                # a node with no token: no match (spaCy finds none in an empty product)
                if all(k in positions for k in tokens_to_key):
                    yield from matcher._get_matches(cache, doc, tree, tokens_to_key, positions)
