"""Which settings govern each linted file: its config, the command line's overrides,
per-path blocks and excludes. One `Project` per run; configs are loaded once each."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pushlint.config import Anchored, Config, ConfigError, find_config, load_config
from pushlint.policy import Selection, known
from pushlint.sources import STDIN, ReadOptions, expand

if TYPE_CHECKING:
    import pathspec

    from pushlint.gitdiff import ChangedLines
    from pushlint.rules.loader import RuleSet


@dataclass(frozen=True)
class Overrides:
    """What the command line says; None means "as the config says"."""

    config: Path | None = None  # --config: this file for every input, no discovery
    isolated: bool = False  # --isolated: no config files at all
    model: str | None = None
    rules: tuple[str, ...] = ()  # added to the config's packs
    shipped: bool | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    max_score: int | None = None
    report_unused_disables: bool | None = None
    seller: str | None = None
    include_quoted: bool | None = None
    input_format: str | None = None
    force_exclude: bool = False  # apply `exclude` to files named on the command line too
    stdin_filename: str | None = None  # where stdin's text "lives", for config and per-path


@dataclass(frozen=True)
class FileSettings:
    config: Config
    model: str | None
    rules: tuple[str, ...]
    shipped: bool
    read: ReadOptions
    selection: Selection
    fail_on: str
    max_score: int | None
    report_unused_disables: bool
    max_findings: int = 500

    @property
    def linter_key(self) -> tuple[str | None, tuple[str, ...], bool]:
        return self.model, self.rules, self.shipped


@dataclass
class Project:
    overrides: Overrides = field(default_factory=Overrides)
    discover: bool = True  # library callers without a config get plain defaults
    changed: ChangedLines | None = None  # --diff-base: skip files with no changed line
    _configs: dict[Path | None, Config] = field(default_factory=dict)
    _checked: set[tuple[int, int]] = field(default_factory=set)
    _found: dict[Path, Path | None] = field(default_factory=dict)
    _locations: dict[str, Path] = field(default_factory=dict)
    _folders: dict[str, Path] = field(default_factory=dict)
    _folder_configs: dict[str, Config] = field(default_factory=dict)
    _settings: dict[tuple[int, tuple[int, ...]], FileSettings] = field(default_factory=dict)

    @cached_property
    def _explicit(self) -> Config | None:
        if self.overrides.config is None:
            return None
        if not self.overrides.config.is_file():
            raise ConfigError(f"{self.overrides.config}: no such config file")
        return load_config(self.overrides.config)

    def config_for(self, path: str) -> Config:
        if self._explicit is not None:
            return self._explicit
        if self.overrides.isolated or not self.discover:
            return self._configs.setdefault(None, Config())
        if path == STDIN or os.path.islink(path):  # a linked file: its target's config
            return self._config_at(self._location(path).parent)
        folder = os.path.dirname(path)  # the files of a folder share its config
        config = self._folder_configs.get(folder)
        if config is None:
            if len(self._folder_configs) >= 256:
                self._folder_configs.clear()
            config = self._folder_configs[folder] = self._config_at(self._location(path).parent)
        return config

    def _config_at(self, folder: Path) -> Config:
        found = find_config(folder, self._found)
        if found not in self._configs:
            self._configs[found] = load_config(found) if found is not None else Config()
        return self._configs[found]

    def _location(self, path: str) -> Path:
        """The absolute path config and `per-path` globs are matched against; resolved
        once per file (each resolve is a system call per path component)."""
        location = self._locations.get(path)
        if location is None:
            if len(self._locations) >= 256:  # files come in order: recent ones are enough
                self._locations.clear()
            name = (self.overrides.stdin_filename or "stdin") if path == STDIN else path
            location = self._locations[path] = self._resolve(name)
        return location

    def _resolve(self, name: str) -> Path:
        """`Path(name).resolve()`, with each folder resolved once per run: the files of a
        folder share it, and only a symlinked file itself needs a resolve of its own."""
        folder, base = os.path.split(name)
        if not base or base in (".", "..") or os.path.islink(name):
            return Path(name).resolve()
        resolved = self._folders.get(folder)
        if resolved is None:
            if len(self._folders) >= 256:
                self._folders.clear()
            resolved = self._folders[folder] = Path(folder or ".").resolve()
        return resolved / base

    def settings(self, path: str) -> FileSettings:
        """Built once per config and set of matching per-path blocks, not once per file."""
        config = self.config_for(path)
        location = self._location(path) if config.per_path else None
        matching = tuple(
            i
            for i, override in enumerate(config.per_path)
            if location is not None and _matches_any(override.files, location)
        )
        key = (id(config), matching)
        found = self._settings.get(key)
        if found is None:
            found = self._settings[key] = self._build_settings(config, matching)
        return found

    def _build_settings(self, config: Config, matching: tuple[int, ...]) -> FileSettings:
        o = self.overrides
        select = tuple(a.value for a in config.select) if config.select is not None else ("ALL",)
        extra_select: list[str] = []
        extra_ignore: list[str] = []
        levels = [(a.value, level) for a, level in config.levels]
        for override in (config.per_path[i] for i in matching):
            extra_select += [a.value for a in override.select]
            extra_ignore += [a.value for a in override.ignore]
            levels += [(a.value, level) for a, level in override.levels]
        selection = Selection(
            select=o.select if o.select is not None else select,
            ignore=(*(a.value for a in config.ignore), *o.ignore),
            levels=tuple(levels),
            extra_select=tuple(extra_select),
            extra_ignore=tuple(extra_ignore),
        )
        return FileSettings(
            config=config,
            model=o.model if o.model is not None else config.model,
            rules=(*config.rules, *o.rules),
            shipped=o.shipped if o.shipped is not None else config.shipped,
            read=ReadOptions(
                o.input_format,
                o.include_quoted if o.include_quoted is not None else config.include_quoted,
                o.seller if o.seller is not None else config.seller,
                config.max_file_bytes,
                config.max_message_chars,
            ),
            selection=selection,
            fail_on=o.fail_on or config.fail_on,
            max_score=o.max_score if o.max_score is not None else config.max_score,
            report_unused_disables=(
                o.report_unused_disables
                if o.report_unused_disables is not None
                else config.report_unused_disables
            ),
            max_findings=config.max_findings,
        )

    def excluded(self, path: str) -> bool:
        if path == STDIN:
            return False
        config = self.config_for(path)
        return bool(config.exclude) and _matches_any(config.exclude, self._location(path))

    def files(self, paths: Iterable[str]) -> Iterator[str]:
        """The files to lint: folders expanded, excluded files skipped (files named on
        the command line only with `force_exclude`, as in ruff)."""
        for raw in paths:
            if raw == STDIN or not os.path.isdir(raw):
                if not (self.overrides.force_exclude and self.excluded(raw)) and self._changed(raw):
                    yield raw
                continue
            for found in expand([raw]):
                if not self.excluded(found) and self._changed(found):
                    yield found

    def _changed(self, path: str) -> bool:
        return self.changed is None or path == STDIN or self.changed.lines(path) != set()

    def check_selectors(self, config: Config, ruleset: RuleSet) -> None:
        """Every rule, category or prefix a config names must exist in the loaded rules."""
        key = (id(config), id(ruleset))
        if key in self._checked:
            return
        self._checked.add(key)
        named: list[Anchored] = [
            *(config.select or ()),
            *config.ignore,
            *(a for a, _ in config.levels),
            *(a for o in config.per_path for a in (*o.select, *o.ignore)),
            *(a for o in config.per_path for a, _ in o.levels),
        ]
        named += [Anchored(s, Path.cwd(), "--select") for s in self.overrides.select or ()]
        named += [Anchored(s, Path.cwd(), "--ignore") for s in self.overrides.ignore]
        problems = [
            f"{a.where}: no rule, category or id prefix {a.value!r}"
            for a in named
            if not known(a.value, ruleset)
        ]
        if problems:
            raise ConfigError("\n".join(problems))


def _matches_any(globs: Iterable[Anchored], location: Path) -> bool:
    for glob in globs:
        try:
            relative = location.relative_to(_resolved(glob.base)).as_posix()
        except ValueError:
            continue
        if _spec(glob.value).match_file(relative):
            return True
    return False


@lru_cache(maxsize=256)
def _resolved(folder: Path) -> Path:
    return folder.resolve()


_SPECS: dict[str, pathspec.PathSpec] = {}


def _spec(pattern: str) -> pathspec.PathSpec:
    import pathspec  # only when a config has `exclude` or `per-path` globs

    if pattern not in _SPECS:
        _SPECS[pattern] = pathspec.GitIgnoreSpec.from_lines([pattern])
    return _SPECS[pattern]
