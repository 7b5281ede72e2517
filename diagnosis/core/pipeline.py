"""The pure diagnosis path: code signals → features → decision → tier, and explainer input."""

from __future__ import annotations

from dataclasses import dataclass

from diagnosis.core.code_signals import CodeSignals, extract_code_signals
from diagnosis.core.difficulty import DifficultyDecision
from diagnosis.core.engine import ConfidenceConfig, Decision, DecisionEngine, Tier, confidence_tier
from diagnosis.core.explainer import Evidence, ExplainerInstructions, PastMistake
from diagnosis.core.features import (
    AttemptContext,
    FeatureSchema,
    FeatureVector,
    LearnerHistory,
    PreviousAttempt,
    build_features,
)
from diagnosis.core.patterns import PatternSnapshot


@dataclass(frozen=True, slots=True)
class DiagnosisParts:
    signals: CodeSignals
    features: FeatureVector
    decision: Decision
    tier: Tier
    conservative_mode: bool

    @property
    def effective_tier(self) -> Tier:
        """The tier pattern and difficulty decisions may act on: LOW whenever conservative."""
        return Tier.LOW if self.conservative_mode else self.tier


def diagnose_attempt(
    *,
    current: AttemptContext,
    previous: PreviousAttempt | None,
    history: LearnerHistory,
    engine: DecisionEngine,
    schema: FeatureSchema,
    confidence: ConfidenceConfig,
) -> DiagnosisParts:
    """Decide one failed attempt. Conservative mode is on for a LOW tier and for a cold start
    (a learner with too little history to act on, 000 §0.3 "sparse history → conservative")."""
    signals = extract_code_signals(
        code=current.code,
        language=current.language,
        verdict=current.verdict,
        problem_tags=current.problem_tags,
    )
    features = build_features(
        current=current, previous=previous, history=history, signals=signals, schema=schema
    )
    decision = engine.decide(features)
    tier = confidence_tier(decision.combined_confidence, confidence)
    conservative = tier is Tier.LOW or features.get("hist_is_cold_start") == 1.0
    return DiagnosisParts(
        signals=signals,
        features=features,
        decision=decision,
        tier=tier,
        conservative_mode=conservative,
    )


def explainer_instructions(
    *,
    parts: DiagnosisParts,
    pattern: PatternSnapshot,
    difficulty: DifficultyDecision,
    current: AttemptContext,
    past_mistakes: tuple[PastMistake, ...] = (),
) -> ExplainerInstructions:
    """The decision handed to the explainer as instructions it may not override (001 §6.3),
    with the learner's retrieved past mistakes it may cite."""
    return ExplainerInstructions(
        root_cause=parts.decision.root_cause,
        subtype=parts.decision.subtype,
        confidence=parts.decision.combined_confidence,
        confidence_level=parts.effective_tier.value,
        conservative_mode=parts.conservative_mode,
        pattern_state=pattern.state.value,
        difficulty_action=difficulty.action.value,
        verdict=current.verdict,
        language=current.language,
        evidence=tuple(
            Evidence(kind=f.kind, line=f.line, detail=f.detail) for f in parts.signals.findings
        ),
        loop_depth=parts.signals.max_loop_depth,
        estimated_complexity=parts.signals.estimated_complexity,
        past_mistakes=past_mistakes,
    )
