"""Skip patterns that cannot match a doc, without changing what matches.

A token or dependency pattern can only match if, for each mandatory token with a literal
LOWER/LEMMA/ORTH/NORM constraint, the doc has a token with one of those values. Checking
that against the doc's word sets costs microseconds; running spaCy's Matcher costs about
0.2 ms per pattern per email whether or not anything matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc

# pattern attribute -> the doc array attribute it is compared with (TEXT is ORTH)
LITERAL_ATTRS = {
    "LOWER": "LOWER",
    "LEMMA": "LEMMA",
    "ORTH": "ORTH",
    "TEXT": "ORTH",
    "NORM": "NORM",
    "DEP": "DEP",
}
OPTIONAL_OPS = {"?", "*", "!"}

Requirement = tuple[str, frozenset[str]]  # (attribute, any of these words)
HashedRequirement = tuple[str, frozenset[int]]


def token_requirements(spec: Mapping[str, Any]) -> list[Requirement]:
    """What one token spec demands literally; empty when it demands nothing checkable."""
    found: list[Requirement] = []
    for key, value in spec.items():
        attr = LITERAL_ATTRS.get(str(key).upper())
        if attr is None:
            continue
        if isinstance(value, str):
            found.append((attr, frozenset({value})))
        elif (
            isinstance(value, dict)
            and set(value) == {"IN"}
            and isinstance(value["IN"], list)
            and all(isinstance(v, str) for v in value["IN"])
        ):
            found.append((attr, frozenset(value["IN"])))
    return found


def _mandatory(spec: Mapping[str, Any]) -> bool:
    op = spec.get("OP")
    if op is None or op == "+":
        return True
    if isinstance(op, str) and op.startswith("{"):
        low = op.strip("{}").split(",")[0].strip()
        return bool(low) and int(low) > 0
    return op not in OPTIONAL_OPS


def pattern_requirements(pattern: list[dict[str, Any]]) -> list[Requirement]:
    """Requirements of a Matcher token pattern (optional tokens demand nothing)."""
    return [req for spec in pattern if _mandatory(spec) for req in token_requirements(spec)]


def dependency_requirements(pattern: list[dict[str, Any]]) -> list[Requirement]:
    """Requirements of a DependencyMatcher pattern: every node must be present."""
    return [req for node in pattern for req in token_requirements(node.get("RIGHT_ATTRS", {}))]


class DocWords:
    """The doc's attribute columns and word sets (string-store hashes), built on first use."""

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._columns: dict[str, numpy.ndarray] = {}
        self._sets: dict[str, set[int]] = {}

    def _column(self, attr: str) -> numpy.ndarray:
        column = self._columns.get(attr)
        if column is None:
            column = self._columns[attr] = self._doc.to_array([attr]).reshape(-1)
        return column

    def has_any(self, attr: str, values: frozenset[int]) -> bool:
        words = self._sets.get(attr)
        if words is None:
            words = self._sets[attr] = set(self._column(attr).tolist())
        return not words.isdisjoint(values)

    def satisfies(self, requirements: Iterable[HashedRequirement]) -> bool:
        return len(self._doc) > 0 and all(self.has_any(a, v) for a, v in requirements)


def hashed(requirements: Iterable[Requirement], strings: StringStore) -> list[HashedRequirement]:
    """Requirements with their words turned into string-store hashes, as to_array gives."""
    return [(attr, frozenset(strings.add(v) for v in values)) for attr, values in requirements]
