"""Regular expressions in rule files cannot hang a run.

Any team member can edit a rule pack, and spaCy runs a pattern's `REGEX` with Python's
`re`, which cannot be interrupted. So a `REGEX` is checked twice:

- at load time, shapes known to backtrack exponentially (a repeat inside a repeat,
  overlapping alternatives under a repeat, backreferences) are rejected with the rule,
  file and line;
- at run time, every `REGEX` runs through the `regex` module with a time limit per token
  instead of `re`. One that runs over is stopped (and not run again on that message),
  the rule is named in the report's notes, and the rest of the run goes on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Token

TIMEOUT = 0.05  # seconds per token: a sane pattern takes microseconds
TIMEOUTS_KEY = "pushlint_regex_timeouts"  # doc.user_data: rule ids stopped in this doc
# Token attribute in a pattern -> the Token property holding its text.
TOKEN_TEXT = {
    "ORTH": "text", "TEXT": "text", "LOWER": "lower_", "NORM": "norm_", "LEMMA": "lemma_",
    "TAG": "tag_", "POS": "pos_", "DEP": "dep_", "SHAPE": "shape_", "ENT_TYPE": "ent_type_",
}  # fmt: skip

_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


def regexes(token: dict[str, Any]) -> list[tuple[str, str]]:
    """(attribute, expression) for every REGEX predicate in one token pattern."""
    found = []
    for attr, value in token.items():
        if isinstance(value, dict) and isinstance(value.get("REGEX"), str):
            found.append((attr, value["REGEX"]))
    return found


def unsafe_reason(expression: str) -> str | None:
    """Why this expression may take exponential time, or None when it looks linear."""
    try:
        parsed = sre_parse.parse(expression)
    except re.error as exc:
        return f"not a valid regular expression: {exc}"
    return _walk(list(parsed), inside_repeat=False)


def _walk(items: list[tuple[Any, Any]], inside_repeat: bool) -> str | None:
    for op, arg in items:
        if op == sre_constants.GROUPREF or op == sre_constants.GROUPREF_EXISTS:
            return "backreferences can take exponential time"
        if op in _REPEATS:
            _low, high, sub = arg
            repeats = high == sre_constants.MAXREPEAT or high > 10
            if repeats and inside_repeat and op != sre_constants.POSSESSIVE_REPEAT:
                return "a repeated group contains another repeat, e.g. (a+)+"
            found = _walk(list(sub), inside_repeat or repeats)
            if found:
                return found
        elif op == sre_constants.SUBPATTERN:
            found = _walk(list(arg[-1]), inside_repeat)
            if found:
                return found
        elif op == sre_constants.BRANCH:
            branches = [list(b) for b in arg[1]]
            if inside_repeat and _overlapping(branches):
                return "alternatives under a repeat can match the same text, e.g. (a|ab)*"
            for branch in branches:
                found = _walk(branch, inside_repeat)
                if found:
                    return found
    return None


def _first(items: list[tuple[Any, Any]]) -> set[int] | None:
    """The characters a sequence can start with; None for "anything"."""
    if not items:
        return None  # an empty alternative overlaps with every other one
    op, arg = items[0]
    if op == sre_constants.LITERAL:
        return {arg}
    if op == sre_constants.IN and all(o == sre_constants.LITERAL for o, _ in arg):
        return {a for _, a in arg}
    if op == sre_constants.SUBPATTERN:
        return _first(list(arg[-1]))
    return None


def _overlapping(branches: list[list[tuple[Any, Any]]]) -> bool:
    starts = [_first(b) for b in branches]
    for i, a in enumerate(starts):
        for b in starts[i + 1 :]:
            if a is None or b is None or a & b:
                return True
    return False


def bounded(token: dict[str, Any], rule_id: str) -> dict[str, Any]:
    """The token pattern with every REGEX predicate replaced by a time-limited one."""
    found = regexes(token)
    if not found:
        return token
    result = {k: (dict(v) if isinstance(v, dict) else v) for k, v in token.items()}
    extensions = dict(result.get("_", {}))
    for attr, expression in found:
        del result[attr]["REGEX"]
        if not result[attr]:
            del result[attr]
        extensions[_extension(attr, expression, rule_id)] = True
    result["_"] = extensions
    return result


def _extension(attr: str, expression: str, rule_id: str) -> str:
    import regex  # only where a pipeline is built: a cached run never imports it
    from spacy.tokens import Token

    digest = hashlib.sha1(f"{attr}\0{expression}\0{rule_id}".encode()).hexdigest()[:12]
    name = f"pushlint_re_{digest}"
    if not Token.has_extension(name):
        compiled = regex.compile(expression)
        field = TOKEN_TEXT.get(attr.upper(), "text")

        def matches(token: Token) -> bool:
            stopped = token.doc.user_data.get(TIMEOUTS_KEY)
            if stopped and rule_id in stopped:  # stopped once: skipped for the rest of the doc
                return False
            try:
                return compiled.search(getattr(token, field), timeout=TIMEOUT) is not None
            except TimeoutError:
                token.doc.user_data.setdefault(TIMEOUTS_KEY, set()).add(rule_id)
                return False

        Token.set_extension(name, getter=matches)
    return name


def stopped_rules(user_data: dict[Any, Any]) -> set[str]:
    """Rules whose REGEX was stopped in this doc."""
    return set(user_data.get(TIMEOUTS_KEY, ()))


def timeout_notes(rules: Iterable[str]) -> tuple[str, ...]:
    return tuple(
        f"rule {rule}: a REGEX ran over {TIMEOUT * 1000:g} ms on one word and was stopped; "
        "the rule may have missed matches here. Simplify its pattern."
        for rule in sorted(rules)
    )
