"""Feature building for MIM: delta, history, context and code-signal features in schema order."""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from diagnosis.core.code_signals import CodeSignals
from diagnosis.core.taxonomy import ROOT_CAUSES

SCHEMA_V2_PATH = Path(__file__).with_name("feature_schema_v2.json")

# Bounds that keep every feature finite and in a sane range whatever the input (000 §0.3).
MAX_ATTEMPTS = 1000
MAX_LINES = 10_000
MAX_SECONDS = 365 * 24 * 3600
MAX_SUBMISSIONS = 1_000_000
MAX_STREAK = 100
MAX_TAGS = 50
MAX_DIFFICULTY = 10
FAILED_VERDICTS = (
    "wrong_answer",
    "time_limit_exceeded",
    "memory_limit_exceeded",
    "runtime_error",
    "compilation_error",
)
LANGUAGES = ("python", "cpp", "java", "javascript")
# Label proxies that must never be features (000 §1.2 "excluded by policy").
EXCLUDED_FEATURES = frozenset({"code_likely_root_cause", "code_likely_root_confidence"})


class FeatureSchemaError(ValueError):
    """The feature schema file is malformed or names a forbidden feature."""


@dataclass(frozen=True, slots=True)
class FeatureSchema:
    version: str
    names: tuple[str, ...]
    types: tuple[str, ...]
    groups: tuple[str, ...]
    cold_start_submissions: int
    drift_features: tuple[str, ...]
    sha256: str

    def index(self, name: str) -> int:
        return self.names.index(name)


def parse_feature_schema(raw: bytes) -> FeatureSchema:
    """Parse a schema file's bytes; raise FeatureSchemaError on duplicates or label proxies."""
    data = json.loads(raw)
    names = tuple(f["name"] for f in data["features"])
    if len(set(names)) != len(names):
        raise FeatureSchemaError("feature schema lists a feature twice")
    forbidden = EXCLUDED_FEATURES.intersection(names)
    if forbidden:
        raise FeatureSchemaError(f"label proxies may not be features: {sorted(forbidden)}")
    return FeatureSchema(
        version=data["schema_version"],
        names=names,
        types=tuple(f["type"] for f in data["features"]),
        groups=tuple(f.get("group", "other") for f in data["features"]),
        cold_start_submissions=int(data["cold_start_submissions"]),
        drift_features=tuple(data.get("drift_monitoring_hooks", {}).get("features", ())),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


@lru_cache(maxsize=4)
def load_feature_schema(path: Path = SCHEMA_V2_PATH) -> FeatureSchema:
    return parse_feature_schema(path.read_bytes())


@dataclass(frozen=True, slots=True)
class AttemptContext:
    """The submission being diagnosed, as plain values."""

    code: str
    language: str
    verdict: str
    submitted_at: datetime
    problem_tags: tuple[str, ...] = ()
    problem_category: str = ""
    problem_difficulty: int | None = None


@dataclass(frozen=True, slots=True)
class PreviousAttempt:
    """The learner's previous attempt on the same problem."""

    code: str
    submitted_at: datetime
    attempt_number: int


@dataclass(frozen=True, slots=True)
class LearnerHistory:
    """Aggregates of the learner's earlier submissions (001 §2.4); no ids, no code."""

    total_submissions: int = 0
    accepted_submissions: int = 0
    current_streak: int = 0
    category_stats: Mapping[str, Sequence[int]] = field(default_factory=dict)
    root_cause_counts: Mapping[str, int] = field(default_factory=dict)


def _clip(value: float, low: float, high: float) -> float:
    if not math.isfinite(value):
        return low
    return min(max(value, low), high)


def delta_features(
    *, current: AttemptContext, previous: PreviousAttempt | None
) -> dict[str, float]:
    """Changes against the previous attempt on the problem (001 §2.2), bounded."""
    if previous is None:
        return {
            "delta_attempt_number": 1.0,
            "delta_log_seconds_since_last": 0.0,
            "delta_code_change_ratio": 1.0,
            "delta_lines_added": _clip(float(len(current.code.splitlines())), 0, MAX_LINES),
            "delta_lines_removed": 0.0,
        }
    seconds = (current.submitted_at - previous.submitted_at).total_seconds()
    old_lines = previous.code.splitlines()[:MAX_LINES]
    new_lines = current.code.splitlines()[:MAX_LINES]
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return {
        "delta_attempt_number": _clip(float(previous.attempt_number + 1), 1, MAX_ATTEMPTS),
        "delta_log_seconds_since_last": math.log1p(_clip(seconds, 0, MAX_SECONDS)),
        "delta_code_change_ratio": _clip(1.0 - matcher.ratio(), 0.0, 1.0),
        "delta_lines_added": _clip(float(added), 0, MAX_LINES),
        "delta_lines_removed": _clip(float(removed), 0, MAX_LINES),
    }


def history_features(
    *, history: LearnerHistory, category: str, schema: FeatureSchema
) -> dict[str, float]:
    """Learner aggregates (001 §2.4) with the cold-start flag (000 §0.3)."""
    total = max(history.total_submissions, 0)
    acceptance = history.accepted_submissions / total if total else 0.0
    attempts, accepted = [*history.category_stats.get(category, (0, 0)), 0, 0][:2]
    category_accuracy = accepted / attempts if attempts else acceptance
    diagnosed = sum(max(int(v), 0) for v in history.root_cause_counts.values())
    features = {
        "hist_total_submissions": _clip(float(total), 0, MAX_SUBMISSIONS),
        "hist_acceptance_rate": _clip(acceptance, 0.0, 1.0),
        "hist_category_accuracy": _clip(category_accuracy, 0.0, 1.0),
        "hist_current_streak": _clip(float(history.current_streak), -MAX_STREAK, MAX_STREAK),
        "hist_is_cold_start": 1.0 if total < schema.cold_start_submissions else 0.0,
    }
    for rc in ROOT_CAUSES:
        share = history.root_cause_counts.get(rc, 0) / diagnosed if diagnosed else 0.0
        features[f"hist_share_{rc}"] = _clip(share, 0.0, 1.0)
    return features


def context_features(*, current: AttemptContext) -> dict[str, float]:
    features = {f"ctx_verdict_{v}": float(current.verdict == v) for v in FAILED_VERDICTS}
    features.update({f"ctx_lang_{lang}": float(current.language == lang) for lang in LANGUAGES})
    difficulty = current.problem_difficulty if current.problem_difficulty is not None else 0
    features["ctx_problem_difficulty"] = _clip(float(difficulty), 0, MAX_DIFFICULTY)
    features["ctx_problem_tag_count"] = _clip(float(len(current.problem_tags)), 0, MAX_TAGS)
    return features


@dataclass(frozen=True, slots=True)
class FeatureVector:
    """Named feature values in schema order; `values` is what a model consumes."""

    schema_version: str
    names: tuple[str, ...]
    values: tuple[float, ...]

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.names, self.values, strict=True))

    def get(self, name: str, default: float = 0.0) -> float:
        try:
            return self.values[self.names.index(name)]
        except ValueError:
            return default


def vectorize(*, values: Mapping[str, Any], schema: FeatureSchema) -> FeatureVector:
    """Order `values` by the schema; a missing or non-finite value becomes 0.0."""
    ordered = []
    for name in schema.names:
        try:
            value = float(values.get(name, 0.0))
        except (TypeError, ValueError):
            value = 0.0
        ordered.append(value if math.isfinite(value) else 0.0)
    return FeatureVector(schema_version=schema.version, names=schema.names, values=tuple(ordered))


def build_features(
    *,
    current: AttemptContext,
    previous: PreviousAttempt | None,
    history: LearnerHistory,
    signals: CodeSignals,
    schema: FeatureSchema,
) -> FeatureVector:
    """All features of one attempt, in the schema's order."""
    values: dict[str, float] = {}
    values.update(delta_features(current=current, previous=previous))
    values.update(
        history_features(history=history, category=current.problem_category, schema=schema)
    )
    values.update(context_features(current=current))
    values.update(signals.as_features())
    return vectorize(values=values, schema=schema)


def dominant_root_causes(history: LearnerHistory, *, limit: int = 2) -> list[str]:
    """The learner's most frequent diagnosed root causes, most frequent first (ties by name).

    A new learner gets an empty list, never None (000 §0.3 "user state snapshot empty").
    """
    counts = [(rc, int(n)) for rc, n in history.root_cause_counts.items() if int(n) > 0]
    counts.sort(key=lambda item: (-item[1], item[0]))
    return [rc for rc, _ in counts[:limit]]
