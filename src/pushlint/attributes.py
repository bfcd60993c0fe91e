"""spaCy's AttributeRuler, the same rules applied for a fraction of the cost.

In en_core_web_sm the attribute ruler (tag -> POS and morphology, plus exceptions) costs
about a quarter of the whole pipeline: its Matcher tries all 179 patterns on every token,
and then every match builds a Span and sets attributes one Python call at a time.

Almost all of its patterns are one token compared with literal values (TAG, LOWER,
DEP, IS_SPACE, a REGEX on LOWER), so the rules a token matches depend only on those
values: they are worked out, and merged in rule order (later rules win), once per
distinct combination and remembered. The few others (two-token patterns, the "expl"
rule) keep a Matcher each, run only near their literal words. In a doc none of those
match (most docs), each token gets its combination's merged values; otherwise every
match is applied in spaCy's order. Either way each changed column is written with one
`Doc.from_array`, so tokens end with exactly the values spaCy's own code gives them;
`tests/test_speed.py` compares both on a corpus.

The rule lemmatizer gets the same treatment (`speed_up_lemmatizers`): a lemma depends
only on the token's text, POS and morphology, so it is worked out once per distinct
combination and written with one `from_array`, instead of a Python call per token.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy

from pushlint.checks.prefilter import (
    DocWords,
    HashedAnchor,
    HashedRequirement,
    anchors,
    hashed,
    hashed_anchor,
    pattern_requirements,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc

# Token attributes the writer sets; a ruler that sets anything else keeps spaCy's code.
_WRITABLE = ("TAG", "POS", "MORPH", "LEMMA", "DEP")
Match = tuple[int, int, int, int]  # rule number, match id, start, end: what spaCy sorts
Test = Callable[[int], bool]


def speed_up_attribute_rulers(nlp: Language) -> None:
    """Swap the fast matcher and writer into every attribute ruler they can stand in for."""
    from spacy.attrs import IDS
    from spacy.pipeline import AttributeRuler

    writable = {IDS[name] for name in _WRITABLE}
    for _, component in nlp.pipeline:
        if not isinstance(component, AttributeRuler):
            continue
        if not all(set(attrs) <= writable for attrs in component.attrs):
            continue
        fast = _FastMatch(component)
        component.match = fast  # type: ignore[method-assign]
        component.set_annotations = types.MethodType(_set_annotations, component)  # type: ignore[method-assign]
        # spaCy calls a component through its class, so the class is swapped, not a method
        component.__class__ = _fast_ruler(type(component))


LEMMA_CACHE_SIZE = 200_000  # distinct (word, POS, morphology) lemmas kept; then start over


def speed_up_lemmatizers(nlp: Language) -> None:
    """Swap the cached writer into every rule-mode lemmatizer (spaCy's own cache skips
    base forms and still walks every token in Python)."""
    from spacy.pipeline import Lemmatizer

    for _, component in nlp.pipeline:
        if isinstance(component, Lemmatizer) and component.mode == "rule":
            # spaCy calls a component through its class, so the class is swapped, not a method
            component.__class__ = _cached_lemmatizer(type(component))
            component._pushlint_lemmas = {}  # type: ignore[attr-defined]


@functools.cache
def _cached_lemmatizer(base: type) -> type:
    return type(f"Cached{base.__name__}", (base,), {"__call__": _lemmatize})


def _lemmatize(self: Any, doc: Doc) -> Doc:
    """`Lemmatizer.__call__` for rule mode: the same lemmas, one lookup per distinct
    (ORTH, POS, MORPH), one `from_array` per doc."""
    from spacy.attrs import LEMMA, MORPH, ORTH, POS

    if not self._validated:
        from spacy.errors import Errors

        self._validate_tables(Errors.E1004)
    if not len(doc):
        return doc
    rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
    known: dict[tuple[int, int, int], str] = self._pushlint_lemmas
    if len(known) > LEMMA_CACHE_SIZE:
        known.clear()
    strings = doc.vocab.strings
    lemmas = numpy.empty(len(rows), dtype=numpy.uint64)
    for i, (orth, pos, morph, lemma) in enumerate(rows):
        if lemma and not self.overwrite:
            lemmas[i] = lemma
            continue
        key = (orth, pos, morph)
        text = known.get(key)
        if text is None:
            text = known[key] = self.lemmatize(doc[i])[0]
        lemmas[i] = strings.add(text)  # the string store of a memory zone forgets it
    doc.from_array([LEMMA], lemmas.reshape(-1, 1))
    return doc


class _FastMatch:
    """`AttributeRuler.match` with one-token literal patterns looked up, not matched."""

    def __init__(self, ruler: AttributeRuler) -> None:
        from spacy.attrs import IDS
        from spacy.matcher import Matcher

        strings = ruler.vocab.strings
        self._ids = [strings[str(n)] for n in range(len(ruler.attrs))]
        self._rest: list[tuple[Matcher, list[HashedRequirement], list[HashedAnchor]]] = []
        singles: list[tuple[int, list[tuple[int, Test]]]] = []
        for n, patterns in enumerate(_patterns_by_rule(ruler)):
            for pattern in patterns:
                tests = _literal_tests(pattern, strings) if len(pattern) == 1 else None
                if tests is None:
                    matcher = Matcher(ruler.vocab)
                    matcher.add(str(n), [pattern])
                    needed = hashed(pattern_requirements(pattern), strings)
                    near = [hashed_anchor(a, strings) for a in anchors(pattern) or []]
                    self._rest.append((matcher, needed, near))
                else:
                    singles.append((n, [(IDS[attr], test) for attr, test in tests]))
        self._columns = sorted({attr for _, tests in singles for attr, _ in tests})
        self._where = {attr: i for i, attr in enumerate(self._columns)}
        self._singles = [
            (n, [(self._where[attr], test) for attr, test in tests]) for n, tests in singles
        ]
        self._seen: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._merged: dict[tuple[int, ...], dict[int, int]] = {}
        self._attrs = ruler.attrs
        # a one-token rule writes to its own token unless its index says otherwise
        self.in_place = all(ruler.indices[n] in (0, -1) for n, _ in singles)

    def _rules_for(self, values: tuple[int, ...]) -> tuple[int, ...]:
        found = self._seen.get(values)
        if found is None:
            found = tuple(
                n for n, tests in self._singles if all(test(values[i]) for i, test in tests)
            )
            self._seen[values] = found
        return found

    def write_merged(self, doc: Doc) -> None:
        """Apply the one-token rules, each distinct token shape's rules merged once (in
        rule order: later rules win), and write each changed column once. Only for a doc
        no other rule matches (see `_apply_rules`)."""
        if not self._columns or not len(doc):
            return
        rows = doc.to_array(self._columns).reshape(len(doc), len(self._columns)).tolist()
        final = [self._merged_for(tuple(row)) for row in rows]
        columns = sorted({attr for values in final for attr in values})
        if not columns:
            return
        where = {attr: i for i, attr in enumerate(columns)}
        out = doc.to_array(columns).reshape(len(doc), len(columns)).tolist()
        for row, values in zip(out, final, strict=True):
            for attr, value in values.items():
                row[where[attr]] = value
        doc.from_array(columns, numpy.array(out, dtype=numpy.uint64))

    def _merged_for(self, values: tuple[int, ...]) -> dict[int, int]:
        merged = self._merged.get(values)
        if merged is None:
            merged = {}
            for n in self._rules_for(values):
                merged.update(self._attrs[n])
            self._merged[values] = merged
        return merged

    def __call__(self, doc: Doc, rest: list[Match] | None = None) -> list[Match]:
        """Every match in spaCy's order (`rest`: the other rules' matches, if known)."""
        matches: list[Match] = []
        if self._columns and len(doc):
            rows = doc.to_array(self._columns).reshape(len(doc), len(self._columns)).tolist()
            for i, row in enumerate(rows):
                for n in self._rules_for(tuple(row)):
                    matches.append((n, self._ids[n], i, i + 1))
        return sorted(matches + (self.rest_matches(doc) if rest is None else rest))

    def rest_matches(self, doc: Doc) -> list[Match]:
        """Matches of the rules that are not one-token literal comparisons."""
        matches: list[Match] = []
        words = DocWords(doc)
        for matcher, needed, near in self._rest:
            if not words.satisfies(needed):
                continue
            for low, high in words.search_windows(near):
                found = matcher(doc[low:high], allow_missing=True, as_spans=False)
                for match_id, start, end in found:  # type: ignore[misc]
                    rule = int(doc.vocab.strings[match_id])
                    matches.append((rule, match_id, low + start, low + end))
        return matches


@functools.cache
def _fast_ruler(base: type) -> type:
    return type(f"Fast{base.__name__}", (base,), {"__call__": _apply_rules})


def _apply_rules(self: AttributeRuler, doc: Doc) -> Doc:
    """`AttributeRuler.__call__`: one-token rules written per distinct token shape when
    no other rule matches the doc (the usual case), else every match in rule order."""
    fast: _FastMatch = self.match  # type: ignore[assignment]
    rest = fast.rest_matches(doc)
    if rest or not fast.in_place:
        self.set_annotations(doc, fast(doc, rest))
    else:
        fast.write_merged(doc)
    return doc


def _patterns_by_rule(ruler: AttributeRuler) -> list[list[list[dict[str, Any]]]]:
    """Each rule's patterns, in rule order (`ruler.patterns` lists one entry per rule)."""
    return [entry["patterns"] for entry in ruler.patterns]


def _literal_tests(pattern: list[dict[str, Any]], strings: Any) -> list[tuple[str, Test]] | None:
    """Per-attribute tests for a one-token pattern of literal comparisons, else None."""
    tests: list[tuple[str, Test]] = []
    for key, value in pattern[0].items():
        attr = str(key).upper()
        if attr not in {"TAG", "POS", "LOWER", "ORTH", "DEP", "LEMMA", "NORM", "IS_SPACE"}:
            return None
        if isinstance(value, bool):
            tests.append((attr, _equals(int(value))))
        elif isinstance(value, str) and attr != "POS":
            tests.append((attr, _equals(strings.add(value))))
        elif isinstance(value, dict) and set(value) == {"REGEX"} and attr != "IS_SPACE":
            tests.append((attr, _searches(re.compile(value["REGEX"]), strings)))
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            ((op, items),) = value.items()
            if attr == "POS" or not all(isinstance(v, str) for v in items):
                return None
            wanted = frozenset(strings.add(v) for v in items)
            tests.append((attr, _member(wanted, op == "IN")))
        else:
            return None
    return tests


def _equals(expected: int) -> Test:
    return lambda value: value == expected


def _searches(expression: re.Pattern[str], strings: Any) -> Test:
    return lambda value: bool(value) and expression.search(strings[value]) is not None


def _member(values: frozenset[int], inside: bool) -> Test:
    return lambda value: (value in values) == inside


def _set_annotations(self: AttributeRuler, doc: Doc, matches: list[Match]) -> None:
    """Apply matches in order (later rules win) and write every changed column at once."""
    if not matches:
        return
    final: dict[int, dict[int, int]] = {}
    for n, _, start, end in matches:
        index = self.indices[n]
        position = (start if index >= 0 else end) + index
        if not start <= position < end:  # spaCy raises a helpful error for a bad index
            type(self).set_annotations(self, doc, matches)
            return
        final.setdefault(position, {}).update(self.attrs[n])
    columns = sorted({attr for values in final.values() for attr in values})
    array = doc.to_array(columns).reshape(len(doc), len(columns))
    where = {attr: i for i, attr in enumerate(columns)}
    for position, values in final.items():
        row = array[position]
        for attr, value in values.items():
            row[where[attr]] = value
    doc.from_array(columns, array.astype(numpy.uint64, copy=False))
