"""What a project wants reported: rule selection, level overrides, inline suppressions.

Linting always runs every loaded rule; a policy is applied to the finished Report, which
is then re-scored from its remaining findings. That keeps one pipeline per model and rule
set however many configs and per-path overrides a repository has, and it means a cached
report (one per file) can be re-used under any policy.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pushlint.engine import scored
from pushlint.records import Finding, Report
from pushlint.sources.directives import Directive

if TYPE_CHECKING:
    from pushlint.rules.loader import LoadedRule, RuleSet

OFF = "off"
UNUSED_RULE = "PL000"  # reported for a suppression that suppressed nothing
_PREFIX = re.compile(r"[A-Za-z]+[0-9]*")


def matches(selector: str, rule: LoadedRule) -> bool:
    """A selector names a rule by id, name, category, id prefix (`PL3`) or `ALL`."""
    text = selector.strip()
    if text.upper() == "ALL":
        return True
    lowered = text.lower()
    spec = rule.spec
    if lowered in (spec.id.lower(), spec.name, spec.category):
        return True
    return bool(_PREFIX.fullmatch(text)) and spec.id.upper().startswith(text.upper())


def specificity(selector: str, ruleset: RuleSet) -> int:
    """ALL < category < id prefix < name or id: the more specific selector wins."""
    text = selector.strip()
    if text.upper() == "ALL":
        return 0
    if text.lower() in ruleset.categories:
        return 1
    if any(text.lower() in (r.spec.id.lower(), r.spec.name) for r in ruleset.rules):
        return 3
    return 2


def known(selector: str, ruleset: RuleSet) -> bool:
    return any(matches(selector, r) for r in ruleset.rules)


@dataclass(frozen=True)
class Selection:
    """Which rules report, and at what level, for one file."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    levels: tuple[tuple[str, str], ...] = ()  # (selector, level or "off"), in order
    extra_select: tuple[str, ...] = ()  # per-path `select`: turned back on after ignores
    extra_ignore: tuple[str, ...] = ()  # per-path `ignore`

    def levels_for(self, ruleset: RuleSet) -> dict[str, str]:
        """Rule id -> effective level, for every enabled rule."""
        result: dict[str, str] = {}
        for rule in ruleset.rules:
            if not self._enabled(rule, ruleset):
                continue
            level: str = rule.spec.level
            best = -1
            for selector, wanted in self.levels:
                rank = specificity(selector, ruleset)
                if matches(selector, rule) and rank >= best:
                    level, best = wanted, rank
            if level != OFF:
                result[rule.id] = level
        return result

    def _enabled(self, rule: LoadedRule, ruleset: RuleSet) -> bool:
        if any(matches(s, rule) for s in self.extra_select):
            return True
        if any(matches(s, rule) for s in self.extra_ignore):
            return False
        votes = [(specificity(s, ruleset), 1, True) for s in self.select if matches(s, rule)]
        votes += [(specificity(s, ruleset), 2, False) for s in self.ignore if matches(s, rule)]
        return max(votes)[2] if votes else False


def apply_levels(report: Report, levels: dict[str, str]) -> Report:
    """Drop findings of rules that are not selected, set overridden levels, re-score."""
    if all(levels.get(f.rule) == f.level for f in (*report.findings, *report.signals)):
        return report  # every rule selected at its own level: the usual case, checked fast
    return rescore(report, lambda f: f.rule in levels, lambda f: levels[f.rule])


def rescore(
    report: Report,
    keep: Callable[[Finding], bool],
    level: Callable[[Finding], str] | None = None,
) -> Report:
    """The report with only the findings `keep` accepts, at their new levels, re-scored
    with the one formula."""
    items = sorted((*report.findings, *report.signals), key=lambda f: (f.start, f.end, f.rule))
    kept = [_at_level(f, level(f) if level is not None else f.level) for f in items if keep(f)]
    if len(kept) == len(items) and all(a is b for a, b in zip(kept, items, strict=True)):
        return report  # nothing dropped, no level changed
    return scored(report, kept)


def _at_level(finding: Finding, level: str) -> Finding:
    if level == finding.level:
        return finding
    return dataclasses.replace(finding, level=level)  # type: ignore[arg-type]


@dataclass
class _Region:
    directive: Directive
    first: int
    last: int  # inclusive; a huge number when never re-enabled
    used: bool = False

    def covers(self, finding: Finding, ruleset: RuleSet) -> bool:
        if not self.first <= finding.line <= self.last:
            return False
        rule = ruleset.get(finding.rule)
        names = self.directive.rules
        return not names or (rule is not None and any(matches(n, rule) for n in names))


_END = 10**9


def regions(directives: Sequence[Directive]) -> list[_Region]:
    """The line ranges each directive switches off."""
    result: list[_Region] = []
    open_regions: list[_Region] = []
    for d in sorted(directives, key=lambda d: (d.line, d.column)):
        if d.kind == "disable-file":
            result.append(_Region(d, 1, _END))
        elif d.kind == "disable-next-line":
            result.append(_Region(d, d.line + 1, d.line + 1))
        elif d.kind == "disable-line":
            result.append(_Region(d, d.line, d.line))
        elif d.kind == "disable":
            region = _Region(d, d.line, _END)
            result.append(region)
            open_regions.append(region)
        else:  # enable: ends every open disable it names (a bare enable ends them all)
            for region in list(open_regions):
                named = {n.lower() for n in region.directive.rules}
                if not d.rules or named & {n.lower() for n in d.rules}:
                    region.last = d.line
                    open_regions.remove(region)
    return result


def suppress(
    report: Report,
    directives: Sequence[Directive],
    ruleset: RuleSet,
    *,
    report_unused: bool = False,
) -> Report:
    """Apply inline suppressions; optionally flag the ones that suppressed nothing, and
    ones that name no known rule."""
    if not directives:
        return report
    spans = regions(directives)

    def keep(finding: Finding) -> bool:
        hit = [r for r in spans if r.covers(finding, ruleset)]
        for region in hit:
            region.used = True
        return not hit

    result = rescore(report, keep)
    if not report_unused:
        return result
    extra: list[Finding] = []
    for region in spans:
        d = region.directive
        unknown = [n for n in d.rules if not known(n, ruleset)]
        if unknown:
            problem = f"`{d.text}` names no known rule: {', '.join(unknown)}"
        elif not region.used:
            problem = f"`{d.text}` suppresses nothing; remove it"
        else:
            continue
        extra.append(_unused(d, problem))
    if not extra:
        return result
    findings = sorted((*result.findings, *extra), key=lambda f: (f.line, f.column, f.rule))
    return dataclasses.replace(result, findings=tuple(findings))


def _unused(directive: Directive, problem: str) -> Finding:
    return Finding(
        rule=UNUSED_RULE,
        name="unused-suppression",
        category="pushlint",
        level="warning",
        message=problem,
        start=0,
        end=0,
        text=directive.text,
        line=directive.line,
        column=directive.column,
        end_line=directive.line,
        end_column=directive.column + len(directive.text),
        points=0.0,
        weight=0.0,
    )


def only_lines(report: Report, lines: Iterable[int]) -> Report:
    """Keep findings that start on one of `lines` (changed lines, for --diff-base)."""
    wanted = frozenset(lines)
    return rescore(report, lambda f: any(n in wanted for n in range(f.line, f.end_line + 1)))
