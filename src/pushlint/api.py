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
from functools import cached_property, lru_cache
from itertools import groupby, islice
from pathlib import Path
from typing import TYPE_CHECKING

from pushlint.engine import LineIndex, Outcome, Wordings
from pushlint.records import FileError, Finding, Report, RunResult
from pushlint.sources import MAX_CHARS, STDIN, Message, ReadOptions, read
from pushlint.turns import LAYOUT_KEY

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from spacy.language import Language
    from spacy.tokens import Doc

    from pushlint.cache import ResultCache
    from pushlint.nlp import PipelineInfo, RecurringWords
    from pushlint.parallel import Workers
    from pushlint.pipeline import PushlintComponent
    from pushlint.project import FileSettings, Project
    from pushlint.rules.loader import RuleSet

LinterKey = tuple[str | None, tuple[str, ...], bool]

BATCH_SIZE = 32  # the parser is ~10% faster than at 16; memory grows with the batch
ZONE_SIZE = 512  # docs per spaCy memory zone, so the string store does not grow forever
CHUNK_SIZE = 64  # messages read, looked up in the cache and linted together
TASK_SIZE = 32  # messages per task for a worker process: one parser batch, load still balanced


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
        from pushlint.nlp import one_blas_thread

        with one_blas_thread():
            report = self.nlp(text)._.pushlint
        return dataclasses.replace(report, path=path, notes=(*self.notes, *report.notes))

    def lint_messages(self, messages: Iterable[Message]) -> Iterator[Report]:
        """Stream messages through `nlp.pipe` in small batches inside memory zones."""
        for message, doc in self._docs(messages):
            yield to_source(doc._.pushlint, message)

    def outcomes(self, messages: Iterable[Message]) -> Iterator[Outcome]:
        """What the pipeline found in each message, as offsets (see `engine.Outcome`),
        without wording a Report the caller would build again from the outcome."""
        for _, doc in self._docs(messages, without=(self.component.name,)):
            yield self.component.outcome(doc)

    def _docs(
        self, messages: Iterable[Message], without: Sequence[str] = ()
    ) -> Iterator[tuple[Message, Doc]]:
        from pushlint.nlp import one_blas_thread

        iterator = iter(messages)
        while chunk := list(islice(iterator, ZONE_SIZE)):
            self.recurring_words.warm([m.text for m in chunk])
            with self.nlp.memory_zone():
                docs = iter(
                    self.nlp.pipe(
                        (self._doc(m) for m in chunk), batch_size=BATCH_SIZE, disable=without
                    )
                )
                for message in chunk:
                    # the BLAS limit holds while spaCy computes, not while the caller works
                    with one_blas_thread():
                        doc = next(docs)
                    yield message, doc

    @cached_property
    def recurring_words(self) -> RecurringWords:
        from pushlint.nlp import RecurringWords

        return RecurringWords(self.nlp)

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
    options: ReadOptions | None = None,
) -> Report:
    """Lint one message, exactly as given; with `options`, as a file holding it would be
    read (`ReadOptions()`: plain text, with quoted replies, signatures and merge fields
    masked and inline directives honoured), for a raw draft or template in a string.
    Raises RuleFileError for broken rules, ModelError for a bad model, ValueError for a
    text over the size limit."""
    linter = get_linter(model, rules, shipped=shipped)
    if options is None:
        return linter.lint_text(text, path)
    from pushlint.policy import suppress
    from pushlint.sources import from_field

    message = from_field(path, text, options)
    (report,) = linter.lint_messages([message])
    report = dataclasses.replace(report, notes=(*linter.notes, *report.notes))
    return suppress(report, message.directives, linter.component.ruleset)


def lint_paths(
    paths: Iterable[str | Path],
    *,
    model: str | None = None,
    rules: Sequence[str | Path] = (),
    shipped: bool = True,
    options: ReadOptions | None = None,
    project: Project | None = None,
    finish: Callable[[Report, Message, FileSettings], Report | None] | None = None,
    cache: ResultCache | None = None,
    jobs: int | None = 1,
) -> RunResult:
    """Lint files, folders (the files pushlint reads in them) and `-` for stdin, in order.

    Without a `project`, no config file is read: the arguments are the settings. With
    one, each file gets the settings of its config (`Project`), its selection, levels
    and inline suppressions are applied, and `finish` (baseline, changed lines) may
    change or drop (None) its report. Unreadable inputs become `FileError`s in the
    result; the others are still linted. With a `cache`, messages it knows skip the
    pipeline; `jobs` > 1 (None: every core for 100 inputs or more) lints in that many
    processes, in the same order. Raises ConfigError, RuleFileError, ModelError."""
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
    from pushlint.spool import ReportSpool

    errors: list[FileError] = []
    reports = ReportSpool()
    lanes: dict[LinterKey, Lane] = {}
    files = list(project.files(str(p) for p in paths))
    workers = _workers(len(files), jobs)

    def inputs() -> Iterator[tuple[Message, FileSettings]]:
        for path in files:
            settings = project.settings(path)
            item = read(path, settings.read, remembered=cache)
            if isinstance(item, FileError):
                errors.append(item)
            else:
                yield item, settings

    try:
        for key, group in groupby(inputs(), key=lambda pair: pair[1].linter_key):
            lane = lanes.setdefault(key, Lane(key, cache))
            for report in _lint_group(lane, group, project, workers):
                finished = finish(*report) if finish is not None else report[0]
                if finished is not None:
                    reports.append(finished)
    except BaseException:  # Ctrl-C or an error: stop the workers, do not wait for them
        if workers is not None:
            workers.terminate()
        raise
    if workers is not None:
        workers.close()
    if not lanes:  # nothing readable: still say which model would have run
        key = project.settings(STDIN).linter_key
        lanes[key] = Lane(key, cache)
    first = next(iter(lanes.values()))
    notes = tuple(dict.fromkeys(n for lane in lanes.values() for n in lane.notes))
    if cache is not None and cache.problem:
        notes = (*notes, cache.problem)
    info = first.info
    return RunResult(info.name, reports, tuple(errors), notes, info.version)


def _workers(inputs: int, jobs: int | None) -> Workers | None:
    from pushlint.parallel import Workers, auto_jobs

    count = auto_jobs(inputs) if jobs is None else max(1, jobs)
    return Workers(count) if count > 1 else None


class Lane:
    """One model and rule set of a run. Only a message the cache does not know loads the
    pipeline, so a re-run of an unchanged repo never imports spaCy."""

    def __init__(self, key: LinterKey, cache: ResultCache | None) -> None:
        self.key = key
        self.cache = cache
        self._linter: Linter | None = None

    @cached_property
    def ruleset(self) -> RuleSet:
        from pushlint.rules.loader import load_rules

        _, rules, shipped = self.key
        return load_rules([Path(r) for r in rules], shipped=shipped)

    @cached_property
    def wordings(self) -> Wordings:
        return Wordings({r.id: r for r in self.ruleset.rules})

    @cached_property
    def info(self) -> PipelineInfo:
        from pushlint.nlp import describe

        return describe(self.key[0])

    @cached_property
    def generation(self) -> str:
        from pushlint.cache import Generation, rules_fingerprint
        from pushlint.rules.loader import run_rule_files

        _, rules, shipped = self.key
        info = self.info
        return Generation(
            info.name, info.version, rules_fingerprint(run_rule_files(rules, shipped))
        ).digest

    @property
    def linter(self) -> Linter:
        if self._linter is None:
            model, rules, shipped = self.key
            self.ruleset  # noqa: B018  (a broken rule file fails before the model loads)
            self._linter = get_linter(model, rules, shipped=shipped)
            if self.cache is not None:
                self.cache.set_notes(self.generation, self._linter.notes)
        return self._linter

    @property
    def notes(self) -> tuple[str, ...]:
        if self._linter is None and self.cache is not None:
            known = self.cache.notes_for(self.generation)
            if known is not None:
                return known
        return self.linter.notes

    def report(self, outcome: Outcome, message: Message) -> Report:
        from pushlint.engine import build_report
        from pushlint.turns import analyse

        layout = message.layout if message.layout is not None else analyse(message.text)
        report = build_report(outcome, message.text, self.wordings, layout)
        return to_source(report, message)


def _lint_group(
    lane: Lane,
    group: Iterable[tuple[Message, FileSettings]],
    project: Project,
    workers: Workers | None,
) -> Iterator[tuple[Report, Message, FileSettings]]:
    """Lint one run of same-pipeline inputs chunk by chunk: outcomes from the cache where
    it has them, from the pipeline otherwise; then each file's policy. With workers, a
    few chunks are in flight while this process words and scores the finished ones."""
    ruleset = lane.ruleset
    levels: dict[object, dict[str, str]] = {}  # per selection: resolved once, not per message
    size = TASK_SIZE if workers is not None else CHUNK_SIZE
    in_flight = 2 * workers.jobs if workers is not None else 0
    pending: deque[_Chunk] = deque()
    iterator = iter(group)

    def finish(chunk: _Chunk) -> Iterator[tuple[Report, Message, FileSettings]]:
        for outcome, (message, settings) in zip(chunk.outcomes(), chunk.items, strict=True):
            report = lane.report(outcome, message)
            selection = settings.selection
            if selection not in levels:
                levels[selection] = selection.levels_for(ruleset)
            yield (
                apply_policy(report, message, settings, ruleset, levels[selection]),
                message,
                settings,
            )

    while items := list(islice(iterator, size)):
        for _, settings in items:
            project.check_selectors(settings.config, ruleset)
        pending.append(_Chunk.start(lane, items, workers))
        while len(pending) > in_flight:
            yield from finish(pending.popleft())
    while pending:
        yield from finish(pending.popleft())


class _Chunk:
    """Inputs on their way through the cache and the pipeline (or a worker)."""

    def __init__(self, lane: Lane, items: list[tuple[Message, FileSettings]]) -> None:
        self.lane = lane
        self.items = items
        self.keys: dict[int, str] = {}
        self.known: dict[str, Outcome] = {}
        self.missing: list[int] = []
        self.computed: list[Outcome] | None = None
        self.future: AsyncResult[list[Outcome]] | None = None

    @classmethod
    def start(
        cls, lane: Lane, items: list[tuple[Message, FileSettings]], workers: Workers | None
    ) -> _Chunk:
        chunk = cls(lane, items)
        cache = lane.cache
        if cache is not None:
            from pushlint.cache import message_key

            chunk.keys = {
                i: message_key(lane.generation, message)
                for i, (message, _) in enumerate(items)
                if message.path != STDIN  # a draft on stdin is not kept
            }
            chunk.known = cache.get_many(list(chunk.keys.values()))
        chunk.missing = [i for i in range(len(items)) if chunk.keys.get(i) not in chunk.known]
        messages = [items[i][0] for i in chunk.missing]
        if not messages:
            chunk.computed = []
        elif workers is not None:
            lane.linter  # noqa: B018  (load before the workers fork, so they share it)
            chunk.future = workers.submit(lane.key, messages)
        else:
            chunk.computed = list(lane.linter.outcomes(messages))
        return chunk

    def outcomes(self) -> list[Outcome]:
        computed = self.computed if self.future is None else self.future.get()
        assert computed is not None
        fresh = dict(zip(self.missing, computed, strict=True))
        if self.lane.cache is not None:
            self.lane.cache.put_many({self.keys[i]: fresh[i] for i in fresh if i in self.keys})
        return [
            fresh[i] if i in fresh else self.known[self.keys[i]] for i in range(len(self.items))
        ]


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
    if (report.fail_on, report.max_score) != (settings.fail_on, settings.max_score):
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
    # Masked in place (newlines where they were): the text's positions are the file's.
    unmoved = index is not None and index.same_lines(LineIndex(message.text))

    def place(finding: Finding) -> Finding:
        changes: dict[str, object] = {}
        if unmoved:
            pass
        elif index is not None:
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

    in_place = unmoved or (index is None and not message.line_map)
    if in_place and not message.subject:  # positions are the file's already
        return dataclasses.replace(report, path=message.path, notes=(*message.notes, *report.notes))
    return dataclasses.replace(
        report,
        path=message.path,
        findings=tuple(place(f) for f in report.findings),
        signals=tuple(place(s) for s in report.signals),
        notes=(*message.notes, *report.notes),
    )
