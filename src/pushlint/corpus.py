"""Labelled messages for `pushlint eval`, from the layouts people keep corpora in.

- a folder whose sub-folders are named by label (`pushy/`, `customer-centric/`,
  `passive/`) holding .txt/.md messages;
- YAML files with a `messages:` list (id, label, text, kind, source) and an optional
  default `source:`;
- JSON Lines with one {"text", "label", ...} object per line;
- CSV with `text,label` (or `path,label`, paths relative to the CSV) columns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pushlint.records import FileError
from pushlint.sources import TEXT_SUFFIXES, decode, read

LABELS = ("pushy", "customer-centric", "passive")
_ALIASES = {
    "customer": "customer-centric",
    "centric": "customer-centric",
    "customer-centred": "customer-centric",
    "pull": "passive",
    "push": "pushy",
    "vendor-centric": "pushy",
}
DATA_SUFFIXES = (".yaml", ".yml", ".jsonl", ".csv")


class CorpusError(Exception):
    """A corpus file that cannot be read or has an unknown label."""


@dataclass(frozen=True)
class Sample:
    id: str
    label: str
    text: str
    kind: str = "email"
    source: str = ""


def normalise_label(raw: object, where: str) -> str:
    label = str(raw).strip().lower().replace("_", "-").replace(" ", "-")
    label = _ALIASES.get(label, label)
    if label not in LABELS:
        raise CorpusError(f"{where}: unknown label {raw!r}; expected one of {', '.join(LABELS)}")
    return label


def load_corpus(paths: Iterable[str | Path]) -> list[Sample]:
    samples: list[Sample] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
        samples.extend(_from_folder(path) if path.is_dir() else _from_file(path, None))
    ids = [s.id for s in samples]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CorpusError(f"duplicate message ids: {', '.join(duplicates[:10])}")
    return samples


def _from_folder(folder: Path) -> Iterator[Sample]:
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(p.startswith(".") for p in path.relative_to(folder).parts):
            continue
        if path.suffix.lower() in DATA_SUFFIXES:
            yield from _from_file(path, None)
        elif path.suffix.lower() in TEXT_SUFFIXES and path.name.lower() != "readme.md":
            label_dir = (
                path.relative_to(folder).parts[0]
                if len(path.relative_to(folder).parts) > 1
                else None
            )
            if label_dir is None:
                continue
            label = normalise_label(label_dir, str(path))
            message = read(str(path))  # the same readers as `pushlint check`
            if isinstance(message, FileError):
                raise CorpusError(f"{path}: {message.problem}")
            yield Sample(str(path), label, message.text, source=str(path))


def _from_file(path: Path, label: str | None) -> Iterator[Sample]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            yield from _from_yaml(path)
        elif suffix == ".jsonl":
            yield from _from_jsonl(path)
        elif suffix == ".csv":
            yield from _from_csv(path)
        else:
            raise CorpusError(f"{path}: not a corpus file (use .yaml, .jsonl, .csv or a folder)")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError, csv.Error) as exc:
        raise CorpusError(f"{path}: {exc}") from None


def _sample(item: Any, where: str, default_source: str, index: int, stem: str) -> Sample:
    if not isinstance(item, dict) or "text" not in item or "label" not in item:
        raise CorpusError(f"{where}: each message needs `text` and `label`")
    return Sample(
        id=str(item.get("id") or f"{stem}-{index + 1}"),
        label=normalise_label(item["label"], where),
        text=str(item["text"]),
        kind=str(item.get("kind", "email")),
        source=str(item.get("source") or default_source),
    )


def _from_yaml(path: Path) -> Iterator[Sample]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        default_source, items = str(data.get("source", "")), data.get("messages", [])
    else:
        default_source, items = "", data
    if not isinstance(items, list):
        raise CorpusError(f"{path}: expected a `messages:` list")
    for i, item in enumerate(items):
        yield _sample(item, f"{path} message {i + 1}", default_source, i, path.stem)


def _from_jsonl(path: Path) -> Iterator[Sample]:
    with path.open(encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if line.strip():
                yield _sample(json.loads(line), f"{path}:{i + 1}", "", i, path.stem)


def _from_csv(path: Path) -> Iterator[Sample]:
    with path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            if "text" not in row and "path" in row:
                target = path.parent / row["path"]
                row = {
                    **row,
                    "text": decode(target.read_bytes()),
                    "id": row.get("id") or row["path"],
                }
            yield _sample(row, f"{path}:{i + 2}", "", i, path.stem)
