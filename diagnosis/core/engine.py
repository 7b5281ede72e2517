"""The engine seam: `decide(features) -> Decision`, confidence tiers, and the rule-based fallback.

The rules engine serves when no model version is active (a new install, seed 004's "falls back to
rule-based predictions if model files are missing"). It reads only the feature vector, so the
trained engine that replaces it sees exactly the same input. Its confidence is capped (0.60 by
default) below the MEDIUM threshold, so a rules decision is always LOW and conservative.

Rules, first match wins (verdict first, then the code signals that support a subtype):

| verdict | condition | root cause / subtype |
|---|---|---|
| compilation_error | any | implementation / type_mismatch |
| runtime_error | off-by-one pattern found | correctness / off_by_one |
| runtime_error | otherwise | implementation / null_reference |
| time/memory limit | recursion without memoization | efficiency / missing_memoization |
| time/memory limit | nested loops (depth >= 2) | efficiency / wrong_complexity |
| time/memory limit | inefficiency patterns | efficiency / redundant_operations |
| memory_limit_exceeded | otherwise | efficiency / suboptimal_data_structure |
| time_limit_exceeded | otherwise | efficiency / wrong_complexity |
| wrong_answer | off-by-one pattern found | correctness / off_by_one |
| wrong_answer | boundary-risk pattern found | correctness / boundary_condition |
| wrong_answer | overflow-risk pattern found | correctness / wrong_invariant |
| wrong_answer | 3rd+ attempt, most code rewritten | understanding_gap / misread_constraints |
| wrong_answer | otherwise | correctness / partial_case_handling |

Confidence: 0.40 for a default row, +0.10 when a code signal supports the row, +0.05 more when
it is found more than once; then capped at `rules_engine.confidence_cap`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from diagnosis.core.features import FeatureVector
from diagnosis.core.taxonomy import TAXONOMY_VERSION, validate_pair


class Tier(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True)
class ConfidenceConfig:
    high_threshold: float
    medium_threshold: float


@dataclass(frozen=True, slots=True)
class RulesEngineConfig:
    confidence_cap: float


def confidence_tier(confidence: float, config: ConfidenceConfig) -> Tier:
    """HIGH >= high_threshold, MEDIUM >= medium_threshold, LOW below (001 §3.3)."""
    if confidence >= config.high_threshold:
        return Tier.HIGH
    if confidence >= config.medium_threshold:
        return Tier.MEDIUM
    return Tier.LOW


@dataclass(frozen=True, slots=True)
class Signal:
    feature: str
    contribution: float


@dataclass(frozen=True, slots=True)
class Decision:
    """What an engine decided; tiers and conservative mode are derived by the caller's config."""

    root_cause: str
    subtype: str
    raw_confidence: float
    combined_confidence: float
    calibration_applied: bool
    engine: str
    model_version: str | None
    top_signals: tuple[Signal, ...]
    raw_probabilities: tuple[tuple[str, float], ...]
    taxonomy_version: str = TAXONOMY_VERSION


class DecisionEngine(Protocol):
    """Anything that maps a feature vector to a Decision, deterministically."""

    name: str

    def decide(self, features: FeatureVector) -> Decision: ...


_BASE_CONFIDENCE = 0.40
_SUPPORT_BONUS = 0.10
_REPEAT_BONUS = 0.05
_REWRITE_RATIO = 0.6
_REWRITE_MIN_ATTEMPT = 3


@dataclass(frozen=True, slots=True)
class _Match:
    root_cause: str
    subtype: str
    support: str | None = None


class RulesEngine:
    """The documented rule table above; `engine == "rules"`, always LOW."""

    name = "rules"

    def __init__(self, config: RulesEngineConfig) -> None:
        self.config = config

    def decide(self, features: FeatureVector) -> Decision:
        match = self._match(features)
        validate_pair(match.root_cause, match.subtype)
        raw = _BASE_CONFIDENCE
        signals: tuple[Signal, ...] = ()
        if match.support is not None:
            support_value = features.get(match.support)
            raw += _SUPPORT_BONUS + (_REPEAT_BONUS if support_value > 1 else 0.0)
            signals = (Signal(feature=match.support, contribution=round(support_value, 6)),)
        verdict_feature = next(
            (n for n in features.names if n.startswith("ctx_verdict_") and features.get(n) == 1.0),
            None,
        )
        if verdict_feature is not None:
            signals = (*signals, Signal(feature=verdict_feature, contribution=1.0))
        combined = round(min(raw, self.config.confidence_cap), 6)
        return Decision(
            root_cause=match.root_cause,
            subtype=match.subtype,
            raw_confidence=round(raw, 6),
            combined_confidence=combined,
            calibration_applied=False,
            engine=self.name,
            model_version=None,
            top_signals=signals,
            raw_probabilities=((match.root_cause, combined),),
        )

    @staticmethod
    def _match(f: FeatureVector) -> _Match:
        off_by_one = f.get("pattern_off_by_one_count") > 0
        if f.get("ctx_verdict_compilation_error"):
            return _Match("implementation", "type_mismatch")
        if f.get("ctx_verdict_runtime_error"):
            if off_by_one:
                return _Match("correctness", "off_by_one", "pattern_off_by_one_count")
            return _Match("implementation", "null_reference")
        tle = f.get("ctx_verdict_time_limit_exceeded")
        mle = f.get("ctx_verdict_memory_limit_exceeded")
        if tle or mle:
            if f.get("ast_has_recursion") and not f.get("ast_has_memoization"):
                return _Match("efficiency", "missing_memoization", "ast_has_recursion")
            if f.get("ast_max_loop_depth") >= 2:
                return _Match("efficiency", "wrong_complexity", "ast_max_loop_depth")
            if f.get("pattern_inefficiency_count") > 0:
                return _Match("efficiency", "redundant_operations", "pattern_inefficiency_count")
            if mle:
                return _Match("efficiency", "suboptimal_data_structure")
            return _Match("efficiency", "wrong_complexity")
        if off_by_one:
            return _Match("correctness", "off_by_one", "pattern_off_by_one_count")
        if f.get("pattern_boundary_risk_count") > 0:
            return _Match("correctness", "boundary_condition", "pattern_boundary_risk_count")
        if f.get("pattern_overflow_risk_count") > 0:
            return _Match("correctness", "wrong_invariant", "pattern_overflow_risk_count")
        if (
            f.get("delta_attempt_number") >= _REWRITE_MIN_ATTEMPT
            and f.get("delta_code_change_ratio") >= _REWRITE_RATIO
        ):
            return _Match("understanding_gap", "misread_constraints", "delta_code_change_ratio")
        return _Match("correctness", "partial_case_handling")
