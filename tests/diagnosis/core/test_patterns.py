"""The pattern state machine: decay, weights, severity, tiers, mastery, JSON (no database)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from diagnosis.core.patterns import (
    Mastery,
    PatternConfig,
    PatternSnapshot,
    PatternStateName,
    Severity,
    decay_weight,
    new_pattern,
    pattern_record_failure,
    pattern_record_success,
    pattern_refresh,
    severity_of,
    weighted_count,
)
from governance.core.defaults import DEFAULT_CONFIG

CONFIG = PatternConfig(**DEFAULT_CONFIG["pattern"])
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def fail(snapshot: PatternSnapshot, tier: str, at: datetime = T0) -> PatternSnapshot:
    return pattern_record_failure(snapshot=snapshot, at=at, confidence_tier=tier, config=CONFIG)


def succeed(snapshot: PatternSnapshot, at: datetime = T0) -> PatternSnapshot:
    return pattern_record_success(snapshot=snapshot, at=at, config=CONFIG)


def fail_times(tier: str, count: int, start: datetime = T0) -> PatternSnapshot:
    snapshot = new_pattern()
    for i in range(count):
        snapshot = fail(snapshot, tier, start + timedelta(minutes=i))
    return snapshot


def confirmed_pattern() -> PatternSnapshot:
    snapshot = fail_times("high", 3)
    assert snapshot.state is PatternStateName.CONFIRMED
    return snapshot


def test_config_fields_are_exactly_the_default_keys_without_defaults():
    assert {f.name for f in dataclasses.fields(PatternConfig)} == set(DEFAULT_CONFIG["pattern"])
    with pytest.raises(TypeError):
        PatternConfig()


def test_config_rejects_inverted_decay_thresholds():
    values = {**DEFAULT_CONFIG["pattern"], "decay_to_none_below": 2.0}
    with pytest.raises(ValueError, match="decay_to_none_below"):
        PatternConfig(**values)


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [
        (0.0, 1.5),
        (14.0, 0.5),
        (28.0, 0.25),
        (3.0, 1.5 * 2 ** (-3 / 14)),
        (3.001, 2 ** (-3.001 / 14)),
        (-5.0, 1.5),
    ],
)
def test_decay_weight(days_ago, expected):
    assert decay_weight(days_ago=days_ago, config=CONFIG) == pytest.approx(expected, abs=1e-12)


def test_recency_boost_ends_after_the_boundary():
    at_boundary = decay_weight(days_ago=3.0, config=CONFIG)
    just_after = decay_weight(days_ago=3.0 + 1e-6, config=CONFIG)
    assert at_boundary > 1.2 > just_after


def test_weighted_count_sums_decayed_occurrences():
    occurrences = (T0 - days(28), T0 - days(14), T0)
    assert weighted_count(occurrences=occurrences, now=T0, config=CONFIG) == pytest.approx(2.25)
    assert weighted_count(occurrences=(), now=T0, config=CONFIG) == 0.0


def test_weighted_count_requires_an_aware_now():
    with pytest.raises(ValueError, match="aware"):
        weighted_count(occurrences=(T0,), now=datetime(2025, 3, 1), config=CONFIG)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("weighted", "expected"),
    [
        (3.0, Severity.CRITICAL),
        (2.99, Severity.HIGH),
        (2.0, Severity.HIGH),
        (1.99, Severity.MEDIUM),
        (1.0, Severity.MEDIUM),
        (0.99, Severity.LOW),
    ],
)
def test_severity_by_weight(weighted, expected):
    assert severity_of(occurrences=(T0,), weighted=weighted, now=T0, config=CONFIG) is expected


def test_a_cluster_in_the_last_seven_days_is_critical_despite_a_lower_weight():
    clustered = (T0 - days(7), T0 - days(5), T0 - days(4))
    weighted = weighted_count(occurrences=clustered, now=T0, config=CONFIG)
    assert weighted < 3.0
    assert severity_of(occurrences=clustered, weighted=weighted, now=T0, config=CONFIG) is (
        Severity.CRITICAL
    )

    spread = (T0 - days(7.01), T0 - days(5), T0 - days(4))
    weighted = weighted_count(occurrences=spread, now=T0, config=CONFIG)
    assert severity_of(occurrences=spread, weighted=weighted, now=T0, config=CONFIG) is (
        Severity.HIGH
    )


def test_new_pattern_is_none():
    snapshot = new_pattern()
    assert snapshot.state is PatternStateName.NONE
    assert snapshot.mastery is Mastery.LEARNING
    assert (snapshot.evidence_count, snapshot.weighted_count) == (0, 0.0)
    assert snapshot.confidence_support == "none"
    assert snapshot.last_seen_at is None


def test_high_failures_suspect_then_confirm():
    first = fail(new_pattern(), "high", T0)
    assert first.state is PatternStateName.NONE
    assert (first.evidence_count, first.weighted_count) == (1, 1.5)
    assert first.severity is Severity.MEDIUM

    second = fail(first, "high", T0 + timedelta(hours=1))
    assert second.state is PatternStateName.SUSPECTED
    assert second.confidence_support == "high"
    assert second.evidence_count == 2

    third = fail(second, "high", T0 + timedelta(hours=2))
    assert third.state is PatternStateName.CONFIRMED
    assert third.evidence_count == 3
    assert third.severity is Severity.CRITICAL
    assert third.last_seen_at == T0 + timedelta(hours=2)
    assert third.occurrences == (T0, T0 + timedelta(hours=1), T0 + timedelta(hours=2))


def test_low_confidence_counts_as_evidence_but_never_raises_the_state():
    snapshot = fail_times("low", 10)
    assert snapshot.state is PatternStateName.NONE
    assert snapshot.evidence_count == 10
    assert snapshot.severity is Severity.CRITICAL
    assert snapshot.confidence_support == "none"

    # The LOW evidence is real: one HIGH failure on top of it confirms.
    confirmed = fail(snapshot, "high", T0 + timedelta(hours=1))
    assert confirmed.state is PatternStateName.CONFIRMED
    assert confirmed.confidence_support == "high"


def test_low_failure_does_not_advance_a_suspected_pattern():
    suspected = fail_times("medium", 2)
    assert suspected.state is PatternStateName.SUSPECTED
    assert fail(suspected, "low", T0 + timedelta(hours=1)).state is PatternStateName.SUSPECTED


def test_medium_suspects_but_never_confirms():
    snapshot = fail_times("medium", 1)
    assert snapshot.state is PatternStateName.NONE
    snapshot = fail(snapshot, "medium", T0 + timedelta(minutes=1))
    assert snapshot.state is PatternStateName.SUSPECTED
    assert snapshot.confidence_support == "medium"
    for i in range(10):
        snapshot = fail(snapshot, "medium", T0 + timedelta(hours=i + 1))
    assert snapshot.state is PatternStateName.SUSPECTED
    assert snapshot.evidence_count == 12

    confirmed = fail(snapshot, "high", T0 + timedelta(hours=20))
    assert confirmed.state is PatternStateName.CONFIRMED
    assert confirmed.confidence_support == "high"


def test_unknown_tier_is_rejected():
    with pytest.raises(ValueError):
        fail(new_pattern(), "certain")


def test_naive_failure_time_is_rejected():
    with pytest.raises(ValueError, match="aware"):
        fail(new_pattern(), "high", datetime(2025, 3, 1))  # noqa: DTZ001


def test_evidence_ignores_occurrences_older_than_three_half_lives():
    old = fail(new_pattern(), "medium", T0)
    too_late = fail(old, "medium", T0 + days(43))
    assert too_late.evidence_count == 1
    assert too_late.state is PatternStateName.NONE

    in_time = fail(old, "medium", T0 + days(42))
    assert in_time.evidence_count == 2
    assert in_time.weighted_count == pytest.approx(1.625)
    assert in_time.state is PatternStateName.SUSPECTED


def test_confirmed_decays_to_suspected_then_none():
    confirmed = confirmed_pattern()
    assert pattern_refresh(snapshot=confirmed, now=T0 + days(22), config=CONFIG).state is (
        PatternStateName.CONFIRMED
    )
    suspected = pattern_refresh(snapshot=confirmed, now=T0 + days(23), config=CONFIG)
    assert suspected.state is PatternStateName.SUSPECTED
    assert suspected.weighted_count < 1.0
    assert suspected.confidence_support == "high"

    still = pattern_refresh(snapshot=suspected, now=T0 + days(36), config=CONFIG)
    assert still.state is PatternStateName.SUSPECTED
    gone = pattern_refresh(snapshot=suspected, now=T0 + days(37), config=CONFIG)
    assert gone.state is PatternStateName.NONE
    assert gone.confidence_support == "none"
    assert gone.severity is Severity.LOW
    assert gone.occurrences == confirmed.occurrences


def test_decay_is_path_independent():
    confirmed = confirmed_pattern()
    direct = pattern_refresh(snapshot=confirmed, now=T0 + days(37), config=CONFIG)
    stepped = pattern_refresh(snapshot=confirmed, now=T0 + days(23), config=CONFIG)
    stepped = pattern_refresh(snapshot=stepped, now=T0 + days(37), config=CONFIG)
    assert direct == stepped
    assert direct.state is PatternStateName.NONE


def test_refresh_changes_neither_mastery_nor_counters():
    snapshot = succeed(confirmed_pattern(), T0 + timedelta(hours=1))
    refreshed = pattern_refresh(snapshot=snapshot, now=T0 + days(5), config=CONFIG)
    assert refreshed.mastery is snapshot.mastery
    assert refreshed.consecutive_successes == 1
    assert refreshed.last_seen_at == snapshot.last_seen_at
    assert refreshed.weighted_count < snapshot.weighted_count


def test_mastery_sequence_and_confirmed_to_stable():
    snapshot = confirmed_pattern()
    t = T0 + timedelta(hours=1)
    snapshot = succeed(snapshot, t)
    assert (snapshot.mastery, snapshot.state) == (Mastery.LEARNING, PatternStateName.CONFIRMED)
    snapshot = succeed(snapshot, t)
    assert (snapshot.mastery, snapshot.state) == (Mastery.MASTERING, PatternStateName.CONFIRMED)
    snapshot = succeed(snapshot, t)
    assert (snapshot.mastery, snapshot.state) == (Mastery.MASTERED, PatternStateName.STABLE)
    assert snapshot.consecutive_successes == 3

    # One slip after mastery is tolerated; the second consecutive failure is a regression.
    snapshot = fail(snapshot, "high", t + timedelta(hours=1))
    assert (snapshot.mastery, snapshot.state) == (Mastery.MASTERED, PatternStateName.STABLE)
    assert (snapshot.consecutive_successes, snapshot.consecutive_failures) == (0, 1)
    snapshot = fail(snapshot, "high", t + timedelta(hours=2))
    assert (snapshot.mastery, snapshot.state) == (Mastery.REGRESSING, PatternStateName.CONFIRMED)


def stable_with_one_slip() -> PatternSnapshot:
    snapshot = confirmed_pattern()
    for _ in range(3):
        snapshot = succeed(snapshot, T0 + timedelta(hours=1))
    snapshot = fail(snapshot, "high", T0 + timedelta(hours=2))
    assert snapshot.state is PatternStateName.STABLE
    return snapshot


@pytest.mark.parametrize("tier", ["medium", "low"])
def test_stable_regression_without_high_confidence_falls_to_suspected(tier):
    regressed = fail(stable_with_one_slip(), tier, T0 + timedelta(hours=3))
    assert regressed.mastery is Mastery.REGRESSING
    assert regressed.state is PatternStateName.SUSPECTED


def test_a_failure_before_mastery_resets_to_learning():
    snapshot = succeed(succeed(new_pattern()))
    assert snapshot.mastery is Mastery.MASTERING
    snapshot = fail(snapshot, "high", T0 + timedelta(hours=1))
    assert snapshot.mastery is Mastery.LEARNING
    assert (snapshot.consecutive_successes, snapshot.consecutive_failures) == (0, 1)
    snapshot = fail(snapshot, "high", T0 + timedelta(hours=2))
    assert snapshot.mastery is Mastery.LEARNING


def test_regressing_recovers_only_through_mastering():
    snapshot = fail(stable_with_one_slip(), "high", T0 + timedelta(hours=3))
    assert snapshot.mastery is Mastery.REGRESSING
    snapshot = succeed(snapshot, T0 + timedelta(hours=4))
    assert snapshot.mastery is Mastery.REGRESSING
    assert snapshot.consecutive_failures == 0
    snapshot = succeed(snapshot, T0 + timedelta(hours=4))
    assert snapshot.mastery is Mastery.MASTERING
    snapshot = succeed(snapshot, T0 + timedelta(hours=4))
    assert (snapshot.mastery, snapshot.state) == (Mastery.MASTERED, PatternStateName.STABLE)


def test_a_success_after_one_slip_keeps_mastered():
    snapshot = succeed(stable_with_one_slip(), T0 + timedelta(hours=3))
    assert snapshot.mastery is Mastery.MASTERED
    assert snapshot.consecutive_successes == 1


def test_only_a_confirmed_pattern_becomes_stable():
    snapshot = fail_times("medium", 2)
    for _ in range(3):
        snapshot = succeed(snapshot, T0 + timedelta(hours=1))
    assert snapshot.mastery is Mastery.MASTERED
    assert snapshot.state is PatternStateName.SUSPECTED


def test_stable_decays_like_confirmed():
    stable = confirmed_pattern()
    for _ in range(3):
        stable = succeed(stable, T0 + timedelta(hours=1))
    assert stable.state is PatternStateName.STABLE
    assert pattern_refresh(snapshot=stable, now=T0 + days(23), config=CONFIG).state is (
        PatternStateName.SUSPECTED
    )
    assert pattern_refresh(snapshot=stable, now=T0 + days(37), config=CONFIG).state is (
        PatternStateName.NONE
    )


def test_decayed_pattern_is_raised_again_with_the_new_tier_as_support():
    suspected_high = fail_times("high", 2)
    assert suspected_high.confidence_support == "high"
    later = T0 + days(60)
    snapshot = fail(suspected_high, "medium", later)
    assert snapshot.state is PatternStateName.NONE
    read_before = pattern_refresh(snapshot=suspected_high, now=later, config=CONFIG)
    assert fail(read_before, "medium", later) == snapshot
    assert snapshot.confidence_support == "none"
    snapshot = fail(snapshot, "medium", later + timedelta(hours=1))
    assert snapshot.state is PatternStateName.SUSPECTED
    assert snapshot.confidence_support == "medium"


def test_occurrences_are_capped_at_history_limit():
    snapshot = fail_times("low", CONFIG.history_limit + 10)
    assert len(snapshot.occurrences) == CONFIG.history_limit
    assert snapshot.occurrences[0] == T0 + timedelta(minutes=10)


def test_json_round_trip():
    plus_two = timezone(timedelta(hours=2))
    snapshot = fail(
        confirmed_pattern(), "medium", datetime(2025, 3, 2, 9, 30, 0, 123456, tzinfo=plus_two)
    )
    snapshot = succeed(snapshot, T0 + days(2))
    restored = PatternSnapshot.from_json(json.loads(json.dumps(snapshot.to_json())))
    assert restored == snapshot
    assert restored.to_json() == snapshot.to_json()
    assert PatternSnapshot.from_json(new_pattern().to_json()) == new_pattern()


def test_from_json_rejects_naive_datetimes():
    data = confirmed_pattern().to_json()
    data["last_seen_at"] = "2025-03-01T12:00:00"
    with pytest.raises(ValueError, match="aware"):
        PatternSnapshot.from_json(data)
