"""Documents with one long list written item by item.

`json_chunks` gives exactly the text `json.dumps(document, indent=2)` would, and
`xml_chunks` exactly what `ET.indent` and `ET.tostring` would, without holding the
list (one entry per linted file or finding) in memory.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import Any

HOLE = "\0the streamed list\0"  # stands in for the list while the rest is serialised
_XML_HOLE = "pushlint-streamed-list"


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def indented(text: str, prefix: str, *, first: bool = True) -> str:
    lines = text.split("\n")
    return "\n".join(
        line if (i == 0 and not first) else prefix + line for i, line in enumerate(lines)
    )


def json_chunks(document: Any, items: Iterable[Any]) -> Iterator[str]:
    """`document` holds `HOLE` once, where the list of `items` goes."""
    head, tail = dumps(document).split(dumps(HOLE))
    last_line = head[head.rfind("\n") + 1 :]
    indent = " " * (len(last_line) - len(last_line.lstrip(" ")))
    yield head + "["
    empty = True
    for item in items:
        yield ("\n" if empty else ",\n") + indented(dumps(item), indent + "  ")
        empty = False
    yield ("]" if empty else f"\n{indent}]") + tail


def xml_chunks(root: ET.Element, parent: ET.Element, items: Iterable[ET.Element]) -> Iterator[str]:
    """`root`'s tree, indented, with `items` as the children of `parent`. There must be
    at least one item: ET writes a parent without children as an empty element."""
    ET.SubElement(parent, _XML_HOLE)
    ET.indent(root)
    head, tail = ET.tostring(root, encoding="unicode").split(f"<{_XML_HOLE} />")
    depth = _depth(root, parent) + 1
    written = False
    separator = "\n" + "  " * depth
    for i, item in enumerate(items):
        ET.indent(item, level=depth)
        item.tail = None
        yield (head if i == 0 else separator) + ET.tostring(item, encoding="unicode")
        written = True
    if not written:
        raise ValueError("xml_chunks needs at least one item")
    yield tail


def _depth(root: ET.Element, node: ET.Element) -> int:
    if root is node:
        return 0
    for child in root:
        found = _depth(child, node)
        if found >= 0:
            return found + 1
    return -1
