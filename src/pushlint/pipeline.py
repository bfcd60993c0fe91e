"""The `pushlint` spaCy component: `nlp.add_pipe("pushlint")` in any English pipeline.

It runs every compiled check over the doc, writes the kept findings and signals to
`doc.spans["pushlint"]` (label = rule id), the Report to `doc._.pushlint` and what it
is built from (offsets only, for the result cache) to `doc._.pushlint_outcome`. Rules that
need an annotation the pipeline does not produce (a parse on `spacy.blank`) are skipped
and listed in `component.skipped`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from pushlint.checks import Check, compile_checks
from pushlint.checks.prefilter import DocWords
from pushlint.engine import Engine, Outcome, Wordings, build_report
from pushlint.nlp import capabilities
from pushlint.rules.loader import LoadedRule, RuleSet, load_rules, rule_files
from pushlint.turns import layout_of, text_of

SPANS_KEY = "pushlint"

for _name in ("pushlint", "pushlint_outcome"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class PushlintComponent:
    def __init__(
        self, nlp: Language, name: str, rule_paths: Iterable[str] = (), shipped: bool = True
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.rule_paths = [str(p) for p in rule_paths]
        self.shipped = shipped
        self._configure(load_rules([Path(p) for p in self.rule_paths], shipped=shipped))

    def _configure(self, ruleset: RuleSet) -> None:
        available = capabilities(self.nlp) | {"sents"}  # the component itself splits if needed
        self.ruleset = ruleset
        self.active: list[LoadedRule] = [r for r in ruleset.rules if r.spec.needs() <= available]
        self.skipped: list[LoadedRule] = [r for r in ruleset.rules if r not in self.active]
        self.checks: list[Check] = compile_checks(self.nlp, self.active)
        self.engine = Engine(self.active, ruleset)
        self.wordings = Wordings({r.id: r for r in self.active})

    def outcome(self, doc: Doc) -> Outcome:
        """What the rules find in a doc the earlier components have annotated: all a
        report is built from. `lint_paths` needs only this (it words reports itself,
        cached or not), so it runs the pipeline without this component and calls it."""
        if len(doc) and not doc.has_annotation("SENT_START"):
            _lines_as_sentences(doc)
        words = DocWords(doc)
        hits = [hit for check in self.checks for hit in check(doc, words)]
        return self.engine.outcome(doc, hits)

    def __call__(self, doc: Doc) -> Doc:
        outcome = self.outcome(doc)
        report = build_report(outcome, text_of(doc), self.wordings, layout_of(doc))
        doc._.pushlint = report
        doc._.pushlint_outcome = outcome
        doc.spans[SPANS_KEY] = [
            doc.char_span(f.start, f.end, label=f.rule, alignment_mode="expand")
            or Span(doc, 0, 0, label=f.rule)
            for f in (*report.findings, *report.signals)
        ]
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Copy the rule files in, so the saved pipeline carries its own rules."""
        folder = ensure_path(path)
        folder.mkdir(parents=True, exist_ok=True)
        sources = sorted({r.file for r in self.ruleset.rules})
        for i, source in enumerate(sources):
            shutil.copyfile(source, folder / f"{i:03d}-{Path(source).name}")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PushlintComponent:
        self._configure(load_rules(rule_files([ensure_path(path)]), shipped=False))
        return self


_BULLET_STARTS = frozenset("-*•·▪◦–")


@Language.component("pushlint_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after a blank line and at each bullet line, before the parser runs.

    The parser respects boundaries set before it; without this it glues a greeting, a
    subject line or a list item onto the next sentence, and sentence-level conditions
    would then reach across paragraphs."""
    # spaCy keeps newlines in whitespace tokens of their own, so only those are visited.
    for i in numpy.flatnonzero(doc.to_array(["IS_SPACE"]).reshape(-1)).tolist():
        gap = doc[i].text
        if "\n" not in gap or i + 1 >= len(doc) or doc[i + 1].is_space:
            continue
        token = doc[i + 1]
        numbered = token.like_num and token.i + 1 < len(doc) and doc[token.i + 1].text in {".", ")"}
        bullet = token.text in _BULLET_STARTS or numbered
        if gap.count("\n") >= 2 or bullet:
            token.is_sent_start = True
        if bullet:
            # keep the marker with its item: "- one" is one sentence, not "-" and "one"
            item = token.i + (2 if numbered else 1)
            if item < len(doc) and not doc[item].is_space:
                doc[item].is_sent_start = False
    return doc


def _lines_as_sentences(doc: Doc) -> None:
    """Fallback for pipelines with no parser or sentencizer: one sentence per line."""
    for token in doc:
        previous = doc[token.i - 1] if token.i else None
        token.is_sent_start = previous is None or "\n" in previous.text + previous.whitespace_


@Language.factory(
    "pushlint",
    default_config={"rule_paths": [], "shipped": True},
    assigns=["doc.spans", "doc._.pushlint"],
)
def make_pushlint(
    nlp: Language, name: str, rule_paths: list[str], shipped: bool
) -> PushlintComponent:
    return PushlintComponent(nlp, name, rule_paths, shipped)
