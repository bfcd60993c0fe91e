"""Rule packs: schema, loading and validation (no spaCy needed)."""

from pushlint.rules.loader import (
    LoadedRule,
    RuleFileError,
    RuleProblem,
    RuleSet,
    load_rule_file,
    load_rules,
    shipped_packs_dir,
)

__all__ = [
    "LoadedRule",
    "RuleFileError",
    "RuleProblem",
    "RuleSet",
    "load_rule_file",
    "load_rules",
    "shipped_packs_dir",
]
