"""Project configuration: `pushlint.yaml`, `.pushlint.yaml` or `[tool.pushlint]`.

Found by walking up from each linted file (the closest one wins, as in ruff), or given
with `--config`. A config may `extends` a shipped preset (`pushlint:strict`) or another
file; the child's keys win, lists of packs, excludes and per-path blocks add up, and
`levels` merge. Every path and glob in a file is relative to that file's folder.
Unknown keys are errors with the file, line and column.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from pushlint.rules.yamlmarks import Mark, Marks, YamlProblem, load_yaml_with_marks
from pushlint.sources import MAX_BYTES, MAX_CHARS

CONFIG_NAMES = (".pushlint.yaml", "pushlint.yaml", "pyproject.toml")
PRESET_PREFIX = "pushlint:"
MAX_FINDINGS = 500  # per file; more are counted in the score but not listed


def _yaml_off(value: Any) -> Any:
    """`PL152: off` unquoted is YAML's boolean false (and `false` in TOML): the user wrote
    "off", so it means "off" rather than an error saying it should be 'off'."""
    return "off" if value is False else value


LevelOrOff = Annotated[Literal["info", "warning", "error", "off"], BeforeValidator(_yaml_off)]
FailLevel = Literal["info", "warning", "error"]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        populate_by_name=True,
        alias_generator=_kebab,
        defer_build=True,
    )


class PathOverrideModel(_Strict):
    files: list[str] = Field(description="Gitignore-style globs, relative to the config file.")
    select: list[str] = Field(default_factory=list, description="Turn these rules back on.")
    ignore: list[str] = Field(default_factory=list, description="Turn these rules off.")
    levels: dict[str, LevelOrOff] = Field(default_factory=dict)


class ConfigModel(_Strict):
    extends: str | list[str] | None = Field(
        default=None, description="A shipped preset (pushlint:strict) or another config file."
    )
    rules: list[str] = Field(default_factory=list, description="Extra rule packs (files/folders).")
    shipped: bool | None = Field(default=None, description="Use the shipped packs (default yes).")
    model: str | None = Field(default=None, description="spaCy pipeline: package, path or blank.")
    select: list[str] | None = Field(default=None, description="Rules to report (default ALL).")
    ignore: list[str] = Field(default_factory=list, description="Rules never to report.")
    levels: dict[str, LevelOrOff] = Field(default_factory=dict)
    per_path: list[PathOverrideModel] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list, description="Gitignore-style globs to skip.")
    fail_on: FailLevel | None = None
    max_score: int | None = Field(default=None, ge=0, le=100)
    report_unused_disables: bool | None = None
    seller: str | None = None
    include_quoted: bool | None = None
    max_file_bytes: int | None = Field(default=None, ge=1)
    max_message_chars: int | None = Field(default=None, ge=1, le=1_000_000)
    max_findings: int | None = Field(default=None, ge=1)


@cache
def _config_validator() -> TypeAdapter[ConfigModel]:
    from pushlint.rules.schema import validator

    return validator(ConfigModel)


class ConfigError(Exception):
    """A broken config file; `str()` is `file:line:col: problem`, one per line."""


@dataclass(frozen=True)
class Anchored:
    """A glob or selector together with the folder and file it was written in."""

    value: str
    base: Path
    where: str  # file:line:col, for error messages


@dataclass(frozen=True)
class PathOverride:
    files: tuple[Anchored, ...]
    select: tuple[Anchored, ...] = ()
    ignore: tuple[Anchored, ...] = ()
    levels: tuple[tuple[Anchored, str], ...] = ()


@dataclass(frozen=True)
class Config:
    """A config file after `extends` is resolved. Empty (all defaults) when none is found."""

    path: Path | None = None
    chain: tuple[str, ...] = ()  # the files and presets it was built from, base first
    rules: tuple[str, ...] = ()  # absolute paths
    shipped: bool = True
    model: str | None = None
    select: tuple[Anchored, ...] | None = None
    ignore: tuple[Anchored, ...] = ()
    levels: tuple[tuple[Anchored, str], ...] = ()
    per_path: tuple[PathOverride, ...] = ()
    exclude: tuple[Anchored, ...] = ()
    fail_on: str = "warning"
    max_score: int | None = None
    report_unused_disables: bool = False
    seller: str | None = None
    include_quoted: bool = False
    max_file_bytes: int = MAX_BYTES
    max_message_chars: int = MAX_CHARS
    max_findings: int = MAX_FINDINGS
    set_keys: frozenset[str] = field(default_factory=frozenset)  # keys some file set

    @property
    def root(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()


def presets_dir() -> Path:
    return Path(__file__).resolve().parent / "presets"


def preset_names() -> list[str]:
    return sorted(p.stem for p in presets_dir().glob("*.yaml"))


# ---------------------------------------------------------------------------- discovery


def find_config(start: Path, cache: dict[Path, Path | None] | None = None) -> Path | None:
    """The closest config file in `start` (a file's folder) or any folder above it.
    `cache` (one per run) remembers the answer for every folder on the way."""
    cache = {} if cache is None else cache
    if start in cache:  # `start` is already resolved when it came from a resolved path
        return cache[start]
    folder = start.resolve()
    visited: list[Path] = []
    found: Path | None = None
    while True:
        if folder in cache:
            found = cache[folder]
            break
        visited.append(folder)
        found = next(
            (
                folder / name
                for name in CONFIG_NAMES
                if (folder / name).is_file()
                and (name != "pyproject.toml" or _has_tool_section(folder / name))
            ),
            None,
        )
        if found is not None or folder.parent == folder:
            break
        folder = folder.parent
    for seen in visited:
        cache[seen] = found
    return found


def _has_tool_section(path: Path) -> bool:
    try:
        return re.search(r"(?m)^\s*\[+\s*tool\.pushlint\b", path.read_text("utf-8")) is not None
    except (OSError, UnicodeDecodeError):
        return False


# ---------------------------------------------------------------------------- loading


def load_config(path: Path) -> Config:
    """Load a config file (or `pushlint:PRESET`), resolving `extends`."""
    return _load(str(path), ())


def _load(ref: str, seen: tuple[str, ...]) -> Config:
    path = _preset_path(ref) if ref.startswith(PRESET_PREFIX) else Path(ref).resolve()
    if str(path) in seen:
        raise ConfigError(f"{path}: `extends` loops back to this file")
    model, marks = _read_model(path)
    base = Config()
    parents = [model.extends] if isinstance(model.extends, str) else (model.extends or [])
    for i, parent in enumerate(parents):
        target = parent if parent.startswith(PRESET_PREFIX) else str(path.parent / parent)
        if not parent.startswith(PRESET_PREFIX) and not Path(target).is_file():
            loc = ("extends", i) if isinstance(model.extends, list) else ("extends",)
            where = _where(path, marks, loc)
            raise ConfigError(f"{where}: `extends` names a file that does not exist: {parent}")
        base = _merge(base, _load(target, (*seen, str(path))))
    return _merge(base, _resolve(model, path, marks), path=path)


def _preset_path(ref: str) -> Path:
    name = ref.removeprefix(PRESET_PREFIX)
    path = presets_dir() / f"{name}.yaml"
    if not path.is_file():
        raise ConfigError(
            f"no preset {ref!r}; shipped presets: "
            + ", ".join(PRESET_PREFIX + n for n in preset_names())
        )
    return path


def _read_model(path: Path) -> tuple[ConfigModel, Marks]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    if path.suffix == ".toml":
        data, marks = _toml_section(path, text)
    else:
        try:
            data, marks = load_yaml_with_marks(text)
        except YamlProblem as exc:
            raise ConfigError(f"{path}:{exc.mark.line}:{exc.mark.column}: {exc.problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1:1: a config must be a mapping of keys to values")
    try:
        return _config_validator().validate_python(data), marks
    except ValidationError as exc:
        raise ConfigError(_problems(exc, path, marks)) from None


def _toml_section(path: Path, text: str) -> tuple[Any, Marks]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (found.group(1), found.group(2)) if found else ("1", "1")
        raise ConfigError(f"{path}:{line}:{col}: invalid TOML: {exc}") from None
    data = document.get("tool", {}).get("pushlint", {})
    return data, _toml_marks(text, data)


def _toml_marks(text: str, data: Any) -> Marks:
    """tomllib keeps no positions; find each top-level key's line in the [tool.pushlint]
    tables by its `key =` or `[tool.pushlint.key]` line, which is what an error needs."""
    marks = Marks()
    lines = text.splitlines()
    header = next(
        (i for i, line in enumerate(lines) if re.match(r"\s*\[+\s*tool\.pushlint\b", line)), 0
    )
    marks.values[()] = Mark(header + 1, 1)
    for key in data if isinstance(data, dict) else ():
        pattern = re.compile(
            rf"^\s*(?:\"?{re.escape(key)}\"?\s*=|\[+\s*tool\.pushlint\.\"?{re.escape(key)}\b)"
        )
        for i in range(header, len(lines)):
            if pattern.match(lines[i]):
                column = len(lines[i]) - len(lines[i].lstrip()) + 1
                marks.keys[(key,)] = marks.values[(key,)] = Mark(i + 1, column)
                break
    return marks


def _known_keys() -> list[str]:
    names = {_kebab(n) for n in ConfigModel.model_fields}
    return sorted(names | {_kebab(n) for n in PathOverrideModel.model_fields})


def _problems(exc: ValidationError, path: Path, marks: Marks) -> str:
    lines: list[tuple[int, int, str]] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        key = loc[-1] if loc else None
        if error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(key), _known_keys(), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            mark = marks.find(loc, key=True)
            lines.append((mark.line, mark.column, f"unknown key {key!r}{hint}"))
            continue
        mark = marks.find(loc)
        where = ".".join(str(p) for p in loc)
        problem = f"{where}: {error['msg']}"
        if isinstance(error.get("input"), bool) and "bool" not in error["type"]:
            problem += " (YAML reads unquoted yes/no/on/off/true/false as booleans: quote it)"
        lines.append((mark.line, mark.column, problem))
    return "\n".join(f"{path}:{line}:{col}: {problem}" for line, col, problem in sorted(lines))


def _where(path: Path, marks: Marks, loc: tuple[str | int, ...]) -> str:
    mark = marks.find(loc)
    return f"{path}:{mark.line}:{mark.column}"


def _resolve(model: ConfigModel, path: Path, marks: Marks) -> Config:
    """One file's own settings, with paths anchored at its folder."""
    base = path.parent

    def anchored(values: Sequence[str], *loc: str | int) -> tuple[Anchored, ...]:
        return tuple(
            Anchored(v, base, _where(path, marks, (*loc, i))) for i, v in enumerate(values)
        )

    def levels(mapping: dict[str, str], *loc: str | int) -> tuple[tuple[Anchored, str], ...]:
        return tuple(
            (Anchored(k, base, _where(path, marks, (*loc, k))), v) for k, v in mapping.items()
        )

    set_keys = frozenset(_kebab(name) for name in model.model_fields_set)  # as written
    return Config(
        path=path,
        chain=(str(path),),
        rules=tuple(str((base / r).resolve()) for r in model.rules),
        shipped=model.shipped if model.shipped is not None else True,
        model=model.model,
        select=anchored(model.select, "select") if model.select is not None else None,
        ignore=anchored(model.ignore, "ignore"),
        levels=levels(model.levels, "levels"),
        per_path=tuple(
            PathOverride(
                files=anchored(o.files, "per-path", i, "files"),
                select=anchored(o.select, "per-path", i, "select"),
                ignore=anchored(o.ignore, "per-path", i, "ignore"),
                levels=levels(o.levels, "per-path", i, "levels"),
            )
            for i, o in enumerate(model.per_path)
        ),
        exclude=anchored(model.exclude, "exclude"),
        fail_on=model.fail_on or "warning",
        max_score=model.max_score,
        report_unused_disables=bool(model.report_unused_disables),
        seller=model.seller,
        include_quoted=bool(model.include_quoted),
        max_file_bytes=model.max_file_bytes or MAX_BYTES,
        max_message_chars=model.max_message_chars or MAX_CHARS,
        max_findings=model.max_findings or MAX_FINDINGS,
        set_keys=set_keys,
    )


_REPLACED = (
    "model", "shipped", "select", "fail-on", "max-score", "report-unused-disables",
    "seller", "include-quoted", "max-file-bytes", "max-message-chars", "max-findings",
)  # fmt: skip


def _merge(base: Config, child: Config, *, path: Path | None = None) -> Config:
    """`child` over `base`: set keys replace, lists add up, levels merge."""
    values: dict[str, Any] = {}
    for key in _REPLACED:
        attr = key.replace("-", "_")
        values[attr] = getattr(child if key in child.set_keys else base, attr)
    return Config(
        path=path if path is not None else child.path,
        chain=(*base.chain, *child.chain),
        rules=(*base.rules, *child.rules),
        levels=(*base.levels, *child.levels),
        ignore=(*base.ignore, *child.ignore),
        per_path=(*base.per_path, *child.per_path),
        exclude=(*base.exclude, *child.exclude),
        set_keys=base.set_keys | child.set_keys,
        **values,
    )
