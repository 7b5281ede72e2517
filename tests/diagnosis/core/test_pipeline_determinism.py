"""Same input → byte-identical MIM facts, through the whole pure decision path."""

from __future__ import annotations

from datetime import UTC, datetime

from diagnosis.core.contract import RagBlock, build_contract, mim_facts_json
from diagnosis.core.difficulty import DifficultyConfig, difficulty_decide, new_difficulty
from diagnosis.core.engine import ConfidenceConfig, RulesEngine, RulesEngineConfig
from diagnosis.core.explainer import TemplateExplainer
from diagnosis.core.features import AttemptContext, LearnerHistory, load_feature_schema
from diagnosis.core.patterns import PatternConfig, new_pattern, pattern_record_failure
from diagnosis.core.pipeline import diagnose_attempt, explainer_instructions
from governance.core.defaults import DEFAULT_CONFIG

CODE = "def f(a):\n    s = 0\n    for i in range(len(a) - 1):\n        s += a[i]\n    return s\n"


def _run_once() -> tuple[bytes, dict]:
    current = AttemptContext(
        code=CODE,
        language="python",
        verdict="wrong_answer",
        submitted_at=datetime(2026, 3, 1, tzinfo=UTC),
        problem_tags=("arrays",),
    )
    parts = diagnose_attempt(
        current=current,
        previous=None,
        history=LearnerHistory(total_submissions=5, accepted_submissions=2),
        engine=RulesEngine(RulesEngineConfig(**DEFAULT_CONFIG["rules_engine"])),
        schema=load_feature_schema(),
        confidence=ConfidenceConfig(**DEFAULT_CONFIG["confidence"]),
    )
    pattern = pattern_record_failure(
        snapshot=new_pattern(),
        at=current.submitted_at,
        confidence_tier=parts.effective_tier.value,
        config=PatternConfig(**DEFAULT_CONFIG["pattern"]),
    )
    config = DifficultyConfig(**DEFAULT_CONFIG["difficulty"])
    _, difficulty = difficulty_decide(
        snapshot=new_difficulty(config),
        accepted=False,
        confidence_tier=parts.effective_tier.value,
        pattern_state=pattern.state.value,
        config=config,
    )
    explanation = TemplateExplainer().explain(
        explainer_instructions(parts=parts, pattern=pattern, difficulty=difficulty, current=current)
    )
    contract = build_contract(
        submission_id="s",
        decision=parts.decision,
        tier=parts.tier,
        conservative_mode=parts.conservative_mode,
        pattern=pattern,
        difficulty=difficulty,
        explanation=explanation,
        rag=RagBlock(),
    )
    return mim_facts_json(contract), contract


def test_same_input_gives_byte_identical_facts_and_explanation() -> None:
    first_bytes, first = _run_once()
    second_bytes, second = _run_once()

    assert first_bytes == second_bytes
    assert first["feedback"] == second["feedback"]
    assert first["hint"] == second["hint"]
    assert b'"subtype":"off_by_one"' in first_bytes
