"""`pushlint score`: CRM exports in, one row per message out, the same wherever it runs.

Rows are checked against `lint_text` on the same text, formats against each other,
and `--jobs 2` and a real two-worker Dask LocalCluster against a plain local run.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import gzip
import json
import os
import pty
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import pushlint
from pushlint import score_run
from pushlint.corpus import load_corpus
from pushlint.exports import Columns, ExportError, ExportReader, Record, month_of
from pushlint.project import Overrides, Project
from pushlint.rules import load_rules
from pushlint.score_run import InProcess, ProcessPool, describe, score_exports
from pushlint.scored import read_scored
from pushlint.scoring import ScoreJob, frame_settings, score_partition
from tests.conftest import EXAMPLES

TEAMS = ("east", "west", "enterprise")
AUTHORS = ("dana", "tom", "mei", "priya", "sam")


def _rows(count: int) -> list[dict[str, Any]]:
    """Labelled corpus messages (emails and call notes) with made-up CRM metadata."""
    samples = load_corpus([EXAMPLES / "corpus"])
    rows = []
    for i in range(count):
        sample = samples[(i * 7) % len(samples)]
        rows.append(
            {
                "id": f"msg-{i:04d}",
                "text": sample.text,
                "kind": sample.kind,
                "author": AUTHORS[i % len(AUTHORS)],
                "team": TEAMS[i % len(TEAMS)],
                "date": f"2026-{i % 12 + 1:02d}-{i % 27 + 1:02d}T09:30:00Z",
            }
        )
    return rows


def _jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _job(**overrides: Any) -> ScoreJob:
    return ScoreJob(Project(Overrides(isolated=True, **overrides)).settings("-"))


def _score(paths: Sequence[Path], out: Path, job: ScoreJob | None = None, **kw: Any) -> list[dict]:
    score_exports(paths, out, job or _job(), **kw)
    return list(read_scored(out))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return _rows(120)


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, Any]]) -> Path:
    return _jsonl(tmp_path_factory.mktemp("export") / "export.jsonl", rows)


@pytest.fixture(scope="module")
def local(export: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The reference: a plain run in this process."""
    return _score([export], tmp_path_factory.mktemp("out") / "local.jsonl")


# ------------------------------------------------------------------------------ reading


def test_jsonl_csv_and_parquet_exports_read_as_the_same_records(
    tmp_path: Path, rows: list[dict[str, Any]]
) -> None:
    rows = [*rows[:20], {**rows[20], "text": 'Quotes "here", commas, and\nnew lines, é'}]
    _jsonl(tmp_path / "a.jsonl", rows)
    with (tmp_path / "a.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with gzip.open(tmp_path / "a.csv.gz", "wb") as f:
        f.write((tmp_path / "a.csv").read_bytes())
    table = pa.Table.from_pylist(
        [{**r, "date": dt.datetime.fromisoformat(r["date"])} for r in rows]  # a real timestamp
    )
    pq.write_table(table, tmp_path / "a.parquet")

    def records(name: str) -> list[Record]:
        return [r for r in ExportReader(tmp_path / name, Columns()) if isinstance(r, Record)]

    by_jsonl = records("a.jsonl")
    assert len(by_jsonl) == len(rows)
    assert by_jsonl[20].text == rows[20]["text"]
    assert by_jsonl[0].meta["team"] == "east" and by_jsonl[0].month == "2026-01"
    assert records("a.csv") == by_jsonl == records("a.csv.gz")
    from_parquet = records("a.parquet")
    assert [(r.id, r.text, r.month) for r in from_parquet] == [
        (r.id, r.text, r.month) for r in by_jsonl
    ]


def test_column_names_map_to_the_export_s_own(tmp_path: Path) -> None:
    path = tmp_path / "salesforce.csv"
    path.write_text(
        "Id,Subject,TextBody,OwnerName,CreatedDate\n"
        "00X1,Quick question,Is the renewal still the main worry?,Dana,2026-03-04\n",
        encoding="utf-8",
    )
    columns = Columns(id="Id", text="TextBody", subject="Subject", author="OwnerName",
                      date="CreatedDate")  # fmt: skip
    (record,) = list(ExportReader(path, columns))
    assert isinstance(record, Record)
    assert (record.id, record.subject, record.meta["author"], record.month) == (
        "00X1", "Quick question", "Dana", "2026-03",
    )  # fmt: skip
    assert record.meta["team"] is None  # no such column: empty, not an error


def test_a_missing_text_column_names_the_columns_there_are(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "e.jsonl", [{"id": 1, "body": "hi"}])
    with pytest.raises(ExportError, match=r"no 'text' column \(columns: id, body\).*--text-column"):
        list(ExportReader(path, Columns()))


def test_a_cp1252_csv_from_excel_is_read(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("id,text\n1,Caf\u00e9 pricing \u2013 see you Tuesday\n".encode("cp1252"))
    (record,) = list(ExportReader(path, Columns()))
    assert isinstance(record, Record) and record.text == "Caf\u00e9 pricing \u2013 see you Tuesday"


@pytest.mark.parametrize(
    ("value", "month"),
    [
        ("2026-03-14T10:22:00.000Z", "2026-03"),
        ("2026-03-14 10:22", "2026-03"),
        (dt.date(2025, 12, 1), "2025-12"),
        (1772000000, "2026-02"),  # Unix seconds
        (1772000000000, "2026-02"),  # milliseconds, as HubSpot exports them
        ("1772000000000", "2026-02"),
        ("03/14/2026", None),  # day or month first? not guessed
        ("2026-13-01", None),
        (None, None),
    ],
)
def test_months_come_from_iso_dates_and_unix_times(value: object, month: str | None) -> None:
    assert month_of(value) == month


# ------------------------------------------------------------------------------ scoring


def test_each_row_scores_its_message_as_lint_text_does(
    rows: list[dict[str, Any]], local: list[dict]
) -> None:
    assert [r["id"] for r in local] == [r["id"] for r in rows]
    for row, given in list(zip(local, rows, strict=True))[:40]:
        report = pushlint.lint_text(given["text"])
        assert (row["score"], row["band"]) == (report.score, report.band), row["id"]
        fired: dict[str, int] = {}
        for f in (*report.findings, *report.signals):
            fired[f.rule] = fired.get(f.rule, 0) + 1
        counted = {k[2:]: v for k, v in row.items() if k.startswith("n_") and v}
        assert counted == fired, row["id"]
        assert row["findings"] == len(report.findings)
        for category, points in report.categories.items():
            assert row["points_" + category.replace("-", "_")] == pytest.approx(points)


def test_rows_keep_metadata_and_no_text_unless_asked(
    export: Path, rows: list[dict[str, Any]], local: list[dict], tmp_path: Path
) -> None:
    first = local[0]
    assert (first["author"], first["team"], first["kind"], first["month"]) == (
        rows[0]["author"], rows[0]["team"], rows[0]["kind"], "2026-01",
    )  # fmt: skip
    assert "text" not in first
    out = tmp_path / "rows.jsonl"  # uncompressed, so a leaked word would show
    score_exports([export], out, _job())
    data = out.read_bytes()
    metadata = {str(v) for r in rows for v in r.values() if v != r["text"]}
    words = {w for r in rows for w in r["text"].split() if len(w) > 9 and w.isalpha()}
    words -= metadata
    assert len(words) > 50 and not [w for w in words if w.encode() in data]
    kept = _score([export], tmp_path / "t.jsonl", ScoreJob(_job().settings, include_text=True))
    assert kept[3]["text"] == rows[3]["text"]


def test_jsonl_and_parquet_output_hold_the_same_rows(
    export: Path, local: list[dict], tmp_path: Path
) -> None:
    assert _score([export], tmp_path / "rows.parquet") == local


def test_config_selection_shapes_columns_and_scores(
    export: Path, local: list[dict], tmp_path: Path
) -> None:
    config = tmp_path / "pushlint.yaml"
    config.write_text("ignore: [quarter-pressure]\n", encoding="utf-8")
    job = ScoreJob(Project(Overrides(config=config)).settings(str(export)))
    rows = _score([export], tmp_path / "rows.jsonl", job)
    assert "points_quarter_pressure" not in rows[0]
    ignored = {r.spec.id for r in load_rules().rules if r.spec.category == "quarter-pressure"}
    assert ignored and not [k for k in rows[0] if k.removeprefix("n_") in ignored]
    assert "n_PL305" in rows[0]  # a customer-focus signal kept in the same pack
    pressured = [i for i, r in enumerate(local) if r["points_quarter_pressure"]]
    assert pressured and all(rows[i]["score"] <= local[i]["score"] for i in pressured)
    assert any(rows[i]["score"] < local[i]["score"] for i in pressured)


def test_the_subject_is_linted_as_the_first_line_and_call_notes_as_a_call() -> None:
    body = "Thanks for the time on Tuesday. I have attached the notes from our call."
    call = (
        "Rep: So I wanted to walk you through our platform today.\nCustomer: OK.\n"
        "Rep: We are the leading provider and our platform offers everything.\n"
        "Customer: Sure.\nRep: Let us get the contract signed this week.\n"
    )
    records = [
        Record("plain", body),
        Record("nag", body, subject="Just checking in"),
        Record("call", call, subject="Call with Dana"),
    ]
    plain, nag, on_call = score_partition(_job(), records).rows
    assert plain["n_PL501"] == 0 and nag["n_PL501"] == 1  # an empty follow-up, in the subject
    assert on_call["n_PL862"] == 1  # judged as a call: no discovery questions


def test_html_bodies_are_read_as_html_with_body_format_html() -> None:
    body = (
        "<html><body><p>Hi Dana,</p><p>This discount <b>expires at the end of the "
        'quarter</b>.</p><div style="display:none">We are the leading provider</div></body>'
    )
    (row,) = score_partition(_job(input_format="html"), [Record("a", body)]).rows
    assert row["points_quarter_pressure"] > 0  # the words across <b> are one phrase
    assert row["n_PL101"] == 0  # hidden text is not the reader's


def test_rows_without_text_are_kept_with_the_reason(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "e.jsonl",
        [{"id": "a", "text": ""}, {"id": "b"}, {"id": "c", "text": "x " * 60_000},
         {"id": "d", "text": "How is the rollout going for your team?"}],
    )  # fmt: skip
    rows = _score([path], tmp_path / "rows.jsonl")
    assert [(r["id"], r["score"] is None) for r in rows] == [
        ("a", True), ("b", True), ("c", True), ("d", False),
    ]  # fmt: skip
    assert rows[0]["error"] == "no text" and "character limit" in rows[2]["error"]


def test_unreadable_rows_and_files_are_reported_and_the_rest_scored(
    tmp_path: Path, rows: list[dict[str, Any]]
) -> None:
    good = _jsonl(tmp_path / "good.jsonl", rows[:3])
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(rows[3]) + "\n{oops\n" + json.dumps(rows[4]) + "\n")
    summary = score_exports([good, tmp_path / "gone.jsonl", broken], tmp_path / "o.jsonl", _job())
    assert summary.rows == 5 and summary.problem_count == 2
    assert [p.path for p in summary.problems] == [str(tmp_path / "gone.jsonl"), f"{broken}:2"]


def test_the_pipeline_s_notes_reach_the_summary(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "e.jsonl", [{"id": "a", "text": "Our platform offers SSO."}])
    summary = score_exports([path], tmp_path / "o.jsonl", _job(model="blank"))
    notes = [line for line in describe(summary) if "lacks the tagger/parser" in line]
    assert len(notes) == 1 and "PL101" in notes[0]  # no parser: said once, rules named


def test_a_failed_run_leaves_no_output_and_keeps_the_old_one(
    export: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(score_run, "PARTITION_SIZE", 16)  # fail after a partition is written
    out = tmp_path / "rows.parquet"
    out.write_bytes(b"yesterday's rows")

    class Failing(InProcess):
        calls = 0

        def submit(self, job: ScoreJob, records: list[Record]) -> Any:
            Failing.calls += 1
            if Failing.calls == 2:
                raise RuntimeError("worker died")
            return super().submit(job, records)

    with pytest.raises(RuntimeError):
        score_exports([export], out, _job(), executor=Failing())
    assert Failing.calls == 2
    assert out.read_bytes() == b"yesterday's rows"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.parquet"]


def test_a_worker_with_other_rules_is_refused(export: Path, tmp_path: Path) -> None:
    class Stranger(InProcess):
        def submit(self, job: ScoreJob, records: list[Record]) -> Any:
            done = score_partition(job, records)._replace(signature="other")
            return type("R", (), {"get": lambda self: done})()

    with pytest.raises(ExportError, match="another pushlint, model or rule packs"):
        score_exports([export], tmp_path / "o.jsonl", _job(), executor=Stranger())
    assert not (tmp_path / "o.jsonl").exists()


def test_jobs_2_writes_the_rows_of_a_serial_run(
    export: Path, local: list[dict], tmp_path: Path
) -> None:
    with ProcessPool(2) as pool:
        assert _score([export], tmp_path / "p.jsonl", executor=pool) == local


def test_extra_rule_files_travel_with_the_job(tmp_path: Path, rows: list[dict[str, Any]]) -> None:
    pack = tmp_path / "team.yaml"
    pack.write_text(TEAM_PACK, encoding="utf-8")
    job = ScoreJob(Project(Overrides(isolated=True, rules=(str(pack),))).settings("-"))
    records = [Record(r["id"], r["text"]) for r in rows[:10]]
    records.append(Record("x", "Our synergy roadmap is unmatched."))
    here = score_partition(job, records)
    portable = job.portable()
    assert portable.packed_rules and portable.local_settings().rules != job.settings.rules
    there = score_partition(portable, records)
    assert there == here
    assert here.rows[-1]["n_TEAM001"] == 1


TEAM_PACK = """\
rules:
  - id: TEAM001
    name: synergy
    kind: phrase
    category: buzzwords
    weight: 10
    message: Say what the customer gets instead of "synergy".
    why: W.
    rewrite: [Name the outcome for the customer.]
    phrases: [synergy]
"""


# ------------------------------------------------------------------------------- pandas


def test_score_frame_scores_a_dataframe_keeping_its_index(
    rows: list[dict[str, Any]], local: list[dict]
) -> None:
    frame = pd.DataFrame(rows[:30]).rename(columns={"text": "body"})
    frame.index = [f"r{i}" for i in range(30)]
    scored = pushlint.score_frame(frame, text_column="body")
    assert list(scored.index) == list(frame.index)
    assert list(scored["score"]) == [r["score"] for r in local[:30]]
    assert str(scored["score"].dtype) == "Int64"


def test_score_frame_treats_pandas_gaps_as_empty_cells() -> None:
    frame = pd.DataFrame(
        {
            "text": pd.array(["How is the rollout going for your team?", pd.NA], dtype="string"),
            "date": pd.to_datetime(["2026-03-04", None]),  # the gap is NaT
            "author": ["dana", None],
        }
    )
    scored = pushlint.score_frame(frame)
    first, second = scored.to_dict("records")
    assert (first["month"], first["date"]) == ("2026-03", "2026-03-04T00:00:00")
    assert pd.isna(first["error"]) and first["score"] >= 0
    assert second["error"] == "no text"  # not the string "<NA>" linted as a message
    assert pd.isna(second["date"]) and pd.isna(second["month"]) and pd.isna(second["author"])


def test_the_dask_dataframe_recipe_from_the_readme_runs(
    rows: list[dict[str, Any]], local: list[dict], tmp_path: Path
) -> None:
    import dask.dataframe as dd

    ddf = dd.from_pandas(pd.DataFrame(rows[:40]), npartitions=3)
    meta = pushlint.score_frame(ddf._meta, text_column="text")
    scored = ddf.map_partitions(pushlint.score_frame, text_column="text", meta=meta)
    result = scored.compute(scheduler="synchronous")
    assert list(result["id"]) == [r["id"] for r in local[:40]]
    assert list(result["score"]) == [r["score"] for r in local[:40]]
    scored.to_parquet(tmp_path / "parts", write_index=False, compute_kwargs={"scheduler": "sync"})
    assert len(list((tmp_path / "parts").glob("*.parquet"))) == 3
    assert list(read_scored(tmp_path / "parts")) == local[:40]  # what stats and report read


def test_settings_for_a_library_call_read_only_the_config_given(tmp_path: Path) -> None:
    config = tmp_path / "pushlint.yaml"
    config.write_text("select: [PL1]\n", encoding="utf-8")
    assert frame_settings(None, None, ()).selection.select == ("ALL",)
    assert frame_settings(config, None, ()).selection.select == ("PL1",)


# -------------------------------------------------------------------------------- dask


def test_a_two_worker_local_cluster_writes_the_rows_of_a_local_run(tmp_path: Path) -> None:
    from pushlint import api
    from pushlint.cluster import DaskCluster

    rows = _rows(300)
    export = _jsonl(tmp_path / "export.jsonl", rows)
    reference = _score([export], tmp_path / "local.parquet")
    cluster = DaskCluster("local", 2)
    client = cluster.client
    try:
        assert len(client.nthreads()) == 2
        job = _job().portable()
        distributed = _score([export], tmp_path / "dask.parquet", job, executor=cluster)
        loads = client.run(lambda: api._cached_linter.cache_info().misses)
        assert reference == distributed
        assert sorted(loads.values()) == [1, 1]  # each worker loaded the pipeline once
        # Partitions are scattered, not sent inside tasks: Dask keeps its last thousand
        # scheduler messages, so records in tasks stayed in this process (and grew it).
        gc.collect()
        kept = [o for o in gc.get_objects() if type(o) is list and o and type(o[0]) is Record]
        assert kept == []
    finally:
        cluster.close()


# --------------------------------------------------------------------------------- CLI


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pushlint", *args], cwd=cwd, capture_output=True, text=True
    )


def test_cli_score_then_stats_and_report_by_team_and_month(tmp_path: Path) -> None:
    rows = _rows(60)
    _jsonl(tmp_path / "export.jsonl", [*rows, {"id": "empty", "text": None}])
    done = _cli("score", "export.jsonl", "-o", "scored.parquet", "--jobs", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "60 scored, 1 without a score" in done.stdout
    assert "ETA" not in done.stderr  # piped: no progress bar

    stats = _cli("stats", "scored.parquet", "--format", "json", "--by", "team",
                 "--by", "month", cwd=tmp_path)  # fmt: skip
    assert stats.returncode == 0, stats.stderr
    assert "1 row(s) without a score left out" in stats.stderr
    summary = json.loads(stats.stdout)
    frame = pd.read_parquet(tmp_path / "scored.parquet").dropna(subset=["score"])
    assert summary["messages"] == len(frame) == 60
    by_team = {g["key"]: g for g in summary["groups"]["team"]}
    for team, scores in frame.groupby("team")["score"]:
        assert by_team[team]["messages"] == len(scores)
        assert by_team[team]["mean_score"] == pytest.approx(scores.mean(), abs=0.051)
        assert by_team[team]["median"] == int(scores.quantile(0.5, interpolation="lower"))
    assert [g["key"] for g in summary["groups"]["month"]] == sorted(frame["month"].unique())
    assert "quarter-pressure" in summary["categories"]  # column names map back to categories

    _cli("score", "export.jsonl", "-o", "scored.jsonl", "--jobs", "1", cwd=tmp_path)
    same = _cli("stats", "scored.jsonl", "--format", "json", "--by", "team", "--by", "month",
                cwd=tmp_path)  # fmt: skip
    assert json.loads(same.stdout) == summary
    mixed = _cli("stats", "scored.jsonl", str(EXAMPLES / "pushy"), cwd=tmp_path)
    assert mixed.returncode == 2 and "not both" in mixed.stderr
    by_on_messages = _cli("stats", str(EXAMPLES / "pushy"), "--by", "team", cwd=tmp_path)
    assert by_on_messages.returncode == 2 and "pushlint score" in by_on_messages.stderr

    page = tmp_path / "report.html"
    done = _cli("report", "scored.parquet", "--html", str(page), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    html = page.read_text()
    assert "Mean score per month" in html and "<polyline" in html
    assert "Scores per team" in html and "enterprise" in html
    longest = max((w for r in rows for w in r["text"].split() if w.isalpha()), key=len)
    assert longest not in html  # scored rows hold no text, so neither does the page


def test_cli_score_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    _jsonl(tmp_path / "export.jsonl", _rows(20))
    primary, replica = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pushlint", "score", "export.jsonl", "-o", "s.jsonl", "-j", "1"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=replica,
        env={**os.environ, "COLUMNS": "160", "TERM": "xterm"},
    )  # fmt: skip
    os.close(replica)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(primary)
    text = seen.decode("utf-8", "replace")
    assert process.returncode == 0
    assert "20 messages" in text and "/s" in text and "ETA" in text


def test_cli_score_errors_are_clear(tmp_path: Path) -> None:
    _jsonl(tmp_path / "export.jsonl", [{"id": 1, "body": "hello"}])
    wrong_column = _cli("score", "export.jsonl", "-o", "s.jsonl", cwd=tmp_path)
    assert wrong_column.returncode == 2
    assert "no 'text' column (columns: id, body)" in wrong_column.stderr
    assert not (tmp_path / "s.jsonl").exists()
    wrong_output = _cli("score", "export.jsonl", "-o", "s.csv", cwd=tmp_path)
    assert wrong_output.returncode == 2 and ".parquet or .jsonl" in wrong_output.stderr
    mapped = _cli("score", "export.jsonl", "-o", "s.jsonl", "--text-column", "body", cwd=tmp_path)
    assert mapped.returncode == 0, mapped.stderr
