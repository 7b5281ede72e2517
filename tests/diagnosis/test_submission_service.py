"""submission_process: pattern and difficulty state across a learner's attempts, determinism."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from diagnosis.core.contract import mim_facts_json
from diagnosis.models import DifficultyAdjustment, DifficultyState, PatternState
from diagnosis.services import SubmissionInput, submission_process
from governance.core.config import RuntimeConfig, runtime_config_from
from tests.conftest import at

pytestmark = pytest.mark.django_db

OFF_BY_ONE = (
    "def f(a):\n    s = 0\n    for i in range(len(a) - 1):\n        s += a[i]\n    return s\n"
)
FIXED = "def f(a):\n    return sum(a)\n"

# Tiers low enough that the rules engine's best confidence (0.55) counts as HIGH: the pattern
# machinery is exercised end to end with a real engine and a real (non-default) config version.
HIGH_TRUST = runtime_config_from(
    version="test-high-trust",
    values={"confidence": {"high_threshold": 0.5, "medium_threshold": 0.45}},
)


def _submit(
    ext: str,
    *,
    user: str = "u1",
    verdict: str = "wrong_answer",
    code: str = OFF_BY_ONE,
    when: datetime,
    problem: str = "p1",
    config: RuntimeConfig | None = None,
) -> dict:
    result = submission_process(
        data=SubmissionInput(
            external_id=ext,
            user_id=user,
            problem_id=problem,
            problem_category="arrays",
            language="python",
            code=code,
            verdict=verdict,
            submitted_at=when,
        ),
        config=config,
    )
    return result.contract


def _warm_up(user: str, config: RuntimeConfig | None = None) -> None:
    """Three submissions on other problems (accepted, failed, accepted), so the learner is past
    cold start without the consistent success that would raise their difficulty."""
    for i, verdict in enumerate(("accepted", "runtime_error", "accepted")):
        _submit(
            f"{user}-warm{i}",
            user=user,
            verdict=verdict,
            code=FIXED,
            when=at(1, 8 + i),
            problem=f"warm{i}",
            config=config,
        )


def test_rules_engine_alone_never_claims_a_pattern() -> None:
    _warm_up("u1")
    contracts = [_submit(f"f{i}", when=at(2, 8 + i)) for i in range(4)]

    assert [c["pattern"]["state"] for c in contracts] == ["none"] * 4
    assert contracts[-1]["pattern"]["evidenceCount"] == 4
    assert PatternState.objects.get(user_id="u1", subtype="off_by_one").state == "none"


def test_repeated_high_confidence_failures_suspect_then_confirm_the_pattern() -> None:
    _warm_up("u1", HIGH_TRUST)
    contracts = [_submit(f"f{i}", when=at(2, 8 + i), config=HIGH_TRUST) for i in range(3)]

    assert [c["confidence"]["confidenceLevel"] for c in contracts] == ["high"] * 3
    assert [c["pattern"]["state"] for c in contracts] == ["none", "suspected", "confirmed"]
    assert contracts[-1]["difficulty"] == {
        "action": "maintain",
        "reason": "pattern_unresolved",
        "confidenceTier": "high",
        "cooldownActive": False,
        "level": 3,
    }
    assert "recurring" in contracts[-1]["feedback"]["explanation"].lower()
    row = PatternState.objects.get(user_id="u1", subtype="off_by_one")
    assert row.state == "confirmed"
    assert [h.state for h in row.history.order_by("history_date")] == [
        "none",
        "suspected",
        "confirmed",
    ]


def test_history_rows_record_each_transition_with_the_values_written() -> None:
    for i in range(3):
        _submit(f"ok{i}", verdict="accepted", code=FIXED, when=at(1, 8 + i), problem=f"w{i}")
    _warm_up("u1", HIGH_TRUST)
    for i in range(3):
        _submit(f"f{i}", when=at(2, 8 + i), config=HIGH_TRUST)

    row = PatternState.objects.get(user_id="u1", subtype="off_by_one")
    history = list(row.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~", "~"]
    latest = history[-1]
    tracked = ("state", "evidence_count", "weighted_count", "severity", "mastery", "updated_at")
    assert [getattr(latest, name) for name in tracked] == [getattr(row, name) for name in tracked]
    assert latest.history_date == row.updated_at
    assert (latest.history_user, latest.history_change_reason) == (None, "")
    # Difficulty: created with the learner, then one row per level change (3 -> 4 here).
    difficulty = DifficultyState.objects.get(user_id="u1")
    levels = [(h.history_type, h.level) for h in difficulty.history.order_by("history_date")]
    assert levels == [("+", 3), ("~", 4)]
    assert difficulty.level == 4


def test_cold_start_learner_is_conservative_even_when_confident() -> None:
    contract = _submit("f0", when=at(2), config=HIGH_TRUST)

    assert contract["confidence"]["confidenceLevel"] == "high"
    assert contract["confidence"]["conservativeMode"] is True
    assert contract["pattern"]["state"] == "none"


def test_failed_increase_is_rolled_back_after_three_outcomes() -> None:
    for i in range(3):
        _submit(f"ok{i}", verdict="accepted", code=FIXED, when=at(1, 8 + i), problem=f"w{i}")
    contracts = [_submit(f"f{i}", when=at(2, 8 + i), problem=f"q{i}") for i in range(3)]

    assert contracts[-1]["difficulty"]["action"] == "decrease"
    assert contracts[-1]["difficulty"]["reason"] == "rollback_failed_adjustment"
    assert contracts[-1]["difficulty"]["level"] == 3
    rollback = DifficultyAdjustment.objects.get(rollback=True)
    assert (rollback.from_level, rollback.to_level, rollback.adjustment_score) == (4, 3, 0.0)
    assert rollback.outcome_validated is True


def test_successes_after_a_confirmed_pattern_build_mastery() -> None:
    _warm_up("u1", HIGH_TRUST)
    for i in range(3):
        _submit(f"f{i}", when=at(2, 8 + i), config=HIGH_TRUST)
    for i in range(3):
        _submit(
            f"ok-after{i}", verdict="accepted", code=FIXED, when=at(3, 8 + i), config=HIGH_TRUST
        )

    row = PatternState.objects.get(user_id="u1", subtype="off_by_one")
    assert row.mastery == "mastered"
    assert row.state == "stable"


def test_consistent_success_increases_difficulty_then_cools_down() -> None:
    contracts = [
        _submit(f"ok{i}", verdict="accepted", code=FIXED, when=at(2, 8 + i), problem=f"p{i}")
        for i in range(5)
    ]

    actions = [(c["difficulty"]["action"], c["difficulty"]["reason"]) for c in contracts]
    assert actions == [
        ("maintain", "insufficient_history"),
        ("maintain", "insufficient_history"),
        ("increase", "consistent_success"),
        ("maintain", "cooldown"),
        ("maintain", "cooldown"),
    ]
    assert contracts[-1]["difficulty"]["level"] == 4
    assert contracts[-1]["difficulty"]["cooldownActive"] is True
    adjustment = DifficultyAdjustment.objects.get(user_id="u1", action="increase")
    assert (adjustment.from_level, adjustment.to_level, adjustment.reason) == (
        3,
        4,
        "consistent_success",
    )


def test_same_input_gives_byte_identical_mim_facts() -> None:
    facts = []
    for user in ("twin-a", "twin-b"):
        _warm_up(user, HIGH_TRUST)
        contracts = [
            _submit(
                f"{user}-f{i}", user=user, when=at(2, 8) + timedelta(minutes=i), config=HIGH_TRUST
            )
            for i in range(3)
        ]
        facts.append([mim_facts_json(c) for c in contracts])

    assert facts[0] == facts[1]
    assert b'"state":"confirmed"' in facts[0][-1]
