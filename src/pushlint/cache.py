"""The result cache: an unchanged message is not run through the pipeline again.

What is stored per message is its `Outcome`: rule ids, character offsets and metric
values, never words of the message. The key is a SHA-256 of the message text (after the
reader: masking, quoted replies, layout) and of everything that could change the
outcome: pushlint's own code, spaCy's version, the model and its version, and the
content of every rule file. Config (selection, levels, suppressions, thresholds) is
applied after the pipeline on every run, so it is not part of the key: changing it
never serves a stale result and never costs a re-lint.

One SQLite file (stdlib, safe with several pushlint processes at once) in the user's
cache folder, or `$PUSHLINT_CACHE_DIR`. The cache is an optimisation only: any problem
with it is reported as a note and the run goes on without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pushlint.engine import Mark, Outcome
from pushlint.sources import Message

ENV_DIR = "PUSHLINT_CACHE_DIR"
DB_NAME = "results.sqlite3"
SCHEMA = 1
STALE_AFTER = 30 * 24 * 3600  # seconds: entries not used for a month are dropped
TOUCH_AFTER = 24 * 3600  # a hit records its use at most once a day


_enabled = True


def set_enabled(enabled: bool) -> None:
    """`--no-cache` turns off every on-disk cache of the process, rule files included."""
    global _enabled
    _enabled = enabled


def cache_dir() -> Path:
    configured = os.environ.get(ENV_DIR)
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("pushlint", appauthor=False))


def clear(folder: Path | None = None) -> tuple[Path, int]:
    """Delete the cache folder; returns it and how many bytes it held."""
    folder = folder or cache_dir()
    if not folder.exists():
        return folder, 0
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    shutil.rmtree(folder)
    return folder, size


@dataclass(frozen=True)
class Generation:
    """What, besides the message, decides an outcome; hashed into every key."""

    model: str
    model_version: str
    rules: str  # content hash of the rule files
    code: str = ""  # pushlint's own code and spaCy's version

    @property
    def digest(self) -> str:
        code = self.code or code_fingerprint()
        parts = [str(SCHEMA), code, self.model, self.model_version, self.rules]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """pushlint's version and the size and mtime of its files (an editable install
    changes without a new version), and the same for the spaCy and mail-parser-reply
    modules whose output is cached (any reinstall rewrites them). Stat calls, not
    importlib.metadata, which alone costs a start 50 ms."""
    import importlib.util

    from pushlint import __version__

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"pushlint={__version__}\0".encode())
    files = [p for p in sorted(package.rglob("*")) if p.suffix in {".py", ".yaml", ".json"}]
    for name in ("spacy", "mailparser_reply"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            origin = Path(spec.origin).parent
            files += [origin / "about.py", origin / "parser.py", Path(spec.origin)]
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def rules_fingerprint(files: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _text_key(text: str) -> str:
    digest = hashlib.sha256(f"replies\0{code_fingerprint()}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def message_key(generation: str, message: Message) -> str:
    digest = hashlib.sha256(generation.encode())
    digest.update(b"\0" + message.text.encode("utf-8", "surrogatepass"))
    if message.layout is not None:  # call notes whose speakers the reader already found
        digest.update(b"\0" + repr(message.layout).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class ResultCache:
    """Outcomes by message key. Every method swallows database errors after the first
    one (kept in `problem`), so a broken or read-only cache only makes a run slower."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or cache_dir()
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        self._replies: dict[str, int | None] = {}

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self.problem is not None:
            return self._db
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _mark_folder(self.folder)
            db = sqlite3.connect(self.folder / DB_NAME, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS results "
                "(key TEXT PRIMARY KEY, outcome TEXT NOT NULL, used INTEGER NOT NULL)"
            )
            db.execute("CREATE TABLE IF NOT EXISTS meta (generation TEXT PRIMARY KEY, notes TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, own_end INTEGER)")
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
        return self._db

    def _fail(self, exc: Exception) -> None:
        self.problem = f"result cache in {self.folder} not used: {exc}"
        self._db = None

    def get_many(self, keys: Sequence[str]) -> dict[str, Outcome]:
        db = self._connect()
        found: dict[str, Outcome] = {}
        if db is None or not keys:
            return found
        now = int(time.time())
        touched: list[str] = []
        try:
            for start in range(0, len(keys), 500):  # SQLite caps the number of parameters
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, outcome, used FROM results WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, text, used in rows:
                    outcome = _decode(text)
                    if outcome is not None:
                        found[key] = outcome
                        if used < now - TOUCH_AFTER:
                            touched.append(key)
            if touched:  # a write per hit would cost more than the lookups
                db.executemany(
                    "UPDATE results SET used = ? WHERE key = ?", [(now, k) for k in touched]
                )
        except sqlite3.Error as exc:
            self._fail(exc)
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, items: Mapping[str, Outcome]) -> None:
        db = self._connect()
        if db is None or not items:
            return
        now = int(time.time())
        try:
            db.executemany(
                "INSERT OR REPLACE INTO results (key, outcome, used) VALUES (?, ?, ?)",
                [(key, _encode(outcome), now) for key, outcome in items.items()],
            )
        except sqlite3.Error as exc:
            self._fail(exc)

    # `sources.replies.Remembered`: where a text's own words end, so that a re-read file
    # skips the reply parser. Stored as an offset under a hash of the text.

    def get(self, text: str) -> int | Literal[False] | None:
        db = self._connect()
        if db is None:
            return False
        try:
            row = db.execute(
                "SELECT own_end FROM replies WHERE key = ?", (_text_key(text),)
            ).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return False
        return False if row is None else row[0]

    def put(self, text: str, end: int | None) -> None:
        self._replies[_text_key(text)] = end
        if len(self._replies) >= 256:
            self._flush_replies()

    def _flush_replies(self) -> None:
        db = self._connect()
        pending, self._replies = self._replies, {}
        if db is None or not pending:
            return
        try:
            db.executemany("INSERT OR REPLACE INTO replies VALUES (?, ?)", pending.items())
        except sqlite3.Error as exc:
            self._fail(exc)

    def notes_for(self, generation: str) -> tuple[str, ...] | None:
        """The run notes (e.g. rules the model cannot serve) recorded for a generation."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT notes FROM meta WHERE generation = ?", (generation,)
            ).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return tuple(json.loads(row[0])) if row else None

    def set_notes(self, generation: str, notes: Iterable[str]) -> None:
        db = self._connect()
        if db is None:
            return
        try:
            db.execute(
                "INSERT OR REPLACE INTO meta (generation, notes) VALUES (?, ?)",
                (generation, json.dumps(list(notes))),
            )
        except sqlite3.Error as exc:
            self._fail(exc)

    def close(self) -> None:
        self._flush_replies()
        if self._db is None:
            return
        try:
            self._db.execute(
                "DELETE FROM results WHERE used < ?", (int(time.time()) - STALE_AFTER,)
            )
            self._db.close()
        except sqlite3.Error as exc:
            self._fail(exc)
        self._db = None


def _mark_folder(folder: Path) -> None:
    """Tell backup tools and git to skip the folder, as pip and ruff do."""
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n# pushlint result cache\n",
            encoding="utf-8",
        )
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


def _encode(outcome: Outcome) -> str:
    return json.dumps(
        {
            "m": [
                [m.rule, m.start, m.end, m.sentence_start, m.sentence_end,
                 [list(c) for c in m.captures], m.value]
                for m in outcome.marks
            ],
            "s": list(outcome.stopped),
            "c": outcome.call,
        },
        separators=(",", ":"),
    )  # fmt: skip


def _mark(row: list[Any]) -> Mark:
    rule, start, end, sentence_start, sentence_end, captures, value = row
    return Mark(
        rule,
        start,
        end,
        sentence_start,
        sentence_end,
        tuple(map(tuple, captures)) if captures else (),
        value,
    )


def _decode(text: str) -> Outcome | None:
    """None for an entry this version cannot read: it is simply computed again."""
    try:
        data: dict[str, Any] = json.loads(text)
        marks = tuple(map(_mark, data["m"]))
        call = data.get("c")
        return Outcome(
            marks=marks,
            stopped=tuple(str(r) for r in data.get("s", ())),
            call={str(k): float(v) for k, v in call.items()} if call else None,
        )
    except (ValueError, TypeError, KeyError):
        return None


# Parsed rule files: YAML with line marks is most of what loading a pack costs (about
# 0.1 s for the shipped ones), so the parse is kept as JSON under a hash of the file's
# bytes. Validation still runs on every load; a file whose data JSON cannot hold
# exactly (dates, non-string keys) is simply parsed every time.


def parsed_rule_file(text: str) -> tuple[Any, str] | None:
    """The data and the marks' JSON text (left undecoded until a problem needs them)."""
    if not _enabled:
        return None
    try:
        stored = json.loads((_rules_folder() / f"{_rule_key(text)}.json").read_text("utf-8"))
        data, marks = stored["data"], stored["marks"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (data, marks) if isinstance(marks, str) else None


def keep_parsed_rule_file(text: str, data: Any, marks: str) -> None:
    if not _enabled:
        return
    try:
        body = json.dumps({"data": data, "marks": marks})
        if json.loads(body)["data"] != data:
            return
        folder = _rules_folder()
        folder.mkdir(parents=True, exist_ok=True)
        _mark_folder(folder.parent)
        target = folder / f"{_rule_key(text)}.json"
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(body, encoding="utf-8")
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):
        return


def _rules_folder() -> Path:
    return cache_dir() / "rules"


def _rule_key(text: str) -> str:
    return hashlib.sha256(
        f"{code_fingerprint()}\0{text}".encode("utf-8", "surrogatepass")
    ).hexdigest()
