"""Safe YAML loading that remembers where every key and value came from.

PyYAML's safe loader gives plain data; validation errors then need a line and column.
We compose the node tree ourselves and record, for every path of keys and indexes, the
mark of the key and of the value. Duplicate keys, which PyYAML silently overwrites, are
errors here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when a file is parsed: a run whose rule files are cached
    import yaml  # (see `pushlint.cache`) does not pay for it

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Marks:
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)

    def find(self, path: Path_, *, key: bool = False) -> Mark:
        """The mark of `path`, or of its nearest ancestor that has one."""
        if key and path in self.keys:
            return self.keys[path]
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Mark(1, 1))


class YamlProblem(Exception):
    """A YAML syntax or structure error with its position."""

    def __init__(self, mark: Mark, problem: str) -> None:
        super().__init__(problem)
        self.mark = mark
        self.problem = problem


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def load_yaml_with_marks(text: str) -> tuple[Any, Marks]:
    """Parse one YAML document safely; return the data and the marks of every path."""
    import yaml

    # libyaml's loader when PyYAML was built with it (the wheels are): same nodes and
    # marks, several times faster than the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        marks = Marks()
        data = _build(loader, node, (), marks) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        raise YamlProblem(where, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Mark(1, 1), f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, marks


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap")


def _build(loader: Any, node: yaml.Node, path: Path_, marks: Marks) -> Any:
    import yaml

    marks.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        raise YamlProblem(_mark(node), f"unsupported YAML tag {node.tag!r}")
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise YamlProblem(_mark(key_node), "a mapping key must be a plain scalar")
            if key in result:
                raise YamlProblem(_mark(key_node), f"duplicate key {key!r}")
            child = (*path, key)
            marks.keys[child] = _mark(key_node)
            result[key] = _build(loader, value_node, child, marks)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), marks) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def marks_to_json(marks: Marks) -> dict[str, list[Any]]:
    return {
        "values": [[list(path), m.line, m.column] for path, m in marks.values.items()],
        "keys": [[list(path), m.line, m.column] for path, m in marks.keys.items()],
    }


def marks_to_text(marks: Marks) -> str:
    return json.dumps(marks_to_json(marks), separators=(",", ":"))


def marks_from_text(text: str, reparse: Callable[[], Marks]) -> Marks:
    """Marks kept as JSON text by the parse cache, decoded only when a problem needs a
    position. The marks are five times the size of the rules they locate, so decoding
    them on every load was most of what reading a cached rule file cost (about 15 ms
    of every run for the shipped packs). `reparse` rebuilds them from the YAML if the
    text turns out unreadable."""
    return _StoredMarks(text, reparse)


class _StoredMarks(Marks):
    """Marks read back from the parse cache. They become lookups only when a problem
    needs a position: loading a valid file, the usual case, never pays for it."""

    def __init__(self, text: str, reparse: Callable[[], Marks]) -> None:  # lazy: no super
        self._text = text
        self._reparse = reparse

    @cached_property
    def _data(self) -> dict[str, list[Any]]:
        try:
            data = json.loads(self._text)
            if isinstance(data.get("values"), list) and isinstance(data.get("keys"), list):
                return data  # type: ignore[no-any-return]
        except (ValueError, AttributeError):
            pass
        return marks_to_json(self._reparse())

    @cached_property
    def values(self) -> dict[Path_, Mark]:  # type: ignore[override]
        return {tuple(path): Mark(line, column) for path, line, column in self._data["values"]}

    @cached_property
    def keys(self) -> dict[Path_, Mark]:  # type: ignore[override]
        return {tuple(path): Mark(line, column) for path, line, column in self._data["keys"]}
