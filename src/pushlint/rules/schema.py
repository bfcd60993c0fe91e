"""The shape of a rule file, as pydantic models.

One set of models serves three ends: the loader validates YAML with them (unknown keys
are errors), the engine reads typed rules from them, and `model_json_schema()` gives
editors a JSON Schema. Strict mode: YAML's `yes` is not a string, `"3"` is not a number.
"""

from __future__ import annotations

import os
import re
import string
import threading
from functools import cache, cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from pushlint.records import Level

Kind = Literal["phrase", "pattern", "dependency", "metric", "signal"]
MatchKind = Literal["phrase", "pattern", "dependency", "metric"]
PhraseAttr = Literal["LOWER", "ORTH", "NORM", "LEMMA"]

ID_RE = r"^[A-Za-z][A-Za-z0-9_-]*$"
KEBAB_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MARK_RE = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)

# Token attributes that only a trained component can fill in, by the capability that
# fills them. A rule needing a capability the pipeline lacks is skipped, not wrong.
ATTR_NEEDS: dict[str, str] = {
    "POS": "tag",
    "TAG": "tag",
    "MORPH": "tag",
    "LEMMA": "lemma",
    "DEP": "parse",
    "HEAD": "parse",
    "ENT_TYPE": "ents",
    "ENT_IOB": "ents",
    "ENT_ID": "ents",
    "ENT_KB_ID": "ents",
    "IS_SENT_START": "sents",
    "SENT_START": "sents",
}


def validator(model: type[BaseModel]) -> TypeAdapter[Any]:
    """A validator for `model` and the models it holds, built in one go.

    The models are built lazily (`defer_build`), so this one build covers them all
    instead of each model building its own at import. Pydantic's plugin discovery (the
    first build scans every installed package's entry points, about 7 ms of a cached
    re-run's start) is off for it, as Typer turns it off for its own validators: no
    plugin has any business with pushlint's schemas."""
    with _PLUGIN_SETTING:  # two threads must not restore each other's setting
        previous = os.environ.get("PYDANTIC_DISABLE_PLUGINS")
        os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
        try:
            adapter = TypeAdapter(model)
            adapter.rebuild(force=True)  # here, not at first use: it defers as its models do
            return adapter
        finally:
            if previous is None:
                del os.environ["PYDANTIC_DISABLE_PLUGINS"]
            else:
                os.environ["PYDANTIC_DISABLE_PLUGINS"] = previous


_PLUGIN_SETTING = threading.Lock()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True, defer_build=True)


class Rewrite(_Strict):
    """A suggested rewrite. `{match}` (and dependency node names) are filled in."""

    text: str = Field(description="The suggestion shown to the writer.")
    replacement: str | dict[str, str] | None = Field(
        default=None,
        description=(
            "Text that can replace the matched span as it stands, or a table from matched "
            "words (lower case) to their replacement, for rules that match many words."
        ),
    )
    safe: bool = Field(
        default=False, description="True when `replacement` may be applied mechanically."
    )

    @model_validator(mode="after")
    def _safe_needs_replacement(self) -> Rewrite:
        if self.safe and self.replacement is None:
            raise ValueError("a rewrite marked `safe` needs a `replacement`")
        if isinstance(self.replacement, dict):
            for key in self.replacement:
                if key != " ".join(key.lower().split()):
                    raise ValueError(
                        f"replacement table key {key!r} must be lower case with single spaces"
                    )
        return self


class Examples(_Strict):
    """`flag` cases mark the exact span with [[...]]; `pass` cases must stay quiet."""

    flag: list[str] = Field(default_factory=list)
    pass_: list[str] = Field(default_factory=list, alias="pass")


class Unless(_Strict):
    """Other rules matching near a finding: under `unless` they stand it down (often
    signals); under `only_with` one of them must report for the finding to stand."""

    any: list[str] = Field(min_length=1, description="Rule ids, names or categories.")
    within: Literal["overlap", "sentence", "adjacent", "message"] = Field(
        default="sentence",
        description=(
            "overlap: their match shares a word with this one; sentence: same sentence; "
            "adjacent: same or next sentence; message: anywhere."
        ),
    )


class RuleBase(_Strict):
    id: str = Field(pattern=ID_RE, description="Stable identifier, e.g. PL101.")
    name: str = Field(pattern=KEBAB_RE, description="Kebab-case name.")
    category: str = Field(pattern=KEBAB_RE)
    level: Level = "warning"
    weight: float = Field(default=10.0, ge=0, le=100, description="Points in the score.")
    message: str = Field(min_length=1, description="The problem, in the customer's terms.")
    why: str = Field(min_length=1)
    rewrite: list[str | Rewrite] = Field(
        default_factory=list, description="Suggestions: plain text, or text with a replacement."
    )
    examples: Examples = Field(default_factory=Examples)
    unless: Unless | list[Unless] | None = Field(
        default=None, description="One condition, or a list of them (any one suppresses)."
    )
    only_with: Unless | list[Unless] | None = Field(
        default=None,
        description=(
            "Report only when another listed rule also reports (a warning or error, not "
            "stood down) within the reach; a list: any one condition suffices. For weak "
            "evidence that should add to a verdict, never make one on its own."
        ),
    )

    @property
    def conditions(self) -> list[Unless]:
        if self.unless is None:
            return []
        return self.unless if isinstance(self.unless, list) else [self.unless]

    @property
    def companions(self) -> list[Unless]:
        if self.only_with is None:
            return []
        return self.only_with if isinstance(self.only_with, list) else [self.only_with]

    @cached_property
    def rewrites(self) -> list[Rewrite]:
        """Every rewrite as a Rewrite, whether written as plain text or as a mapping
        (built once: every finding of the rule reads it). A plain text was validated
        with the rule and leaves nothing to check (no replacement, not safe), so it is
        constructed, not validated: Rewrite's own validator is never built."""
        return [Rewrite.model_construct(text=r) if isinstance(r, str) else r for r in self.rewrite]

    @property
    def is_signal(self) -> bool:
        return self.kind == "signal"  # type: ignore[attr-defined]

    @property
    def match_kind(self) -> MatchKind:
        return self.kind  # type: ignore[attr-defined,return-value]

    def placeholders(self) -> set[str]:
        return {"match"}

    def needs(self) -> frozenset[str]:
        return frozenset()

    @model_validator(mode="after")
    def _check_common(self) -> RuleBase:
        if not self.is_signal and not self.rewrite:
            raise ValueError("a flagging rule needs at least one `rewrite`")
        allowed = self.placeholders()
        for item in self.rewrites:
            replacement = item.replacement if isinstance(item.replacement, str) else ""
            for field_text in (item.text, replacement or ""):
                for name in _placeholders(field_text):
                    if name not in allowed:
                        raise ValueError(
                            f"rewrite uses {{{name}}}; available: "
                            + ", ".join(f"{{{a}}}" for a in sorted(allowed))
                        )
        if self.match_kind != "metric":
            for text in self.examples.flag:
                if not MARK_RE.search(text):
                    raise ValueError(f"flag example has no [[...]] span: {text!r}")
        return self


class _PhraseFields(BaseModel):
    model_config = ConfigDict(defer_build=True)
    phrases: list[str] = Field(min_length=1)
    attr: PhraseAttr = "LOWER"

    def _phrase_needs(self) -> frozenset[str]:
        return frozenset({"lemma"}) if self.attr == "LEMMA" else frozenset()


TokenPattern = list[dict[str, Any]]


def _token_pattern_needs(patterns: list[TokenPattern]) -> set[str]:
    needs: set[str] = set()
    for pattern in patterns:
        for token in pattern:
            for key in token:
                if isinstance(key, str) and key.upper() in ATTR_NEEDS:
                    needs.add(ATTR_NEEDS[key.upper()])
    return needs


def _dependency_needs(patterns: list[TokenPattern]) -> set[str]:
    attrs = [node.get("RIGHT_ATTRS", {}) for pattern in patterns for node in pattern]
    return {"parse"} | _token_pattern_needs([attrs])


def _dependency_names(patterns: list[TokenPattern]) -> set[str]:
    return {str(node["RIGHT_ID"]) for p in patterns for node in p if "RIGHT_ID" in node}


class PhraseRule(RuleBase, _PhraseFields):
    kind: Literal["phrase"]

    def needs(self) -> frozenset[str]:
        return self._phrase_needs()


class PatternRule(RuleBase):
    kind: Literal["pattern"]
    patterns: list[TokenPattern] = Field(
        min_length=1, description="spaCy Matcher token patterns, exactly as spaCy documents them."
    )

    def needs(self) -> frozenset[str]:
        return frozenset(_token_pattern_needs(self.patterns))


_HIGHLIGHT = "Node names (RIGHT_ID) whose tokens make the reported span; default: all."


def _check_highlight(patterns: list[TokenPattern], highlight: list[str] | None) -> None:
    for i, pattern in enumerate(patterns):
        names = {str(node.get("RIGHT_ID")) for node in pattern}
        missing = set(highlight or ()) - names
        if missing and not (set(highlight or ()) & names):
            raise ValueError(
                f"highlight names {sorted(missing)}, but pattern {i + 1} has nodes {sorted(names)}"
            )


class DependencyRule(RuleBase):
    kind: Literal["dependency"]
    patterns: list[TokenPattern] = Field(
        min_length=1, description="spaCy DependencyMatcher patterns."
    )
    highlight: list[str] | None = Field(default=None, description=_HIGHLIGHT)

    @model_validator(mode="after")
    def _check_highlight(self) -> DependencyRule:
        _check_highlight(self.patterns, self.highlight)
        return self

    def needs(self) -> frozenset[str]:
        return frozenset(_dependency_needs(self.patterns))

    def placeholders(self) -> set[str]:
        return {"match"} | _dependency_names(self.patterns)


class _MetricFields(BaseModel):
    model_config = ConfigDict(defer_build=True)
    metric: str
    above: float | None = Field(default=None, description="Fire when the value exceeds this.")
    below: float | None = Field(default=None, description="Fire when the value is under this.")
    min_words: int = Field(default=0, ge=0, description="Skip messages shorter than this.")
    params: dict[str, Any] = Field(default_factory=dict)

    def _check_metric(self) -> None:
        from pushlint.checks.metric import METRICS  # light: no spaCy import

        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}; known: {', '.join(sorted(METRICS))}")
        if self.above is None and self.below is None:
            raise ValueError("a metric rule needs `above` or `below`")
        unknown = set(self.params) - set(METRICS[self.metric].params)
        if unknown:
            raise ValueError(
                f"metric {self.metric!r} has no param(s) {', '.join(sorted(unknown))}; "
                f"known: {', '.join(sorted(METRICS[self.metric].params)) or 'none'}"
            )

    def _metric_needs(self) -> frozenset[str]:
        from pushlint.checks.metric import METRICS

        return METRICS[self.metric].needs


class MetricRule(RuleBase, _MetricFields):
    kind: Literal["metric"]

    def placeholders(self) -> set[str]:
        return {"match", "value"}

    @model_validator(mode="after")
    def _check(self) -> MetricRule:
        self._check_metric()
        return self

    def needs(self) -> frozenset[str]:
        return self._metric_needs()


class SignalRule(RuleBase):
    """A customer-centric cue that lowers the score; matched by any of the other kinds."""

    kind: Literal["signal"]
    match: MatchKind = "phrase"
    phrases: list[str] | None = None
    attr: PhraseAttr = "LOWER"
    patterns: list[TokenPattern] | None = None
    metric: str | None = None
    above: float | None = None
    below: float | None = None
    min_words: int = Field(default=0, ge=0)
    params: dict[str, Any] = Field(default_factory=dict)
    highlight: list[str] | None = Field(
        default=None, description=f"`match: dependency`: {_HIGHLIGHT}"
    )

    @property
    def match_kind(self) -> MatchKind:
        return self.match

    def placeholders(self) -> set[str]:
        if self.match == "dependency" and self.patterns:
            return {"match"} | _dependency_names(self.patterns)
        return {"match", "value"}

    @model_validator(mode="after")
    def _check_match_fields(self) -> SignalRule:
        wanted = {"phrase": "phrases", "pattern": "patterns", "dependency": "patterns"}
        field_name = wanted.get(self.match, "metric")
        if getattr(self, field_name) in (None, []):
            raise ValueError(f"a signal with `match: {self.match}` needs `{field_name}`")
        for other in {"phrases", "patterns", "metric"} - {field_name}:
            if getattr(self, other) is not None:
                raise ValueError(f"`{other}` does not apply to `match: {self.match}`")
        if self.highlight is not None:
            if self.match != "dependency":
                raise ValueError(f"`highlight` does not apply to `match: {self.match}`")
            _check_highlight(self.patterns or [], self.highlight)
        if self.match == "metric":
            _metric_fields().validate_python(
                {k: getattr(self, k) for k in ("metric", "above", "below", "min_words", "params")}
            )._check_metric()
        return self

    def needs(self) -> frozenset[str]:
        if self.match == "phrase":
            return frozenset({"lemma"}) if self.attr == "LEMMA" else frozenset()
        if self.match == "pattern":
            return frozenset(_token_pattern_needs(self.patterns or []))
        if self.match == "dependency":
            return frozenset(_dependency_needs(self.patterns or []))
        from pushlint.checks.metric import METRICS

        return METRICS[str(self.metric)].needs


@cache
def _metric_fields() -> TypeAdapter[_MetricFields]:
    return validator(_MetricFields)


Rule = Annotated[
    PhraseRule | PatternRule | DependencyRule | MetricRule | SignalRule,
    Field(discriminator="kind"),
]


class PackMeta(_Strict):
    name: str = Field(pattern=KEBAB_RE)
    description: str = ""
    version: str | None = None


class RuleFile(_Strict):
    """A rule file: optional pack metadata and a list of rules."""

    pack: PackMeta | None = None
    rules: list[Rule] = Field(default_factory=list)


def _placeholders(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name]
    except ValueError as exc:
        raise ValueError(f"bad placeholder in {text!r}: {exc}") from None


def rule_json_schema() -> dict[str, Any]:
    """JSON Schema for rule files, for editors (yaml-language-server)."""
    schema = RuleFile.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pushlint rule file"
    return schema
