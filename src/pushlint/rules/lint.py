"""Warnings about rule files that load and compile but cannot work as written.

spaCy compares a listed word with one token. A word the tokenizer always splits
("we're" is "we" + "'re", "best-in-class" five tokens) therefore never matches, and
nothing says so: the rule just misses. `rules validate` reports each such word with
its file, line and column, so a rule author sees it before the rule ships.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pushlint.checks.pattern import APOSTROPHES, splits_when_compiled
from pushlint.rules.loader import LoadedRule, RuleProblem

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

# the attributes whose values are a token's own text, and so can be checked by tokenizing
_WORD_ATTRS = ("LOWER", "ORTH", "TEXT", "NORM", "LEMMA")
# a contraction's second part is a token of its own after these ("I" + "'m"), though the
# tokenizer splits it when it stands alone ("'m" -> "'" + "m")
_HOSTS = ("I", "you", "it", "we", "do", "they", "who")


def unmatchable_words(rules: Sequence[LoadedRule], tokenizer: Tokenizer) -> list[RuleProblem]:
    """A warning for each listed word of a token or dependency pattern that no single
    token can be, except the words the compiler matches as their tokens
    (`splits_when_compiled`)."""
    pieces_of: dict[str, list[str]] = {}
    problems = []
    for rule in rules:
        kind = rule.spec.match_kind
        if kind not in ("pattern", "dependency"):
            continue
        dependency = kind == "dependency"
        for i, pattern in enumerate(getattr(rule.spec, "patterns", None) or []):
            for t, token in enumerate(pattern):
                attrs = token.get("RIGHT_ATTRS", {}) if dependency else token
                for attr, where, word in _words(attrs):
                    if word not in pieces_of:
                        pieces_of[word] = _pieces(word, tokenizer)
                    pieces = pieces_of[word]
                    listed_as = str(where[0]) if where else "IN"
                    if len(pieces) < 2 or (
                        not dependency and splits_when_compiled(token, attr, word, listed_as)
                    ):
                        continue
                    path = ("patterns", i, t, *(("RIGHT_ATTRS",) if dependency else ()))
                    advice = _advice(word, pieces, where, dependency)
                    problems.append(rule.problem(advice, *path, attr, *where))
    return problems


def _words(attrs: dict[str, Any]) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    for attr in _WORD_ATTRS:
        value = attrs.get(attr)
        if isinstance(value, str):
            yield attr, (), value
        elif isinstance(value, dict):
            for op in ("IN", "NOT_IN"):
                listed = value.get(op)
                if isinstance(listed, list):
                    for k, word in enumerate(listed):
                        if isinstance(word, str):
                            yield attr, (op, k), word


def _pieces(word: str, tokenizer: Tokenizer) -> list[str]:
    pieces = [t.text for t in tokenizer(word)]
    if len(pieces) > 1 and (word[0] in APOSTROPHES or word.lower() == "n't"):
        for host in _HOSTS:
            if [t.text for t in tokenizer(host + word)] == [host, word]:
                return [word]
    return pieces


def _advice(word: str, pieces: list[str], where: tuple[str | int, ...], dependency: bool) -> str:
    split = " + ".join(f'"{p}"' for p in pieces)
    effect = "excludes nothing" if where and where[0] == "NOT_IN" else "never matches"
    fix = (
        "name the word the parser makes its head instead (`pushlint debug` shows it)"
        if dependency
        else "list its parts in consecutive tokens instead"
    )
    return (
        f'"{word}" is {len(pieces)} tokens to the tokenizer ({split}), but a listed word is '
        f"compared with one token, so it {effect}; {fix}"
    )
