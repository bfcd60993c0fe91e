"""`--format junit`: JUnit XML, one test case per file, for CI systems that chart test
results (GitLab, Jenkins, Azure). A file fails when it fails the run."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from pushlint.formatters.concise import line
from pushlint.records import RunResult


def render(result: RunResult) -> str:
    failures = sum(1 for r in result.reports if r.failing())
    suite = ET.Element(
        "testsuite",
        name="pushlint",
        tests=str(len(result.reports) + len(result.errors)),
        failures=str(failures),
        errors=str(len(result.errors)),
    )
    for report in result.reports:
        case = ET.SubElement(suite, "testcase", classname="pushlint", name=report.path)
        details = [line(report, f) for f in report.findings]
        if report.failing():
            failure = ET.SubElement(
                case,
                "failure",
                type="pushlint",
                message=f"score {report.score}/100 ({report.band}), "
                f"{len(report.findings)} finding(s)",
            )
            failure.text = "\n".join(details)
        elif details:
            ET.SubElement(case, "system-out").text = "\n".join(details)
    for error in result.errors:
        case = ET.SubElement(suite, "testcase", classname="pushlint", name=error.path)
        ET.SubElement(case, "error", type="read", message=error.problem)
    root = ET.Element("testsuites", name="pushlint")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
