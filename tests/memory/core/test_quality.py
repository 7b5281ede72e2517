"""Memory quality scoring: weights, store threshold, TTL tiers, reasons and config validation."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from memory.core.quality import (
    DEFAULT_MEMORY_CONFIG,
    MemoryConfig,
    QualityScore,
    boosted_quality,
    completeness_component,
    memory_quality_score,
    recurrence_component,
    ttl_days_for,
)

FULL_SUMMARY = "x" * DEFAULT_MEMORY_CONFIG.summary_full_chars


def score(**overrides: Any) -> QualityScore:
    """A candidate with every component at zero unless overridden."""
    candidate: dict[str, Any] = {
        "mim_confidence": 0.0,
        "is_recurring": False,
        "recurrence_count": 1,
        "summary": "",
        "root_cause": None,
        "subtype": None,
        "category": None,
        "was_helpful": False,
    }
    candidate.update(overrides)
    return memory_quality_score(**candidate)


COMPLETE = {
    "summary": FULL_SUMMARY,
    "root_cause": "correctness",
    "subtype": "off_by_one",
    "category": "arrays",
}


def test_defaults_are_the_seed_numbers() -> None:
    config = MemoryConfig()

    assert config.weights() == {
        "confidence": 0.35,
        "recurrence": 0.25,
        "completeness": 0.25,
        "feedback": 0.15,
    }
    assert (config.store_threshold, config.ttl_medium_threshold, config.ttl_long_threshold) == (
        0.6,
        0.7,
        0.8,
    )
    assert (config.ttl_short_days, config.ttl_medium_days, config.ttl_long_days) == (90, 180, 365)
    assert (config.retrieval_k, config.boost_ttl_days, config.boost_quality) == (5, 30, 0.02)


def test_all_components_at_zero_score_zero_and_are_rejected() -> None:
    result = score()

    assert result.score == 0.0
    assert result.components == {
        "confidence": 0.0,
        "recurrence": 0.0,
        "completeness": 0.0,
        "feedback": 0.0,
    }
    assert result.stored is False
    assert result.ttl_days is None


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"mim_confidence": 1.0}, 0.35),
        ({"recurrence_count": 3}, 0.25),
        (COMPLETE, 0.25),
        ({"was_helpful": True}, 0.15),
    ],
    ids=["confidence", "recurrence", "completeness", "feedback"],
)
def test_each_component_alone_scores_its_weight(overrides: dict[str, Any], expected: float) -> None:
    assert score(**overrides).score == expected


def test_everything_perfect_scores_one_and_lives_a_year() -> None:
    result = score(mim_confidence=1.0, recurrence_count=5, was_helpful=True, **COMPLETE)

    assert result.score == 1.0
    assert result.stored is True
    assert result.reason == ""
    assert result.ttl_days == 365


def test_weights_come_from_the_config() -> None:
    config = MemoryConfig(
        weight_confidence=1.0, weight_recurrence=0.0, weight_completeness=0.0, weight_feedback=0.0
    )

    result = memory_quality_score(
        mim_confidence=0.65,
        is_recurring=False,
        recurrence_count=0,
        summary="",
        root_cause=None,
        subtype=None,
        category=None,
        config=config,
    )

    assert result.score == 0.65
    assert result.stored is True
    assert result.ttl_days == 90


def test_store_threshold_comes_from_the_config() -> None:
    candidate = {"mim_confidence": 0.8, **COMPLETE}
    assert score(**candidate).stored is False

    lenient = MemoryConfig(store_threshold=0.5)
    result = memory_quality_score(
        is_recurring=False, recurrence_count=1, was_helpful=False, config=lenient, **candidate
    )

    assert result.score == 0.53
    assert result.stored is True


def test_confidence_is_clamped_and_nan_counts_as_zero() -> None:
    assert score(mim_confidence=1.7).components["confidence"] == 1.0
    assert score(mim_confidence=-0.3).components["confidence"] == 0.0
    assert score(mim_confidence=math.nan).components["confidence"] == 0.0


@pytest.mark.parametrize(
    ("is_recurring", "count", "expected"),
    [
        (False, 0, 0.0),
        (False, 1, 0.0),
        (False, 2, 0.5),
        (False, 3, 1.0),
        (False, 50, 1.0),
        (True, 1, 0.5),
        (True, 2, 0.5),
        (True, 3, 1.0),
    ],
)
def test_recurrence_rises_with_the_count_and_recurring_earns_half(
    is_recurring: bool, count: int, expected: float
) -> None:
    assert recurrence_component(is_recurring=is_recurring, recurrence_count=count) == expected


def test_completeness_counts_summary_length_and_each_label() -> None:
    def complete(**overrides: Any) -> float:
        return completeness_component(**{**COMPLETE, **overrides})

    assert complete() == 1.0
    assert complete(summary="x" * 40) == 0.875
    assert complete(summary="   " + "x" * 40 + "   ") == 0.875
    assert complete(summary="x" * 1000) == 1.0
    assert complete(root_cause=None) == 0.75
    assert complete(subtype="  ") == 0.75
    assert complete(category="") == 0.75
    assert complete(summary="", root_cause=None, subtype=None, category=None) == 0.0


def test_feedback_neutral_sits_between_helpful_and_not() -> None:
    base = {"mim_confidence": 0.8, "recurrence_count": 2, **COMPLETE}

    helpful = score(was_helpful=True, **base)
    neutral = score(was_helpful=None, **base)
    unhelpful = score(was_helpful=False, **base)

    assert (helpful.components["feedback"], neutral.components["feedback"]) == (1.0, 0.5)
    assert unhelpful.components["feedback"] == 0.0
    assert helpful.score - neutral.score == pytest.approx(0.075)
    assert neutral.score - unhelpful.score == pytest.approx(0.075)


def test_feedback_defaults_to_neutral_for_a_new_memory() -> None:
    result = memory_quality_score(
        mim_confidence=1.0, is_recurring=True, recurrence_count=3, **COMPLETE
    )

    assert result.components["feedback"] == 0.5
    assert result.score == 0.925


# Boundaries: confidence 1 (0.35) + neutral feedback (0.075) + recurrence + completeness, where a
# summary of n characters out of 80 tunes completeness finely.
@pytest.mark.parametrize(
    ("count", "present", "chars", "expected_score", "stored", "ttl"),
    [
        (1, 2, 64, 0.6, True, 90),
        (1, 2, 63, 0.599219, False, None),
        (2, 2, 32, 0.7, True, 180),
        (2, 2, 31, 0.699219, True, 90),
        (2, 3, 80, 0.8, True, 365),
        (2, 3, 79, 0.799219, True, 180),
    ],
)
def test_boundaries_are_exact(
    count: int, present: int, chars: int, expected_score: float, stored: bool, ttl: int | None
) -> None:
    labels = ["correctness", "off_by_one", "arrays"][:present] + [None] * (3 - present)

    result = score(
        mim_confidence=1.0,
        recurrence_count=count,
        was_helpful=None,
        summary="x" * chars,
        root_cause=labels[0],
        subtype=labels[1],
        category=labels[2],
    )

    assert result.score == expected_score
    assert result.stored is stored
    assert result.ttl_days == ttl


@pytest.mark.parametrize(
    ("value", "days"),
    [(1.0, 365), (0.8, 365), (0.799999, 180), (0.7, 180), (0.699999, 90), (0.6, 90), (0.0, 90)],
)
def test_ttl_tiers(value: float, days: int) -> None:
    assert ttl_days_for(value) == days


def test_ttl_tiers_come_from_the_config() -> None:
    config = MemoryConfig(ttl_long_threshold=0.9, ttl_long_days=730)

    assert ttl_days_for(0.85, config=config) == 180
    assert ttl_days_for(0.9, config=config) == 730


def test_reject_reason_names_the_weakest_component() -> None:
    result = score(mim_confidence=0.2, recurrence_count=2, was_helpful=None, **COMPLETE)

    assert result.stored is False
    assert result.score == 0.52
    assert result.reason.startswith("quality 0.520 below store threshold 0.600; weakest: ")
    assert "confidence 0.200 (lost 0.280)" in result.reason
    for other in ("recurrence", "completeness", "feedback"):
        assert other not in result.reason


def test_reject_reason_names_every_component_tied_for_weakest() -> None:
    result = score(mim_confidence=1.0, was_helpful=True)

    assert result.stored is False
    assert result.reason.endswith(
        "weakest: recurrence 0.000 (lost 0.250), completeness 0.000 (lost 0.250)"
    )


def test_result_is_frozen_and_rounded() -> None:
    result = score(mim_confidence=1 / 3, **COMPLETE)

    assert result.score == round(0.35 / 3 + 0.25, 6)
    assert result.components["confidence"] == 0.333333
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 1.0  # type: ignore[misc]


def test_boost_adds_quality_up_to_one() -> None:
    assert boosted_quality(0.7) == 0.72
    assert boosted_quality(0.99) == 1.0
    assert boosted_quality(1.0) == 1.0


def test_weights_summing_to_one_within_tolerance_are_accepted() -> None:
    MemoryConfig(weight_confidence=0.35 + 5e-10, weight_feedback=0.15 - 2e-10)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"weight_confidence": 0.4}, "weights must sum to 1"),
        ({"weight_confidence": 0.35 + 1e-8}, "weights must sum to 1"),
        ({"weight_confidence": 0.6, "weight_feedback": -0.1}, "weights must be finite and >= 0"),
        ({"store_threshold": 0.75}, "thresholds must be ordered"),
        ({"ttl_medium_threshold": 0.85}, "thresholds must be ordered"),
        ({"ttl_long_threshold": 1.2}, "thresholds must be ordered"),
        ({"store_threshold": -0.1}, "thresholds must be ordered"),
        ({"ttl_short_days": 200}, "TTLs must be ordered"),
        ({"ttl_short_days": 0}, "TTLs must be ordered"),
        ({"feedback_neutral": 1.5}, "feedback_neutral must be within"),
        ({"recurring_min_recurrence": -0.5}, "recurring_min_recurrence must be within"),
        ({"recurrence_full_count": 1}, "recurrence_full_count must be >= 2"),
        ({"summary_full_chars": 0}, "summary_full_chars must be >= 1"),
        ({"retrieval_k": 0}, "retrieval_k must be >= 1"),
        ({"boost_ttl_days": -1}, "boost_ttl_days must be >= 0"),
    ],
)
def test_invalid_config_fails_fast_with_a_message(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=f"invalid memory config: .*{message}"):
        MemoryConfig(**overrides)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValueError, match=r"weights must sum to 1.*thresholds must be ordered"):
        MemoryConfig(weight_recurrence=0.5, store_threshold=0.9)
