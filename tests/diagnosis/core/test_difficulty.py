"""The difficulty policy table, cooldown, oscillation and validation loop (no database)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from diagnosis.core.difficulty import (
    DifficultyAction,
    DifficultyConfig,
    DifficultyDecision,
    DifficultyReason,
    DifficultySnapshot,
    PendingValidation,
    difficulty_decide,
    new_difficulty,
)
from governance.core.defaults import DEFAULT_CONFIG

CONFIG = DifficultyConfig(**DEFAULT_CONFIG["difficulty"])
INCREASE, MAINTAIN, DECREASE = (
    DifficultyAction.INCREASE,
    DifficultyAction.MAINTAIN,
    DifficultyAction.DECREASE,
)


def step(
    snapshot: DifficultySnapshot,
    accepted: bool,
    tier: str = "high",
    pattern: str = "none",
    config: DifficultyConfig = CONFIG,
) -> tuple[DifficultySnapshot, DifficultyDecision]:
    return difficulty_decide(
        snapshot=snapshot,
        accepted=accepted,
        confidence_tier=tier,
        pattern_state=pattern,
        config=config,
    )


def run(
    snapshot: DifficultySnapshot, outcomes: list[bool], config: DifficultyConfig = CONFIG
) -> tuple[DifficultySnapshot, list[DifficultyDecision]]:
    decisions = []
    for accepted in outcomes:
        snapshot, decision = step(snapshot, accepted, config=config)
        decisions.append(decision)
    return snapshot, decisions


def settled(level: int = 3, outcomes: tuple[bool, ...] = ()) -> DifficultySnapshot:
    """A learner well past any cooldown or oscillation hold."""
    return DifficultySnapshot(
        level=level,
        recent_outcomes=outcomes,
        submissions_since_adjustment=100,
        action_history=(),
        pending=None,
    )


def increased() -> DifficultySnapshot:
    snapshot, decisions = run(new_difficulty(CONFIG), [True, True, True])
    assert decisions[-1].action is INCREASE
    return snapshot


def test_config_fields_are_exactly_the_default_keys_without_defaults():
    assert {f.name for f in dataclasses.fields(DifficultyConfig)} == set(
        DEFAULT_CONFIG["difficulty"]
    )
    with pytest.raises(TypeError):
        DifficultyConfig()


def test_config_rejects_validation_longer_than_cooldown():
    with pytest.raises(ValueError, match="validation_submissions <= cooldown_submissions"):
        dataclasses.replace(CONFIG, validation_submissions=6)


def test_new_difficulty_starts_at_the_initial_level():
    snapshot = new_difficulty(CONFIG)
    assert snapshot.level == 3
    assert snapshot.submissions_since_adjustment is None
    assert (snapshot.recent_outcomes, snapshot.action_history, snapshot.pending) == ((), (), None)


def test_insufficient_history_then_consistent_success_increases():
    snapshot, decisions = run(new_difficulty(CONFIG), [True, True, True])
    assert [d.reason for d in decisions[:2]] == [DifficultyReason.INSUFFICIENT_HISTORY] * 2
    assert decisions[0].action is MAINTAIN
    last = decisions[-1]
    assert (last.action, last.reason) == (INCREASE, DifficultyReason.CONSISTENT_SUCCESS)
    assert (last.from_level, last.to_level) == (3, 4)
    assert (last.rollback, last.validated, last.adjustment_score) == (False, False, None)
    assert snapshot.level == 4
    assert snapshot.submissions_since_adjustment == 0
    assert snapshot.action_history == ("increase",)
    assert snapshot.pending == PendingValidation(
        action=INCREASE, from_level=3, to_level=4, outcomes=()
    )


def test_struggling_with_high_confidence_decreases():
    snapshot, decisions = run(new_difficulty(CONFIG), [False, False, False])
    last = decisions[-1]
    assert (last.action, last.reason) == (DECREASE, DifficultyReason.STRUGGLING)
    assert (last.from_level, last.to_level, snapshot.level) == (3, 2, 2)
    assert snapshot.action_history == ("decrease",)


def test_low_confidence_maintains_before_any_other_rule():
    _, decision = step(new_difficulty(CONFIG), False, tier="low", pattern="confirmed")
    assert (decision.action, decision.reason) == (MAINTAIN, DifficultyReason.LOW_CONFIDENCE)
    assert decision.confidence_tier == "low"

    snapshot, decision = step(settled(outcomes=(False, False, False, False)), False, tier="low")
    assert (decision.action, decision.reason) == (MAINTAIN, DifficultyReason.LOW_CONFIDENCE)
    assert snapshot.level == 3


@pytest.mark.parametrize("pattern", ["suspected", "confirmed"])
def test_unresolved_pattern_holds_the_level(pattern):
    snapshot, decision = step(settled(outcomes=(True,) * 4), True, pattern=pattern)
    assert (decision.action, decision.reason) == (MAINTAIN, DifficultyReason.PATTERN_UNRESOLVED)
    assert snapshot.level == 3
    assert snapshot.submissions_since_adjustment == 101


@pytest.mark.parametrize("pattern", ["none", "stable"])
def test_resolved_pattern_allows_an_increase(pattern):
    _, decision = step(settled(outcomes=(True,) * 4), True, pattern=pattern)
    assert decision.action is INCREASE


def test_medium_confidence_never_adjusts():
    _, decision = step(settled(outcomes=(True,) * 4), True, tier="medium")
    assert (decision.action, decision.reason) == (MAINTAIN, DifficultyReason.STABLE_PERFORMANCE)
    _, decision = step(settled(outcomes=(False,) * 4), False, tier="medium")
    assert (decision.action, decision.reason) == (MAINTAIN, DifficultyReason.STABLE_PERFORMANCE)


def test_mixed_results_are_stable_performance():
    snapshot, decision = step(settled(outcomes=(True, False, True, False)), True)
    assert (decision.action, decision.reason) == (MAINTAIN, DifficultyReason.STABLE_PERFORMANCE)
    assert snapshot.recent_outcomes == (True, False, True, False, True)


def test_success_rate_thresholds_are_inclusive():
    # 4 of 5 = 0.8 increases; 1 of 5 = 0.2 decreases.
    _, decision = step(settled(outcomes=(False, True, True, True)), True)
    assert decision.action is INCREASE
    _, decision = step(settled(outcomes=(True, False, False, False)), False)
    assert decision.action is DECREASE


def test_window_keeps_only_the_last_outcomes():
    snapshot, _ = step(settled(outcomes=(False, True, True, True, True)), True)
    assert snapshot.recent_outcomes == (True,) * 5


def test_levels_clamp_at_the_bounds():
    snapshot, decision = step(settled(level=10, outcomes=(True,) * 4), True)
    assert (decision.action, decision.reason) == (MAINTAIN, DifficultyReason.STABLE_PERFORMANCE)
    assert (decision.to_level, snapshot.level, snapshot.pending) == (10, 10, None)

    snapshot, decision = step(settled(level=1, outcomes=(False,) * 4), False)
    assert (decision.action, decision.reason) == (MAINTAIN, DifficultyReason.STABLE_PERFORMANCE)
    assert (decision.to_level, snapshot.level) == (1, 1)


def test_cooldown_lasts_exactly_cooldown_submissions():
    snapshot, decisions = run(increased(), [True] * 6)
    cooldown = decisions[: CONFIG.cooldown_submissions]
    assert all(d.reason is DifficultyReason.COOLDOWN for d in cooldown)
    assert all(d.cooldown_active and d.action is MAINTAIN for d in cooldown)
    after = decisions[CONFIG.cooldown_submissions]
    assert not after.cooldown_active
    assert (after.action, after.reason) == (INCREASE, DifficultyReason.CONSISTENT_SUCCESS)
    assert snapshot.level == 5


def test_cooldown_overrides_low_confidence_and_patterns():
    _, decision = step(increased(), False, tier="low", pattern="confirmed")
    assert decision.reason is DifficultyReason.COOLDOWN


def test_validation_keeps_a_successful_adjustment():
    snapshot, decisions = run(increased(), [False, True, True])
    assert [d.validated for d in decisions] == [False, False, True]
    last = decisions[-1]
    assert last.adjustment_score == pytest.approx(2 / 3)
    assert (last.action, last.reason, last.rollback) == (MAINTAIN, DifficultyReason.COOLDOWN, False)
    assert snapshot.level == 4
    assert snapshot.pending is None
    assert snapshot.submissions_since_adjustment == 3


def test_validation_rolls_back_a_failed_increase():
    snapshot, decisions = run(increased(), [False, False, True])
    first_two = decisions[:2]
    assert all(not d.validated and d.adjustment_score is None for d in first_two)
    assert snapshot.level == 3
    last = decisions[-1]
    assert (last.action, last.reason) == (DECREASE, DifficultyReason.ROLLBACK_FAILED_ADJUSTMENT)
    assert (last.rollback, last.validated) == (True, True)
    assert last.adjustment_score == pytest.approx(1 / 3)
    assert (last.from_level, last.to_level) == (4, 3)
    assert snapshot.pending is None
    assert snapshot.submissions_since_adjustment == 0
    assert snapshot.action_history == ("increase", "decrease")

    # The cooldown restarts with the rollback.
    snapshot, decisions = run(snapshot, [True] * 6)
    assert [d.reason for d in decisions[:5]] == [DifficultyReason.COOLDOWN] * 5


def test_validation_rolls_back_a_decrease_that_did_not_help():
    snapshot, _ = run(new_difficulty(CONFIG), [False, False, False])
    assert snapshot.level == 2
    snapshot, decisions = run(snapshot, [False, False, False])
    last = decisions[-1]
    assert (last.action, last.rollback, last.adjustment_score) == (INCREASE, True, 0.0)
    assert snapshot.level == 3


def test_rollback_boundary_is_strictly_below_the_score():
    config = dataclasses.replace(CONFIG, validation_submissions=5)
    start, _ = run(new_difficulty(config), [True, True, True], config=config)
    kept, decisions = run(start, [True, True, False, False, False], config=config)
    assert decisions[-1].adjustment_score == pytest.approx(0.4)
    assert (decisions[-1].rollback, kept.level) == (False, 4)

    rolled, decisions = run(start, [True, False, False, False, False], config=config)
    assert decisions[-1].adjustment_score == pytest.approx(0.2)
    assert (decisions[-1].rollback, rolled.level) == (True, 3)


def test_oscillation_holds_the_level():
    # increase → failed validation rolls back (decrease) → cooldown → increase again.
    snapshot, _ = run(new_difficulty(CONFIG), [True, True, True, False, False, True])
    snapshot, decisions = run(snapshot, [True] * 6)
    assert decisions[-1].action is INCREASE
    assert snapshot.action_history == ("increase", "decrease", "increase")

    snapshot, decisions = run(snapshot, [True] * 6)
    assert [d.reason for d in decisions[:5]] == [DifficultyReason.COOLDOWN] * 5
    assert (decisions[5].action, decisions[5].reason) == (
        MAINTAIN,
        DifficultyReason.OSCILLATION_DETECTED,
    )
    assert not decisions[5].cooldown_active
    assert snapshot.level == 4


def oscillating(since: int, history: tuple[str, ...]) -> DifficultySnapshot:
    return DifficultySnapshot(
        level=5,
        recent_outcomes=(True,) * 4,
        submissions_since_adjustment=since,
        action_history=history,
        pending=None,
    )


def test_oscillation_hold_ends():
    history = ("increase", "decrease", "increase")
    hold = CONFIG.oscillation_hold_submissions
    _, decision = step(oscillating(hold - 1, history), True)
    assert decision.reason is DifficultyReason.OSCILLATION_DETECTED
    _, decision = step(oscillating(hold, history), True)
    assert decision.action is INCREASE


def test_oscillation_needs_enough_trailing_alternations():
    _, decision = step(oscillating(5, ("decrease", "increase", "increase")), True)
    assert decision.action is INCREASE
    _, decision = step(oscillating(5, ("increase", "increase", "decrease", "increase")), True)
    assert decision.reason is DifficultyReason.OSCILLATION_DETECTED


def test_action_history_is_capped():
    snapshot = dataclasses.replace(
        settled(outcomes=(True,) * 4), action_history=("increase",) * CONFIG.history_limit
    )
    snapshot, decision = step(snapshot, True)
    assert decision.action is INCREASE
    assert len(snapshot.action_history) == CONFIG.history_limit


def test_unknown_inputs_are_rejected():
    with pytest.raises(ValueError):
        step(new_difficulty(CONFIG), True, tier="sure")
    with pytest.raises(ValueError):
        step(new_difficulty(CONFIG), True, pattern="emerging")


def test_decisions_are_deterministic():
    outcomes = [True, True, True, False, True, False, False, False, True, True, False, False]
    tiers = ["high", "medium", "high", "low"]
    patterns = ["none", "none", "suspected", "stable"]

    def replay() -> list[tuple[DifficultySnapshot, DifficultyDecision]]:
        snapshot, trail = new_difficulty(CONFIG), []
        for i, accepted in enumerate(outcomes * 3):
            snapshot, decision = step(snapshot, accepted, tiers[i % 4], patterns[i % 4])
            trail.append((snapshot, decision))
        return trail

    assert replay() == replay()


def test_json_round_trip():
    snapshot, _ = run(increased(), [False, True])
    assert snapshot.pending is not None
    restored = DifficultySnapshot.from_json(json.loads(json.dumps(snapshot.to_json())))
    assert restored == snapshot
    assert restored.to_json() == snapshot.to_json()
    fresh = new_difficulty(CONFIG)
    assert DifficultySnapshot.from_json(fresh.to_json()) == fresh


def test_from_json_rejects_an_unknown_action():
    data = increased().to_json()
    data["action_history"] = ["sideways"]
    with pytest.raises(ValueError):
        DifficultySnapshot.from_json(data)
