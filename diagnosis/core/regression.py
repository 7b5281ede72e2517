"""The seven failure-mode regression checks of 000 §0.3, runnable offline and by pytest."""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from diagnosis.core.code_signals import extract_code_signals
from diagnosis.core.engine import (
    ConfidenceConfig,
    Decision,
    RulesEngine,
    RulesEngineConfig,
)
from diagnosis.core.features import (
    MAX_ATTEMPTS,
    MAX_LINES,
    MAX_SECONDS,
    AttemptContext,
    FeatureVector,
    LearnerHistory,
    PreviousAttempt,
    delta_features,
    dominant_root_causes,
    load_feature_schema,
)
from diagnosis.core.pipeline import diagnose_attempt
from diagnosis.core.taxonomy import SubtypeValidationError, validate_pair

_NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
_EDGE_CODES: tuple[str, ...] = (
    "",
    "   \n\t\n",
    "def f(:\n    return",
    "\x00\x01\x02 binary \xff",
    "x" * 100_000,
    "if a:\n" + "".join("    " * i + "if a:\n" for i in range(1, 300)) + "    " * 300 + "pass\n",
    "(" * 5000 + ")" * 5000,
)


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    purpose: str
    passed: bool
    detail: str


class _ConfidentProbe:
    """An engine that is always sure: proves cold start forces conservative mode on any engine."""

    name = "probe"

    def decide(self, features: FeatureVector) -> Decision:
        return Decision(
            root_cause="correctness",
            subtype="off_by_one",
            raw_confidence=0.95,
            combined_confidence=0.95,
            calibration_applied=True,
            engine="model",
            model_version="probe",
            top_signals=(),
            raw_probabilities=(("correctness", 0.95),),
        )


def _context(code: str, language: str = "python") -> AttemptContext:
    return AttemptContext(code=code, language=language, verdict="wrong_answer", submitted_at=_NOW)


class RegressionCheckFailed(AssertionError):
    """A regression check found the behaviour it guards broken."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise RegressionCheckFailed(message)


def _all_finite(values: tuple[float, ...]) -> bool:
    return all(math.isfinite(v) for v in values)


def check_cold_start_no_crash(*, confidence: ConfidenceConfig, cap: float) -> str:
    parts = diagnose_attempt(
        current=_context("for i in range(1, n):\n    pass\n"),
        previous=None,
        history=LearnerHistory(),
        engine=RulesEngine(RulesEngineConfig(confidence_cap=cap)),
        schema=load_feature_schema(),
        confidence=confidence,
    )
    _require(parts.features.get("hist_is_cold_start") == 1.0, "cold start flag not set")
    return f"is_cold_start=1.0, decided {parts.decision.root_cause}/{parts.decision.subtype}"


def check_sparse_history_conservative(*, confidence: ConfidenceConfig, cap: float) -> str:
    for total in (1, 2):
        parts = diagnose_attempt(
            current=_context("x = 1\n"),
            previous=None,
            history=LearnerHistory(total_submissions=total, accepted_submissions=total),
            engine=_ConfidentProbe(),
            schema=load_feature_schema(),
            confidence=confidence,
        )
        _require(parts.conservative_mode, f"{total} submissions: conservative mode off")
    return "conservative with 1 and 2 prior submissions even at confidence 0.95"


def check_feature_extraction_no_nan(*, confidence: ConfidenceConfig, cap: float) -> str:
    engine = RulesEngine(RulesEngineConfig(confidence_cap=cap))
    for language in ("python", "cpp", "java", "javascript"):
        for code in _EDGE_CODES:
            parts = diagnose_attempt(
                current=_context(code, language),
                previous=PreviousAttempt(code=code[::-1], submitted_at=_NOW, attempt_number=1),
                history=LearnerHistory(),
                engine=engine,
                schema=load_feature_schema(),
                confidence=confidence,
            )
            _require(_all_finite(parts.features.values), f"non-finite feature ({language})")
    return f"{len(_EDGE_CODES)} edge inputs x 4 languages, all features finite"


def check_taxonomy_validation_strict(*, confidence: ConfidenceConfig, cap: float) -> str:
    for root, subtype in (("correctness", "missing_memoization"), ("efficiency", "nope")):
        try:
            validate_pair(root, subtype)
        except SubtypeValidationError:
            continue
        raise AssertionError(f"({root}, {subtype}) was accepted")
    return "invalid pairs raise SubtypeValidationError"


def check_empty_code_handling(*, confidence: ConfidenceConfig, cap: float) -> str:
    for code in ("", "   \n\t  \n"):
        signals = extract_code_signals(code=code, language="python", verdict="wrong_answer")
        _require(signals.line_count == 0 and signals.loop_count == 0, "empty code gave structure")
        _require(_all_finite(tuple(signals.as_features().values())), "empty code gave NaN")
    return "empty and whitespace code give default signals"


def check_user_state_snapshot_empty(*, confidence: ConfidenceConfig, cap: float) -> str:
    history = LearnerHistory()
    dominant = dominant_root_causes(history)
    _require(dominant == [], f"dominant root causes {dominant!r} for a new learner")
    _require(dict(history.category_stats) == {}, "category stats not empty")
    return "new learner: empty lists and maps, not None"


def check_delta_features_boundary(*, confidence: ConfidenceConfig, cap: float) -> str:
    huge = "x\n" * 200_000
    features = delta_features(
        current=AttemptContext(
            code=huge, language="python", verdict="wrong_answer", submitted_at=_NOW
        ),
        previous=PreviousAttempt(
            code="", submitted_at=_NOW - timedelta(days=100_000), attempt_number=10**9
        ),
    )
    _require(features["delta_attempt_number"] <= MAX_ATTEMPTS, "attempt number unbounded")
    _require(
        features["delta_log_seconds_since_last"] <= math.log1p(MAX_SECONDS), "time gap unbounded"
    )
    _require(0.0 <= features["delta_code_change_ratio"] <= 1.0, "change ratio outside [0, 1]")
    _require(features["delta_lines_added"] <= MAX_LINES, "lines added unbounded")
    future = delta_features(
        current=_context("a\n"),
        previous=PreviousAttempt(
            code="a\n", submitted_at=_NOW + timedelta(days=1), attempt_number=1
        ),
    )
    _require(future["delta_log_seconds_since_last"] == 0.0, "negative time gap not clamped")
    return "attempt, time gap, change ratio and line counts stay bounded"


CHECKS: tuple[tuple[str, str, Callable[..., str]], ...] = (
    ("test_cold_start_no_crash", "New user with no history", check_cold_start_no_crash),
    ("test_sparse_history_conservative", "1-2 submissions", check_sparse_history_conservative),
    ("test_feature_extraction_no_nan", "Edge case inputs", check_feature_extraction_no_nan),
    ("test_taxonomy_validation_strict", "Invalid pair", check_taxonomy_validation_strict),
    ("test_empty_code_handling", "Empty/whitespace code", check_empty_code_handling),
    ("test_user_state_snapshot_empty", "New user profile", check_user_state_snapshot_empty),
    ("test_delta_features_boundary", "Extreme input values", check_delta_features_boundary),
)


def run_regression(
    *,
    confidence: ConfidenceConfig,
    cap: float,
    checks: tuple[tuple[str, str, Callable[..., str]], ...] = CHECKS,
) -> dict[str, object]:
    """Run the checks; a check fails on an assertion or any exception (recorded, not raised)."""
    results = []
    for name, purpose, check in checks:
        try:
            detail = check(confidence=confidence, cap=cap)
            results.append(CheckResult(name, purpose, True, detail))
        except Exception as exc:
            detail = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"
            results.append(CheckResult(name, purpose, False, detail))
    passed = sum(r.passed for r in results)
    return {
        "passed": passed,
        "failed": len(results) - passed,
        "gate": "PASSED" if passed == len(results) else "FAILED",
        "checks": [asdict(r) for r in results],
    }
