"""The HTML report: self-contained, charts drawn, findings highlighted with rewrites;
opened in a real headless Chromium when one is installed (CI installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pushlint.cli import app

from .conftest import EXAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(
        app,
        ["report", str(EXAMPLES / "pushy"), str(EXAMPLES / "customer-centric"), "--html", str(out)],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def scored_report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page for `pushlint score` output: no messages, a trend per month."""
    folder = tmp_path_factory.mktemp("scored")
    scored = folder / "scored.parquet"
    runner = CliRunner()
    done = runner.invoke(app, ["score", str(EXAMPLES / "crm" / "export.jsonl"), "-o", str(scored)])
    assert done.exit_code == 0, done.output
    out = folder / "report.html"
    done = runner.invoke(app, ["report", str(scored), "--html", str(out)])
    assert done.exit_code == 0, done.output
    return out


def test_the_scored_report_is_self_contained_with_a_trend_and_no_message_text(
    scored_report_file: Path,
) -> None:
    page = scored_report_file.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "Mean score per month" in page and "<polyline" in page
    assert "2026-01" in page and "2026-06" in page
    assert "Scores per author" in page and "Dana Whitfield" in page
    export = (EXAMPLES / "crm" / "export.jsonl").read_text(encoding="utf-8")
    assert "Stacklane" in export and "Stacklane" not in page  # a word from a message


def test_report_is_self_contained(report_file: Path) -> None:
    page = report_file.read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing to fetch
    assert "<link" not in page and "@import" not in page


def test_report_has_the_four_charts_and_every_message(report_file: Path) -> None:
    page = report_file.read_text(encoding="utf-8")
    for title in ("Score distribution", "Points per category", "Messages each rule fired on",
                  "Mean score per folder"):  # fmt: skip
        assert title in page
    assert page.count('<svg class="chart"') == 4
    messages = len(list((EXAMPLES / "pushy").glob("*.txt"))) + len(
        list((EXAMPLES / "customer-centric").glob("*.txt"))
    )
    assert page.count('<section class="msg">') == messages


def test_report_highlights_findings_with_rewrites_and_escapes_text(tmp_path: Path) -> None:
    source = tmp_path / "msg.txt"
    source.write_text(
        "<b>Hi</b> This discount expires at the end of the quarter.", encoding="utf-8"
    )
    out = tmp_path / "r.html"
    assert CliRunner().invoke(app, ["report", str(source), "--html", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;Hi&lt;/b&gt;" in page and "<b>Hi</b>" not in page
    assert re.search(r'<mark class="flag" title="PL303[^"]*">discount expires</mark>', page)
    assert "&rarr; Drop the expiry" in page


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium on this machine")
@pytest.mark.parametrize("page", ["report_file", "scored_report_file"])
def test_report_opens_in_headless_chromium_and_the_charts_render(
    page: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    report_file: Path = request.getfixturevalue(page)
    args = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
    ]  # fmt: skip
    dom = subprocess.run(
        [*args, "--dump-dom", report_file.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    # The page's own check ran after layout: every chart has a size and drawn shapes.
    assert 'data-charts-rendered="yes"' in dom
    shot = tmp_path / "report.png"
    subprocess.run(
        [*args, "--window-size=1200,1400", f"--screenshot={shot}", report_file.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 10_000


def test_a_zero_weight_marker_is_not_listed_as_credit(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Your trial ends tomorrow. What would help your team most?\n", "utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(draft), "--html", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "&middot; PL403 readers-own-date" in page and "+ PL403" not in page
    assert "+ PL904 customer-question" in page
