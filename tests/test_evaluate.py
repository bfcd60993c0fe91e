"""pushlint eval: corpus formats, the AUC, and the report a tuning team reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pushlint.cli import app
from pushlint.corpus import CorpusError, load_corpus
from pushlint.evaluate import roc_auc

from .conftest import EXAMPLES

PUSHY = "We are the leading provider of CRM software. Sign by Friday so we can close this deal."
GOOD = "I noticed your team doubled its SDR headcount. How is onboarding holding up for you?"


def test_roc_auc_counts_ties_as_half() -> None:
    assert roc_auc([3, 4], [1, 2]) == 1.0
    assert roc_auc([1, 2], [3, 4]) == 0.0
    assert roc_auc([1, 1], [1, 1]) == 0.5
    assert roc_auc([2, 0], [0, 0]) == pytest.approx(0.75)
    assert roc_auc([], [1]) is None


def test_corpus_from_label_folders(tmp_path: Path) -> None:
    (tmp_path / "pushy").mkdir()
    (tmp_path / "customer_centric").mkdir()
    (tmp_path / "pushy" / "a.txt").write_text(PUSHY, encoding="utf-8")
    (tmp_path / "customer_centric" / "b.txt").write_text(GOOD, encoding="utf-8")
    samples = load_corpus([tmp_path])
    assert sorted(s.label for s in samples) == ["customer-centric", "pushy"]


def test_corpus_from_jsonl_and_csv(tmp_path: Path) -> None:
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text(
        json.dumps({"id": "x1", "label": "pushy", "text": PUSHY}) + "\n", encoding="utf-8"
    )
    (tmp_path / "m.txt").write_text(GOOD, encoding="utf-8")
    manifest = tmp_path / "labels.csv"
    manifest.write_text("path,label\nm.txt,customer-centric\n", encoding="utf-8")
    samples = load_corpus([jsonl, manifest])
    assert [(s.id, s.label) for s in samples] == [("x1", "pushy"), ("m.txt", "customer-centric")]


def test_unknown_label_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "c.jsonl"
    bad.write_text(json.dumps({"label": "meh", "text": "hi"}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="unknown label 'meh'"):
        load_corpus([bad])


def _corpus(tmp_path: Path, *items: tuple[str, str]) -> Path:
    corpus = tmp_path / "c.yaml"
    lines = [f"  - {{label: {label}, text: '{text}'}}" for label, text in items]
    corpus.write_text("messages:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return corpus


def test_eval_cli_reports_auc_bands_and_rules(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, ("pushy", PUSHY), ("customer-centric", GOOD))
    result = CliRunner().invoke(app, ["eval", str(corpus), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["auc"] == 1.0
    assert doc["counts"] == {"pushy": 1, "customer-centric": 1, "passive": 0}
    assert doc["confusion"]["customer-centric"]["customer-centric"] == 1
    assert "PL101" in doc["rules"] and doc["rules"]["PL101"]["pushy"] == 1
    # in rule order, whatever order the run met them in, so two reports diff cleanly
    assert list(doc["rules"]) == sorted(doc["rules"]) and len(doc["rules"]) > 1
    pretty = CliRunner().invoke(app, ["eval", str(corpus)], env={"NO_COLOR": "1"})
    assert "ROC AUC" in pretty.output and "label x band" in pretty.output


def test_eval_min_auc_fails_the_run_when_below(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, ("customer-centric", PUSHY), ("pushy", GOOD))
    assert CliRunner().invoke(app, ["eval", str(corpus), "--min-auc", "0.9"]).exit_code == 1


def test_repo_corpus_meets_the_target() -> None:
    """The repo corpus is the rules' development set: AUC 0.95 or better is the bar."""
    result = CliRunner().invoke(
        app, ["eval", str(EXAMPLES / "corpus"), "--format", "json", "--min-auc", "0.95"]
    )
    assert result.exit_code == 0, result.output[-500:]
    doc = json.loads(result.output)
    assert doc["messages"] >= 250
    assert doc["customer_centric_in_pushy_band"] <= 0.10


def test_eval_reads_a_sample_as_check_reads_the_file(tmp_path: Path) -> None:
    """A template measured by `eval` gets the findings `check` gives it: its merge fields
    are masked the same way, so "{{company}} is hiring" counts as the reader."""
    text = (
        "Hi {{first_name}}, saw {{company}} is hiring four SDRs. Teams that double their "
        "SDR count often find ramp time is the real cost, not headcount. We are the "
        "leading sales training firm."  # a habit beside which PL152 could report
    )
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    checked = CliRunner().invoke(app, ["check", str(draft), "--no-cache", "--format", "json"])
    checked_rules = {f["rule"] for f in json.loads(checked.output)["files"][0]["findings"]}
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        json.dumps({"id": "t1", "label": "customer-centric", "text": text}) + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["eval", str(corpus), "--format", "json"])
    assert result.exit_code == 0, result.output
    (sample,) = json.loads(result.output)["results"]
    assert set(sample["rules"]) == checked_rules
    assert "PL152" not in checked_rules  # the merge field is the reader's company
