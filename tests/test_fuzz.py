"""Whatever a rep pastes or a repo contains: a report or a clear error, never a traceback.

Bounded for CI; run longer with `pytest tests/test_fuzz.py --hypothesis-seed=N` and a
higher `max_examples` profile (HYPOTHESIS_PROFILE=long)."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pushlint
from pushlint.records import FileError
from pushlint.sources import FORMATS, Message, ReadOptions, read

settings.register_profile("ci", max_examples=40, deadline=None)
settings.register_profile("long", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

NASTY = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8")),
    st.sampled_from(
        [
            b"",
            b"   \n\t  ",
            b"\xff\xfe\x00\x00garbage",
            "\u200b\u200e\u202eRTL \u05e9\u05dc\u05d5\u05dd emoji \U0001f680 \u6f22\u5b57".encode(),
            b"<html>" + b"<div>" * 500 + b"deep" + b"</div>" * 500,
            b"Content-Type: multipart/mixed; boundary=x\n\n"
            + b"--x\nContent-Type: text/plain\n\nhi\n" * 300,
            b"WEBVTT\n\n00:00.000 --> 00:01.000\n<v>\n\n",
            b"---\nunterminated: front matter\n",
        ]
    ),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=NASTY, kind=st.sampled_from(FORMATS))
def test_every_reader_returns_a_message_or_a_clear_error(
    tmp_path: Path, data: bytes, kind: str
) -> None:
    path = tmp_path / f"input.{kind}"
    path.write_bytes(data)
    item = read(str(path), ReadOptions(input_format=kind))
    assert isinstance(item, Message | FileError)
    if isinstance(item, Message) and item.source is not None:
        assert len(item.text) == len(item.source)  # masking keeps positions exact


@given(text=st.text(max_size=600))
def test_any_text_lints_without_error(text: str) -> None:
    report = pushlint.lint_text(text)
    assert 0 <= report.score <= 100
    for finding in report.findings:
        assert finding.line >= 1 and finding.column >= 1
