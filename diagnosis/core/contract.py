"""The frontend contract (DESIGN.md §3 step 10, 001 §6.2), assembled from the decision parts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from diagnosis.core.difficulty import DifficultyDecision
from diagnosis.core.engine import Decision, Tier
from diagnosis.core.explainer import Explanation
from diagnosis.core.patterns import PatternSnapshot
from diagnosis.core.taxonomy import MIM_VERSION

# The blocks that are MIM's decision (authoritative, byte-identical for the same input).
MIM_FACT_KEYS = ("diagnosis", "confidence", "pattern", "difficulty")


@dataclass(frozen=True, slots=True)
class RagMemory:
    id: str
    summary: str


@dataclass(frozen=True, slots=True)
class RagBlock:
    used: bool = False
    relevance: float = 0.0
    memories: Sequence[RagMemory] = field(default_factory=tuple)


def pattern_block(pattern: PatternSnapshot) -> dict[str, Any]:
    return {
        "state": pattern.state.value,
        "evidenceCount": pattern.evidence_count,
        "confidenceSupport": pattern.confidence_support,
        "severity": pattern.severity.value,
        "mastery": pattern.mastery.value,
    }


def difficulty_block(difficulty: DifficultyDecision) -> dict[str, Any]:
    return {
        "action": difficulty.action.value,
        "reason": difficulty.reason.value,
        "confidenceTier": difficulty.confidence_tier,
        "cooldownActive": difficulty.cooldown_active,
        "level": difficulty.to_level,
    }


def build_contract(
    *,
    submission_id: str,
    decision: Decision,
    tier: Tier,
    conservative_mode: bool,
    pattern: PatternSnapshot,
    difficulty: DifficultyDecision,
    explanation: Explanation,
    rag: RagBlock,
) -> dict[str, Any]:
    """The response for a failed submission, camelCase, JSON-ready."""
    return {
        "submissionId": submission_id,
        "diagnosis": {
            "rootCause": decision.root_cause,
            "subtype": decision.subtype,
            "taxonomyVersion": decision.taxonomy_version,
            "engine": decision.engine,
            "modelVersion": decision.model_version,
            "mimVersion": MIM_VERSION,
            "topSignals": [
                {"feature": s.feature, "contribution": s.contribution} for s in decision.top_signals
            ],
        },
        "confidence": {
            "combinedConfidence": decision.combined_confidence,
            "confidenceLevel": tier.value,
            "conservativeMode": conservative_mode,
            "calibrationApplied": decision.calibration_applied,
        },
        "pattern": pattern_block(pattern),
        "difficulty": difficulty_block(difficulty),
        "feedback": {"explanation": explanation.explanation, "source": explanation.source},
        "hint": {"text": explanation.hint},
        "rag": {
            "used": rag.used,
            "relevance": rag.relevance,
            "memories": [{"id": m.id, "summary": m.summary} for m in rag.memories],
        },
    }


def build_accepted_contract(
    *, submission_id: str, difficulty: DifficultyDecision
) -> dict[str, Any]:
    """Accepted submissions get no diagnosis; they still move history and difficulty."""
    return {
        "submissionId": submission_id,
        "diagnosis": None,
        "difficulty": difficulty_block(difficulty),
    }


def mim_facts_json(contract: dict[str, Any]) -> bytes:
    """The decision blocks as canonical JSON bytes (sorted keys, no whitespace)."""
    facts = {key: contract[key] for key in MIM_FACT_KEYS if key in contract}
    return json.dumps(facts, sort_keys=True, separators=(",", ":")).encode()
