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
    AnchorIndex,
    DocWords,
    HashedRequirement,
    dependency_requirements,
    hashed,
)
from pushlint.checks.regex import TIMEOUTS_KEY, bounded, regexes, unsafe_reason
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
        self._index = AnchorIndex([p.requirements for p in self._patterns])

    def __call__(self, doc: Doc, words: DocWords | None = None) -> Iterator[Hit]:
        words = words or DocWords(doc)
        for i in self._index.candidates(words):
            compiled = self._patterns[i]
            if not words.satisfies(compiled.requirements):
                continue
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
        sentences holding all the pattern's words are searched, each copied once into a
        doc of its own (shared by all patterns); past a few sentences one pass over the
        whole doc is cheaper."""
        sentences = words.sentences(self.requirements) if self.requirements else None
        if sentences is None or len(sentences) > _WHOLE_DOC_AFTER:
            for _, token_ids in self.matcher(doc):
                yield token_ids
            return
        for start, end in sentences:
            part = words.sentence_doc(start, end)
            for _, token_ids in self.matcher(part):
                yield [start + i for i in token_ids]
            stopped = part.user_data.get(TIMEOUTS_KEY)
            if stopped:
                doc.user_data.setdefault(TIMEOUTS_KEY, set()).update(stopped)


_WHOLE_DOC_AFTER = (
    4  # sentences: a copy costs ~80 us, a search of a sentence ~25 us, of an email ~200 us
)
