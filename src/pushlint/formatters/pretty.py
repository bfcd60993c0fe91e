"""`--format pretty`: the report a rep reads before sending. Colour on a terminal;
plain text with ^^^ markers when piped or when NO_COLOR is set."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from rich.console import Console
from rich.control import strip_control_codes
from rich.text import Text

from pushlint.records import Finding, Report, RunResult

BAND_STYLE = {"customer-centric": "bold green", "balanced": "bold yellow", "pushy": "bold red"}
LEVEL_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
CONTEXT_WIDTH = 110


Piece = str | tuple[str, str]
"""Text, or text and its Rich style: what `Text.assemble` takes."""
Line = list[Piece]


def render(result: RunResult, console: Console) -> None:
    for report in result.reports:
        console.print(_styled(_report(report, console)))
    _end(result, console)


def chunks(result: RunResult, console: Console) -> Iterator[str]:
    """What `render` prints, as text a report at a time (for a pipe or `--output`),
    without the final newline."""
    for report in result.reports:
        lines = _report(report, console)
        plain = _plain(console, lines)
        if plain is None:
            with console.capture() as capture:
                console.print(_styled(lines))
            plain = capture.get()
        yield plain
    with console.capture() as capture:
        _end(result, console)
    yield capture.get().rstrip("\n")


def _plain(console: Console, lines: list[Line]) -> str | None:
    """What `console.print` would write for these lines when that is just their text:
    no colour, no wrapping, no tab to expand (control codes go, as Rich drops them).
    Building and rendering Rich text was most of the time of a piped report over
    thousands of cached files. None when Rich must do it."""
    if console.color_system is not None or not console.soft_wrap:
        return None
    text = "\n".join("".join(p if isinstance(p, str) else p[0] for p in line) for line in lines)
    return None if "\t" in text else strip_control_codes(text) + "\n"


def _styled(lines: list[Line]) -> Text:
    return Text("\n").join(Text.assemble(*line) for line in lines)


def _end(result: RunResult, console: Console) -> None:
    for error in result.errors:
        console.print(Text.assemble((error.path, "bold"), ": ", (error.problem, "red")))
    _summary(result, console)


def _report(report: Report, console: Console) -> list[Line]:
    """A report's lines, printed at once: Rich's per-call cost (terminal and size
    checks) was most of the time of a run over thousands of cached files."""
    header: Line = [
        (report.path, "bold underline"),
        "  score ",
        (f"{report.score}/100", BAND_STYLE[report.band]),
        "  ",
        (report.band, BAND_STYLE[report.band]),
    ]
    parts = [f"{cat} {pts:+g}" for cat, pts in sorted(report.categories.items()) if pts]
    if parts:
        header.append(("  (" + ", ".join(parts) + ")", "dim"))
    lines = [header]
    for note in report.notes:
        lines.append([(f"  note: {note}", "dim")])
    if report.call:
        call = report.call
        questions = call.get("rep_questions", 0)
        lines.append(
            [
                (
                    f"  call: rep talk share {call.get('rep_talk_share', 0):.0%}, "
                    f"{questions:g} question{'' if questions == 1 else 's'} from the rep, "
                    f"longest rep monologue {call.get('rep_longest_monologue', 0):g} words",
                    "cyan",
                )
            ]
        )
    coloured = console.color_system is not None
    for finding in report.findings:
        lines += _finding(finding, coloured)
    for signal in report.signals:
        marker = signal.is_marker
        lines.append(
            [
                "  ",
                ("· " if marker else "+ ", "dim" if marker else "green"),
                (f"{signal.line}:{signal.column}", "dim"),
                "  ",
                (f"{signal.rule} {signal.name}", "dim" if marker else "green"),
                f"  {signal.message}",
                (f"  ({signal.points:+g})" if signal.points else "", "dim"),
            ]
        )
    if not report.findings:
        lines.append([("  no findings", "green")])
    lines.append([])
    return lines


def _finding(finding: Finding, coloured: bool) -> list[Line]:
    lines: list[Line] = [
        [
            "  ",
            (f"{finding.line}:{finding.column}", "bold"),
            "  ",
            (finding.level, LEVEL_STYLE[finding.level]),
            "  ",
            (f"{finding.rule} {finding.name}", "magenta"),
            "  ",
            finding.message,
            (f"  (+{finding.points:g})" if finding.points else "", "dim"),
        ]
    ]
    if not finding.sentence:  # e.g. an unused suppression: nothing to quote
        return lines
    context, start, end = _context(finding)
    lines.append(
        [
            ("    | " + context[:start], "dim"),
            (context[start:end], "dim bold red underline" if coloured else "dim"),
            (context[end:], "dim"),
        ]
    )
    if not coloured:
        lines.append(["    | " + " " * start + "^" * max(1, end - start)])
    for suggestion in finding.suggestions:
        line: Line = ["    ", ("-> ", "green"), suggestion.text]
        if suggestion.replacement is not None:
            line.append((f' "{suggestion.replacement}"', "green"))
            if suggestion.safe:
                line.append(("  (safe: pushlint check --fix applies it)", "dim"))
        lines.append(line)
    return lines


def _context(finding: Finding) -> tuple[str, int, int]:
    """The sentence on one line, cut around the span when long, with the span's offsets."""
    sentence = finding.sentence.replace("\r", " ").replace("\n", " ").replace("\t", " ").rstrip()
    start = max(0, finding.start - finding.sentence_start)
    end = min(len(sentence), max(start + 1, finding.end - finding.sentence_start))
    if len(sentence) <= CONTEXT_WIDTH:
        return sentence, start, end
    left = max(0, start - 30)
    right = min(len(sentence), max(end + 30, left + CONTEXT_WIDTH))
    prefix = "…" if left else ""
    suffix = "…" if right < len(sentence) else ""
    cut = prefix + sentence[left:right] + suffix
    return cut, start - left + len(prefix), min(end, right) - left + len(prefix)


def _summary(result: RunResult, console: Console) -> None:
    bands = Counter(r.band for r in result.reports)
    levels = Counter(f.level for r in result.reports for f in r.findings)
    files = len(result.reports)
    console.print(
        Text.assemble(
            (f"{files} message{'s' if files != 1 else ''}: ", "bold"),
            (f"{bands['pushy']} pushy", BAND_STYLE["pushy"]),
            ", ",
            (f"{bands['balanced']} balanced", BAND_STYLE["balanced"]),
            ", ",
            (f"{bands['customer-centric']} customer-centric", BAND_STYLE["customer-centric"]),
            f"; {sum(levels.values())} findings "
            f"({levels['error']} errors, {levels['warning']} warnings, {levels['info']} info)",
            (f"; {len(result.errors)} unreadable" if result.errors else "", "red"),
        )
    )
