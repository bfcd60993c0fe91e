"""Compile rules into checks, one small class per rule kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pushlint.checks.base import Check, Hit
from pushlint.rules.loader import LoadedRule, RuleFileError, RuleProblem

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["Check", "Hit", "compile_checks"]


def compile_checks(nlp: Language, rules: Sequence[LoadedRule]) -> list[Check]:
    """Build every matcher once. Raises RuleFileError listing every invalid pattern."""
    from pushlint.checks.dependency import DependencyCheck
    from pushlint.checks.metric import MetricCheck
    from pushlint.checks.pattern import PatternCheck
    from pushlint.checks.phrase import PhraseCheck

    kinds = {
        "phrase": PhraseCheck,
        "pattern": PatternCheck,
        "dependency": DependencyCheck,
        "metric": MetricCheck,
    }
    checks: list[Check] = []
    problems: list[RuleProblem] = []
    for kind, factory in kinds.items():
        group = [r for r in rules if r.spec.match_kind == kind]
        if not group:
            continue
        try:
            checks.append(factory(nlp, group))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RuleFileError(problems)
    return checks
