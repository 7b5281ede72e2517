"""Writes of the diagnosis app: store a submission, diagnose it, move the learner's state."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from diagnosis.core.contract import RagBlock, RagMemory, build_accepted_contract, build_contract
from diagnosis.core.difficulty import (
    DifficultyAction,
    DifficultyConfig,
    DifficultyDecision,
    DifficultySnapshot,
    difficulty_decide,
    new_difficulty,
)
from diagnosis.core.engine import ConfidenceConfig, DecisionEngine, RulesEngine, RulesEngineConfig
from diagnosis.core.explainer import Explainer, PastMistake, TemplateExplainer
from diagnosis.core.features import (
    AttemptContext,
    LearnerHistory,
    load_feature_schema,
)
from diagnosis.core.model_engine import (
    ArtifactIntegrityError,
    IncompatibleBundleError,
    ModelEngine,
    verify_artifacts,
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
from diagnosis.core.pipeline import DiagnosisParts, diagnose_attempt, explainer_instructions
from diagnosis.core.taxonomy import validate_pair
from diagnosis.learner_state import (
    HistoryRows,
    LearnerState,
    ProblemInfo,
    StoredPattern,
    history_user_id,
    learner_state_lock_and_read,
    learner_state_write,
    problem_info,
)
from diagnosis.models import (
    Diagnosis,
    DifficultyAdjustment,
    PatternState,
    Problem,
    Submission,
    Verdict,
)
from governance.core.config import RuntimeConfig
from governance.selectors import model_bundle_get, runtime_config_for_id, runtime_config_get
from governance.services import bundle_sha256
from memory.core.embeddings import Embedder, Vector, embed_memory
from memory.core.quality import MemoryConfig
from memory.selectors import embedder_get
from memory.services import memories_retrieve_and_boost, memory_candidate_score
from mimsite.db import StatementPart

logger = logging.getLogger(__name__)

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
    submission_id: int
    created: bool
    contract: dict[str, Any] = field(default_factory=dict)


class _AlreadyStored(Exception):
    """Another request stored this external_id while we decided; our transaction rolls back."""


class _MemoryFailedError(Exception):
    """A memory statement failed at the database; the transaction rolls back and the request is
    diagnosed again without memory."""


def engine_get(*, config: RuntimeConfig, model_id: int | None) -> DecisionEngine:
    """The active model version's engine, or the rules fallback when none is active or the
    active bundle cannot be loaded (for example a tampered artifact: refused, logged)."""
    if model_id is not None:
        engine = _model_engine(model_id)
        if engine is not None:
            return engine
    return RulesEngine(RulesEngineConfig(**config.section("rules_engine")))


def model_engine_load(*, version_id: int) -> ModelEngine:
    """Load a model version's bundle, refusing it (ArtifactIntegrityError) unless every
    artifact and the bundle match their recorded SHA-256."""
    version, contents, hashes = model_bundle_get(version_id=version_id)
    verify_artifacts(artifacts=contents, expected=hashes)
    if bundle_sha256(hashes) != version.bundle_sha256:
        raise ArtifactIntegrityError("bundle SHA-256 does not match the recorded one")
    schema = load_feature_schema()
    if version.feature_schema_sha256 != schema.sha256:
        # Activation checks this too; a deploy that changes the schema under an active model
        # must not feed it vectors of another layout.
        raise IncompatibleBundleError(
            f"model {version.version} was trained on feature schema "
            f"{version.feature_schema_version!r}, this code builds {schema.version!r}"
        )
    return ModelEngine(version=version.version, artifacts=contents)


@functools.lru_cache(maxsize=4)
def _model_engine(model_id: int) -> ModelEngine | None:
    """Load once per process; a version's artifacts never change, so the id is the cache key
    (a refused load is cached too: the same bytes would be refused again)."""
    try:
        return model_engine_load(version_id=model_id)
    except Exception:
        logger.exception("model version %s refused at load; the rules engine serves", model_id)
        return None


def explainer_get() -> Explainer:
    return TemplateExplainer()


def submission_process(
    *, data: SubmissionInput, config: RuntimeConfig | None = None
) -> SubmissionResult:
    """Store and (for a failed verdict) diagnose a submission; idempotent on `external_id`.

    A repeat returns the first result and writes nothing. Everything of one submission is
    written in one transaction, so a failure leaves no half-written rows; with memory on
    (`MIM_MEMORY_IN_DIAGNOSIS`) that includes the recall of the learner's memories and the
    diagnosis's own memory (or its rejection). Memory never fails a diagnosis: an embedder that
    raises leaves memory out of this request, and a database error in a memory statement rolls
    the transaction back and the request is diagnosed again without memory (`rag.used`
    false). `config` defaults to the config version in force
    (`governance.selectors.runtime_config_get`).
    """
    memory_on = settings.MIM_MEMORY_IN_DIAGNOSIS
    try:
        try:
            return _submission_process_new(data=data, config=config, memory_on=memory_on)
        except _MemoryFailedError:
            logger.exception(
                "memory failed at the database for submission %s; diagnosing it again without "
                "memory",
                data.external_id,
            )
            return _submission_process_new(data=data, config=config, memory_on=False)
    except (_AlreadyStored, IntegrityError):
        # A concurrent request with the same external_id won the race; return its result.
        existing = _stored_result(data.external_id)
        if existing is None:
            raise
        return existing


def _stored_result(external_id: str) -> SubmissionResult | None:
    row = Submission.objects.filter(external_id=external_id).values_list("id", "result").first()
    if row is None:
        return None
    return SubmissionResult(submission_id=row[0], created=False, contract=row[1])


@dataclass
class _Outcome:
    """What one submission changes, computed before anything is written."""

    contract: dict[str, Any]
    difficulty: DifficultyDecision
    difficulty_snapshot: DifficultySnapshot
    patterns: list[tuple[StoredPattern | None, dict[str, Any]]]
    diagnosis: dict[str, Any] | None = None
    memory: StatementPart | None = None  # the scored memory (or rejection), written with the rest


@transaction.atomic
def _submission_process_new(
    *, data: SubmissionInput, config: RuntimeConfig | None, memory_on: bool
) -> SubmissionResult:
    """Decide first, then write everything in one statement (see diagnosis.learner_state)."""
    started = time.perf_counter()
    state = learner_state_lock_and_read(
        user_id=data.user_id, problem_external_id=data.problem_id, external_id=data.external_id
    )
    if state.existing is not None:
        return SubmissionResult(
            submission_id=state.existing["id"], created=False, contract=state.existing["result"]
        )
    config = config or runtime_config_for_id(state.active_config_id)
    problem = state.problem
    if problem is None or _problem_changed(problem, data):
        problem = problem_info(_problem_upsert(data=data))
    profile = state.profile or {}
    history = LearnerHistory(
        total_submissions=profile.get("total_submissions", 0),
        accepted_submissions=profile.get("accepted_submissions", 0),
        current_streak=profile.get("current_streak", 0),
        category_stats=profile.get("category_stats") or {},
        root_cause_counts=profile.get("root_cause_counts") or {},
    )
    difficulty_config = DifficultyConfig(**config.section("difficulty"))
    difficulty_before = (
        DifficultySnapshot.from_json(state.difficulty_snapshot)
        if state.difficulty_snapshot is not None
        else new_difficulty(difficulty_config)
    )
    if data.verdict == Verdict.ACCEPTED:
        outcome = _decide_accepted(
            data=data, problem=problem, state=state, difficulty=difficulty_before, config=config
        )
    else:
        outcome = _decide_failed(
            data=data,
            problem=problem,
            state=state,
            history=history,
            difficulty=difficulty_before,
            config=config,
            memory_on=memory_on,
        )
    now = timezone.now()
    root_cause = outcome.diagnosis["root_cause"] if outcome.diagnosis else None
    if outcome.diagnosis is not None:
        outcome.diagnosis["latency_ms"] = round((time.perf_counter() - started) * 1000, 3)
        outcome.diagnosis["created_at"] = now
    try:
        written = learner_state_write(
            submission={
                "external_id": data.external_id,
                "user_id": data.user_id,
                "problem_id": problem.id,
                "language": data.language,
                "code": data.code,
                "verdict": data.verdict,
                "attempt_number": state.previous.attempt_number + 1 if state.previous else 1,
                "submitted_at": data.submitted_at,
                "runtime_ms": data.runtime_ms,
                "memory_kb": data.memory_kb,
                "result": outcome.contract,
                "created_at": now,
            },
            diagnosis=outcome.diagnosis,
            profile=_profile_values(
                profile=profile,
                data=data,
                category=problem.category,
                root_cause=root_cause,
                now=now,
            ),
            difficulty={
                "user_id": data.user_id,
                "level": outcome.difficulty_snapshot.level,
                "snapshot": outcome.difficulty_snapshot.to_json(),
                "updated_at": now,
            },
            patterns=[values | {"updated_at": now} for _, values in outcome.patterns],
            history=_history_rows(
                state=state, outcome=outcome, difficulty_before=difficulty_before, now=now
            ),
            extra=outcome.memory,
        )
    except DatabaseError as error:
        if outcome.memory is None:
            raise
        raise _MemoryFailedError from error
    if written.submission_id is None:
        raise _AlreadyStored(data.external_id)
    _adjustment_record(
        user_id=data.user_id, submission_id=written.submission_id, decision=outcome.difficulty
    )
    return SubmissionResult(
        submission_id=written.submission_id, created=True, contract=outcome.contract
    )


def _problem_changed(problem: ProblemInfo, data: SubmissionInput) -> bool:
    """True when the platform sent problem metadata that differs from what is stored."""
    sent = {
        "tags": tuple(data.problem_tags),
        "title": data.problem_title,
        "category": data.problem_category,
        "difficulty": data.problem_difficulty,
    }
    return any(
        value not in ("", None, ()) and getattr(problem, name) != value
        for name, value in sent.items()
    )


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


def _decide_failed(
    *,
    data: SubmissionInput,
    problem: ProblemInfo,
    state: LearnerState,
    history: LearnerHistory,
    difficulty: DifficultySnapshot,
    config: RuntimeConfig,
    memory_on: bool,
) -> _Outcome:
    """Decide a failed attempt and move its pattern and difficulty, in memory; with memory on,
    recall the learner's memories for the explainer and score this diagnosis as one."""
    current = AttemptContext(
        code=data.code,
        language=data.language,
        verdict=data.verdict,
        submitted_at=data.submitted_at,
        problem_tags=problem.tags,
        problem_category=problem.category,
        problem_difficulty=problem.difficulty,
    )
    parts = diagnose_attempt(
        current=current,
        previous=state.previous,
        history=history,
        engine=engine_get(config=config, model_id=state.active_model_id),
        schema=load_feature_schema(),
        confidence=ConfidenceConfig(**config.section("confidence")),
    )
    decision = parts.decision
    stored = state.patterns.get((decision.root_cause, decision.subtype))
    pattern = pattern_record_failure(
        snapshot=PatternSnapshot.from_json(stored.snapshot) if stored else new_pattern(),
        at=data.submitted_at,
        confidence_tier=parts.effective_tier.value,
        config=PatternConfig(**config.section("pattern")),
    )
    difficulty_after, difficulty_decision = difficulty_decide(
        snapshot=difficulty,
        accepted=False,
        confidence_tier=parts.effective_tier.value,
        pattern_state=pattern.state.value,
        config=DifficultyConfig(**config.section("difficulty")),
    )
    memory_query = (
        _memory_query(
            root_cause=decision.root_cause,
            subtype=decision.subtype,
            language=data.language,
            problem_tags=problem.tags,
            signal_tokens=sorted({finding.kind for finding in parts.signals.findings}),
            config=config,
        )
        if memory_on
        else None
    )
    rag, past_mistakes = (
        _memories_recall(user_id=data.user_id, query=memory_query)
        if memory_query is not None
        else (RagBlock(), ())
    )
    explanation = explainer_get().explain(
        explainer_instructions(
            parts=parts,
            pattern=pattern,
            difficulty=difficulty_decision,
            current=current,
            past_mistakes=past_mistakes,
        )
    )
    contract = build_contract(
        submission_id=data.external_id,
        decision=decision,
        tier=parts.tier,
        conservative_mode=parts.conservative_mode,
        pattern=pattern,
        difficulty=difficulty_decision,
        explanation=explanation,
        rag=rag,
    )
    diagnosis = {
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
        "difficulty_action": difficulty_decision.action.value,
        "difficulty_reason": difficulty_decision.reason.value,
        "explanation": explanation.explanation,
        "hint": explanation.hint,
        "explanation_source": explanation.source,
    }
    return _Outcome(
        contract=contract,
        difficulty=difficulty_decision,
        difficulty_snapshot=difficulty_after,
        patterns=[
            (
                stored,
                _pattern_values(
                    user_id=data.user_id,
                    root_cause=decision.root_cause,
                    subtype=decision.subtype,
                    snapshot=pattern,
                    categories=_categories(stored, problem.category),
                ),
            )
        ],
        diagnosis=diagnosis,
        memory=None
        if memory_query is None
        else _memory_scored(
            data=data,
            problem=problem,
            query=memory_query,
            summary=_memory_summary(parts=parts, language=data.language),
            mim_confidence=decision.combined_confidence,
            recurrence_count=pattern.evidence_count,
        ),
    )


def _memory_summary(*, parts: DiagnosisParts, language: str) -> str:
    """What a later diagnosis may cite: the decided subtype and the first located evidence."""
    decision = parts.decision
    text = (
        f"{decision.subtype.replace('_', ' ').capitalize()} "
        f"({decision.root_cause.replace('_', ' ')}) in {language}"
    )
    if parts.signals.findings:
        finding = parts.signals.findings[0]
        text += f": line {finding.line}, {finding.detail}"
    return text[:300]


@dataclass(frozen=True, slots=True)
class _MemoryQuery:
    """This diagnosis as memory sees it: the text it is recalled and stored by, embedded once,
    and the memory numbers of the config version in force."""

    config: MemoryConfig
    embedder: Embedder
    embedding: Vector
    root_cause: str
    subtype: str
    language: str
    problem_tags: tuple[str, ...]
    signal_tokens: tuple[str, ...]


def _memory_query(
    *,
    root_cause: str,
    subtype: str,
    language: str,
    problem_tags: tuple[str, ...],
    signal_tokens: list[str],
    config: RuntimeConfig,
) -> _MemoryQuery | None:
    """Embed the diagnosis's memory text; None (memory left out of this request, logged) when
    the configured embedder cannot be built or raises."""
    try:
        memory_config = MemoryConfig(**config.section("memory"))
        embedder = embedder_get()
        embedding = embed_memory(
            embedder,
            root_cause=root_cause,
            subtype=subtype,
            language=language,
            problem_tags=problem_tags,
            signal_tokens=signal_tokens,
        )
    except Exception:
        logger.exception("the memory embedder or config failed; diagnosing without memory")
        return None
    return _MemoryQuery(
        config=memory_config,
        embedder=embedder,
        embedding=embedding,
        root_cause=root_cause,
        subtype=subtype,
        language=language,
        problem_tags=problem_tags,
        signal_tokens=tuple(signal_tokens),
    )


def _memories_recall(
    *, user_id: str, query: _MemoryQuery
) -> tuple[RagBlock, tuple[PastMistake, ...]]:
    """Retrieve (and boost) the learner's memories most similar to this diagnosis, in the
    request's transaction; a database error there aborts it (`_MemoryFailedError`)."""
    try:
        found = memories_retrieve_and_boost(
            user_id=user_id,
            query_embedding=query.embedding,
            embedder_name=query.embedder.name,
            k=query.config.retrieval_k,
            config=query.config,
            now=timezone.now(),
        )
    except DatabaseError as error:
        raise _MemoryFailedError from error
    if not found:
        return RagBlock(), ()
    return (
        RagBlock(
            used=True,
            relevance=round(max(memory.similarity for memory in found), 6),
            memories=tuple(
                RagMemory(id=str(memory.id), summary=memory.summary) for memory in found
            ),
        ),
        tuple(PastMistake(summary=memory.summary, subtype=memory.subtype) for memory in found),
    )


def _memory_scored(
    *,
    data: SubmissionInput,
    problem: ProblemInfo,
    query: _MemoryQuery,
    summary: str,
    mim_confidence: float,
    recurrence_count: int,
) -> StatementPart | None:
    """This diagnosis scored as a memory (000 §3.1): the part of the request's one write that
    stores it with its vector, or logs its rejection; None (logged) if it cannot be scored."""
    try:
        scored = memory_candidate_score(
            user_id=data.user_id,
            root_cause=query.root_cause,
            subtype=query.subtype,
            problem_tags=query.problem_tags,
            language=query.language,
            category=problem.category,
            summary=summary,
            mim_confidence=mim_confidence,
            is_recurring=recurrence_count >= 2,
            recurrence_count=recurrence_count,
            signal_tokens=query.signal_tokens,
            identifiers=(),
            config=query.config,
            embedder=query.embedder,
            embedding=query.embedding,
            now=timezone.now(),
            submission_id_sql="sub.id",
            diagnosis_id_sql="diag.id",
            source_sql="sub, diag",
        )
    except Exception:
        logger.exception("scoring the memory of submission %s failed", data.external_id)
        return None
    return scored.part


def _decide_accepted(
    *,
    data: SubmissionInput,
    problem: ProblemInfo,
    state: LearnerState,
    difficulty: DifficultySnapshot,
    config: RuntimeConfig,
) -> _Outcome:
    """An accepted verdict is a success for the learner's patterns seen in this category."""
    pattern_config = PatternConfig(**config.section("pattern"))
    category = problem.category
    updates: list[tuple[StoredPattern | None, dict[str, Any]]] = []
    states = set()
    for stored in state.patterns.values():
        stored_snapshot = stored.snapshot
        new_state = stored.state
        if not category or category in stored_snapshot.get("categories", [category]):
            snapshot = pattern_record_success(
                snapshot=PatternSnapshot.from_json(stored_snapshot),
                at=data.submitted_at,
                config=pattern_config,
            )
            values = _pattern_values(
                user_id=data.user_id,
                root_cause=stored.root_cause,
                subtype=stored.subtype,
                snapshot=snapshot,
                categories=_categories(stored, category),
            )
            updates.append((stored, values))
            new_state = snapshot.state.value
        states.add(new_state)
    worst = next((s for s in _UNRESOLVED_ORDER if s.value in states), PatternStateName.NONE)
    difficulty_after, decision = difficulty_decide(
        snapshot=difficulty,
        accepted=True,
        # The judge's verdict is certain: an accepted outcome is HIGH-confidence evidence.
        confidence_tier="high",
        pattern_state=worst.value,
        config=DifficultyConfig(**config.section("difficulty")),
    )
    return _Outcome(
        contract=build_accepted_contract(submission_id=data.external_id, difficulty=decision),
        difficulty=decision,
        difficulty_snapshot=difficulty_after,
        patterns=updates,
    )


def _categories(stored: StoredPattern | None, category: str) -> list[str]:
    categories = list(stored.snapshot.get("categories", [])) if stored else []
    if category and category not in categories:
        categories = [*categories, category][-_MAX_PATTERN_CATEGORIES:]
    return categories


def _pattern_values(
    *,
    user_id: str,
    root_cause: str,
    subtype: str,
    snapshot: PatternSnapshot,
    categories: list[str],
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "root_cause": root_cause,
        "subtype": subtype,
        "state": snapshot.state.value,
        "evidence_count": snapshot.evidence_count,
        "weighted_count": snapshot.weighted_count,
        "severity": snapshot.severity.value,
        "mastery": snapshot.mastery.value,
        "confidence_support": snapshot.confidence_support,
        "snapshot": snapshot.to_json() | {"categories": categories},
        "last_seen_at": snapshot.last_seen_at,
    }


def _profile_values(
    *,
    profile: dict[str, Any],
    data: SubmissionInput,
    category: str,
    root_cause: str | None,
    now: datetime,
) -> dict[str, Any]:
    """The learner's aggregates after this submission (001 §2.4)."""
    accepted = data.verdict == Verdict.ACCEPTED
    streak = profile.get("current_streak", 0)
    category_stats = dict(profile.get("category_stats") or {})
    if category:
        attempts, ok = [*category_stats.get(category, [0, 0]), 0, 0][:2]
        category_stats[category] = [attempts + 1, ok + int(accepted)]
    root_cause_counts = dict(profile.get("root_cause_counts") or {})
    if root_cause:
        root_cause_counts[root_cause] = root_cause_counts.get(root_cause, 0) + 1
    return {
        "user_id": data.user_id,
        "total_submissions": profile.get("total_submissions", 0) + 1,
        "accepted_submissions": profile.get("accepted_submissions", 0) + int(accepted),
        "current_streak": max(streak, 0) + 1 if accepted else min(streak, 0) - 1,
        "category_stats": category_stats,
        "root_cause_counts": root_cause_counts,
        "last_submission_at": data.submitted_at,
        "updated_at": now,
    }


def _history_rows(
    *,
    state: LearnerState,
    outcome: _Outcome,
    difficulty_before: DifficultySnapshot,
    now: datetime,
) -> HistoryRows:
    """History rows for real transitions only: a new or changed pattern state, severity or
    mastery; a new difficulty state or a level change. The acting user is the one
    django-simple-history would record (the request's authenticated account, if any)."""
    patterns = {}
    for stored, values in outcome.patterns:
        key = (values["root_cause"], values["subtype"])
        if stored is None:
            patterns[key] = "+"
        elif (stored.state, stored.severity, stored.mastery) != (
            values["state"],
            values["severity"],
            values["mastery"],
        ):
            patterns[key] = "~"
    difficulty = None
    if state.difficulty_snapshot is None:
        difficulty = "+"
    elif outcome.difficulty_snapshot.level != difficulty_before.level:
        difficulty = "~"
    return HistoryRows(
        date=now,
        user_id=history_user_id() if patterns or difficulty else None,
        patterns=patterns,
        difficulty=difficulty,
    )


def _adjustment_record(*, user_id: str, submission_id: int, decision: DifficultyDecision) -> None:
    """Record every change of level, validation and rollback (maintains are not adjustments)."""
    if decision.action is DifficultyAction.MAINTAIN and not decision.validated:
        return
    DifficultyAdjustment.objects.create(
        user_id=user_id,
        submission_id=submission_id,
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


def _pattern_decayed_save(*, row: PatternState, snapshot: PatternSnapshot) -> None:
    """Store a decayed snapshot through the ORM (the daily job, not the hot path)."""
    values = _pattern_values(
        user_id=row.user_id,
        root_cause=row.root_cause,
        subtype=row.subtype,
        snapshot=snapshot,
        categories=list(row.snapshot.get("categories", [])),
    )
    transition = (row.state, row.severity, row.mastery) != (
        values["state"],
        values["severity"],
        values["mastery"],
    )
    for name, value in values.items():
        setattr(row, name, value)
    _save_recording_history_if(row, transition, update_fields=[*values, "updated_at"])


def _save_recording_history_if(
    row: PatternState, record: bool, *, update_fields: list[str]
) -> None:
    """Save; write a history row only for a real transition (state, severity or mastery)."""
    if not record:
        row.skip_history_when_saving = True  # read by django-simple-history's post_save
    try:
        row.save(update_fields=update_fields)
    finally:
        if not record:
            del row.skip_history_when_saving


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
                    _pattern_decayed_save(row=row, snapshot=after)
            last_id = rows[-1].id
    return {"examined": examined, "changed": changed}
