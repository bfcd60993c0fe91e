"""Find, read and validate rule packs; every problem names its file, line and column.

No spaCy here: `explain` and `rules list` load packs without paying for a model. spaCy
pattern validation happens when the checks compile, using the marks kept here.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pushlint.rules import schema
from pushlint.rules.yamlmarks import (
    Mark,
    Marks,
    YamlProblem,
    load_yaml_with_marks,
    marks_from_text,
    marks_to_text,
)

RULE_SUFFIXES = (".yaml", ".yml")
TEST_SUFFIXES = (".tests.yaml", ".tests.yml")  # extra examples next to a pack
_KINDS = ("phrase", "pattern", "dependency", "metric", "signal")


@dataclass(frozen=True)
class RuleProblem:
    file: str
    line: int
    column: int
    rule: str | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return (
            f"{where}: rule {self.rule}: {self.problem}"
            if self.rule
            else f"{where}: {self.problem}"
        )


class RuleFileError(Exception):
    """One or more broken rule files. `str()` lists every problem, one per line."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.file, p.line, p.column)))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule and where it was written, for precise error messages."""

    spec: (
        schema.PhraseRule
        | schema.PatternRule
        | schema.DependencyRule
        | schema.MetricRule
        | schema.SignalRule
    )
    file: str
    pack: str
    index: int
    marks: Marks

    @property
    def id(self) -> str:
        return self.spec.id

    def mark(self, *subpath: str | int) -> Mark:
        return self.marks.find(("rules", self.index, *subpath))

    def problem(self, message: str, *subpath: str | int) -> RuleProblem:
        mark = self.mark(*subpath)
        return RuleProblem(self.file, mark.line, mark.column, self.id, message)


@dataclass(frozen=True)
class RuleSet:
    """The rules of one run, in load order, with lookups by id, name and category."""

    rules: tuple[LoadedRule, ...]

    def resolve(self, ref: str) -> list[LoadedRule]:
        """Rules a reference names: an id, a name, or a whole category."""
        return [r for r in self.rules if ref in (r.spec.id, r.spec.name, r.spec.category)]

    def get(self, ref: str) -> LoadedRule | None:
        lowered = ref.lower()
        for rule in self.rules:
            if lowered in (rule.spec.id.lower(), rule.spec.name):
                return rule
        return None

    @property
    def categories(self) -> list[str]:
        return sorted({r.spec.category for r in self.rules})


def shipped_packs_dir() -> Path:
    """The packs shipped with pushlint: inside the wheel, or `rules/` in a checkout."""
    package_dir = Path(__file__).resolve().parent.parent
    for candidate in (package_dir / "packs", package_dir.parent.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"pushlint's rule packs are missing from {package_dir}")


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the rule files in them (sorted, so load order is stable)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in RULE_SUFFIXES
                    and not p.name.endswith(TEST_SUFFIXES)
                    and p.is_file()
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise RuleFileError([RuleProblem(str(path), 1, 1, None, "no such rule file or folder")])
    return found


_FILE_ADAPTER = schema.validator(schema.RuleFile)


def load_rule_file(path: Path) -> list[LoadedRule]:
    """Read and validate one rule file; raise RuleFileError with every problem found."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError([RuleProblem(name, 1, 1, None, f"cannot read: {exc}")]) from None
    data, marks = _parse(name, text)
    if not isinstance(data, dict):
        raise RuleFileError(
            [RuleProblem(name, 1, 1, None, "a rule file is a mapping with a `rules:` list")]
        )
    try:
        parsed = _FILE_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise RuleFileError(_problems_from(exc, data, marks, name)) from None
    pack = parsed.pack.name if parsed.pack else path.stem
    loaded = [LoadedRule(spec, name, pack, i, marks) for i, spec in enumerate(parsed.rules)]
    _check_unique(loaded)
    return loaded


def _parse(name: str, text: str) -> tuple[Any, Marks]:
    """The YAML with its marks, from the on-disk cache when this exact text was parsed
    before (see `pushlint.cache`)."""
    from pushlint import cache

    known = cache.parsed_rule_file(text)
    if known is not None:
        return known[0], marks_from_text(known[1], lambda: load_yaml_with_marks(text)[1])
    try:
        data, marks = load_yaml_with_marks(text)
    except YamlProblem as exc:
        raise RuleFileError(
            [RuleProblem(name, exc.mark.line, exc.mark.column, None, exc.problem)]
        ) from None
    cache.keep_parsed_rule_file(text, data, marks_to_text(marks))
    return data, marks


def load_rules(extra: Sequence[Path] = (), *, shipped: bool = True) -> RuleSet:
    """Load the shipped packs (unless told not to) and any extra files or folders.

    An extra pack with the same pack name as a shipped one replaces it, so a team can
    copy a shipped pack, edit it and use it in its place. Results are cached per process,
    keyed by every file's path, size and modification time, so an edit is never missed."""
    shipped_files = rule_files([shipped_packs_dir()]) if shipped else []
    extra_files = rule_files(list(extra))
    key = (_fingerprint(shipped_files), _fingerprint(extra_files))
    if key not in _CACHE:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = _load(shipped_files, extra_files)
    return _CACHE[key]


_Fingerprint = tuple[tuple[str, int, int], ...]
_CACHE: dict[tuple[_Fingerprint, _Fingerprint], RuleSet] = {}


def run_rule_files(paths: Sequence[str | Path], shipped: bool) -> list[Path]:
    """Every rule file a run with these extra paths loads, in load order."""
    return rule_files([shipped_packs_dir()] if shipped else []) + rule_files(
        [Path(p) for p in paths]
    )


def rule_files_fingerprint(paths: Sequence[str], shipped: bool) -> object:
    """Path, size and mtime of every rule file a run would load: changes when one is edited."""
    try:
        return _fingerprint(run_rule_files(paths, shipped))
    except (RuleFileError, OSError):
        return None  # loading will report the problem


def _fingerprint(files: Sequence[Path]) -> _Fingerprint:
    return tuple((str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files)


def _load(shipped_files: Sequence[Path], extra_files: Sequence[Path]) -> RuleSet:
    problems: list[RuleProblem] = []
    shipped_rules: list[LoadedRule] = []
    extra_rules: list[LoadedRule] = []
    for files, into in ((shipped_files, shipped_rules), (extra_files, extra_rules)):
        for file in files:
            try:
                into.extend(load_rule_file(file))
            except RuleFileError as exc:
                problems.extend(exc.problems)
    if problems:
        raise RuleFileError(problems)
    replaced = {r.pack for r in extra_rules}
    rules = [r for r in shipped_rules if r.pack not in replaced] + extra_rules
    _check_unique(rules)
    _check_references(rules)
    return RuleSet(tuple(rules))


def _check_unique(rules: Sequence[LoadedRule]) -> None:
    problems: list[RuleProblem] = []
    for attr in ("id", "name"):
        seen: dict[str, LoadedRule] = {}
        for rule in rules:
            value = getattr(rule.spec, attr)
            first = seen.setdefault(value.lower(), rule)
            if first is not rule:
                at = first.mark(attr)
                problems.append(
                    rule.problem(
                        f"duplicate {attr} {value!r}, first used at {first.file}:{at.line}", attr
                    )
                )
    if problems:
        raise RuleFileError(problems)


def _check_references(rules: Sequence[LoadedRule]) -> None:
    known = {v for r in rules for v in (r.spec.id, r.spec.name, r.spec.category)}
    problems = [
        rule.problem(f"`{key}` names {ref!r}, which is no rule id, name or category", key)
        for rule in rules
        for key, conditions in (
            ("unless", rule.spec.conditions),
            ("only_with", rule.spec.companions),
        )
        for condition in conditions
        for ref in condition.any
        if ref not in known
    ]
    if problems:
        raise RuleFileError(problems)


def _known_keys() -> set[str]:
    models = [
        schema.PhraseRule,
        schema.PatternRule,
        schema.DependencyRule,
        schema.MetricRule,
        schema.SignalRule,
        schema.Rewrite,
        schema.Examples,
        schema.Unless,
        schema.PackMeta,
        schema.RuleFile,
    ]
    return {(info.alias or name) for model in models for name, info in model.model_fields.items()}


def _problems_from(
    exc: ValidationError, data: dict[str, Any], marks: Marks, file: str
) -> list[RuleProblem]:
    problems: list[RuleProblem] = []
    seen: set[tuple[int, int, str]] = set()
    for error in exc.errors():
        loc = list(error["loc"])
        # Drop the union tag pydantic inserts after a rule's index: ('rules', 3, 'phrase', ...).
        if len(loc) > 2 and loc[0] == "rules" and isinstance(loc[1], int) and loc[2] in _KINDS:
            del loc[2]
        path = tuple(loc)
        rule_id = _rule_id(data, path)
        kind = error["type"]
        key = path[-1] if path else None
        if kind == "extra_forbidden":
            if str(key) in _known_keys():  # a real key, in the wrong kind of rule or section
                message = f"key {key!r} does not apply {_owner(data, path)}"
            else:
                close = difflib.get_close_matches(str(key), _known_keys(), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                message = f"unknown key {key!r}{hint}"
            mark = marks.find(path, key=True)
        elif kind == "missing":
            message = f"missing key {key!r}"
            mark = marks.find(path[:-1])
        elif kind == "union_tag_invalid":
            message = (
                f"unknown kind {error['input'].get('kind')!r}; expected one of {', '.join(_KINDS)}"
            )
            mark = marks.find((*path, "kind"))
        elif kind == "union_tag_not_found":
            message = f"missing key 'kind' (one of {', '.join(_KINDS)})"
            mark = marks.find(path)
        else:
            text = error["msg"].removeprefix("Value error, ")
            where = f"{key}: " if isinstance(key, str) and kind != "value_error" else ""
            message = f"{where}{text}"
            mark = marks.find(path)
        signature = (mark.line, mark.column, message)
        if signature not in seen:
            seen.add(signature)
            problems.append(RuleProblem(file, mark.line, mark.column, rule_id, message))
    # "missing key 'message'" adds nothing when "unknown key 'mesage' (did you mean
    # 'message'?)" is reported for the same rule.
    suggested = {
        (p.rule, p.problem.rsplit("did you mean ", 1)[1].rstrip("?)"))
        for p in problems
        if "did you mean" in p.problem
    }
    return [
        p
        for p in problems
        if not (
            p.problem.startswith("missing key ")
            and (p.rule, p.problem.removeprefix("missing key ")) in suggested
        )
    ]


def _owner(data: dict[str, Any], path: tuple[Any, ...]) -> str:
    """Where a key sits, for "key 'highlight' does not apply to a `signal` rule"."""
    if len(path) == 3 and path[0] == "rules" and isinstance(path[1], int):
        rule = data["rules"][path[1]]
        kind = rule.get("kind") if isinstance(rule, dict) else None
        match = rule.get("match") if isinstance(rule, dict) and kind == "signal" else None
        if kind is not None:
            return f"to a `{kind}` rule" + (f" with `match: {match}`" if match else "")
    return "here"


def _rule_id(data: dict[str, Any], path: tuple[Any, ...]) -> str | None:
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rules = data.get("rules")
        if isinstance(rules, list) and path[1] < len(rules) and isinstance(rules[path[1]], dict):
            rule_id = rules[path[1]].get("id")
            return str(rule_id) if rule_id is not None else f"#{path[1] + 1}"
    return None
