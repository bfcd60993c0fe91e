"""`--format junit`: JUnit XML, one test case per file, for CI systems that chart test
results (GitLab, Jenkins, Azure). A file fails when it fails the run."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import chain

from pushlint.formatters.concise import line
from pushlint.formatters.streamed import xml_chunks
from pushlint.records import FileError, Report, RunResult

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render(result: RunResult) -> str:
    return "".join(chunks(result))


def chunks(result: RunResult) -> Iterator[str]:
    """The document a test case at a time; a first pass over the reports counts the
    failures the suite element states before its cases."""
    failures = sum(1 for r in result.reports if r.failing())
    root = ET.Element("testsuites", name="pushlint")
    suite = ET.SubElement(
        root,
        "testsuite",
        name="pushlint",
        tests=str(len(result.reports) + len(result.errors)),
        failures=str(failures),
        errors=str(len(result.errors)),
    )
    yield DECLARATION
    if not result.reports and not result.errors:
        ET.indent(root)
        yield ET.tostring(root, encoding="unicode")
        return
    cases = chain(
        (_case(report) for report in result.reports),
        (_error_case(error) for error in result.errors),
    )
    yield from xml_chunks(root, suite, cases)


def _case(report: Report) -> ET.Element:
    case = ET.Element("testcase", classname="pushlint", name=report.path)
    details = [line(report, f) for f in report.findings]
    if report.failing():
        failure = ET.SubElement(
            case,
            "failure",
            type="pushlint",
            message=f"score {report.score}/100 ({report.band}), {len(report.findings)} finding(s)",
        )
        failure.text = "\n".join(details)
    elif details:
        ET.SubElement(case, "system-out").text = "\n".join(details)
    return case


def _error_case(error: FileError) -> ET.Element:
    case = ET.Element("testcase", classname="pushlint", name=error.path)
    ET.SubElement(case, "error", type="read", message=error.problem)
    return case
