"""Quality score of a candidate memory: store or reject it, and for how long (000 §3.1).

score = w_confidence·confidence + w_recurrence·recurrence + w_completeness·completeness
        + w_feedback·feedback, each component in [0, 1], weights 0.35 / 0.25 / 0.25 / 0.15.

How each component is computed (the seed names the sources, these are this project's choices):

- **confidence**: MIM's combined (calibrated) confidence, clamped to [0, 1]; NaN counts as 0.
- **recurrence**: ``min(1, (recurrence_count − 1) / (recurrence_full_count − 1))`` where
  ``recurrence_count`` is how often the learner has made this (root cause, subtype) mistake,
  this one included: a first mistake scores 0, the second 0.5 and the third and later 1 with the
  default ``recurrence_full_count`` of 3 (the pattern engine's confirmation evidence). When the
  pattern engine says the mistake ``is_recurring`` the component is at least
  ``recurring_min_recurrence`` (0.5), so a recurring pattern whose count is low (decayed, or
  counted elsewhere) still earns half credit.
- **completeness**: the mean of four equally weighted parts: the summary's length
  (``min(1, stripped length / summary_full_chars)``, 80 characters for full credit), and whether
  the root cause, the subtype and the category (the problem's primary tag) are present.
- **feedback**: ``was_helpful`` True → 1, False → 0, None (no feedback yet, the usual case for a
  new memory) → ``feedback_neutral`` = 0.5, the midpoint, so silence neither rewards nor
  punishes. A new memory therefore scores at most 0.925 by default.

The score is rounded to 6 decimal places before it is compared, so the boundaries are exact:
0.6 is stored, 0.8 gets 365 days, whatever floating point did on the way. A rejected candidate's
``reason`` names its weakest component(s): those that lost the most weighted points,
``weight · (1 − value)``, ties (within 1e-9) all named. The TTL tiers are ``ttl_long_days`` (365)
from ``ttl_long_threshold`` (0.8), ``ttl_medium_days`` (180) from ``ttl_medium_threshold`` (0.7),
else ``ttl_short_days`` (90); a rejected candidate has no TTL.

``MemoryConfig`` holds every number; its defaults are the seed's, read from
``governance.core.defaults`` (the one place defaults live), and the active governance config
version supplies the values at run time (``MemoryConfig(**config["memory"])``). It also carries
the retrieval numbers (top-k and the boost on retrieval: +30 days, +0.02 quality capped at 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from governance.core.defaults import DEFAULT_CONFIG

COMPONENTS: tuple[str, ...] = ("confidence", "recurrence", "completeness", "feedback")
_TIE_TOLERANCE = 1e-9
_WEIGHT_SUM_TOLERANCE = 1e-9


# The one place these numbers live is governance.core.defaults (config versions override it).
_DEFAULTS = DEFAULT_CONFIG["memory"]


@dataclass(frozen=True)
class MemoryConfig:
    """Weights, thresholds and TTLs of memory quality and retrieval; validated on creation."""

    weight_confidence: float = _DEFAULTS["weight_confidence"]
    weight_recurrence: float = _DEFAULTS["weight_recurrence"]
    weight_completeness: float = _DEFAULTS["weight_completeness"]
    weight_feedback: float = _DEFAULTS["weight_feedback"]
    store_threshold: float = _DEFAULTS["store_threshold"]
    ttl_medium_threshold: float = _DEFAULTS["ttl_medium_threshold"]
    ttl_long_threshold: float = _DEFAULTS["ttl_long_threshold"]
    ttl_short_days: int = _DEFAULTS["ttl_short_days"]
    ttl_medium_days: int = _DEFAULTS["ttl_medium_days"]
    ttl_long_days: int = _DEFAULTS["ttl_long_days"]
    feedback_neutral: float = _DEFAULTS["feedback_neutral"]
    recurrence_full_count: int = _DEFAULTS["recurrence_full_count"]
    recurring_min_recurrence: float = _DEFAULTS["recurring_min_recurrence"]
    summary_full_chars: int = _DEFAULTS["summary_full_chars"]
    retrieval_k: int = _DEFAULTS["retrieval_k"]
    boost_ttl_days: int = _DEFAULTS["boost_ttl_days"]
    boost_quality: float = _DEFAULTS["boost_quality"]

    def __post_init__(self) -> None:
        problems = []
        weights = self.weights()
        if any(not math.isfinite(w) or w < 0 for w in weights.values()):
            problems.append("weights must be finite and >= 0")
        total = math.fsum(weights.values())
        if not abs(total - 1.0) <= _WEIGHT_SUM_TOLERANCE:
            problems.append(f"weights must sum to 1 (within 1e-9), got {total!r}")
        if not (
            0.0
            <= self.store_threshold
            <= self.ttl_medium_threshold
            <= self.ttl_long_threshold
            <= 1.0
        ):
            problems.append(
                "thresholds must be ordered 0 <= store_threshold <= ttl_medium_threshold "
                "<= ttl_long_threshold <= 1"
            )
        if not 0 < self.ttl_short_days <= self.ttl_medium_days <= self.ttl_long_days:
            problems.append("TTLs must be ordered 0 < ttl_short_days <= medium <= long")
        for name in ("feedback_neutral", "recurring_min_recurrence", "boost_quality"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                problems.append(f"{name} must be within [0, 1]")
        if self.recurrence_full_count < 2:
            problems.append("recurrence_full_count must be >= 2 (a first mistake is no recurrence)")
        if self.summary_full_chars < 1:
            problems.append("summary_full_chars must be >= 1")
        if self.retrieval_k < 1:
            problems.append("retrieval_k must be >= 1")
        if self.boost_ttl_days < 0:
            problems.append("boost_ttl_days must be >= 0")
        if problems:
            raise ValueError("invalid memory config: " + "; ".join(problems))

    def weights(self) -> dict[str, float]:
        """Weight of each component, keyed like ``QualityScore.components``."""
        return {name: getattr(self, f"weight_{name}") for name in COMPONENTS}


DEFAULT_MEMORY_CONFIG = MemoryConfig()


@dataclass(frozen=True)
class QualityScore:
    """The decision on one candidate memory; ``ttl_days`` is None when it is not stored."""

    score: float
    components: dict[str, float]
    stored: bool
    reason: str
    ttl_days: int | None


def _unit(value: float) -> float:
    if math.isnan(value):
        return 0.0
    return min(1.0, max(0.0, value))


def _present(value: str | None) -> bool:
    return bool(value and value.strip())


def recurrence_component(
    *, is_recurring: bool, recurrence_count: int, config: MemoryConfig = DEFAULT_MEMORY_CONFIG
) -> float:
    """Credit for a repeated mistake: 0 for a first one, 1 from ``recurrence_full_count`` on."""
    repeats = max(0, recurrence_count - 1)
    value = min(1.0, repeats / (config.recurrence_full_count - 1))
    if is_recurring:
        value = max(value, config.recurring_min_recurrence)
    return value


def completeness_component(
    *,
    summary: str,
    root_cause: str | None,
    subtype: str | None,
    category: str | None,
    config: MemoryConfig = DEFAULT_MEMORY_CONFIG,
) -> float:
    """Mean of summary length credit and presence of root cause, subtype and category."""
    length = min(1.0, len(summary.strip()) / config.summary_full_chars)
    present = sum(_present(value) for value in (root_cause, subtype, category))
    return (length + present) / 4


def feedback_component(
    *, was_helpful: bool | None, config: MemoryConfig = DEFAULT_MEMORY_CONFIG
) -> float:
    """1 when helpful, 0 when not, ``feedback_neutral`` until feedback arrives."""
    if was_helpful is None:
        return config.feedback_neutral
    return 1.0 if was_helpful else 0.0


def ttl_days_for(score: float, *, config: MemoryConfig = DEFAULT_MEMORY_CONFIG) -> int:
    """Days a memory of this quality (rounded to 6 places, like a score) lives (000 §3.1)."""
    score = round(score, 6)
    if score >= config.ttl_long_threshold:
        return config.ttl_long_days
    if score >= config.ttl_medium_threshold:
        return config.ttl_medium_days
    return config.ttl_short_days


def boosted_quality(quality: float, *, config: MemoryConfig = DEFAULT_MEMORY_CONFIG) -> float:
    """Quality after one retrieval: ``+boost_quality``, capped at 1."""
    return round(min(1.0, quality + config.boost_quality), 6)


def _weakest(components: dict[str, float], weights: dict[str, float]) -> list[str]:
    lost = {name: weights[name] * (1.0 - value) for name, value in components.items()}
    worst = max(lost.values())
    return [name for name in COMPONENTS if worst - lost[name] <= _TIE_TOLERANCE]


def memory_quality_score(
    *,
    mim_confidence: float,
    is_recurring: bool,
    recurrence_count: int,
    summary: str,
    root_cause: str | None,
    subtype: str | None,
    category: str | None,
    was_helpful: bool | None = None,
    config: MemoryConfig = DEFAULT_MEMORY_CONFIG,
) -> QualityScore:
    """Score a candidate memory and decide whether to store it and for how many days."""
    components = {
        "confidence": _unit(mim_confidence),
        "recurrence": recurrence_component(
            is_recurring=is_recurring, recurrence_count=recurrence_count, config=config
        ),
        "completeness": completeness_component(
            summary=summary,
            root_cause=root_cause,
            subtype=subtype,
            category=category,
            config=config,
        ),
        "feedback": feedback_component(was_helpful=was_helpful, config=config),
    }
    weights = config.weights()
    score = round(math.fsum(weights[name] * value for name, value in components.items()), 6)
    rounded = {name: round(value, 6) for name, value in components.items()}
    if score >= config.store_threshold:
        return QualityScore(
            score=score,
            components=rounded,
            stored=True,
            reason="",
            ttl_days=ttl_days_for(score, config=config),
        )
    weakest = ", ".join(
        f"{name} {rounded[name]:.3f} (lost {weights[name] * (1.0 - components[name]):.3f})"
        for name in _weakest(components, weights)
    )
    return QualityScore(
        score=score,
        components=rounded,
        stored=False,
        reason=(
            f"quality {score:.3f} below store threshold {config.store_threshold:.3f}; "
            f"weakest: {weakest}"
        ),
        ttl_days=None,
    )
