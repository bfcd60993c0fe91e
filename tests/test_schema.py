"""The shipped JSON Schema is generated from the loader's own models and agrees with it."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from pushlint.rules import RuleFileError, load_rule_file, shipped_packs_dir
from pushlint.rules.schema import PackMeta, rule_json_schema, validator

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "src" / "pushlint" / "rule-schema.json"
SHIPPED = sorted(shipped_packs_dir().glob("*.yaml"))
PRESET = SCHEMA_FILE.parent / "presets" / "strict.yaml"


def test_shipped_schema_file_is_up_to_date() -> None:
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(rule_json_schema())), (
        'regenerate with: python -c "import json; from pushlint.rules.schema import '
        'rule_json_schema as s; print(json.dumps(s(), indent=2, sort_keys=True))" '
        "> src/pushlint/rule-schema.json"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_pack_validates_against_the_schema(path: Path) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), rule_json_schema())


def _first_rule(data: dict[str, Any]) -> dict[str, Any]:
    return data["rules"][0]


MUTATIONS: dict[str, tuple[Callable[[dict[str, Any]], None], bool]] = {
    "unchanged": (lambda d: None, True),
    "misspelt key": (lambda d: _first_rule(d).__setitem__("mesage", "x"), False),
    "unknown kind": (lambda d: _first_rule(d).__setitem__("kind", "regex"), False),
    "bad level": (lambda d: _first_rule(d).__setitem__("level", "fatal"), False),
    "weight as text": (lambda d: _first_rule(d).__setitem__("weight", "high"), False),
    "weight too big": (lambda d: _first_rule(d).__setitem__("weight", 1000), False),
    "name not kebab": (lambda d: _first_rule(d).__setitem__("name", "Vendor Self"), False),
    "string rewrite": (lambda d: _first_rule(d).__setitem__("rewrite", ["Say why."]), True),
    "mapping rewrite": (
        lambda d: _first_rule(d).__setitem__("rewrite", [{"text": "T", "replacement": "R"}]),
        True,
    ),
    "unknown pack key": (lambda d: d.__setitem__("packs", {}), False),
}


@pytest.mark.parametrize("mutation", MUTATIONS, ids=str)
def test_loader_and_schema_agree(mutation: str, tmp_path: Path) -> None:
    mutate, valid = MUTATIONS[mutation]
    data = yaml.safe_load((shipped_packs_dir() / "vendor-centric.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    mutate(data)
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    try:
        load_rule_file(path)
        loader_ok = True
    except RuleFileError:
        loader_ok = False
    try:
        jsonschema.validate(data, rule_json_schema())
        schema_ok = True
    except jsonschema.ValidationError:
        schema_ok = False
    assert (loader_ok, schema_ok) == (valid, valid)


@pytest.mark.parametrize("setting", [None, "logfire"])
def test_building_a_validator_leaves_the_pydantic_plugin_setting_as_it_was(
    monkeypatch: pytest.MonkeyPatch, setting: str | None
) -> None:
    """pushlint turns pydantic's plugin discovery off only while it builds its own
    validators: a program that imports it keeps its own setting."""
    if setting is None:
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    else:
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", setting)
    check = validator(PackMeta)
    assert os.environ.get("PYDANTIC_DISABLE_PLUGINS") == setting
    assert check.validate_python({"name": "team"}).name == "team"


def test_loading_the_shipped_packs_never_looks_for_pydantic_plugins() -> None:
    """Every validator pushlint builds, up front or on first use, is built with the
    plugin scan off. A fresh process: pydantic remembers plugins once found."""
    probe = (
        "import pydantic.plugin._loader as loader\n"
        "calls = []\n"
        "loader.entry_points = lambda **kw: calls.append(kw) or ()\n"
        "from pushlint.rules import load_rules\n"
        "from pushlint.config import load_config\n"
        "rules = load_rules()\n"
        "assert any(r.spec.kind == 'signal' for r in rules.rules)\n"
        "[r.spec.rewrites for r in rules.rules]\n"
        f"load_config(__import__('pathlib').Path({str(PRESET)!r}))\n"
        "print(calls)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
