"""Speaker turns and quoted lines: only the seller's own words are judged."""

from __future__ import annotations

import pushlint
from pushlint.turns import analyse

CALL = (
    "Rep: Thanks for joining. How are you handling renewals today?\n"
    "Customer: Our vendor says they are the leading provider and wants us to sign by the "
    "end of the quarter.\n"
    "Rep: What would a good renewal process look like for your team?\n"
    "Customer: Fewer spreadsheets.\n"
)


def test_labelled_call_finds_turns_and_the_seller() -> None:
    layout = analyse(CALL)
    assert layout.is_call
    assert [t.speaker for t in layout.turns] == ["Rep", "Customer", "Rep", "Customer"]
    assert [t.seller for t in layout.turns] == [True, False, True, False]
    assert layout.note() is None  # "Rep" is a known seller label, nothing was guessed
    customer_offset = CALL.index("leading provider")
    assert not layout.by_seller(customer_offset)
    assert layout.by_seller(CALL.index("renewals today"))


def test_unlabelled_speakers_take_the_first_as_seller_and_say_so() -> None:
    text = "Dana: Hi Sam.\nSam: Hi.\nDana: How is the rollout going?\nSam: Slowly.\n"
    layout = analyse(text)
    assert layout.seller == "Dana"
    assert "first speaker" in (layout.note() or "")


def test_a_buyer_label_makes_the_other_speaker_the_seller() -> None:
    text = "Prospect: Hi.\nJordan: Hi, thanks for joining.\nProspect: Sure.\nJordan: Great.\n"
    assert analyse(text).seller == "Jordan"


def test_email_headers_and_notes_are_not_speakers() -> None:
    text = "Subject: pricing\n\nHi Ana,\nNote: the attached file.\nPS: thanks.\n"
    assert not analyse(text).is_call


def _rules(text: str) -> set[str]:
    return {f.rule for f in pushlint.lint_text(text).findings}


NOTES = (
    "Call notes: asked how they handle returns today. Three warehouses, manual returns in "
    "spreadsheets, two days to refund. Next step: they send a sample export."
)


def test_a_notes_header_marks_a_reps_own_notes() -> None:
    for header in (
        "Call notes: ",
        "Notes from the Acme demo: ",
        "## Meeting summary\n",
        "Recap - ",
        "Call notes, Acme, 12 May: ",
        "Notes (Acme demo): ",
    ):
        assert analyse(header + "asked about their returns.").notes, header
    for text in ("Hi Sam, my notes: we offer A and B.", "Notably, your team grew.", "Demo: Tue"):
        assert not analyse(text).notes, text


def test_notes_about_a_call_are_not_judged_for_never_addressing_the_reader() -> None:
    # notes speak of the customer as "they"; the same words as an email never address
    # the reader, which PL152 reports (beside another pushy habit, which both carry)
    boast = " We are the leading returns platform."
    assert "PL152" not in _rules(NOTES + boast)
    email = NOTES.removeprefix("Call notes: ") + boast
    assert "PL152" in _rules(email)


def test_in_notes_the_customer_they_count_against_the_vendors_we() -> None:
    # PL150 weighs "we" clauses against the reader's; in notes the reader is "she/they"
    notes = (
        "Call notes, Acme, 12 May: Dana said returns take two people every morning. "
        "Refunds lag a week when one is out. Her CFO wants the backlog under two days "
        "before peak. Next step: she will share the volume report, and we send a one-page "
        "plan for her CFO."
    )
    monologue = (
        "Call notes, Acme, 12 May: We presented our platform and we walked through every "
        "module. We explained our pricing tiers, and we showed the new analytics add-on. "
        "They listened. We will send the contract on Friday."
    )
    assert "PL150" not in _rules(notes)
    assert "PL150" in _rules(monologue)
    # without the header, the same words are an email that never addresses its reader
    email = notes.split(": ", 1)[1]
    assert "PL150" in _rules(email)


def test_quoted_lines_are_not_the_sellers_words() -> None:
    text = "Thanks Ana, that helps.\n> We need to sign by the end of the quarter.\nBest, Jo\n"
    layout = analyse(text)
    assert not layout.by_seller(text.index("sign by"))
    assert layout.by_seller(text.index("that helps"))


def test_the_email_around_a_pasted_exchange_is_the_writers() -> None:
    # text before the first label was nobody's: an email quoting a few lines of a call
    # had its own pitch, above the exchange, silently left out
    text = (
        "Hi Dana,\n\nWe are the leading provider of AP automation. Sign by Friday so we "
        "can close this deal.\n\nHere is what we discussed:\n"
        "Dana: Our vendor is the leading provider, they say.\nSam: We can help.\n"
        "Dana: Great.\nSam: Talk soon.\n"
    )
    layout = analyse(text, seller="Sam")
    assert layout.by_seller(text.index("We are the leading provider"))
    assert not layout.by_seller(text.index("Our vendor is"))
    rules = _rules(text)
    assert {"PL101", "PL304"} <= rules


def test_customer_turns_are_not_linted() -> None:
    report = pushlint.lint_text(CALL)
    assert not report.findings, [f.rule for f in report.findings]


def test_call_metrics_flag_a_monologue_without_questions() -> None:
    pitch = " ".join(["Our platform covers forecasting, coaching and pipeline reviews."] * 20)
    text = f"Rep: {pitch}\nCustomer: OK.\nRep: {pitch}\nCustomer: Fine.\n"
    rules = _rules(text)
    assert {"PL861", "PL862", "PL863"} <= rules


def test_call_metrics_do_not_apply_to_emails() -> None:
    text = "Hi Ana,\n\n" + " ".join(["Our platform covers forecasting and coaching."] * 30)
    rules = _rules(text)
    assert not rules & {"PL861", "PL862", "PL863"}


def test_a_block_of_fields_in_an_email_is_not_a_call() -> None:
    text = (
        "Hi Dana,\n\nWe are the leading provider of CRM software.\n\n"
        "Seats: 40 at $30 each\nSetup: one-off fee of $500\nSupport: included, 24/7\n"
    )
    assert not analyse(text).is_call
    assert "PL101" in _rules(text)


def test_labels_with_a_company_or_side_and_timestamps_are_turns() -> None:
    text = (
        "[00:00:05] Dana (Acme): How do renewals work today?\n"
        "[00:00:11] Tom (Customer): Our vendor is the leading provider, they say.\n"
        "[00:00:20] Dana (Acme): What breaks first when the spreadsheet gets out of date?\n"
        "[00:00:31] Tom (Customer): The forecast.\n"
    )
    layout = analyse(text)
    assert [t.speaker for t in layout.turns] == ["Dana", "Tom", "Dana", "Tom"]
    assert [t.seller for t in layout.turns] == [True, False, True, False]
    assert layout.note() is None  # "(Customer)" says who buys: nothing was guessed
    assert not layout.by_seller(text.index("leading provider"))
    company_only = text.replace("(Customer)", "(Globex)")
    assert [t.seller for t in analyse(company_only, seller="Tom").turns] == [
        False,
        True,
        False,
        True,
    ]
    assert "first speaker" in (analyse(company_only).note() or "")
