"""Writes of the diagnosis app: store a submission, diagnose it, move the learner's state."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from diagnosis.core.contract import RagBlock, build_accepted_contract, build_contract
from diagnosis.core.difficulty import (
    DifficultyAction,
    DifficultyConfig,
    DifficultyDecision,
    DifficultySnapshot,
    difficulty_decide,
    new_difficulty,
)
from diagnosis.core.engine import ConfidenceConfig, DecisionEngine, RulesEngine, RulesEngineConfig
from diagnosis.core.explainer import Explainer, TemplateExplainer
from diagnosis.core.features import (
    AttemptContext,
    LearnerHistory,
    PreviousAttempt,
    load_feature_schema,
)
from diagnosis.core.patterns import (
    PatternConfig,
    PatternSnapshot,
    PatternStateName,
    new_pattern,
    pattern_record_failure,
    pattern_record_success,
    pattern_refresh,
)
from diagnosis.core.pipeline import diagnose_attempt, explainer_instructions
from diagnosis.core.taxonomy import validate_pair
from diagnosis.models import (
    Diagnosis,
    DifficultyAdjustment,
    DifficultyState,
    LearnerProfile,
    PatternState,
    Problem,
    Submission,
    Verdict,
)
from governance.core.config import RuntimeConfig
from governance.selectors import runtime_config_get

# Pattern states that hold difficulty for remediation (001 §3.5), worst first.
_UNRESOLVED_ORDER = (PatternStateName.CONFIRMED, PatternStateName.SUSPECTED)
_MAX_PATTERN_CATEGORIES = 10


@dataclass(frozen=True, slots=True)
class SubmissionInput:
    """A validated submission from the platform (the API's InputSerializer builds it)."""

    external_id: str
    user_id: str
    problem_id: str
    language: str
    code: str
    verdict: str
    submitted_at: datetime
    problem_tags: tuple[str, ...] = ()
    problem_title: str = ""
    problem_category: str = ""
    problem_difficulty: int | None = None
    runtime_ms: int | None = None
    memory_kb: int | None = None


@dataclass(frozen=True, slots=True)
class SubmissionResult:
    submission: Submission
    created: bool
    contract: dict[str, Any] = field(default_factory=dict)


def engine_get(*, config: RuntimeConfig) -> DecisionEngine:
    """The engine that decides now. Until the model registry lands, the rules fallback."""
    return RulesEngine(RulesEngineConfig(**config.section("rules_engine")))


def explainer_get() -> Explainer:
    return TemplateExplainer()


def submission_process(
    *, data: SubmissionInput, config: RuntimeConfig | None = None
) -> SubmissionResult:
    """Store and (for a failed verdict) diagnose a submission; idempotent on `external_id`.

    A repeat returns the first result and writes nothing. Everything of one submission is written
    in one transaction, so a failure leaves no half-written rows. `config` defaults to the config
    version in force (`governance.selectors.runtime_config_get`).
    """
    existing = Submission.objects.filter(external_id=data.external_id).first()
    if existing is not None:
        return SubmissionResult(submission=existing, created=False, contract=existing.result)
    try:
        return _submission_process_new(data=data, config=config or runtime_config_get())
    except IntegrityError:
        # A concurrent request with the same external_id won the race; return its result.
        existing = Submission.objects.filter(external_id=data.external_id).first()
        if existing is None:
            raise
        return SubmissionResult(submission=existing, created=False, contract=existing.result)


@transaction.atomic
def _submission_process_new(*, data: SubmissionInput, config: RuntimeConfig) -> SubmissionResult:
    """Decide first, then write each row once (the submission with its result, the diagnosis,
    the adjustment, the aggregates) so the request costs as few round trips as possible."""
    started = time.perf_counter()
    problem = _problem_upsert(data=data)
    previous = (
        Submission.objects.filter(user_id=data.user_id, problem=problem)
        .order_by("-submitted_at", "-id")
        .only("code", "submitted_at", "attempt_number")
        .first()
    )
    profile, _ = LearnerProfile.objects.select_for_update().get_or_create(user_id=data.user_id)
    history = LearnerHistory(
        total_submissions=profile.total_submissions,
        accepted_submissions=profile.accepted_submissions,
        current_streak=profile.current_streak,
        category_stats=profile.category_stats,
        root_cause_counts=profile.root_cause_counts,
    )
    diagnosis_fields: dict[str, Any] | None = None
    if data.verdict == Verdict.ACCEPTED:
        contract, difficulty = _process_accepted(
            data=data, category=problem.category, config=config
        )
    else:
        contract, difficulty, diagnosis_fields = _process_failed(
            data=data, problem=problem, previous=previous, history=history, config=config
        )
    submission = Submission.objects.create(
        external_id=data.external_id,
        user_id=data.user_id,
        problem=problem,
        language=data.language,
        code=data.code,
        verdict=data.verdict,
        attempt_number=previous.attempt_number + 1 if previous else 1,
        submitted_at=data.submitted_at,
        runtime_ms=data.runtime_ms,
        memory_kb=data.memory_kb,
        result=contract,
    )
    if diagnosis_fields is not None:
        diagnosis = Diagnosis(
            submission=submission,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
            **diagnosis_fields,
        )
        # The row itself is the record of the decision; its history starts with the first
        # change a reviewer makes (a verified label), which is what the audit trail is for.
        diagnosis.skip_history_when_saving = True
        diagnosis.save(force_insert=True)
    _adjustment_record(submission=submission, decision=difficulty)
    _profile_update(
        profile=profile,
        data=data,
        category=problem.category,
        root_cause=diagnosis_fields["root_cause"] if diagnosis_fields else None,
    )
    return SubmissionResult(submission=submission, created=True, contract=contract)


def _problem_upsert(*, data: SubmissionInput) -> Problem:
    wanted = {
        "tags": list(data.problem_tags),
        "title": data.problem_title,
        "category": data.problem_category,
        "difficulty": data.problem_difficulty,
    }
    problem, created = Problem.objects.get_or_create(external_id=data.problem_id, defaults=wanted)
    if not created:
        # The platform's latest metadata wins, but only fields it actually sent.
        changed = [
            name
            for name, value in wanted.items()
            if value not in ("", None, []) and getattr(problem, name) != value
        ]
        if changed:
            for name in changed:
                setattr(problem, name, wanted[name])
            problem.save(update_fields=[*changed, "updated_at"])
    return problem


def _process_failed(
    *,
    data: SubmissionInput,
    problem: Problem,
    previous: Submission | None,
    history: LearnerHistory,
    config: RuntimeConfig,
) -> tuple[dict[str, Any], DifficultyDecision, dict[str, Any]]:
    """Decide a failed attempt and move its pattern and difficulty; returns the contract, the
    difficulty decision and the Diagnosis fields (written by the caller with the submission)."""
    current = AttemptContext(
        code=data.code,
        language=data.language,
        verdict=data.verdict,
        submitted_at=data.submitted_at,
        problem_tags=tuple(problem.tags),
        problem_category=problem.category,
        problem_difficulty=problem.difficulty,
    )
    prev = (
        PreviousAttempt(
            code=previous.code,
            submitted_at=previous.submitted_at,
            attempt_number=previous.attempt_number,
        )
        if previous
        else None
    )
    schema = load_feature_schema()
    parts = diagnose_attempt(
        current=current,
        previous=prev,
        history=history,
        engine=engine_get(config=config),
        schema=schema,
        confidence=ConfidenceConfig(**config.section("confidence")),
    )
    decision = parts.decision
    pattern_row = (
        PatternState.objects.select_for_update()
        .filter(user_id=data.user_id, root_cause=decision.root_cause, subtype=decision.subtype)
        .first()
    )
    pattern = pattern_record_failure(
        snapshot=PatternSnapshot.from_json(pattern_row.snapshot) if pattern_row else new_pattern(),
        at=data.submitted_at,
        confidence_tier=parts.effective_tier.value,
        config=PatternConfig(**config.section("pattern")),
    )
    _pattern_save(
        row=pattern_row,
        user_id=data.user_id,
        root_cause=decision.root_cause,
        subtype=decision.subtype,
        snapshot=pattern,
        category=problem.category,
    )
    difficulty = _difficulty_step(
        user_id=data.user_id,
        accepted=False,
        confidence_tier=parts.effective_tier.value,
        pattern_state=pattern.state.value,
        config=config,
    )
    explanation = explainer_get().explain(
        explainer_instructions(parts=parts, pattern=pattern, difficulty=difficulty, current=current)
    )
    contract = build_contract(
        submission_id=data.external_id,
        decision=decision,
        tier=parts.tier,
        conservative_mode=parts.conservative_mode,
        pattern=pattern,
        difficulty=difficulty,
        explanation=explanation,
        rag=RagBlock(),
    )
    diagnosis_fields = {
        "root_cause": decision.root_cause,
        "subtype": decision.subtype,
        "taxonomy_version": decision.taxonomy_version,
        "raw_confidence": decision.raw_confidence,
        "combined_confidence": decision.combined_confidence,
        "confidence_level": parts.tier.value,
        "conservative_mode": parts.conservative_mode,
        "calibration_applied": decision.calibration_applied,
        "engine": decision.engine,
        "model_version": decision.model_version,
        "config_version": config.version,
        "feature_schema_version": parts.features.schema_version,
        "feature_vector": list(parts.features.values),
        "raw_probabilities": dict(decision.raw_probabilities),
        "top_signals": contract["diagnosis"]["topSignals"],
        "pattern_state": pattern.state.value,
        "difficulty_action": difficulty.action.value,
        "difficulty_reason": difficulty.reason.value,
        "explanation": explanation.explanation,
        "hint": explanation.hint,
        "explanation_source": explanation.source,
    }
    return contract, difficulty, diagnosis_fields


def _process_accepted(
    *, data: SubmissionInput, category: str, config: RuntimeConfig
) -> tuple[dict[str, Any], DifficultyDecision]:
    """An accepted verdict is a success for the learner's patterns seen in this category."""
    pattern_config = PatternConfig(**config.section("pattern"))
    rows = list(PatternState.objects.select_for_update().filter(user_id=data.user_id))
    for row in rows:
        if not category or category in row.snapshot.get("categories", [category]):
            snapshot = pattern_record_success(
                snapshot=PatternSnapshot.from_json(row.snapshot),
                at=data.submitted_at,
                config=pattern_config,
            )
            _pattern_save(
                row=row,
                user_id=row.user_id,
                root_cause=row.root_cause,
                subtype=row.subtype,
                snapshot=snapshot,
                category=category,
            )
    states = {row.state for row in rows}
    worst = next((s for s in _UNRESOLVED_ORDER if s.value in states), PatternStateName.NONE)
    difficulty = _difficulty_step(
        user_id=data.user_id,
        accepted=True,
        # The judge's verdict is certain: an accepted outcome is HIGH-confidence evidence.
        confidence_tier="high",
        pattern_state=worst.value,
        config=config,
    )
    return build_accepted_contract(
        submission_id=data.external_id, difficulty=difficulty
    ), difficulty


def _pattern_save(
    *,
    row: PatternState | None,
    user_id: str,
    root_cause: str,
    subtype: str,
    snapshot: PatternSnapshot,
    category: str,
) -> PatternState:
    stored = snapshot.to_json()
    previous_categories = list(row.snapshot.get("categories", [])) if row else []
    if category and category not in previous_categories:
        previous_categories = [*previous_categories, category][-_MAX_PATTERN_CATEGORIES:]
    stored["categories"] = previous_categories
    values = {
        "state": snapshot.state.value,
        "evidence_count": snapshot.evidence_count,
        "weighted_count": snapshot.weighted_count,
        "severity": snapshot.severity.value,
        "mastery": snapshot.mastery.value,
        "confidence_support": snapshot.confidence_support,
        "snapshot": stored,
        "last_seen_at": snapshot.last_seen_at,
    }
    if row is None:
        return PatternState.objects.create(
            user_id=user_id, root_cause=root_cause, subtype=subtype, **values
        )
    transition = (row.state, row.severity, row.mastery) != (
        values["state"],
        values["severity"],
        values["mastery"],
    )
    for name, value in values.items():
        setattr(row, name, value)
    _save_recording_history_if(row, transition, update_fields=[*values, "updated_at"])
    return row


def _save_recording_history_if(
    row: PatternState | DifficultyState, record: bool, *, update_fields: list[str]
) -> None:
    """Save; write a history row only for a real transition, not for every count update.

    Pattern history records changes of state, severity or mastery; difficulty history records
    level changes (every decision that moves the level is also a DifficultyAdjustment).
    """
    if not record:
        row.skip_history_when_saving = True  # read by django-simple-history's post_save
    try:
        row.save(update_fields=update_fields)
    finally:
        if not record:
            del row.skip_history_when_saving


def _difficulty_step(
    *, user_id: str, accepted: bool, confidence_tier: str, pattern_state: str, config: RuntimeConfig
) -> DifficultyDecision:
    difficulty_config = DifficultyConfig(**config.section("difficulty"))
    row = DifficultyState.objects.select_for_update().filter(user_id=user_id).first()
    snapshot = (
        DifficultySnapshot.from_json(row.snapshot) if row else new_difficulty(difficulty_config)
    )
    snapshot, decision = difficulty_decide(
        snapshot=snapshot,
        accepted=accepted,
        confidence_tier=confidence_tier,
        pattern_state=pattern_state,
        config=difficulty_config,
    )
    if row is None:
        DifficultyState.objects.create(
            user_id=user_id, level=snapshot.level, snapshot=snapshot.to_json()
        )
    else:
        level_changed = row.level != snapshot.level
        row.level = snapshot.level
        row.snapshot = snapshot.to_json()
        _save_recording_history_if(
            row, level_changed, update_fields=["level", "snapshot", "updated_at"]
        )
    return decision


def _adjustment_record(*, submission: Submission, decision: DifficultyDecision) -> None:
    """Record every change of level, validation and rollback (maintains are not adjustments)."""
    if decision.action is DifficultyAction.MAINTAIN and not decision.validated:
        return
    DifficultyAdjustment.objects.create(
        user_id=submission.user_id,
        submission=submission,
        action=decision.action.value,
        reason=decision.reason.value,
        from_level=decision.from_level,
        to_level=decision.to_level,
        confidence_tier=decision.confidence_tier,
        cooldown_active=decision.cooldown_active,
        rollback=decision.rollback,
        outcome_validated=decision.validated,
        adjustment_score=decision.adjustment_score,
    )


def _profile_update(
    *, profile: LearnerProfile, data: SubmissionInput, category: str, root_cause: str | None
) -> None:
    accepted = data.verdict == Verdict.ACCEPTED
    profile.total_submissions += 1
    if accepted:
        profile.accepted_submissions += 1
        profile.current_streak = max(profile.current_streak, 0) + 1
    else:
        profile.current_streak = min(profile.current_streak, 0) - 1
    if category:
        attempts, ok = [*profile.category_stats.get(category, [0, 0]), 0, 0][:2]
        profile.category_stats = {
            **profile.category_stats,
            category: [attempts + 1, ok + int(accepted)],
        }
    if root_cause:
        counts = dict(profile.root_cause_counts)
        counts[root_cause] = counts.get(root_cause, 0) + 1
        profile.root_cause_counts = counts
    profile.last_submission_at = data.submitted_at
    profile.save(
        update_fields=[
            "total_submissions",
            "accepted_submissions",
            "current_streak",
            "category_stats",
            "root_cause_counts",
            "last_submission_at",
            "updated_at",
        ]
    )


@transaction.atomic
def diagnosis_verify(
    *, diagnosis: Diagnosis, root_cause: str, subtype: str, verified_by: AbstractBaseUser
) -> Diagnosis:
    """Record a reviewer's label (a training label); the pair must belong to the taxonomy."""
    validate_pair(root_cause, subtype)
    diagnosis.verified_root_cause = root_cause
    diagnosis.verified_subtype = subtype
    diagnosis.verified_by = verified_by
    diagnosis.verified_at = timezone.now()
    diagnosis.save(
        update_fields=["verified_root_cause", "verified_subtype", "verified_by", "verified_at"]
    )
    return diagnosis


def pattern_decay_refresh(*, batch_size: int = 500) -> dict[str, int]:
    """Persist time decay on every non-`none` pattern state (the daily beat job).

    Each batch is its own transaction; a state that decays is saved (and so recorded in its
    history), one that does not is left untouched.
    """
    config = PatternConfig(**runtime_config_get().section("pattern"))
    now = timezone.now()
    examined = changed = 0
    last_id = 0
    while True:
        with transaction.atomic():
            rows = list(
                PatternState.objects.select_for_update(skip_locked=True)
                .exclude(state=PatternStateName.NONE.value, weighted_count=0.0)
                .filter(id__gt=last_id)
                .order_by("id")[:batch_size]
            )
            if not rows:
                break
            for row in rows:
                examined += 1
                before = PatternSnapshot.from_json(row.snapshot)
                after = pattern_refresh(snapshot=before, now=now, config=config)
                if (after.state, after.severity, round(after.weighted_count, 6)) != (
                    before.state,
                    before.severity,
                    round(before.weighted_count, 6),
                ):
                    changed += 1
                    _pattern_save(
                        row=row,
                        user_id=row.user_id,
                        root_cause=row.root_cause,
                        subtype=row.subtype,
                        snapshot=after,
                        category="",
                    )
            last_id = rows[-1].id
    return {"examined": examined, "changed": changed}
