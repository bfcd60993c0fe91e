"""`pushlint report --html FILE`: one self-contained HTML page for a corpus.

Charts are inline SVG drawn here, so the page needs no network and no JavaScript
library: the score histogram, points per category, messages per rule, and the mean
score per folder. Below them, every message with its findings highlighted and the
rewrites beside it. The page holds message text, because the user asked for a report of
it; a small script only marks the page once the charts have laid out, for checks.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from pushlint import __version__
from pushlint.records import Finding, Report
from pushlint.stats import GroupStats, Stats

BAND_COLOUR = {"customer-centric": "#2e7d32", "balanced": "#f9a825", "pushy": "#c62828"}
CSS = " ".join(
    [
        "body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;",
        "color:#222;padding:0 1rem}",
        "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}",
        ".charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));",
        "gap:1.5rem}",
        "figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:.8rem}",
        "figcaption{font-weight:600;margin-bottom:.4rem}",
        "svg.chart text{font-size:11px;fill:#333}",
        ".msg{border:1px solid #ddd;border-radius:6px;margin:1rem 0;display:grid;",
        "grid-template-columns:3fr 2fr}",
        ".msg header{grid-column:1/3;padding:.5rem .8rem;background:#f6f6f6;",
        "border-bottom:1px solid #ddd;display:flex;gap:1rem;align-items:center}",
        ".band{color:#fff;border-radius:4px;padding:0 .5rem;font-size:.85rem}",
        ".text{white-space:pre-wrap;padding:.8rem;font-size:13px;",
        "font-family:ui-monospace,Menlo,Consolas,monospace}",
        ".side{padding:.8rem;border-left:1px solid #eee;font-size:13px}",
        "mark{background:#ffe0e0;border-bottom:2px solid #c62828;padding:0 1px}",
        "mark.info{background:#e3f2fd;border-bottom-color:#1565c0}",
        "mark.signal{background:#e8f5e9;border-bottom-color:#2e7d32}",
        ".side li{margin-bottom:.6rem}.rule{font-weight:600}.rewrite{color:#2e7d32}",
    ]
)
SELF_CHECK = """
window.addEventListener('load', function () {
  var charts = document.querySelectorAll('svg.chart'), ok = charts.length > 0;
  charts.forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    if (!(box.width > 0 && box.height > 0) || !svg.querySelector('rect, polyline')) ok = false;
  });
  document.body.setAttribute('data-charts-rendered', ok ? 'yes' : 'no');
});
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def bar_chart(values: dict[str, float], *, colour: str = "#5c6bc0", width: int = 480) -> str:
    """Horizontal bars, one row per key."""
    rows = list(values.items())
    row_h, label_w = 18, 170
    height = max(row_h * len(rows) + 10, 30)
    top = max((abs(v) for _, v in rows), default=0) or 1
    parts = [f'<svg class="chart" width="{width}" height="{height}" role="img">']
    for i, (key, value) in enumerate(rows):
        y = 5 + i * row_h
        length = abs(value) / top * (width - label_w - 50)
        parts.append(f'<text x="0" y="{y + 12}">{_e(key)[:28]}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{max(length, 1):.1f}" height="{row_h - 5}" '
            f'fill="{colour}"><title>{_e(key)}: {value:g}</title></rect>'
        )
        parts.append(f'<text x="{label_w + length + 4:.1f}" y="{y + 12}">{value:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(values: dict[str, float], *, line: bool = False, width: int = 480) -> str:
    """Vertical columns (a histogram), optionally joined by a line (a trend)."""
    keys = list(values)
    height, bottom, left = 200, 40, 30
    top = max(values.values(), default=0) or 1
    slot = (width - left) / max(len(keys), 1)
    widest = max((len(str(k)) for k in keys), default=1) * 6.5 + 6  # px at 11px type
    step = max(1, math.ceil(widest / slot))
    parts = [f'<svg class="chart" width="{width}" height="{height}" role="img">']
    points = []
    for i, key in enumerate(keys):
        value = values[key]
        h = value / top * (height - bottom - 20)
        x = left + i * slot
        y = height - bottom - h
        points.append(f"{x + slot / 2:.1f},{y:.1f}")
        bar_w, bar_h = max(slot - 6, 2), max(h, 1)
        parts.append(
            f'<rect x="{x + 3:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" '
            f'fill="#90a4ae"><title>{_e(key)}: {value:g}</title></rect>'
        )
        parts.append(f'<text x="{x + 3:.1f}" y="{y - 4:.1f}">{value:g}</text>')
        if i % step == 0:  # every label whole; fewer of them when they would collide
            parts.append(f'<text x="{x + 3:.1f}" y="{height - bottom + 14}">{_e(key)}</text>')
    if line and len(points) > 1:
        parts.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#c62828" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _highlighted(text: str, findings: Sequence[Finding]) -> str:
    out, cursor = [], 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if f.start < cursor or f.end > len(text):
            continue  # overlapping spans: the side panel lists them all
        kind = "signal" if f.signal else ("info" if f.level == "info" else "flag")
        out.append(_e(text[cursor : f.start]))
        out.append(
            f'<mark class="{kind}" title="{_e(f.rule)} {_e(f.name)}: {_e(f.message)}">'
            f"{_e(text[f.start : f.end])}</mark>"
        )
        cursor = f.end
    out.append(_e(text[cursor:]))
    return "".join(out)


def _message(text: str, report: Report) -> str:
    colour = BAND_COLOUR[report.band]
    items = []
    for f in report.findings:
        rewrites = "".join(f'<div class="rewrite">&rarr; {_e(s.text)}</div>' for s in f.suggestions)
        items.append(
            f'<li><span class="rule">{_e(f.line)}:{_e(f.column)} {_e(f.rule)} {_e(f.name)}</span> '
            f"({_e(f.level)}, +{f.points:g})<br>{_e(f.message)}{rewrites}</li>"
        )
    for s in report.signals:
        sign = "&middot;" if s.is_marker else "+"
        items.append(f'<li class="rewrite">{sign} {_e(s.rule)} {_e(s.name)}: {_e(s.message)}</li>')
    side = f"<ol>{''.join(items)}</ol>" if items else "<p>No findings.</p>"
    return (
        f'<section class="msg"><header><strong>{_e(report.path)}</strong>'
        f"<span>score {report.score}/100</span>"
        f'<span class="band" style="background:{colour}">{_e(report.band)}</span></header>'
        f'<div class="text">{_highlighted(text, [*report.findings, *report.signals])}</div>'
        f'<div class="side">{side}</div></section>'
    )


def folder_trend(reports: Sequence[Report]) -> dict[str, float]:
    """Mean score per folder, in folder order: the trend across a content repo."""
    scores: dict[str, list[int]] = defaultdict(list)
    for report in reports:
        scores[str(Path(report.path).parent)].append(report.score)
    return {folder: round(sum(v) / len(v), 1) for folder, v in sorted(scores.items())}


def render(messages: Sequence[tuple[str, Report]], stats: Stats, *, model: str) -> str:
    reports = [report for _, report in messages]
    charts = [
        ("Score distribution", column_chart(dict(stats.histogram))),
        ("Points per category", bar_chart(dict(stats.categories), colour="#8e24aa")),
        ("Messages each rule fired on", bar_chart(dict(list(stats.rules.items())[:25]))),
        ("Mean score per folder", column_chart(folder_trend(reports), line=True)),
    ]
    figures = "".join(
        f"<figure><figcaption>{_e(t)}</figcaption>{svg}</figure>" for t, svg in charts
    )
    bands = ", ".join(f"{count} {band}" for band, count in stats.bands.items())
    body = "".join(_message(text, report) for text, report in messages)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>pushlint report</title><style>{CSS}</style></head><body>"
        f"<h1>pushlint report</h1><p>{stats.messages} messages ({_e(bands)}), mean score "
        f"{stats.mean_score:g}. pushlint {__version__}, model {_e(model)}.</p>"
        f'<div class="charts">{figures}</div><h2>Messages</h2>{body}'
        f"<script>{SELF_CHECK}</script></body></html>"
    )


def render_scored(stats: Stats, *, model: str, sources: Sequence[str]) -> str:
    """The page for `pushlint score` output: the same charts, the trend per month, and
    scores per team and author. Rows hold no text, so no message is shown."""
    months = stats.groups.get("month", ())
    charts = [
        ("Score distribution", column_chart(dict(stats.histogram))),
        ("Mean score per month", column_chart({g.key: g.mean_score for g in months}, line=True)),
        ("Points per category", bar_chart(dict(stats.categories), colour="#8e24aa")),
        ("Messages each rule fired on", bar_chart(dict(list(stats.rules.items())[:25]))),
    ]
    for name in ("team", "author"):
        groups = stats.groups.get(name, ())[:GROUP_BARS]
        if groups:
            values = {g.key: g.mean_score for g in groups}
            charts.append((f"Mean score per {name} (highest first)", bar_chart(values)))
    figures = "".join(
        f"<figure><figcaption>{_e(t)}</figcaption>{svg}</figure>" for t, svg in charts
    )
    tables = "".join(_group_table(name, groups) for name, groups in stats.groups.items() if groups)
    worst = "".join(f"<tr><td>{_e(path)}</td><td>{score}</td></tr>" for path, score in stats.worst)
    bands = ", ".join(f"{count:,} {band}" for band, count in stats.bands.items())
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>pushlint report</title><style>{CSS}{TABLE_CSS}</style></head><body>"
        f"<h1>pushlint report</h1><p>{stats.messages:,} scored messages ({_e(bands)}), mean "
        f"score {stats.mean_score:g}, from {_e(', '.join(sources))}. pushlint "
        f"{__version__}, model {_e(model)}.</p>"
        f'<div class="charts">{figures}</div>{tables}'
        f"<h2>Highest scores</h2><table><tr><th>id</th><th>score</th></tr>{worst}</table>"
        f"<script>{SELF_CHECK}</script></body></html>"
    )


GROUP_BARS = 25
TABLE_CSS = (
    "table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.2rem .7rem;"
    "border-bottom:1px solid #eee;text-align:right}td:first-child,th:first-child{text-align:left}"
)


def _group_table(name: str, groups: Sequence[GroupStats]) -> str:
    head = "".join(
        f"<th>{_e(c)}</th>" for c in (name, "messages", "mean", "median", "p90", *BAND_COLOUR)
    )
    rows = "".join(
        f"<tr><td>{_e(g.key)}</td><td>{g.messages:,}</td><td>{g.mean_score:g}</td>"
        f"<td>{g.median}</td><td>{g.p90}</td>"
        + "".join(f"<td>{g.bands.get(band, 0):,}</td>" for band in BAND_COLOUR)
        + "</tr>"
        for g in groups
    )
    return f"<h2>Scores per {_e(name)}</h2><table><tr>{head}</tr>{rows}</table>"
