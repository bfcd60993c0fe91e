"""Skip patterns that cannot match a doc, and the parts of a doc they cannot match in,
without changing what matches.

A token or dependency pattern can only match if, for each mandatory token with a literal
LOWER/LEMMA/ORTH/NORM constraint, the doc has a token with one of those values. Checking
that against the doc's word sets costs microseconds; running spaCy's Matcher costs about
0.2 ms per pattern per email whether or not anything matches, because it visits every
token. So the patterns a doc can match are found in one pass over its words
(`RequirementIndex`), and each is run only where it can match: a token pattern around
the occurrences of a required word, as far as a match can reach on either side of it
(`anchors`, `windows`), a dependency pattern within the sentences that hold all its
words (`sentences`), since a parse tree never crosses a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy

from pushlint.engine import sentence_bounds, sentence_index

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
# tokens a match can reach: a fixed count plus the longest run of each repeat's words
Reach = tuple[int, list[list[Requirement]]]
Anchor = tuple[Requirement, Reach, Reach]  # a required word, the reach before and after it
HashedReach = tuple[int, list[list[HashedRequirement]]]
HashedAnchor = tuple[HashedRequirement, HashedReach, HashedReach]


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


def max_length(pattern: list[dict[str, Any]]) -> int | None:
    """The most tokens a Matcher pattern can span; None when a repeat makes it unbounded."""
    reaches = [_spec_reach(spec) for spec in pattern]
    return sum(reaches) if all(isinstance(r, int) for r in reaches) else None  # type: ignore[arg-type]


def anchors(pattern: list[dict[str, Any]]) -> list[Anchor] | None:
    """Each literal requirement of a mandatory token, with how many tokens a match can
    reach before and after that token. A match holding the token at i lies within
    [i - before, i + 1 + after), so the matcher need not look further. A repeat (`*`,
    `+`, `{n,}`) over literal words reaches at most the longest run of consecutive
    tokens holding them (`DocWords.longest_run`); None when a repeat can match any token."""
    reaches = [_spec_reach(spec) for spec in pattern]
    if any(r is None for r in reaches):
        return None

    def total(part: list[int | list[Requirement] | None]) -> Reach:
        return sum(r for r in part if isinstance(r, int)), [r for r in part if isinstance(r, list)]

    return [
        (requirement, total(reaches[:k]), total(reaches[k + 1 :]))
        for k, spec in enumerate(pattern)
        if _mandatory(spec)
        for requirement in token_requirements(spec)
    ]


def _spec_reach(spec: Mapping[str, Any]) -> int | list[Requirement] | None:
    """The most tokens one spec matches; for an unbounded repeat, the words it is
    limited to; None when it can repeat over any token."""
    op = spec.get("OP")
    if op in (None, "!", "?", "1"):
        return 1
    if isinstance(op, str) and op.startswith("{") and op.endswith("}"):
        high = op.strip("{}").split(",")[-1].strip()
        if high:
            return int(high)
    return token_requirements(spec) or None


def dependency_requirements(pattern: list[dict[str, Any]]) -> list[Requirement]:
    """Requirements of a DependencyMatcher pattern: every node must be present."""
    return [req for node in pattern for req in token_requirements(node.get("RIGHT_ATTRS", {}))]


class DocWords:
    """The doc's attribute columns and word sets (string-store hashes), built on first use."""

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self._columns: dict[str, numpy.ndarray] = {}
        self._sets: dict[str, set[int]] = {}
        self._bounds: list[int] | None = None
        self._where: dict[str, dict[int, list[int]]] = {}
        self._positions: dict[HashedRequirement, list[int]] = {}
        self._holding: dict[HashedRequirement, set[int]] = {}
        self._sentence_of: list[int] | None = None

    def _column(self, attr: str) -> numpy.ndarray:
        column = self._columns.get(attr)
        if column is None:
            column = self._columns[attr] = self._doc.to_array([attr]).reshape(-1)
        return column

    def word_set(self, attr: str) -> set[int]:
        words = self._sets.get(attr)
        if words is None:
            words = self._sets[attr] = set(self._column(attr).tolist())
        return words

    @property
    def size(self) -> int:
        return len(self._doc)

    def has_any(self, attr: str, values: frozenset[int]) -> bool:
        return not self.word_set(attr).isdisjoint(values)

    def satisfies(self, requirements: Iterable[HashedRequirement]) -> bool:
        return len(self._doc) > 0 and all(self.has_any(a, v) for a, v in requirements)

    def positions(self, requirement: HashedRequirement) -> list[int]:
        """Token indices holding one of the requirement's words, ascending (shared by
        the patterns that ask for the same words: do not modify)."""
        found = self._positions.get(requirement)
        if found is None:
            attr, values = requirement
            index = self._where.get(attr)
            if index is None:
                index = self._where[attr] = {}
                for i, value in enumerate(self._column(attr).tolist()):
                    index.setdefault(value, []).append(i)
            found = [i for value in values & index.keys() for i in index[value]]
            found.sort()
            self._positions[requirement] = found
        return found

    def longest_run(self, requirements: Sequence[HashedRequirement]) -> int:
        """The most consecutive tokens that each hold a word of every requirement (0
        if none does): how far a repeated token with those words can reach."""
        held = set.intersection(*(set(self.positions(r)) for r in requirements))
        longest = run = 0
        previous = -2
        for i in sorted(held):
            run = run + 1 if i == previous + 1 else 1
            longest, previous = max(longest, run), i
        return longest

    def reach(self, reach: HashedReach) -> int:
        fixed, repeats = reach
        return fixed + sum(self.longest_run(words) for words in repeats)

    def search_windows(self, anchors: Sequence[HashedAnchor]) -> list[tuple[int, int]]:
        """Where a token pattern can match: the windows around the occurrences of its
        required word that is rarest in this doc, or the whole doc when it has none
        (see `anchors`)."""
        if not anchors:
            return [(0, len(self._doc))]
        return self.windows(min(anchors, key=lambda a: len(self.positions(a[0]))))

    def windows(self, anchor: HashedAnchor) -> list[tuple[int, int]]:
        """Merged token ranges holding every match that includes an anchor word."""
        requirement, before, after = anchor
        ahead, behind = self.reach(before), self.reach(after) + 1
        found: list[tuple[int, int]] = []
        for i in self.positions(requirement):
            start, end = max(0, i - ahead), min(len(self._doc), i + behind)
            if found and start <= found[-1][1]:
                found[-1] = (found[-1][0], end)
            else:
                found.append((start, end))
        return found

    def sentences(self, requirements: Iterable[HashedRequirement]) -> list[tuple[int, int]]:
        """Token ranges of the sentences that hold a word of every requirement (sets of
        sentence numbers: a few words per doc, so plain Python beats numpy here)."""
        bounds = self._sentence_bounds()
        keep: set[int] | None = None
        for requirement in requirements:
            found = self._sentences_holding(requirement)
            keep = found if keep is None else keep & found
            if not keep:
                return []
        numbers = sorted(keep) if keep is not None else range(len(bounds) - 1)
        return [(bounds[k], bounds[k + 1]) for k in numbers]

    def _sentences_holding(self, requirement: HashedRequirement) -> set[int]:
        """Numbers of the sentences holding the requirement's words (shared: read only)."""
        found = self._holding.get(requirement)
        if found is None:
            if self._sentence_of is None:
                self._sentence_of = sentence_index(self._doc)
            sentence_of = self._sentence_of
            found = self._holding[requirement] = {
                sentence_of[i] for i in self.positions(requirement)
            }
        return found

    def _sentence_bounds(self) -> list[int]:
        if self._bounds is None:
            self._bounds = sentence_bounds(self._doc)
        return self._bounds


class RequirementIndex:
    """Which of many patterns a doc satisfies, worked out from the doc's words in one
    pass instead of pattern by pattern: every distinct requirement gets a number, each
    word the numbers of the requirements it meets, and a pattern is satisfied when all
    its numbers are among those the doc's words meet (one subset test)."""

    def __init__(self, requirements: Sequence[Sequence[HashedRequirement]]) -> None:
        numbers: dict[HashedRequirement, int] = {}
        self._needs = [
            frozenset(numbers.setdefault(r, len(numbers)) for r in needed)
            for needed in requirements
        ]
        self._by_word: dict[str, dict[int, list[int]]] = {}
        for (attr, values), number in numbers.items():
            for value in values:
                self._by_word.setdefault(attr, {}).setdefault(value, []).append(number)

    def satisfied(self, words: DocWords) -> list[int]:
        """Indices of the patterns the doc can match, in pattern order; what
        `DocWords.satisfies` says of each pattern, for all of them at once."""
        if not words.size:
            return []
        held: set[int] = set()
        for attr, index in self._by_word.items():
            for value in words.word_set(attr) & index.keys():
                held.update(index[value])
        return [i for i, needs in enumerate(self._needs) if needs <= held]


def hashed(requirements: Iterable[Requirement], strings: StringStore) -> list[HashedRequirement]:
    """Requirements with their words turned into string-store hashes, as to_array gives."""
    return [(attr, frozenset(strings.add(v) for v in values)) for attr, values in requirements]


def hashed_anchor(anchor: Anchor, strings: StringStore) -> HashedAnchor:
    (requirement,) = hashed([anchor[0]], strings)
    before, after = (
        (fixed, [hashed(words, strings) for words in repeats]) for fixed, repeats in anchor[1:]
    )
    return requirement, before, after
