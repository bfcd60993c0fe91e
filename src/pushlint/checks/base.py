"""What every check yields, and how compile problems are reported."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from pushlint.rules.loader import LoadedRule

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from pushlint.checks.prefilter import DocWords


@dataclass(frozen=True)
class Hit:
    """A raw match of one rule: token offsets, named captures, and a metric's value."""

    rule: LoadedRule
    start: int
    end: int
    captures: dict[str, int] = field(default_factory=dict)  # node name -> token index
    value: float | None = None


@dataclass(frozen=True)
class Trace:
    """What one pattern of one rule did on a doc, for `pushlint debug`."""

    rule: LoadedRule
    pattern: int | None  # index in the rule's `patterns`, None for phrase and metric rules
    ran: bool  # False when the prefilter found a required word missing
    spans: tuple[tuple[int, int], ...] = ()
    value: float | None = None


class Check(Protocol):
    """A compiled group of rules of one kind: matchers built once, run per doc."""

    def __call__(self, doc: Doc, words: DocWords | None = None) -> Iterator[Hit]: ...

    def trace(self, doc: Doc) -> Iterator[Trace]: ...


class CheckFactory(Protocol):
    def __call__(self, nlp: Language, rules: Sequence[LoadedRule]) -> Check: ...
