"""The issue's acceptance scenario: a pushy paragraph and its customer-centric rewrite."""

from __future__ import annotations

import pushlint

PUSHY = (
    "We are the industry's leading provider of workforce analytics, and our platform offers "
    "scheduling, payroll sync, shift swaps and compliance reports. This special pricing ends at "
    "the end of the quarter, so please sign by Friday so we can include you in this quarter."
)
CUSTOMER_CENTRIC = (
    "You mentioned that your store managers spend Sunday nights rebuilding next week's rota "
    "by hand. "
    "Every week without a shared schedule costs your managers about six hours, and your staff find "
    "out about shift changes too late. A scheduling tool that syncs with payroll would let your "
    "managers publish the rota on Friday, so your staff can swap shifts themselves. "
    "What would it take for your regional leads to try it in one store before the summer peak?"
)
CORE = {"vendor-centric", "feature-dumping", "quarter-pressure"}


def test_pushy_paragraph_hits_all_three_core_categories() -> None:
    report = pushlint.lint_text(PUSHY)
    assert {f.category for f in report.findings} >= CORE
    assert report.band == "pushy"


def test_customer_centric_rewrite_gets_none_of_them() -> None:
    report = pushlint.lint_text(CUSTOMER_CENTRIC)
    assert not {f.category for f in report.findings} & CORE
    assert report.band == "customer-centric"
    assert report.signals  # its customer-centric language is recognised


def test_the_rewrite_scores_lower() -> None:
    assert pushlint.lint_text(CUSTOMER_CENTRIC).score < pushlint.lint_text(PUSHY).score
