"""The learner's pattern state for one (root cause, subtype): decay, severity, mastery (001 §3.4).

Pure and deterministic: frozen snapshots in, frozen snapshots out, time always passed in by the
caller as a timezone-aware datetime. Numbers come from ``PatternConfig`` (defaults in
``governance/core/defaults.py``, section "pattern"; 000 §2.2).

State machine: NONE → SUSPECTED → CONFIRMED → STABLE, decaying back towards NONE.

* A failure records an occurrence. The state then rises to the highest level the evidence
  supports, up to the ceiling of the failure's confidence tier (001 §3.3): LOW never raises the
  state (no pattern claims), MEDIUM raises it to SUSPECTED at most, HIGH up to CONFIRMED.
* A CONFIRMED pattern whose mastery reaches MASTERED becomes STABLE ("long-standing, improved");
  a STABLE pattern whose mastery turns REGRESSING falls back to CONFIRMED on a HIGH failure and
  to SUSPECTED otherwise.
* Decay is a function of the current weighted count only, so reading at ``t2`` gives the same
  state whether or not the snapshot was also read at an earlier ``t1``: CONFIRMED and STABLE fall
  to SUSPECTED below ``decay_confirmed_below``, and SUSPECTED falls to NONE below
  ``decay_to_none_below`` (both can happen in one step after a long absence).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

SECONDS_PER_DAY = 86_400.0


class PatternStateName(StrEnum):
    NONE = "none"
    SUSPECTED = "suspected"
    CONFIRMED = "confirmed"
    STABLE = "stable"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Mastery(StrEnum):
    LEARNING = "learning"
    MASTERING = "mastering"
    MASTERED = "mastered"
    REGRESSING = "regressing"


class ConfidenceTier(StrEnum):
    """The calibrated confidence tiers of 001 §3.3; plain strings with these values are accepted."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SUPPORT_NONE = "none"

_STATE_RANK = {
    PatternStateName.NONE: 0,
    PatternStateName.SUSPECTED: 1,
    PatternStateName.CONFIRMED: 2,
    PatternStateName.STABLE: 3,
}
_SUPPORT_RANK = {
    SUPPORT_NONE: 0,
    ConfidenceTier.LOW: 1,
    ConfidenceTier.MEDIUM: 2,
    ConfidenceTier.HIGH: 3,
}
# The highest state a failure of each tier may raise a pattern to (001 §3.3 "Behavior" column).
_TIER_CEILING = {
    ConfidenceTier.LOW: PatternStateName.NONE,
    ConfidenceTier.MEDIUM: PatternStateName.SUSPECTED,
    ConfidenceTier.HIGH: PatternStateName.CONFIRMED,
}


@dataclass(frozen=True)
class PatternConfig:
    half_life_days: float
    recency_boost_days: float
    recency_boost_factor: float
    suspected_min_evidence: int
    suspected_min_weight: float
    confirmed_min_evidence: int
    confirmed_min_weight: float
    decay_to_none_below: float
    decay_confirmed_below: float
    severity_critical_weight: float
    severity_high_weight: float
    severity_medium_weight: float
    cluster_window_days: float
    cluster_min_occurrences: int
    mastering_successes: int
    mastered_successes: int
    regressing_failures: int
    history_limit: int
    evidence_min_weight: float

    def __post_init__(self) -> None:
        problems = []
        if self.half_life_days <= 0:
            problems.append("half_life_days must be > 0")
        if self.recency_boost_days < 0 or self.recency_boost_factor < 1:
            problems.append("recency_boost_days must be >= 0 and recency_boost_factor >= 1")
        if self.decay_to_none_below > self.decay_confirmed_below:
            problems.append("decay_to_none_below must be <= decay_confirmed_below")
        if self.suspected_min_evidence > self.confirmed_min_evidence:
            problems.append("suspected_min_evidence must be <= confirmed_min_evidence")
        if self.suspected_min_weight > self.confirmed_min_weight:
            problems.append("suspected_min_weight must be <= confirmed_min_weight")
        if not (
            self.severity_medium_weight
            <= self.severity_high_weight
            <= self.severity_critical_weight
        ):
            problems.append("severity weights must rise medium <= high <= critical")
        if not 1 <= self.mastering_successes <= self.mastered_successes:
            problems.append("need 1 <= mastering_successes <= mastered_successes")
        if self.regressing_failures < 1 or self.cluster_min_occurrences < 1:
            problems.append("regressing_failures and cluster_min_occurrences must be >= 1")
        if self.history_limit < self.confirmed_min_evidence:
            problems.append("history_limit must be >= confirmed_min_evidence")
        if problems:
            raise ValueError("invalid pattern config: " + "; ".join(problems))


@dataclass(frozen=True)
class PatternSnapshot:
    """Everything the caller persists for one learner and one (root cause, subtype).

    ``occurrences`` are the failure times, oldest first, capped at ``history_limit``;
    ``evidence_count`` is how many of them still weigh at least ``evidence_min_weight``;
    ``confidence_support`` is the best tier that raised the state ("none" once back to NONE);
    ``last_seen_at`` is the latest failure.
    """

    state: PatternStateName
    occurrences: tuple[datetime, ...]
    evidence_count: int
    weighted_count: float
    severity: Severity
    mastery: Mastery
    consecutive_successes: int
    consecutive_failures: int
    confidence_support: str
    last_seen_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """JSON-able dict; ``from_json`` restores an equal snapshot."""
        return {
            "state": self.state.value,
            "occurrences": [at.isoformat() for at in self.occurrences],
            "evidence_count": self.evidence_count,
            "weighted_count": self.weighted_count,
            "severity": self.severity.value,
            "mastery": self.mastery.value,
            "consecutive_successes": self.consecutive_successes,
            "consecutive_failures": self.consecutive_failures,
            "confidence_support": self.confidence_support,
            "last_seen_at": self.last_seen_at.isoformat() if self.last_seen_at else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PatternSnapshot:
        """Inverse of ``to_json``; raises ValueError on unknown values or naive datetimes."""
        support = str(data["confidence_support"])
        if support not in _SUPPORT_RANK:
            raise ValueError(f"unknown confidence_support {support!r}")
        last_seen = data["last_seen_at"]
        return cls(
            state=PatternStateName(data["state"]),
            occurrences=tuple(_parse_aware(at) for at in data["occurrences"]),
            evidence_count=int(data["evidence_count"]),
            weighted_count=float(data["weighted_count"]),
            severity=Severity(data["severity"]),
            mastery=Mastery(data["mastery"]),
            consecutive_successes=int(data["consecutive_successes"]),
            consecutive_failures=int(data["consecutive_failures"]),
            confidence_support=support,
            last_seen_at=_parse_aware(last_seen) if last_seen is not None else None,
        )


def new_pattern() -> PatternSnapshot:
    """The NONE state of a pattern never seen: no occurrences, learning, no support."""
    return PatternSnapshot(
        state=PatternStateName.NONE,
        occurrences=(),
        evidence_count=0,
        weighted_count=0.0,
        severity=Severity.LOW,
        mastery=Mastery.LEARNING,
        consecutive_successes=0,
        consecutive_failures=0,
        confidence_support=SUPPORT_NONE,
        last_seen_at=None,
    )


def decay_weight(*, days_ago: float, config: PatternConfig) -> float:
    """``2 ** (-days_ago / half_life)``, boosted by ``recency_boost_factor`` up to
    ``recency_boost_days`` (inclusive); a future occurrence (negative age) counts as age 0."""
    days = max(0.0, days_ago)
    weight = 2.0 ** (-days / config.half_life_days)
    if days <= config.recency_boost_days:
        weight *= config.recency_boost_factor
    return weight


def weighted_count(
    *, occurrences: tuple[datetime, ...], now: datetime, config: PatternConfig
) -> float:
    """Sum of the decay weights of the occurrences as seen at ``now``."""
    _check_aware(now)
    return sum(decay_weight(days_ago=_days_between(at, now), config=config) for at in occurrences)


def severity_of(
    *, occurrences: tuple[datetime, ...], weighted: float, now: datetime, config: PatternConfig
) -> Severity:
    """CRITICAL at ``severity_critical_weight`` or when at least ``cluster_min_occurrences`` fall
    within the last ``cluster_window_days`` (a burst is critical even before it weighs much);
    otherwise HIGH / MEDIUM by weight, else LOW."""
    _check_aware(now)
    ages = [_days_between(at, now) for at in occurrences]
    return _severity(ages=ages, weighted=weighted, config=config)


def _severity(*, ages: list[float], weighted: float, config: PatternConfig) -> Severity:
    """``severity_of`` from the occurrences' ages in days."""
    clustered = sum(1 for days in ages if days <= config.cluster_window_days)
    if weighted >= config.severity_critical_weight or clustered >= config.cluster_min_occurrences:
        return Severity.CRITICAL
    if weighted >= config.severity_high_weight:
        return Severity.HIGH
    if weighted >= config.severity_medium_weight:
        return Severity.MEDIUM
    return Severity.LOW


def pattern_record_failure(
    *, snapshot: PatternSnapshot, at: datetime, confidence_tier: str, config: PatternConfig
) -> PatternSnapshot:
    """Record a failure diagnosed as this pattern with the given confidence tier.

    The occurrence always counts as evidence, whatever the tier. Mastery: consecutive successes
    reset; after mastery (MASTERED or REGRESSING), ``regressing_failures`` consecutive failures
    make it REGRESSING, fewer keep it; before mastery it falls back to LEARNING. State: decay
    first (on the weight before this failure, so an earlier read changes nothing), then a
    regressing STABLE pattern falls back (CONFIRMED on HIGH, else SUSPECTED);
    otherwise the state rises to what the evidence supports, capped by the tier's ceiling.
    """
    _check_aware(at)
    tier = ConfidenceTier(confidence_tier)
    occurrences = tuple(sorted((*snapshot.occurrences, at)))[-config.history_limit :]
    # Decay on the weight before this failure, as a read just before it would have seen it.
    decayed = pattern_refresh(snapshot=snapshot, now=at, config=config)
    measured = _measure(snapshot=decayed, occurrences=occurrences, now=at, config=config)

    failures = snapshot.consecutive_failures + 1
    if snapshot.mastery in (Mastery.MASTERED, Mastery.REGRESSING):
        mastery = Mastery.REGRESSING if failures >= config.regressing_failures else snapshot.mastery
    else:
        mastery = Mastery.LEARNING

    state = measured.state
    support = measured.confidence_support
    if state is PatternStateName.STABLE and mastery is Mastery.REGRESSING:
        fallback_high = tier is ConfidenceTier.HIGH
        state = PatternStateName.CONFIRMED if fallback_high else PatternStateName.SUSPECTED
    else:
        target = min(
            _supported_state(measured, config), _TIER_CEILING[tier], key=_STATE_RANK.__getitem__
        )
        if _STATE_RANK[target] > _STATE_RANK[state]:
            state = target
            support = max(support, tier.value, key=_SUPPORT_RANK.__getitem__)

    last_seen = at if snapshot.last_seen_at is None else max(snapshot.last_seen_at, at)
    return replace(
        measured,
        state=state,
        mastery=mastery,
        consecutive_successes=0,
        consecutive_failures=failures,
        confidence_support=SUPPORT_NONE if state is PatternStateName.NONE else support,
        last_seen_at=last_seen,
    )


def pattern_record_success(
    *, snapshot: PatternSnapshot, at: datetime, config: PatternConfig
) -> PatternSnapshot:
    """Record an accepted submission on this pattern.

    Consecutive failures reset. Mastery: MASTERED at ``mastered_successes`` consecutive successes
    and never lowered by a success; otherwise MASTERING at ``mastering_successes``; a REGRESSING
    pattern stays REGRESSING until it is MASTERING again; else LEARNING. State: decay, then a
    CONFIRMED pattern that is MASTERED becomes STABLE.
    """
    _check_aware(at)
    measured = _measure(snapshot=snapshot, occurrences=snapshot.occurrences, now=at, config=config)
    successes = snapshot.consecutive_successes + 1
    if successes >= config.mastered_successes or snapshot.mastery is Mastery.MASTERED:
        mastery = Mastery.MASTERED
    elif successes >= config.mastering_successes:
        mastery = Mastery.MASTERING
    elif snapshot.mastery is Mastery.REGRESSING:
        mastery = Mastery.REGRESSING
    else:
        mastery = Mastery.LEARNING

    state = measured.state
    if state is PatternStateName.CONFIRMED and mastery is Mastery.MASTERED:
        state = PatternStateName.STABLE
    return replace(
        measured,
        state=state,
        mastery=mastery,
        consecutive_successes=successes,
        consecutive_failures=0,
    )


def pattern_refresh(
    *, snapshot: PatternSnapshot, now: datetime, config: PatternConfig
) -> PatternSnapshot:
    """The snapshot as seen at ``now``: weights, evidence, severity and decayed state only."""
    _check_aware(now)
    return _measure(snapshot=snapshot, occurrences=snapshot.occurrences, now=now, config=config)


def _measure(
    *,
    snapshot: PatternSnapshot,
    occurrences: tuple[datetime, ...],
    now: datetime,
    config: PatternConfig,
) -> PatternSnapshot:
    """Recompute the time-dependent fields at ``now`` and apply decay to the state.

    Each occurrence's age and weight are computed once (weighted_count and severity_of each
    compute them on their own); the sum runs in the same order, so the values are the same."""
    ages = [_days_between(at, now) for at in occurrences]
    weights = [decay_weight(days_ago=days, config=config) for days in ages]
    weighted = sum(weights)
    evidence = sum(1 for weight in weights if weight >= config.evidence_min_weight)
    state = snapshot.state
    if (
        state in (PatternStateName.CONFIRMED, PatternStateName.STABLE)
        and weighted < config.decay_confirmed_below
    ):
        state = PatternStateName.SUSPECTED
    if state is PatternStateName.SUSPECTED and weighted < config.decay_to_none_below:
        state = PatternStateName.NONE
    return replace(
        snapshot,
        state=state,
        occurrences=occurrences,
        evidence_count=evidence,
        weighted_count=weighted,
        severity=_severity(ages=ages, weighted=weighted, config=config),
        confidence_support=(
            SUPPORT_NONE if state is PatternStateName.NONE else snapshot.confidence_support
        ),
    )


def _supported_state(measured: PatternSnapshot, config: PatternConfig) -> PatternStateName:
    """The highest claim the evidence alone would justify, ignoring the tier."""
    evidence, weighted = measured.evidence_count, measured.weighted_count
    if evidence >= config.confirmed_min_evidence and weighted >= config.confirmed_min_weight:
        return PatternStateName.CONFIRMED
    if evidence >= config.suspected_min_evidence and weighted >= config.suspected_min_weight:
        return PatternStateName.SUSPECTED
    return PatternStateName.NONE


def _days_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / SECONDS_PER_DAY


def _check_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass a timezone-aware datetime")


def _parse_aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    _check_aware(moment)
    return moment
