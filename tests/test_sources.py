"""Readers: lint only the words the rep wrote, and point at the right line of the file."""

from __future__ import annotations

import codecs
import re
from email.message import EmailMessage
from pathlib import Path
from re import _parser as re_parser
from re._constants import BRANCH, LITERAL, MAX_REPEAT, MIN_REPEAT, SUBPATTERN
from typing import Any

import pytest
from mailparser_reply.parser import EmailMessage as MailParserMessage

import pushlint
from pushlint.records import Report
from pushlint.sources import ReadOptions, expand, read
from pushlint.sources.mask import merge_fields
from pushlint.sources.reply_parser import LANGUAGES, ReplyMessage

from .conftest import EXAMPLES

INPUTS = EXAMPLES / "inputs"


def lint(path: Path, options: ReadOptions | None = None) -> Report:
    result = pushlint.lint_paths([path], options=options)
    assert not result.errors, result.errors
    return result.reports[0]


def rules_at(report: Report) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in report.findings}


# --- .eml ---------------------------------------------------------------------------


def test_eml_reply_lints_only_the_new_text_at_the_files_lines() -> None:
    report = lint(INPUTS / "reply.eml")
    lines = (INPUTS / "reply.eml").read_text(encoding="utf-8").splitlines()
    assert ("PL101", 11) in rules_at(report)
    finding = next(f for f in report.findings if f.rule == "PL101")
    assert lines[finding.line - 1][finding.column - 1 :].startswith("We are the leading provider")
    # the signature's slogan and the quoted thread are pushy, and are not linted
    signature_from = next(i for i, ln in enumerate(lines, 1) if ln.startswith("Best,"))
    assert all(f.line < signature_from for f in report.findings if f.part == "body")


def test_eml_subject_is_linted_and_reported_as_such() -> None:
    report = lint(INPUTS / "reply.eml")
    (subject,) = [f for f in report.findings if f.part == "subject"]
    assert (subject.rule, subject.line, subject.column) == ("PL401", 3, 32)


def _mime(tmp_path: Path, *, plain: str | None, html: str | None, cte: str) -> Path:
    message = EmailMessage()
    message["Subject"] = "Quick question about your renewal"
    message["From"] = "rep@example.com"
    if plain is not None:
        message.set_content(plain, cte=cte, charset="utf-8")
    if html is not None:
        if plain is None:
            message.set_content(html, subtype="html", cte=cte, charset="utf-8")
        else:
            message.add_alternative(html, subtype="html", cte=cte, charset="utf-8")
    path = tmp_path / "m.eml"
    path.write_bytes(message.as_bytes())
    return path


@pytest.mark.parametrize("cte", ["quoted-printable", "base64"])
def test_eml_decodes_transfer_encodings_and_prefers_plain_text(tmp_path: Path, cte: str) -> None:
    path = _mime(
        tmp_path,
        plain="Hi Ana,\n\nThis discount expires at the end of the quarter. Caf\u00e9 talk?\n",
        html="<p>Our best-in-class platform is revolutionary.</p>",
        cte=cte,
    )
    report = lint(path)
    rules = {f.rule for f in report.findings}
    assert {"PL303", "PL301"} <= rules
    assert "PL801" not in rules  # the HTML alternative is not read when text/plain exists


def test_eml_with_only_html_reads_the_visible_text(tmp_path: Path) -> None:
    path = _mime(
        tmp_path,
        plain=None,
        html='<div style="display:none">Act now!</div><p>This discount expires tonight.</p>'
        "<blockquote>We are the leading provider.</blockquote>",
        cte="quoted-printable",
    )
    report = lint(path)
    assert "PL303" in {f.rule for f in report.findings}
    assert "PL401" not in {f.rule for f in report.findings}  # the hidden preheader
    assert "PL101" not in {f.rule for f in report.findings}  # the quoted reply
    assert any("quoted reply" in note for note in report.notes)


# --- quoted replies and signatures ------------------------------------------------------

OWN = "Hi Sam,\n\nI noticed your team doubled its SDR headcount. How is onboarding going?\n\n"
PUSHY = "We are the leading provider. Sign by Friday so we can close this deal."


@pytest.mark.parametrize(
    "tail",
    [
        f"On Mon, Mar 2, 2026 at 4:15 PM Sam <sam@example.com> wrote:\n> {PUSHY}\n",
        f"> {PUSHY}\n> Just checking in.\n",
        f"---------- Forwarded message ---------\nFrom: Jo <jo@example.com>\n\n{PUSHY}\n",
        f"From: Jo Smith\nSent: Monday, March 2, 2026 4:15 PM\nTo: Sam\nSubject: x\n\n{PUSHY}\n",
        f"Best,\nJordan\nJordan Lee | Account Executive\n{PUSHY}\n",
        f"-- \nJordan Lee\n{PUSHY}\n",
    ],
    ids=["on-wrote", "angle-quotes", "forwarded", "outlook", "sign-off", "sig-dashes"],
)
def test_quoted_replies_and_signatures_are_not_linted(tmp_path: Path, tail: str) -> None:
    path = tmp_path / "reply.txt"
    path.write_text(OWN + tail, encoding="utf-8")
    report = lint(path)
    assert not report.findings, [(f.rule, f.text) for f in report.findings]
    assert report.signals  # the rep's own text is still read
    included = lint(path, ReadOptions(include_quoted=True))
    assert included.findings  # --include-quoted reads everything


def test_a_pushy_closing_line_is_linted_and_the_signature_below_it_is_not(
    tmp_path: Path,
) -> None:
    """The closing above the name is the writer's own words: "Thanks, and don't wait!"
    pushes like any sentence. The parser files it with the signature; only what follows
    the closing is left out."""
    path = tmp_path / "closing.txt"
    signature = f"Dana Smith\nAccount Executive | Acme\n{PUSHY}\n"
    path.write_text(OWN + "Thanks, and don't wait!\n" + signature, encoding="utf-8")
    assert [(f.rule, f.text) for f in lint(path).findings] == [("PL401", "don't wait!")]
    path.write_text(OWN + "Best regards,\n" + signature, encoding="utf-8")
    report = lint(path)
    assert not report.findings
    assert any("from line 6 on not linted" in note for note in report.notes)  # the name


def _needs_colon_or_dashes(pattern: Any) -> bool:
    """Whether every match of a parsed regex holds ':' or five '-' (lookarounds aside)."""
    for op, value in pattern:
        if op is LITERAL and value == ord(":"):
            return True
        if op in (MAX_REPEAT, MIN_REPEAT):
            low, _, item = value
            if low >= 5 and list(item) == [(LITERAL, ord("-"))]:
                return True
            if low >= 1 and _needs_colon_or_dashes(item):
                return True
        if op is SUBPATTERN and _needs_colon_or_dashes(value[-1]):
            return True
        if op is BRANCH and all(_needs_colon_or_dashes(b) for b in value[1]):
            return True
    return False


def test_every_reply_header_the_parser_knows_holds_a_colon_or_five_dashes() -> None:
    """The premise on which reply_parser.ReplyMessage skips the header search in a text with
    neither, checked against the installed mail-parser-reply's own pattern."""
    flags = re.I | re.M
    assert not _needs_colon_or_dashes(re_parser.parse(r"wrote:|-{5,}|Sent from", flags))
    message = MailParserMessage(text="x", languages=list(LANGUAGES), keep_hyphen_lists=True)
    assert _needs_colon_or_dashes(re_parser.parse(message.HEADER_REGEX.pattern, flags))


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam,\n\nThanks for the call. We can ship by Friday.\n\nBest,\nJordan",
        "Looks good to me\n\nOn Mon, Mar 2 Sam <sam@example.com> wrote:\n> ok",
        "Sounds good\n\n-----Original Message-----\nFrom: Jo\nSent: Mon\nTo: Sam\n\nx",
        "Here is what you get:\n- one\n- two\n\nThanks,\nJordan",
    ],
)
def test_the_parser_finds_the_same_replies_with_the_header_search_skipped(text: str) -> None:
    def replies(kind: type) -> list[tuple[str, str, str]]:
        message = kind(text=text, languages=list(LANGUAGES), keep_hyphen_lists=True)
        return [(r.headers, r.content, r.signatures) for r in message.read().replies]

    assert replies(ReplyMessage) == replies(MailParserMessage)


def test_a_plain_draft_without_reply_or_signature_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text("Hi {{first_name}},\n\n" + PUSHY + "\n", encoding="utf-8")
    assert {"PL101", "PL304"} <= {f.rule for f in lint(path).findings}


def test_a_hyphen_bullet_list_is_the_writers_words_not_a_signature(tmp_path: Path) -> None:
    # mail-parser-reply takes a line starting "- word" for a signature by default, which
    # cut every "- " list, and everything after it, out of the message
    path = tmp_path / "features.txt"
    bullets = "- AI forecasting\n- Custom dashboards\n- Slack alerts\n- SOC 2 reports\n"
    path.write_text(f"Hi Dana,\n\nHere is what you get:\n{bullets}\nBest,\nMark\n", "utf-8")
    report = lint(path)
    assert ("PL202", 4) in rules_at(report)
    assert any("from line 10 on not linted" in note for note in report.notes)  # "Mark"


@pytest.mark.parametrize(
    "opening", ["Thanks, Dana. ", "Thank you, that was a useful call. ", "Best, "]
)
def test_a_thank_you_that_opens_a_paragraph_is_not_a_sign_off(tmp_path: Path, opening: str) -> None:
    # the parser takes any line starting "Thanks," or "Best," for the sign-off, which cut
    # the rest of the email; a sign-off is a few words, not a sentence that goes on
    path = tmp_path / "draft.txt"
    path.write_text(f"Hi Dana,\n\n{opening}{PUSHY}\n\nBest,\nMark\n", "utf-8")
    report = lint(path)
    assert {"PL101", "PL304"} <= {f.rule for f in report.findings}
    assert any("from line 6 on not linted" in note for note in report.notes)  # "Mark"


def test_quoted_lines_without_a_reply_header_are_left_out_with_a_note(tmp_path: Path) -> None:
    # a pasted "> ..." block with no "On ... wrote:" above it is someone else's words:
    # it was always left out, but silently, so a rep could not tell why it passed
    path = tmp_path / "draft.txt"
    path.write_text(
        f"Hi Dana,\n\nYour team mentioned the close takes nine days.\n\n> {PUSHY}\n> Act now!\n"
        f"\nThanks for sending it.\n> {PUSHY}\n",
        encoding="utf-8",
    )
    report = lint(path)
    assert not report.findings
    assert [n for n in report.notes if n.startswith("quoted reply")] == [
        "quoted reply at line 5 not linted",
        "quoted reply at line 9 not linted",
    ]
    included = lint(path, ReadOptions(include_quoted=True))
    assert {"PL101", "PL304"} <= {f.rule for f in included.findings}
    assert not [n for n in included.notes if n.startswith("quoted reply")]


@pytest.mark.parametrize("content", ["", "  \n\n\t\n"])
def test_an_empty_input_says_it_had_nothing_to_lint(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(content, encoding="utf-8")
    report = lint(path)
    assert (report.findings, report.score) == ((), 0)
    assert "empty: there is no text to lint" in report.notes


def test_a_ps_after_the_sign_off_is_the_writers_and_is_linted(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    thread = "On Mon, Mar 2, 2026 at 4:15 PM Dana <dana@example.com> wrote:\n> PS: act now\n"
    path.write_text(
        "Hi Dana,\n\nYour team mentioned the close takes nine days.\n\nBest,\nMark\n\n"
        f"P.S. This discount expires on Friday.\n\n{thread}",
        encoding="utf-8",
    )
    report = lint(path)
    assert ("PL303", 8) in rules_at(report)  # the postscript
    assert "PL401" not in {f.rule for f in report.findings}  # the quoted thread's "PS:"
    assert any(n.endswith("from line 6 on not linted, except the P.S.") for n in report.notes)
    # a signature line that merely starts with "PS" is not a postscript
    path.write_text(
        "Hi Dana,\n\nYour team mentioned the close takes nine days.\n\nBest,\nMark\n"
        "PS Consulting Ltd\nWe are the leading provider of CRM software.\n",
        encoding="utf-8",
    )
    assert "PL101" not in {f.rule for f in lint(path).findings}


# --- HTML and Markdown templates ---------------------------------------------------------


def test_html_template_findings_at_source_lines_and_none_in_markup() -> None:
    report = lint(INPUTS / "template.html")
    source = (INPUTS / "template.html").read_text(encoding="utf-8").splitlines()
    for finding in report.findings:
        line = source[finding.line - 1]
        assert finding.text.split()[0] in line, (finding.rule, finding.line)
    lines = {f.line for f in report.findings}
    script_line = next(i for i, ln in enumerate(source, 1) if "<script>" in ln)
    link_line = next(i for i, ln in enumerate(source, 1) if "href=" in ln)
    assert script_line not in lines and 5 not in lines  # script, hidden preheader
    assert not [f for f in report.findings if f.line == link_line]  # URL words not linted
    assert any("hidden" in note for note in report.notes)


@pytest.mark.parametrize(
    "quote",
    [
        "<blockquote>{}</blockquote>",
        '<blockquote type="cite">{}</blockquote>',
        '<div class="gmail_quote"><div>{}</div></div>',
    ],
)
def test_html_quoted_text_is_someone_elses_words(tmp_path: Path, quote: str) -> None:
    # the HTML form of a `>` line: no "On ... wrote:" needed to leave it out
    path = tmp_path / "reply.html"
    quoted = quote.format("Act now, only 3 spots left. We are the leading provider.")
    path.write_text(f"<p>Thanks Sam, the numbers are below.</p>\n{quoted}\n", "utf-8")
    report = lint(path)
    assert not {"PL401", "PL101"} & {f.rule for f in report.findings}
    assert any("quoted reply at line 2" in note for note in report.notes)
    everything = lint(path, ReadOptions(include_quoted=True))
    assert {"PL401", "PL101"} <= {f.rule for f in everything.findings}


def test_markdown_skips_front_matter_code_urls_and_merge_fields() -> None:
    report = lint(INPUTS / "template.md")
    assert not report.findings, [(f.rule, f.line, f.text) for f in report.findings]
    signal_lines = {s.line for s in report.signals}
    assert 8 in signal_lines  # "I noticed your team", in the prose


def test_markdown_prose_is_still_linted_at_the_right_line(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text(
        "---\ntitle: x\n---\n\n```\ncode\n```\n\n"
        "This discount expires at the end of the quarter.\n",
        encoding="utf-8",
    )
    assert ("PL303", 9) in rules_at(lint(path))


def test_merge_fields_are_opaque_names_of_the_same_length() -> None:
    for field in ("{{first_name}}", "{first_name}", "[First Name]", "%FIRST_NAME%",
                  "{!Contact.FirstName}", "*|FNAME|*"):  # fmt: skip
        masked = merge_fields(f"Hi {field}, thanks.")
        assert len(masked) == len(f"Hi {field}, thanks.")
        assert field not in masked and masked.startswith("Hi X")
        report = pushlint.lint_text(masked)
        assert not report.findings


def test_a_merge_field_acting_in_a_template_counts_as_the_reader(tmp_path: Path) -> None:
    # "{{company}} opened a warehouse" is about the reader's company; the greeting's
    # {{first_name}} alone says nothing about the reader's team, plans or actions
    body = (
        "opened a second warehouse in {{city}}. A new site usually means pick errors climb "
        "for the first three months.\n\nWould a one-page comparison help? We are the "
        "leading returns platform.\n"  # PL152 is reported beside another habit
    )
    about_them = tmp_path / "about-them.md"
    about_them.write_text("Hi {{first_name}},\n\nI noticed {{company}} " + body, "utf-8")
    about_us = tmp_path / "about-us.md"
    about_us.write_text("Hi {{first_name}},\n\nI noticed a retailer " + body, "utf-8")
    assert "PL152" not in {f.rule for f in lint(about_them).findings}
    assert "PL152" in {f.rule for f in lint(about_us).findings}


# --- transcripts -------------------------------------------------------------------------


def test_vtt_transcript_lints_only_the_sellers_turns_and_reports_the_call() -> None:
    report = lint(INPUTS / "discovery-call.vtt")
    assert not report.findings  # the customer's "leading provider ... end of the quarter"
    assert report.call and report.call["rep_questions"] == 2
    assert 0 < report.call["rep_talk_share"] < 1
    assert any("first speaker" in note for note in report.notes)
    assert {s.line for s in report.signals} == {5, 13}


def test_seller_option_picks_the_seller(tmp_path: Path) -> None:
    report = lint(INPUTS / "discovery-call.vtt", ReadOptions(seller="Dana"))
    assert {"PL304", "PL301"} <= {f.rule for f in report.findings}  # now Dana's words count
    assert not any("first speaker" in note for note in report.notes)


_VTT_CUE = "00:00:0{n}.000 --> 00:00:0{m}.000\n<v {who}>{said}\n\n"
_SRT_CUE = "{k}\n00:00:0{n},000 --> 00:00:0{m},000\n{who}: {said}\n\n"


@pytest.mark.parametrize(
    ("suffix", "head", "cue"), [("vtt", "WEBVTT\n\n", _VTT_CUE), ("srt", "", _SRT_CUE)]
)
def test_a_transcript_speakers_side_says_who_sells(
    tmp_path: Path, suffix: str, head: str, cue: str
) -> None:
    # "<v Sam (Rep)>" kept "(Rep)" in the name and "Sam (Rep): ..." was no speaker at
    # all: the customer, who spoke first, was taken for the seller (or everyone was one
    # speaker), so the rep's pitch was never linted or the customer's words were
    said = [
        ("Dana (Acme)", "Thanks for making time. We mostly care about duplicate payments."),
        ("Sam (Rep)", "We are the leading provider of AP automation."),
        ("Dana (Acme)", "What does it cost? Our vendor says sign by Friday."),
        ("Sam (Rep)", "If you sign by Friday so we can close this deal, onboarding is free."),
    ]
    path = tmp_path / f"call.{suffix}"
    cues = (
        cue.format(k=i + 1, n=2 * i, m=2 * i + 1, who=w, said=t) for i, (w, t) in enumerate(said)
    )
    path.write_text(head + "".join(cues), encoding="utf-8")
    report = lint(path)
    assert {"PL101", "PL304"} <= {f.rule for f in report.findings}
    assert not any("first speaker" in note for note in report.notes)  # "(Rep)" said so
    customer_lines = {3 + 4 * i if suffix == "srt" else 4 + 3 * i for i in (0, 2)}
    assert not customer_lines & {f.line for f in report.findings}
    dana = lint(path, ReadOptions(seller="Dana"))  # --seller matches the name alone
    assert {f.line for f in dana.findings} <= customer_lines
    assert "PL304" in {f.rule for f in dana.findings}  # now her "sign by Friday" counts


def test_srt_with_speaker_prefixes(tmp_path: Path) -> None:
    path = tmp_path / "call.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nRep: We are the leading provider of CRM software.\n\n"
        "2\n00:00:03,500 --> 00:00:05,000\nCustomer: Sign by Friday so we can close this deal.\n",
        encoding="utf-8",
    )
    report = lint(path)
    assert ("PL101", 3) in rules_at(report)
    assert "PL304" not in {f.rule for f in report.findings}  # the customer's turn


def test_input_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "template.txt"
    path.write_text(
        '<p>We are the leading provider.</p><a href="https://x.example/act-now">x</a>',
        encoding="utf-8",
    )
    as_html = lint(path, ReadOptions(input_format="html"))
    assert {f.rule for f in as_html.findings} >= {"PL101"}
    assert not [f for f in as_html.findings if f.rule == "PL401"]


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (codecs.BOM_UTF8 + b"We are the leading provider.", None),
        ("We are the leading provider.".encode("utf-16"), None),
        ("We are the leading provider. Café.".encode("cp1252"), "not UTF-8"),
    ],
    ids=["utf-8-bom", "utf-16-bom", "cp1252-fallback"],
)
def test_encodings(tmp_path: Path, data: bytes, note: str | None) -> None:
    path = tmp_path / "m.txt"
    path.write_bytes(data)
    message = read(str(path))
    assert not isinstance(message, Exception) and "leading provider" in message.text
    report = lint(path)
    assert ("PL101", 1) in rules_at(report)
    assert any(note in n for n in report.notes) if note else not report.notes


def test_a_folder_expands_to_readable_files_part_by_part_hidden_and_links_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [
        "a/b.txt",
        "a-b/c.md",  # "a-b" sorts after "a" part by part, before it character by character
        "a/deep/d.eml",
        "a/.drafts/x.txt",  # hidden folder
        ".hidden.txt",
        "notes.bin",  # not a suffix pushlint reads
        "z.html",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Hi", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed
    (tmp_path / "same.txt").symlink_to(tmp_path / "z.html")  # a linked file is read
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing")
    expected = ["a/b.txt", "a/deep/d.eml", "a-b/c.md", "same.txt", "z.html"]
    assert list(expand([str(tmp_path)])) == [str(tmp_path / n) for n in expected]
    monkeypatch.chdir(tmp_path)
    assert list(expand([".", "./a/"])) == [*expected, "a/b.txt", "a/deep/d.eml"]
