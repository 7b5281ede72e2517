"""The difficulty decision per submission, with cooldown, oscillation and outcome validation.

Implements the policy table of 001 §3.5 and the validation loop of 000 §2.3 as one pure,
deterministic step: ``difficulty_decide`` takes the stored snapshot and one submission's outcome
and returns the next snapshot with the decision. Numbers come from ``DifficultyConfig``
(defaults in ``governance/core/defaults.py``, section "difficulty").

Caller's contract: call once per submission of the learner, accepted or failed. For an accepted
submission pass confidence tier "high" (the judge's verdict is certain); always pass the
learner's current worst pattern state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from diagnosis.core.patterns import ConfidenceTier, PatternStateName


class DifficultyAction(StrEnum):
    INCREASE = "increase"
    MAINTAIN = "maintain"
    DECREASE = "decrease"


class DifficultyReason(StrEnum):
    LOW_CONFIDENCE = "low_confidence"
    PATTERN_UNRESOLVED = "pattern_unresolved"
    CONSISTENT_SUCCESS = "consistent_success"
    STRUGGLING = "struggling"
    COOLDOWN = "cooldown"
    OSCILLATION_DETECTED = "oscillation_detected"
    INSUFFICIENT_HISTORY = "insufficient_history"
    STABLE_PERFORMANCE = "stable_performance"
    ROLLBACK_FAILED_ADJUSTMENT = "rollback_failed_adjustment"


_OPPOSITE = {
    DifficultyAction.INCREASE: DifficultyAction.DECREASE,
    DifficultyAction.DECREASE: DifficultyAction.INCREASE,
}
_UNRESOLVED_STATES = (PatternStateName.SUSPECTED, PatternStateName.CONFIRMED)


@dataclass(frozen=True)
class DifficultyConfig:
    min_level: int
    max_level: int
    initial_level: int
    window: int
    increase_success_rate: float
    decrease_success_rate: float
    min_window_submissions: int
    cooldown_submissions: int
    oscillation_alternations: int
    oscillation_hold_submissions: int
    validation_submissions: int
    rollback_below_score: float
    history_limit: int

    def __post_init__(self) -> None:
        problems = []
        if not self.min_level <= self.initial_level <= self.max_level:
            problems.append("need min_level <= initial_level <= max_level")
        if not 1 <= self.min_window_submissions <= self.window:
            problems.append("need 1 <= min_window_submissions <= window")
        if not 0.0 <= self.decrease_success_rate < self.increase_success_rate <= 1.0:
            problems.append("need 0 <= decrease_success_rate < increase_success_rate <= 1")
        if not 1 <= self.validation_submissions <= self.cooldown_submissions:
            # Otherwise a second adjustment could start before the first one is validated.
            problems.append("need 1 <= validation_submissions <= cooldown_submissions")
        if self.oscillation_hold_submissions < self.cooldown_submissions:
            problems.append("oscillation_hold_submissions must be >= cooldown_submissions")
        if not 2 <= self.oscillation_alternations <= self.history_limit:
            problems.append("need 2 <= oscillation_alternations <= history_limit")
        if not 0.0 <= self.rollback_below_score <= 1.0:
            problems.append("rollback_below_score must lie in [0, 1]")
        if problems:
            raise ValueError("invalid difficulty config: " + "; ".join(problems))


@dataclass(frozen=True)
class PendingValidation:
    """An adjustment awaiting validation; ``outcomes`` are the submissions seen since it."""

    action: DifficultyAction
    from_level: int
    to_level: int
    outcomes: tuple[bool, ...]


@dataclass(frozen=True)
class DifficultySnapshot:
    """What the caller persists per learner.

    ``recent_outcomes`` holds the last ``window`` submissions (True = accepted), oldest first;
    ``submissions_since_adjustment`` counts submissions processed since the last level change
    (None = never changed); ``action_history`` lists the last level changes, rollbacks included,
    oldest first.
    """

    level: int
    recent_outcomes: tuple[bool, ...]
    submissions_since_adjustment: int | None
    action_history: tuple[str, ...]
    pending: PendingValidation | None

    def to_json(self) -> dict[str, Any]:
        """JSON-able dict; ``from_json`` restores an equal snapshot."""
        pending = self.pending
        return {
            "level": self.level,
            "recent_outcomes": list(self.recent_outcomes),
            "submissions_since_adjustment": self.submissions_since_adjustment,
            "action_history": list(self.action_history),
            "pending": None
            if pending is None
            else {
                "action": pending.action.value,
                "from_level": pending.from_level,
                "to_level": pending.to_level,
                "outcomes": list(pending.outcomes),
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DifficultySnapshot:
        """Inverse of ``to_json``; raises ValueError on an unknown action."""
        pending = data["pending"]
        since = data["submissions_since_adjustment"]
        return cls(
            level=int(data["level"]),
            recent_outcomes=tuple(bool(outcome) for outcome in data["recent_outcomes"]),
            submissions_since_adjustment=None if since is None else int(since),
            action_history=tuple(DifficultyAction(a).value for a in data["action_history"]),
            pending=None
            if pending is None
            else PendingValidation(
                action=DifficultyAction(pending["action"]),
                from_level=int(pending["from_level"]),
                to_level=int(pending["to_level"]),
                outcomes=tuple(bool(outcome) for outcome in pending["outcomes"]),
            ),
        )


@dataclass(frozen=True)
class DifficultyDecision:
    """One submission's decision (001 §3.5), with the validation fields of 000 §2.3.

    ``cooldown_active`` says whether a cooldown was running when the submission arrived;
    ``adjustment_score`` and ``validated`` are set on the step that completed a validation;
    ``rollback`` marks the step that reverted a failed adjustment.
    """

    action: DifficultyAction
    reason: DifficultyReason
    confidence_tier: str
    cooldown_active: bool
    from_level: int
    to_level: int
    rollback: bool
    adjustment_score: float | None
    validated: bool


def new_difficulty(config: DifficultyConfig) -> DifficultySnapshot:
    """A learner never seen: the initial level, no outcomes, never adjusted."""
    return DifficultySnapshot(
        level=config.initial_level,
        recent_outcomes=(),
        submissions_since_adjustment=None,
        action_history=(),
        pending=None,
    )


def difficulty_decide(
    *,
    snapshot: DifficultySnapshot,
    accepted: bool,
    confidence_tier: str,
    pattern_state: str,
    config: DifficultyConfig,
) -> tuple[DifficultySnapshot, DifficultyDecision]:
    """Record one submission and decide the difficulty.

    1. The outcome joins ``recent_outcomes`` (last ``window`` kept).
    2. Validation: a pending adjustment collects the outcome; after ``validation_submissions``
       outcomes its ``adjustment_score`` is their success rate. Both directions are measured by
       success: after an increase the learner should keep succeeding, after a decrease the
       learner should recover. Below ``rollback_below_score`` the level returns to
       ``from_level`` as an adjustment in the opposite direction (cooldown restarts, recorded in
       ``action_history`` so a retry shows up as oscillation, not validated itself). Either
       way the pending validation ends.
    3. Unless rolled back, the first matching row of the policy table decides: cooldown,
       oscillation, LOW confidence, unresolved (suspected/confirmed) pattern, too few outcomes,
       consistent success with HIGH confidence (increase), struggling with HIGH confidence
       (decrease), else stable performance. An increase at ``max_level`` or a decrease at
       ``min_level`` maintains instead. An adjustment starts a validation and a cooldown.
    """
    tier = ConfidenceTier(confidence_tier)
    pattern = PatternStateName(pattern_state)
    since = snapshot.submissions_since_adjustment
    cooldown_active = since is not None and since < config.cooldown_submissions
    recent = (*snapshot.recent_outcomes, accepted)[-config.window :]
    level = _clamp(snapshot.level, config)

    pending = snapshot.pending
    score: float | None = None
    if pending is not None:
        outcomes = (*pending.outcomes, accepted)
        if len(outcomes) < config.validation_submissions:
            pending = PendingValidation(
                action=pending.action,
                from_level=pending.from_level,
                to_level=pending.to_level,
                outcomes=outcomes,
            )
        else:
            score = sum(outcomes) / len(outcomes)
            failed = pending
            pending = None
            if score < config.rollback_below_score:
                return _adjust(
                    snapshot=snapshot,
                    recent=recent,
                    action=_OPPOSITE[failed.action],
                    reason=DifficultyReason.ROLLBACK_FAILED_ADJUSTMENT,
                    to_level=_clamp(failed.from_level, config),
                    tier=tier,
                    cooldown_active=cooldown_active,
                    score=score,
                    config=config,
                )

    validated = score is not None
    action, reason = _policy(
        since=since,
        history=snapshot.action_history,
        recent=recent,
        tier=tier,
        pattern=pattern,
        level=level,
        config=config,
    )
    if action is not DifficultyAction.MAINTAIN:
        step = 1 if action is DifficultyAction.INCREASE else -1
        return _adjust(
            snapshot=snapshot,
            recent=recent,
            action=action,
            reason=reason,
            to_level=level + step,
            tier=tier,
            cooldown_active=cooldown_active,
            score=score,
            config=config,
        )

    next_snapshot = DifficultySnapshot(
        level=level,
        recent_outcomes=recent,
        submissions_since_adjustment=None if since is None else since + 1,
        action_history=snapshot.action_history,
        pending=pending,
    )
    decision = DifficultyDecision(
        action=DifficultyAction.MAINTAIN,
        reason=reason,
        confidence_tier=tier.value,
        cooldown_active=cooldown_active,
        from_level=snapshot.level,
        to_level=level,
        rollback=False,
        adjustment_score=score,
        validated=validated,
    )
    return next_snapshot, decision


def _policy(
    *,
    since: int | None,
    history: tuple[str, ...],
    recent: tuple[bool, ...],
    tier: ConfidenceTier,
    pattern: PatternStateName,
    level: int,
    config: DifficultyConfig,
) -> tuple[DifficultyAction, DifficultyReason]:
    """The first matching row of the policy table (001 §3.5 plus the 000 §2.3 guards)."""
    maintain = DifficultyAction.MAINTAIN
    if since is not None and since < config.cooldown_submissions:
        return maintain, DifficultyReason.COOLDOWN
    if (
        since is not None
        and since < config.oscillation_hold_submissions
        and _trailing_alternations(history) >= config.oscillation_alternations
    ):
        return maintain, DifficultyReason.OSCILLATION_DETECTED
    if tier is ConfidenceTier.LOW:
        return maintain, DifficultyReason.LOW_CONFIDENCE
    if pattern in _UNRESOLVED_STATES:
        return maintain, DifficultyReason.PATTERN_UNRESOLVED
    if len(recent) < config.min_window_submissions:
        return maintain, DifficultyReason.INSUFFICIENT_HISTORY
    success_rate = sum(recent) / len(recent)
    if tier is ConfidenceTier.HIGH:
        if success_rate >= config.increase_success_rate and level < config.max_level:
            return DifficultyAction.INCREASE, DifficultyReason.CONSISTENT_SUCCESS
        if success_rate <= config.decrease_success_rate and level > config.min_level:
            return DifficultyAction.DECREASE, DifficultyReason.STRUGGLING
    return maintain, DifficultyReason.STABLE_PERFORMANCE


def _adjust(
    *,
    snapshot: DifficultySnapshot,
    recent: tuple[bool, ...],
    action: DifficultyAction,
    reason: DifficultyReason,
    to_level: int,
    tier: ConfidenceTier,
    cooldown_active: bool,
    score: float | None,
    config: DifficultyConfig,
) -> tuple[DifficultySnapshot, DifficultyDecision]:
    """Change the level: restart the cooldown, record the action, validate unless a rollback."""
    rollback = reason is DifficultyReason.ROLLBACK_FAILED_ADJUSTMENT
    from_level = _clamp(snapshot.level, config)
    pending = (
        None
        if rollback
        else PendingValidation(action=action, from_level=from_level, to_level=to_level, outcomes=())
    )
    next_snapshot = DifficultySnapshot(
        level=to_level,
        recent_outcomes=recent,
        submissions_since_adjustment=0,
        action_history=(*snapshot.action_history, action.value)[-config.history_limit :],
        pending=pending,
    )
    decision = DifficultyDecision(
        action=action,
        reason=reason,
        confidence_tier=tier.value,
        cooldown_active=cooldown_active,
        from_level=snapshot.level,
        to_level=to_level,
        rollback=rollback,
        adjustment_score=score,
        validated=score is not None,
    )
    return next_snapshot, decision


def _trailing_alternations(history: tuple[str, ...]) -> int:
    """Length of the alternating run at the end: (increase, decrease, increase) → 3."""
    if not history:
        return 0
    run = 1
    for newer, older in zip(reversed(history), reversed(history[:-1]), strict=False):
        if newer == older:
            break
        run += 1
    return run


def _clamp(level: int, config: DifficultyConfig) -> int:
    return min(max(level, config.min_level), config.max_level)
