"""Measure pushlint's judgement against labelled messages.

The score is a ranking of pushiness, so the headline figure is ROC AUC: the chance that
a random pushy message scores higher than a random non-pushy one (ties count half).
Bands are checked against what each label should get: `pushy` -> pushy band;
`customer-centric` and `passive` -> customer-centric band (passivity is advice, never a
penalty). Per-rule counts on each label show which rules fire on good messages: those
are the false positives to fix first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pushlint.api import Linter
from pushlint.corpus import LABELS, Sample
from pushlint.records import Report
from pushlint.score import BANDS
from pushlint.sources import from_field

EXPECTED_BAND = {
    "pushy": "pushy",
    "customer-centric": "customer-centric",
    "passive": "customer-centric",
}
BAND_NAMES = tuple(band for _, band in reversed(BANDS))


@dataclass(frozen=True)
class Outcome:
    sample: Sample
    report: Report

    @property
    def flagged(self) -> bool:
        """Has a finding at warning level or above."""
        return any(f.level != "info" for f in self.report.findings)


@dataclass(frozen=True)
class Evaluation:
    outcomes: tuple[Outcome, ...]
    auc: float | None
    auc_vs_customer_centric: float | None
    band_accuracy: float
    confusion: dict[str, dict[str, int]]
    rules: dict[str, dict[str, int]]
    counts: dict[str, int] = field(default_factory=dict)

    def rate(self, label: str, band: str) -> float:
        total = self.counts.get(label, 0)
        return self.confusion.get(label, {}).get(band, 0) / total if total else 0.0

    def flagged_rate(self, label: str) -> float:
        chosen = [o for o in self.outcomes if o.sample.label == label]
        return sum(o.flagged for o in chosen) / len(chosen) if chosen else 0.0


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """Mann-Whitney AUC with ties counted as one half; None if a class is empty."""
    if not positives or not negatives:
        return None
    ranked = sorted([(v, 1) for v in positives] + [(v, 0) for v in negatives])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mean_rank = (i + 1 + j) / 2
        rank_sum += mean_rank * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def evaluate(samples: Iterable[Sample], linter: Linter) -> Evaluation:
    """Each sample is read as `check` reads a file (merge fields, quoted replies and
    sign-offs masked, call turns found), so a figure here is what a run reports."""
    chosen = list(samples)
    reports = linter.lint_messages(from_field(s.id, s.text) for s in chosen)
    outcomes = tuple(Outcome(s, r) for s, r in zip(chosen, reports, strict=True))
    return summarise(outcomes)


def summarise(outcomes: Sequence[Outcome]) -> Evaluation:
    by_label = {label: [o for o in outcomes if o.sample.label == label] for label in LABELS}
    pushy = [o.report.score for o in by_label["pushy"]]
    others = [o.report.score for o in outcomes if o.sample.label != "pushy"]
    customer = [o.report.score for o in by_label["customer-centric"]]
    confusion = {
        label: {band: sum(o.report.band == band for o in items) for band in BAND_NAMES}
        for label, items in by_label.items()
    }
    correct = sum(EXPECTED_BAND[o.sample.label] == o.report.band for o in outcomes)
    rules: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        fired = {f.rule for f in (*outcome.report.findings, *outcome.report.signals)}
        for rule in fired:
            rules.setdefault(rule, Counter())[outcome.sample.label] += 1
    return Evaluation(
        outcomes=tuple(outcomes),
        auc=roc_auc(pushy, others),
        auc_vs_customer_centric=roc_auc(pushy, customer),
        band_accuracy=correct / len(outcomes) if outcomes else 0.0,
        confusion=confusion,
        rules={  # sorted: a set's order changes from run to run, and reports get diffed
            rule: {label: rules[rule][label] for label in LABELS} for rule in sorted(rules)
        },
        counts={label: len(items) for label, items in by_label.items()},
    )
