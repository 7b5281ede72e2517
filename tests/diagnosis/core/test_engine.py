"""Confidence tiers and the documented rules of the fallback engine."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from diagnosis.core.code_signals import extract_code_signals
from diagnosis.core.engine import (
    ConfidenceConfig,
    RulesEngine,
    RulesEngineConfig,
    Tier,
    confidence_tier,
)
from diagnosis.core.features import (
    AttemptContext,
    LearnerHistory,
    PreviousAttempt,
    build_features,
    load_feature_schema,
)
from governance.core.defaults import DEFAULT_CONFIG

TIERS = ConfidenceConfig(**DEFAULT_CONFIG["confidence"])
ENGINE = RulesEngine(RulesEngineConfig(**DEFAULT_CONFIG["rules_engine"]))
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("confidence", "tier"),
    [
        (0.95, Tier.HIGH),
        (0.80, Tier.HIGH),
        (0.7999, Tier.MEDIUM),
        (0.65, Tier.MEDIUM),
        (0.6499, Tier.LOW),
        (0.0, Tier.LOW),
    ],
)
def test_tier_thresholds(confidence: float, tier: Tier) -> None:
    assert confidence_tier(confidence, TIERS) is tier


def _decide(
    code: str, verdict: str, language: str = "python", previous: PreviousAttempt | None = None
):
    ctx = AttemptContext(code=code, language=language, verdict=verdict, submitted_at=NOW)
    signals = extract_code_signals(code=code, language=language, verdict=verdict)
    features = build_features(
        current=ctx,
        previous=previous,
        history=LearnerHistory(),
        signals=signals,
        schema=load_feature_schema(),
    )
    return ENGINE.decide(features)


OFF_BY_ONE = (
    "def f(a):\n    s = 0\n    for i in range(len(a) - 1):\n        s += a[i]\n    return s\n"
)
NESTED = (
    "def f(a):\n    c = 0\n    for x in a:\n        for y in a:\n"
    "            c += x * y\n    return c\n"
)
FIB = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n"


@pytest.mark.parametrize(
    ("code", "verdict", "expected"),
    [
        (OFF_BY_ONE, "wrong_answer", ("correctness", "off_by_one")),
        (OFF_BY_ONE, "runtime_error", ("correctness", "off_by_one")),
        ("x = y.z\n", "runtime_error", ("implementation", "null_reference")),
        ("def f(:\n", "compilation_error", ("implementation", "type_mismatch")),
        (FIB, "time_limit_exceeded", ("efficiency", "missing_memoization")),
        (NESTED, "time_limit_exceeded", ("efficiency", "wrong_complexity")),
        ("x = 1\n", "memory_limit_exceeded", ("efficiency", "suboptimal_data_structure")),
        ("x = 1\n", "wrong_answer", ("correctness", "partial_case_handling")),
    ],
)
def test_rule_table(code: str, verdict: str, expected: tuple[str, str]) -> None:
    decision = _decide(code, verdict)

    assert (decision.root_cause, decision.subtype) == expected
    assert decision.engine == "rules"
    assert decision.model_version is None
    assert decision.calibration_applied is False


def test_rewritten_third_attempt_reads_as_an_understanding_gap() -> None:
    previous = PreviousAttempt(code="a = 1\nb = 2\nc = 3\n", submitted_at=NOW, attempt_number=2)

    decision = _decide("print(sum(map(int, input().split())))\n", "wrong_answer", previous=previous)

    assert (decision.root_cause, decision.subtype) == ("understanding_gap", "misread_constraints")


def test_rules_confidence_is_capped_and_always_low() -> None:
    for code, verdict in [
        (OFF_BY_ONE, "wrong_answer"),
        (FIB, "time_limit_exceeded"),
        ("", "wrong_answer"),
    ]:
        decision = _decide(code, verdict)
        assert decision.combined_confidence <= DEFAULT_CONFIG["rules_engine"]["confidence_cap"]
        assert confidence_tier(decision.combined_confidence, TIERS) is Tier.LOW


def test_supported_rules_are_more_confident_and_name_their_signal() -> None:
    supported = _decide(OFF_BY_ONE, "wrong_answer")
    default = _decide("x = 1\n", "wrong_answer")

    assert supported.combined_confidence > default.combined_confidence
    assert supported.top_signals[0].feature == "pattern_off_by_one_count"
    assert supported.top_signals[-1].feature == "ctx_verdict_wrong_answer"


def test_cpp_off_by_one_through_the_regex_fallback() -> None:
    code = "int s(vector<int>& a){int t=0;\nfor(int i=0;i<=a.size();i++){\nt+=a[i];}\nreturn t;}\n"

    decision = _decide(code, "runtime_error", language="cpp")

    assert (decision.root_cause, decision.subtype) == ("correctness", "off_by_one")
