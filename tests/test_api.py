"""The library API: positions, streaming over files, and inputs that cannot be read."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import Any

import pytest

import pushlint
from pushlint.records import FileError, Report

from .conftest import EXAMPLES


def test_lint_text_returns_a_report_with_1_based_positions() -> None:
    text = "Hi Sam,\n\nThanks for the call.\nThis discount expires on Friday."
    report = pushlint.lint_text(text)
    assert isinstance(report, Report)
    (finding,) = [f for f in report.findings if f.rule == "PL303"]
    assert (finding.line, finding.column) == (4, 6)
    assert (finding.end_line, finding.end_column) == (4, 22)
    assert finding.text == "discount expires" == text[finding.start : finding.end]
    assert finding.suggestions and finding.points > 0
    assert report.path == "-"


def test_lint_text_with_read_options_reads_the_string_as_a_file_would_be(
    tmp_path: Path,
) -> None:
    from pushlint.sources import ReadOptions

    draft = (
        "Hi {{first_name}},\n\nYour team mentioned the close takes nine days.\n\n"
        "Best,\nMark\nAcme Corp, the leading provider of revenue software\n"
    )
    # as given, the signature's slogan is linted as the rep's words
    assert "PL801" in {f.rule for f in pushlint.lint_text(draft).findings}
    read = pushlint.lint_text(draft, options=ReadOptions())
    path = tmp_path / "draft.txt"
    path.write_text(draft, encoding="utf-8")
    from_file = pushlint.lint_paths([path]).reports[0]
    assert [(f.rule, f.line, f.column) for f in read.findings] == [
        (f.rule, f.line, f.column) for f in from_file.findings
    ]
    assert "PL801" not in {f.rule for f in read.findings}
    assert read.notes == from_file.notes
    # inline directives hold, as in a file
    suppressed = pushlint.lint_text(
        "We are the leading provider of CRM software. <!-- pushlint-disable-line PL101 -->",
        options=ReadOptions(),
    )
    assert "PL101" not in {f.rule for f in suppressed.findings}


def test_lint_text_reads_a_raw_email_in_a_string_as_the_eml_file_is_read() -> None:
    from pushlint.sources import ReadOptions

    path = EXAMPLES / "inputs" / "reply.eml"
    raw = path.read_text(encoding="utf-8")
    read = pushlint.lint_text(raw, options=ReadOptions(input_format="eml"))
    from_file = pushlint.lint_paths([path]).reports[0]
    assert read.findings and [(f.rule, f.line, f.text) for f in read.findings] == [
        (f.rule, f.line, f.text) for f in from_file.findings
    ]
    assert read.notes == from_file.notes
    # a quoted-printable body is decoded first: its soft line break splits no phrase
    encoded = (
        "From: Jordan <jordan@acme.example>\nSubject: Forecasts\nMIME-Version: 1.0\n"
        'Content-Type: text/plain; charset="utf-8"\n'
        "Content-Transfer-Encoding: quoted-printable\n\n"
        "Hi Dana,\n\nWe are the leading pro=\nvider of forecasting software.\n"
    )
    decoded = pushlint.lint_text(encoded, options=ReadOptions(input_format="eml"))
    assert any("leading provider of forecasting" in f.sentence for f in decoded.findings)


def test_lint_paths_keeps_input_order_and_expands_folders() -> None:
    result = pushlint.lint_paths(
        [EXAMPLES / "pushy", EXAMPLES / "customer-centric" / "short-check.txt"]
    )
    paths = [r.path for r in result.reports]
    assert paths[-1].endswith("short-check.txt")
    assert paths[:-1] == sorted(paths[:-1]) and all("pushy" in p for p in paths[:-1])
    assert result.model and not result.errors


def test_an_unreadable_input_is_reported_and_the_rest_still_linted(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("We are the leading provider of CRM software.", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9 pricing ends Friday".encode("latin-1"))
    result = pushlint.lint_paths([binary, tmp_path / "missing.txt", latin, good])
    assert [r.path for r in result.reports] == [str(latin), str(good)]
    problems = {Path(e.path).name: e.problem for e in result.errors}
    assert set(problems) == {"image.txt", "missing.txt"}
    assert "binary" in problems["image.txt"]
    # not UTF-8: decoded with a stated guess rather than refused
    assert any("not UTF-8" in note for note in result.reports[0].notes)
    assert all(isinstance(e, FileError) for e in result.errors)


def test_a_folder_that_cannot_be_listed_is_reported_and_the_rest_still_linted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ["a.txt", "locked/b.txt", "z/c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("We are the leading provider.", encoding="utf-8")
    locked = str(tmp_path / "locked")
    listing = os.scandir

    def refuse(path: str = ".") -> Any:  # chmod 000 does not stop root, who runs CI
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return listing(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result = pushlint.lint_paths([tmp_path])
    assert [Path(r.path).name for r in result.reports] == ["a.txt", "c.txt"]
    assert [(e.path, e.problem) for e in result.errors] == [
        (locked, "cannot read: Permission denied")
    ]


def test_utf8_bom_and_utf16_inputs_are_decoded(tmp_path: Path) -> None:
    text = "We are the leading provider of CRM software."
    bom = tmp_path / "bom.txt"
    bom.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    wide = tmp_path / "wide.txt"
    wide.write_bytes(text.encode("utf-16"))
    result = pushlint.lint_paths([bom, wide])
    for report in result.reports:
        (finding,) = [f for f in report.findings if f.rule == "PL101"]
        assert (finding.line, finding.column) == (1, 1)


def _synergy_pack(folder: Path, fields: str) -> Path:
    """A team pack with one phrase rule, TEAM1, on "synergy"; `fields` adds the rest."""
    pack = folder / "team.yaml"
    head = "rules:\n  - id: TEAM1\n    name: synergy\n    kind: phrase\n    category: buzzwords\n"
    pack.write_text(head + fields + "    phrases: [synergy, synergies]\n", encoding="utf-8")
    return pack


def test_extra_rule_pack_adds_to_the_shipped_ones(tmp_path: Path) -> None:
    pack = _synergy_pack(
        tmp_path,
        """\
    level: error
    weight: 5
    message: Buzzword.
    why: Empty.
    rewrite: [Say what changes for them.]
""",
    )
    report = pushlint.lint_text(
        "Huge synergies here. We are the leading CRM provider.", rules=[pack]
    )
    assert {"TEAM1", "PL101"} <= {f.rule for f in report.findings}
    assert next(f for f in report.findings if f.rule == "TEAM1").level == "error"


def test_rule_texts_fill_placeholders_and_unescape_braces_as_str_format_does(
    tmp_path: Path,
) -> None:
    """Plain rewrites are shared between findings; texts with braces still go through
    str.format, so an escaped brace reads as one brace whether or not a placeholder is
    there."""
    pack = _synergy_pack(
        tmp_path,
        """\
    message: 'Buzzword "{match}" (see {{glossary}}).'
    why: Empty.
    rewrite:
      - Say what changes for them.
      - Close the set }} as written.
      - text: 'Swap "{match}" for the result.'
        replacement: results
""",
    )
    report = pushlint.lint_text("Huge synergies. More synergy.", rules=[pack], shipped=False)
    first, second = [f for f in report.findings if f.rule == "TEAM1"]
    assert first.message == 'Buzzword "synergies" (see {glossary}).'
    assert [s.text for s in first.suggestions] == [
        "Say what changes for them.",
        "Close the set } as written.",
        'Swap "synergies" for the result.',
    ]
    assert second.suggestions[2].text == 'Swap "synergy" for the result.'
    assert first.suggestions[2].replacement == "results"
    assert first.suggestions[0] == second.suggestions[0]


@pytest.mark.parametrize(
    "message",
    [
        'Buzzword "{match}".',
        "{match}? {match}, again.",
        "{match}",
        'Buzzword "{match}" (see {{glossary}}).',
        "Buzzword {match!r} here.",
        "Buzzword {unknown} here, {match}.",
    ],
)
def test_a_message_reads_as_str_format_fills_it_with_the_matched_words(
    tmp_path: Path, message: str
) -> None:
    """A message whose only placeholder is {match} is joined around the match rather
    than formatted; it must read exactly as str.format would have it (an unknown name
    stays as written)."""
    pack = _synergy_pack(
        tmp_path,
        f"    message: {json.dumps(message)}\n    why: Empty.\n    rewrite: [Say what changes.]\n",
    )
    report = pushlint.lint_text("Huge Synergies. More synergy.", rules=[pack], shipped=False)
    found = [f.message for f in report.findings if f.rule == "TEAM1"]
    unknown = message.replace("{unknown}", "{{unknown}}")
    assert found == [unknown.format(match="Synergies"), unknown.format(match="synergy")]


def test_a_dependency_signal_reports_only_its_highlighted_nodes(tmp_path: Path) -> None:
    pack = tmp_path / "team.yaml"
    pack.write_text(
        """\
rules:
  - id: TEAM2
    name: reader-decides
    kind: signal
    match: dependency
    category: customer-focus
    weight: 3
    message: The reader decides ("{match}").
    why: Their call.
    highlight: [verb]
    patterns:
      - - RIGHT_ID: verb
          RIGHT_ATTRS: {LEMMA: decide}
        - LEFT_ID: verb
          REL_OP: ">"
          RIGHT_ID: subject
          RIGHT_ATTRS: {DEP: nsubj, LOWER: you}
""",
        encoding="utf-8",
    )
    text = "Whatever you decide, the notes are yours."
    report = pushlint.lint_text(text, rules=[pack], shipped=False)
    (signal,) = report.signals
    assert text[signal.start : signal.end] == "decide"
    assert signal.message == 'The reader decides ("decide").'


UNLESS_PACK = """\
rules:
  - id: TEAM3
    name: countdown
    kind: phrase
    category: urgency
    message: Countdown.
    why: Pressure.
    rewrite: [Say whose date it is.]
    phrases: [ends tomorrow, act now]
    unless: CONDITIONS
  - id: TEAM4
    name: own-date
    kind: signal
    category: dates
    weight: 0
    message: Theirs.
    why: Their account.
    phrases: [your trial ends]
  - id: TEAM5
    name: their-result
    kind: signal
    category: outcomes
    weight: 5
    message: Result.
    why: Theirs.
    phrases: [your team saves]
"""


@pytest.mark.parametrize(
    ("conditions", "text", "flagged"),
    [
        # overlap: only the countdown that shares words with the reader's own date
        (
            "{any: [own-date], within: overlap}",
            "Your trial ends tomorrow, so act now.",
            ["act now"],
        ),
        # sentence: everything of the rule in that sentence
        ("{any: [own-date], within: sentence}", "Your trial ends tomorrow, so act now.", []),
        ("{any: [own-date], within: sentence}", "Your trial ends soon. So act now.", ["act now"]),
        # a list: any one condition suppresses, each with its own reach
        (
            "[{any: [own-date], within: overlap}, {any: [outcomes], within: sentence}]",
            "Act now and your team saves a day. Your trial ends tomorrow, then act now.",
            ["act now"],
        ),
    ],
)
def test_unless_conditions_stand_a_flag_down_within_their_reach(
    tmp_path: Path, conditions: str, text: str, flagged: list[str]
) -> None:
    assert _flagged(tmp_path, UNLESS_PACK.replace("CONDITIONS", conditions), text) == flagged


def _flagged(tmp_path: Path, pack_text: str, text: str) -> list[str]:
    pack = tmp_path / "team.yaml"
    pack.write_text(pack_text, encoding="utf-8")
    return [f.text for f in pushlint.lint_text(text, rules=[pack], shipped=False).findings]


# the countdown pack above, its countdown standing down beside a result, plus a weak cue
ONLY_WITH_PACK = (
    UNLESS_PACK.replace("CONDITIONS", "{any: [outcomes], within: sentence}")
    + """\
  - id: TEAM6
    name: weak-cue
    kind: phrase
    category: vendor
    message: Weak.
    why: Adds to a verdict.
    rewrite: [Talk about them.]
    phrases: [our platform]
    only_with: COMPANIONS
"""
)


@pytest.mark.parametrize(
    ("conditions", "text", "flagged"),
    [
        # alone, the weak cue is not reported
        ("{any: [urgency], within: message}", "Our platform is new.", []),
        # beside another report it is
        (
            "{any: [urgency], within: message}",
            "Our platform is new. Act now.",
            ["Our platform", "Act now"],
        ),
        # a companion that was stood down does not count
        (
            "{any: [urgency], within: message}",
            "Our platform is new. Act now and your team saves a day.",
            [],
        ),
        # nor does a signal, nor a report out of reach
        ("{any: [outcomes], within: message}", "Our platform: your team saves a day.", []),
        ("{any: [urgency], within: sentence}", "Our platform is new. Act now.", ["Act now"]),
    ],
)
def test_only_with_reports_a_weak_cue_only_beside_another_report(
    tmp_path: Path, conditions: str, text: str, flagged: list[str]
) -> None:
    assert _flagged(tmp_path, ONLY_WITH_PACK.replace("COMPANIONS", conditions), text) == flagged


def test_an_over_long_message_is_skipped_with_a_reason_and_the_rest_linted(tmp_path: Path) -> None:
    from pushlint.sources import MAX_CHARS

    huge = tmp_path / "huge.txt"
    huge.write_text(
        "We are the leading provider of CRM software. " * (MAX_CHARS // 40), encoding="utf-8"
    )
    small = tmp_path / "small.txt"
    small.write_text("We are the leading provider of CRM software.", encoding="utf-8")
    result = pushlint.lint_paths([huge, small])
    assert [r.path for r in result.reports] == [str(small)]
    (error,) = result.errors
    assert error.path == str(huge) and "character limit" in error.problem


def test_empty_and_blank_messages_score_zero(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "blank.txt").write_text("  \n\n \t", encoding="utf-8")
    result = pushlint.lint_paths([tmp_path])
    assert [(r.score, r.findings) for r in result.reports] == [(0, ()), (0, ())]


def test_an_edited_rule_pack_reaches_the_next_lint_in_the_same_process(tmp_path: Path) -> None:
    pack = tmp_path / "team.yaml"
    body = (
        "rules:\n  - id: TEAM7\n    name: synergy-talk\n    kind: phrase\n    category: buzzwords\n"
        "    message: M.\n    why: W.\n    rewrite: [R.]\n    phrases: [PHRASE]\n"
    )
    pack.write_text(body.replace("PHRASE", "synergy"), encoding="utf-8")
    assert "TEAM7" in {f.rule for f in pushlint.lint_text("Real synergy.", rules=[pack]).findings}
    pack.write_text(body.replace("PHRASE", "paradigm"), encoding="utf-8")
    rules = {f.rule for f in pushlint.lint_text("Real synergy.", rules=[pack]).findings}
    assert "TEAM7" not in rules


def test_findings_built_on_the_fast_path_are_whole_findings() -> None:
    """The engine builds findings without the frozen __init__ (a cached re-run words
    thousands): each must still hold every field and equal the dataclass built normally."""
    import dataclasses
    import pickle

    text = "We are the leading provider of synergy. This discount expires Friday, act now!"
    report = pushlint.lint_text(text)
    assert report.findings
    for finding in (*report.findings, *report.signals):
        fields = {f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)}
        assert finding == type(finding)(**fields)
        assert pickle.loads(pickle.dumps(finding)) == finding
        with pytest.raises(dataclasses.FrozenInstanceError):
            finding.rule = "PL000"  # type: ignore[misc]
