"""No network at run time: every reader, output and command works with sockets refused."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pushlint.cli import app

from .conftest import EXAMPLES


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network use refused by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_every_command_runs_offline(no_network: list[tuple[object, ...]], tmp_path: Path) -> None:
    runner = CliRunner()
    inputs = [str(EXAMPLES / "inputs"), str(EXAMPLES / "pushy"), str(EXAMPLES / "categories")]
    for args in (
        ["check", *inputs],
        ["check", *inputs, "--format", "json"],
        ["check", "--model", "blank", *inputs],
        *(["check", *inputs, "--format", f] for f in ("concise", "sarif", "github", "junit")),
        ["check", str(EXAMPLES / "ci-repo"), "--write-baseline", str(tmp_path / "b.json")],
        ["check", str(EXAMPLES / "ci-repo"), "--baseline", str(tmp_path / "b.json")],
        ["check", str(EXAMPLES / "ci-repo"), "--diff", "--statistics"],
        ["config", str(EXAMPLES / "ci-repo")],
        ["stats", *inputs, "--format", "json"],
        ["report", *inputs, "--html", str(tmp_path / "r.html")],
        ["eval", str(EXAMPLES / "corpus" / "calls.yaml")],
        ["rules", "test", "--quiet"],
        ["debug", "Sign by Friday so we can close this deal."],
        ["explain", "PL101"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 1), (args, result.output[-400:])
    assert no_network == []
