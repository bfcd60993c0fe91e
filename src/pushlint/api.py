"""The library: lint text or files and get plain records back.

    >>> import pushlint
    >>> report = pushlint.lint_text("We are the leading provider of ...")
    >>> report.score, [f.rule for f in report.findings]

A loaded pipeline is cached per (model, rule paths), so repeated calls are cheap.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby, islice
from pathlib import Path
from typing import TYPE_CHECKING

from pushlint.engine import LineIndex
from pushlint.records import FileError, Finding, Report, RunResult
from pushlint.sources import MAX_CHARS, STDIN, Message, ReadOptions, read
from pushlint.turns import LAYOUT_KEY

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from pushlint.pipeline import PushlintComponent
    from pushlint.project import FileSettings, Project
    from pushlint.rules.loader import RuleSet

BATCH_SIZE = 16  # nlp.pipe memory grows with the batch; 16 keeps peaks near 0.2 GB
ZONE_SIZE = 512  # docs per spaCy memory zone, so the string store does not grow forever


@dataclass(frozen=True)
class Linter:
    """A loaded pipeline with the pushlint component, ready to lint many messages."""

    nlp: Language
    component: PushlintComponent
    model: str
    model_version: str

    @property
    def notes(self) -> tuple[str, ...]:
        skipped = self.component.skipped
        if not skipped:
            return ()
        return (
            f"model {self.model!r} lacks the tagger/parser that {len(skipped)} rule(s) "
            f"need; skipped: {', '.join(r.id for r in skipped)}",
        )

    def lint_text(self, text: str, path: str = "-") -> Report:
        if len(text) > MAX_CHARS:
            raise ValueError(
                f"{path}: {len(text):,} characters is over the {MAX_CHARS:,}-character limit"
            )
        report = self.nlp(text)._.pushlint
        return dataclasses.replace(report, path=path, notes=(*self.notes, *report.notes))

    def lint_messages(self, messages: Iterable[Message]) -> Iterator[Report]:
        """Stream messages through `nlp.pipe` in small batches inside memory zones."""
        iterator = iter(messages)
        while chunk := list(islice(iterator, ZONE_SIZE)):
            with self.nlp.memory_zone():
                docs = self.nlp.pipe((self._doc(m) for m in chunk), batch_size=BATCH_SIZE)
                for message, doc in zip(chunk, docs, strict=True):
                    yield to_source(doc._.pushlint, message)

    def _doc(self, message: Message) -> Doc:
        doc = self.nlp.make_doc(message.text)
        if message.layout is not None:
            doc.user_data[LAYOUT_KEY] = message.layout
        return doc


def get_linter(
    model: str | None = None, rules: Sequence[str | Path] = (), *, shipped: bool = True
) -> Linter:
    """Load the pipeline for a model and a set of extra rule paths, once per process and
    rule-file version: an edited rule file gets a fresh linter, an unchanged one does not."""
    from pushlint.rules.loader import rule_files_fingerprint

    paths = tuple(str(Path(r)) for r in rules)
    return _cached_linter(model, paths, shipped, rule_files_fingerprint(paths, shipped))


@lru_cache(maxsize=4)
def _cached_linter(
    model: str | None, rules: tuple[str, ...], shipped: bool, fingerprint: object
) -> Linter:
    from pushlint.nlp import load_pipeline
    from pushlint.rules.loader import load_rules

    ruleset = load_rules([Path(r) for r in rules], shipped=shipped)  # fail before the model
    needs = frozenset().union(*(r.spec.needs() for r in ruleset.rules))
    nlp, info = load_pipeline(model, needs)
    component: PushlintComponent = nlp.add_pipe(
        "pushlint", config={"rule_paths": list(rules), "shipped": shipped}
    )  # type: ignore[assignment]
    return Linter(nlp, component, info.name, info.version)


def lint_text(
    text: str,
    *,
    path: str = "-",
    model: str | None = None,
    rules: Sequence[str | Path] = (),
    shipped: bool = True,
) -> Report:
    """Lint one message. Raises RuleFileError for broken rules, ModelError for a bad model."""
    return get_linter(model, rules, shipped=shipped).lint_text(text, path)


def lint_paths(
    paths: Iterable[str | Path],
    *,
    model: str | None = None,
    rules: Sequence[str | Path] = (),
    shipped: bool = True,
    options: ReadOptions | None = None,
    project: Project | None = None,
    finish: Callable[[Report, Message, FileSettings], Report | None] | None = None,
) -> RunResult:
    """Lint files, folders (the files pushlint reads in them) and `-` for stdin, in order.

    Without a `project`, no config file is read: the arguments are the settings. With
    one, each file gets the settings of its config (`Project`), its selection, levels
    and inline suppressions are applied, and `finish` (baseline, changed lines) may
    change or drop (None) its report. Unreadable inputs become `FileError`s in the
    result; the others are still linted. Raises ConfigError, RuleFileError, ModelError."""
    from pushlint.project import Overrides
    from pushlint.project import Project as _Project

    if project is None:
        given = options or ReadOptions()
        project = _Project(
            Overrides(
                model=model,
                rules=tuple(str(r) for r in rules),
                shipped=shipped,
                input_format=given.input_format,
                include_quoted=given.include_quoted,
                seller=given.seller,
            ),
            discover=False,
        )
    errors: list[FileError] = []
    reports: list[Report] = []
    linters: list[Linter] = []

    def inputs() -> Iterator[tuple[Message, FileSettings]]:
        for path in project.files(str(p) for p in paths):
            settings = project.settings(path)
            item = read(path, settings.read)
            if isinstance(item, FileError):
                errors.append(item)
            else:
                yield item, settings

    for key, group in groupby(inputs(), key=lambda pair: pair[1].linter_key):
        linter = _linter(key)
        linters.append(linter)
        for report in _lint_group(linter, group, project):
            finished = finish(*report) if finish is not None else report[0]
            if finished is not None:
                reports.append(finished)
    if not linters:  # nothing readable: still say which model would have run
        linters.append(_linter(project.settings(STDIN).linter_key))
    first = linters[0]
    notes = tuple(dict.fromkeys(n for linter in linters for n in linter.notes))
    return RunResult(first.model, tuple(reports), tuple(errors), notes, first.model_version)


def _lint_group(
    linter: Linter, group: Iterable[tuple[Message, FileSettings]], project: Project
) -> Iterator[tuple[Report, Message, FileSettings]]:
    """Stream one run of same-pipeline inputs through the linter, applying each file's
    policy to its report."""
    ruleset = linter.component.ruleset
    pending: deque[tuple[Message, FileSettings]] = deque()
    levels: dict[object, dict[str, str]] = {}  # per selection: resolved once, not per message

    def feed() -> Iterator[Message]:
        for message, settings in group:
            project.check_selectors(settings.config, ruleset)
            pending.append((message, settings))
            yield message

    for report in linter.lint_messages(feed()):
        message, settings = pending.popleft()
        selection = settings.selection
        if selection not in levels:
            levels[selection] = selection.levels_for(ruleset)
        yield apply_policy(report, message, settings, ruleset, levels[selection]), message, settings


def _linter(key: tuple[str | None, tuple[str, ...], bool]) -> Linter:
    model, rules, shipped = key
    return get_linter(model, rules, shipped=shipped)


def apply_policy(
    report: Report,
    message: Message,
    settings: FileSettings,
    ruleset: RuleSet,
    levels: dict[str, str] | None = None,
) -> Report:
    """Selection and levels, then inline suppressions; re-scored; thresholds attached."""
    from pushlint.policy import apply_levels, suppress

    if levels is None:
        levels = settings.selection.levels_for(ruleset)
    report = apply_levels(report, levels)
    report = suppress(
        report,
        message.directives,
        ruleset,
        report_unused=settings.report_unused_disables,
    )
    report = dataclasses.replace(report, fail_on=settings.fail_on, max_score=settings.max_score)
    hidden = len(report.findings) - settings.max_findings
    if hidden > 0:  # the score still counts them; the listing stops
        report = dataclasses.replace(
            report,
            findings=report.findings[: settings.max_findings],
            notes=(
                *report.notes,
                f"{hidden} more finding(s) not listed (max-findings: {settings.max_findings})",
            ),
        )
    return report


def to_source(report: Report, message: Message) -> Report:
    """The report with positions in the original file, the subject marked, and the
    reader's notes added."""

    remap = message.source is not None and message.source != message.text
    index = LineIndex(message.source) if remap and message.source is not None else None

    def place(finding: Finding) -> Finding:
        changes: dict[str, object] = {}
        if index is not None:
            changes["line"], changes["column"] = index.position(finding.start)
            changes["end_line"], changes["end_column"] = index.position(finding.end)
        elif message.line_map:
            for key_line, key_col in (("line", "column"), ("end_line", "end_column")):
                line = getattr(finding, key_line)
                file_line, shift = message.line_map[min(line, len(message.line_map)) - 1]
                changes[key_line], changes[key_col] = file_line, getattr(finding, key_col) + shift
        if message.subject and finding.start < message.subject[1]:
            changes["part"] = "subject"
        return dataclasses.replace(finding, **changes) if changes else finding

    return dataclasses.replace(
        report,
        path=message.path,
        findings=tuple(place(f) for f in report.findings),
        signals=tuple(place(s) for s in report.signals),
        notes=(*message.notes, *report.notes),
    )
