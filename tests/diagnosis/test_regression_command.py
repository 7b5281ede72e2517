"""`manage.py mim_regression`: the seven failure-mode checks of 000 §0.3."""

from __future__ import annotations

import json

from django.core.management import call_command

from diagnosis.core.engine import ConfidenceConfig
from diagnosis.core.regression import CHECKS, check_sparse_history_conservative, run_regression


def test_command_writes_a_report_with_all_seven_checks_passing(tmp_path, db) -> None:
    output = tmp_path / "report.json"

    call_command("mim_regression", "--output", str(output))

    report = json.loads(output.read_text())
    assert report["gate"] == "PASSED"
    assert report["passed"] == 7
    assert [c["name"] for c in report["checks"]] == [name for name, _, _ in CHECKS]
    assert report["config_version"] == "defaults"


def test_a_failing_check_is_reported_not_raised() -> None:
    def check_that_finds_a_bug(*, confidence: ConfidenceConfig, cap: float) -> str:
        raise ZeroDivisionError("found a bug")

    report = run_regression(
        confidence=ConfidenceConfig(high_threshold=0.8, medium_threshold=0.65),
        cap=0.6,
        checks=(*CHECKS[:1], ("test_planted", "planted failure", check_that_finds_a_bug)),
    )

    assert report["gate"] == "FAILED"
    assert (report["passed"], report["failed"]) == (1, 1)
    assert report["checks"][1]["detail"].startswith("ZeroDivisionError: found a bug")


def test_sparse_history_check_holds_under_any_tier_config() -> None:
    # Even with tiers under which every confidence is HIGH, a cold start stays conservative.
    detail = check_sparse_history_conservative(
        confidence=ConfidenceConfig(high_threshold=0.1, medium_threshold=0.05), cap=0.6
    )
    assert "conservative" in detail
