"""`pattern` rules: spaCy Matcher token patterns, validated one by one at load time."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
        split_seen: dict[str, list[str]] = {}
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
                for variant in [pattern, *split_words(pattern, nlp, seen=split_seen)]:
                    if variant is not pattern:
                        matcher = Matcher(nlp.vocab)
                        matcher.add(rule.id, [[bounded(token, rule.id) for token in variant]])
                    self._patterns.append(
                        _Compiled(
                            rule,
                            i,
                            matcher,
                            hashed(pattern_requirements(variant), strings),
                            [hashed_anchor(a, strings) for a in anchors(variant) or []],
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
        """One trace per pattern as written: the copies `split_words` made of it are
        folded in, so `pushlint debug` shows the rule author's patterns."""
        words = DocWords(doc)
        written: dict[tuple[str, int], tuple[LoadedRule, bool, set[tuple[int, int]]]] = {}
        for compiled in self._patterns:
            key = (compiled.rule.id, compiled.index)
            rule, ran, spans = written.get(key, (compiled.rule, False, set()))
            if words.satisfies(compiled.requirements):
                ran = True
                spans.update(compiled.spans(doc, words))
            written[key] = (rule, ran, spans)
        for (_, index), (rule, ran, spans) in written.items():
            yield Trace(rule, index, ran, tuple(sorted(spans)))


_WORD_ATTRS = ("LOWER", "ORTH", "TEXT", "NORM")
APOSTROPHES = ("'", "’", "`")  # a word with one is a contraction's part


def split_words(
    pattern: list[dict[str, Any]],
    nlp: Language,
    start: int = 0,
    seen: dict[str, list[str]] | None = None,
) -> list[list[dict[str, Any]]]:
    """A copy of the pattern for each listed word the tokenizer splits ("end-of-quarter"
    is five tokens, "sign-off" three), with that token replaced by the tokens the word
    splits into. A listed word is compared with one token, so as written it could never
    match. Only a token matched once or optionally is split: a repeat of a group of
    tokens is not something a token pattern can say. Words with an apostrophe are left
    as they are: the tokenizer splits "'m" alone but not after "I", and patterns spell
    out a contraction's parts ("we", then "'re"); a copy per listed contraction cost
    2.5% of a run for no new match. `seen` keeps each word's tokens across the calls of
    one compile: the shipped packs list 1,230 distinct words 4,697 times."""
    seen = {} if seen is None else seen
    variants = []
    for k in range(start, len(pattern)):
        token = pattern[k]
        for attr in _WORD_ATTRS:
            value = token.get(attr)
            words = [value] if isinstance(value, str) else _listed(value)
            for word in words:
                if not splits_when_compiled(token, attr, word):
                    continue
                if word not in seen:
                    # a word of letters is one token unless the tokenizer has an
                    # exception for it ("cannot"): no need to run it (1,100 words)
                    whole = word.isalpha() and word not in nlp.tokenizer.rules
                    seen[word] = [word] if whole else [t.text for t in nlp.tokenizer(word)]
                pieces = seen[word]
                if len(pieces) < 2:
                    continue
                others = {key: v for key, v in token.items() if key not in (attr, "OP")}
                replacement = [{attr: piece} for piece in pieces]
                replacement[0].update(others)  # e.g. IS_SENT_START: the word's first token
                variant = [*pattern[:k], *replacement, *pattern[k + 1 :]]
                # and with a later listed word split as well ("quarter-end sign-off")
                variants += [variant, *split_words(variant, nlp, k + len(replacement), seen)]
    return variants


def splits_when_compiled(
    token: dict[str, Any], attr: str, word: str, listed_as: str = "IN"
) -> bool:
    """Whether `split_words` matches this word of a token pattern as the tokens it splits
    into; `rules validate` warns about the split words it does not."""
    return (
        attr in _WORD_ATTRS
        and listed_as == "IN"
        and token.get("OP") in (None, "?", "1")
        and not any(mark in word for mark in APOSTROPHES)
    )


def _listed(value: object) -> list[str]:
    if isinstance(value, dict) and isinstance(value.get("IN"), list):
        return [word for word in value["IN"] if isinstance(word, str)]
    return []


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
