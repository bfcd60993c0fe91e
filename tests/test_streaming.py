"""A run over many files keeps its reports out of memory and writes its output as it
goes, with exactly the output of the all-at-once version."""

from __future__ import annotations

import io
import json
import os
import stat
import threading
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from pushlint import spool
from pushlint.api import get_linter, lint_paths
from pushlint.fix import write_atomic
from pushlint.formatters import concise, github, junit, pretty, sarif, streamed
from pushlint.formatters import json as json_format
from pushlint.records import FileError, RunResult
from pushlint.spool import ReportSpool


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    folder = tmp_path_factory.mktemp("msgs")
    for i, body in enumerate(
        [
            "We are the leading provider. Sign by Friday so we can close this deal.",
            "You mentioned your reps rebuild the forecast every Monday — “ünïcode”.",
            "",
        ]
    ):
        (folder / f"m{i}.txt").write_text(body, encoding="utf-8")
    run = lint_paths([folder])
    return RunResult(
        run.model,
        run.reports,
        (FileError("gone.txt", "cannot read: missing"),),
        ("a note",),
        run.model_version,
    )


def test_streamed_json_is_the_document_json_dumps_gives(result: RunResult) -> None:
    document = {
        "pushlint": json.loads(json_format.render(result))["pushlint"],
        "model": result.model,
        "model_version": result.model_version,
        "files": [json_format.report_dict(r) for r in result.reports],
        "errors": [{"path": "gone.txt", "problem": "cannot read: missing"}],
        "notes": ["a note"],
    }
    assert len(document["files"]) == 3
    assert json_format.render(result) == json.dumps(document, indent=2, ensure_ascii=False)
    empty = RunResult("m", (), (), (), "1")
    assert json.loads(json_format.render(empty))["files"] == []
    assert json_format.render(empty) == json.dumps(
        {**document, "model": "m", "model_version": "1", "files": [], "errors": [], "notes": []},
        indent=2,
        ensure_ascii=False,
    )


def test_streamed_sarif_is_the_document_json_dumps_gives(result: RunResult) -> None:
    rules = get_linter().component.active
    pieces = list(sarif.chunks(result, rules))
    text = "".join(pieces)
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, ensure_ascii=False)
    findings = sum(len(r.findings) for r in result.reports)
    assert len(document["runs"][0]["results"]) == findings >= 3
    assert len(pieces) >= findings  # written a result at a time, not built whole
    assert len(document["runs"][0]["tool"]["driver"]["rules"]) == len(rules)
    empty = "".join(sarif.chunks(RunResult("m", (), (), (), "1"), rules))
    assert json.loads(empty)["runs"][0]["results"] == []
    assert empty == json.dumps(json.loads(empty), indent=2, ensure_ascii=False)


def test_streamed_junit_is_the_tree_elementtree_writes(result: RunResult) -> None:
    def rewritten(text: str) -> str:
        """The document parsed and written whole by ElementTree, indented the same way."""
        root = ET.fromstring(text.removeprefix(junit.DECLARATION))
        ET.indent(root)
        return junit.DECLARATION + ET.tostring(root, encoding="unicode")

    pieces = list(junit.chunks(result))
    text = "".join(pieces)
    assert text == rewritten(text)
    cases = ET.fromstring(text.removeprefix(junit.DECLARATION)).iter("testcase")
    assert [c.get("name") for c in cases][-1] == "gone.txt"
    assert len(pieces) >= len(result.reports) + 1
    empty = junit.render(RunResult("m", (), (), (), "1"))
    assert empty == rewritten(empty)
    assert 'tests="0"' in empty


def test_pretty_output_file_is_what_the_recorded_console_gave(result: RunResult) -> None:
    recorded = Console(record=True, file=io.StringIO(), width=120, color_system=None)
    pretty.render(result, recorded)
    plain = Console(file=io.StringIO(), width=120, color_system=None)
    pieces = list(pretty.chunks(result, plain))
    assert len(pieces) == len(result.reports) + 1
    assert "".join(pieces) == recorded.export_text().rstrip("\n")


def test_piped_pretty_output_is_what_rich_prints_on_a_pipe(result: RunResult) -> None:
    """A piped report skips Rich's render; it must still be byte for byte what Rich
    prints: control codes dropped, long lines unbroken, a tab left to Rich."""
    odd = result.reports[0]
    finding = odd.findings[0]
    odd = replace(
        odd,
        path="dir\x07name/m\r0.txt",
        notes=("x" * 300,),
        findings=(replace(finding, message="tab\there"), replace(finding, message="bell\x07 ✓")),
    )
    for reports in (result.reports, (odd,), (replace(odd, findings=odd.findings[1:]),)):
        run = replace(result, reports=reports)
        recorded = Console(record=True, file=io.StringIO(), color_system=None, soft_wrap=True)
        pretty.render(run, recorded)
        pipe = Console(file=io.StringIO(), color_system=None, soft_wrap=True)
        printed = recorded.export_text().rstrip("\n")
        assert "".join(pretty.chunks(run, pipe)) == printed
    assert "x" * 300 in printed


def test_streamed_xml_needs_an_item() -> None:
    root = ET.Element("root")
    with pytest.raises(ValueError, match="at least one item"):
        list(streamed.xml_chunks(root, root, iter(())))


def test_streamed_line_formats_join_to_one_line_per_finding(result: RunResult) -> None:
    findings = sum(len(r.findings) for r in result.reports)
    assert findings >= 3
    for module in (concise, github):
        text = "".join(module.chunks(result))
        assert text == module.render(result)
        assert len(text.split("\n")) == findings + 1  # one per finding, one per error


def test_a_spool_past_its_memory_limit_gives_back_every_report(
    result: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spool, "IN_MEMORY", 1024)
    monkeypatch.setattr(spool, "HELD_ITEMS", 0)
    reports = list(result.reports) * 40
    spooled = ReportSpool(reports)
    assert spooled._file._rolled  # type: ignore[attr-defined]  # on disk now
    assert len(spooled) == len(reports)
    assert list(spooled) == reports and spooled == reports
    assert spooled[-1] == reports[-1] and spooled[1:3] == tuple(reports[1:3])


def test_a_spool_keeps_only_its_first_reports_as_objects_and_the_rest_in_order(
    result: RunResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays bounded: past HELD_ITEMS findings and signals, reports are pickled,
    and reading gives every report back in the order it was added."""
    reports = [r for r in result.reports if r.findings or r.signals] * 30
    items = [len(r.findings) + len(r.signals) for r in reports]
    limit = sum(items[:7])
    monkeypatch.setattr(spool, "HELD_ITEMS", limit)
    spooled = ReportSpool(reports)
    assert len(spooled._held) == 7  # type: ignore[attr-defined]
    assert len(spooled) == len(reports) and list(spooled) == reports
    assert spooled[6] == reports[6] and spooled[7] == reports[7]
    assert spooled[-1] == reports[-1] and spooled[-len(reports)] == reports[0]
    assert spooled[5:9] == tuple(reports[5:9])
    with pytest.raises(IndexError):
        spooled[len(reports)]
    with pytest.raises(IndexError):
        spooled[-len(reports) - 1]


def test_output_to_a_pipe_writes_into_it_instead_of_replacing_it(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, iter([b"one\n", b"two\n"]))
    reader.join(timeout=10)
    assert received == [b"one\ntwo\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, not a file renamed over it
