"""`phrase` rules: word lists in spaCy's PhraseMatcher, one matcher per token attribute.

The PhraseMatcher costs about the same for 30 or 3,000 phrases, so long lists are cheap.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from spacy.matcher import PhraseMatcher

from pushlint.checks.base import Hit, Trace
from pushlint.checks.prefilter import DocWords
from pushlint.rules.loader import LoadedRule, RuleFileError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class PhraseCheck:
    def __init__(self, nlp: Language, rules: Sequence[LoadedRule]) -> None:
        self._rules: dict[int, LoadedRule] = {}
        self._keys: dict[str, int] = {}
        self._matchers: list[PhraseMatcher] = []
        by_attr: dict[str, list[LoadedRule]] = {}
        for rule in rules:
            by_attr.setdefault(rule.spec.attr, []).append(rule)  # type: ignore[union-attr]
        problems = []
        for attr, group in by_attr.items():
            matcher = PhraseMatcher(nlp.vocab, attr=attr)
            # LEMMA phrases must be lemmatised the way message text is; others only tokenised.
            make = nlp.pipe if attr == "LEMMA" else _tokenize(nlp)
            for rule in group:
                phrases = list(rule.spec.phrases or [])  # type: ignore[union-attr]
                docs = list(make(phrases))
                for i, doc in enumerate(docs):
                    if len(doc) == 0:
                        problems.append(rule.problem("empty phrase", "phrases", i))
                key = nlp.vocab.strings.add(rule.id)
                self._rules[key] = rule
                self._keys[rule.id] = key
                matcher.add(rule.id, docs)
            self._matchers.append(matcher)
        if problems:
            raise RuleFileError(problems)

    def __call__(self, doc: Doc, words: DocWords | None = None) -> Iterator[Hit]:
        for matcher in self._matchers:
            for key, start, end in matcher(doc):
                yield Hit(self._rules[key], start, end)

    def trace(self, doc: Doc) -> Iterator[Trace]:
        found: dict[int, list[tuple[int, int]]] = {key: [] for key in self._rules}
        for hit in self(doc):
            found[self._keys[hit.rule.id]].append((hit.start, hit.end))
        for key, rule in self._rules.items():
            yield Trace(rule, None, True, tuple(found[key]))


def _tokenize(nlp: Language):  # type: ignore[no-untyped-def]
    return lambda texts: (nlp.make_doc(t) for t in texts)
