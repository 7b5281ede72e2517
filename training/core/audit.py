"""Feature sanity audit (000 §0.1): distributions, dead or duplicate features, leakage, a gate.

``feature_audit`` turns a frame of feature vectors into a JSON-ready report; the caller adds the
``timestamp``. Per feature it records the distribution of its finite values (population std and
variance, percentiles p01…p99), the share of missing (NaN) and infinite values, the number of
distinct values and the share of the most frequent one.

Rules (every threshold and penalty lives in ``AuditThresholds``):

- column missing from the frame, or not numeric: FIX, blocking, ``penalty_unusable``;
- NaN or ±inf present: FIX, blocking, ``penalty_non_finite``;
- label leakage, the feature alone predicts the label (holdout macro-F1 above
  ``label_leakage_macro_f1``): REMOVE, blocking, ``penalty_label_leakage``;
- constant (at most one distinct finite value): REMOVE, ``penalty_constant``;
- near-constant (top value share ≥ ``near_constant_share``): REVIEW, ``penalty_near_constant``;
- a pair with Pearson abs(r) ≥ ``high_correlation``: REVIEW the later one in schema order,
  ``penalty_correlated_pair`` per pair;
- trend with time (Spearman abs(rho) with time order ≥ ``time_trend_rho``): REVIEW,
  ``penalty_time_trend``.

A feature gets one action, the first that applies in the order FIX, REMOVE, REVIEW, KEEP; its
``issues`` list keeps every finding. The health score starts at 100 and loses the penalties
above; the penalties of each non-blocking finding kind together are capped at
``category_penalty_cap``, so only several kinds of minor trouble together fail the gate, while a
single blocking issue fails it on its own. The score is clipped to 0..100. Gate: no blocking
issue and health ≥ ``min_health_score``.

Temporal leakage has two honest, simple checks. Label leakage: each feature's single-feature
rule (the multi-class stump of ``training.core.leakage``) is fitted on the earlier rows and scored
on the later ones (the last ``holdout_share`` of each class in time order); near-perfect
separation by one feature means the label, or something computed after it, is inside the
feature. Time trend: a feature strongly monotone in time drifts, or counts something that grows
with the calendar rather than with the learner. Time order is ``time_column`` when given (stable
sort), row order otherwise. The audit is deterministic for a given frame and seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from training.core.leakage import (
    encode_labels,
    single_feature_scores,
    stratified_subsample,
    time_holdout_split,
)

ACTIONS = ("REMOVE", "FIX", "KEEP", "REVIEW")
PERCENTILES = {"p01": 1, "p25": 25, "p50": 50, "p75": 75, "p99": 99}
DECIMALS = 6


@dataclass(frozen=True)
class AuditThresholds:
    """Every threshold, penalty and sample size of the audit, in one place."""

    near_constant_share: float = 0.99
    high_correlation: float = 0.98
    label_leakage_macro_f1: float = 0.95  # as the stump of the leakage gate (000 §1.3)
    time_trend_rho: float = 0.9
    holdout_share: float = 0.25
    leakage_sample_rows: int = 50_000
    min_health_score: float = 70.0
    penalty_unusable: float = 20.0
    penalty_non_finite: float = 20.0
    penalty_label_leakage: float = 30.0
    penalty_constant: float = 3.0
    penalty_near_constant: float = 2.0
    penalty_correlated_pair: float = 3.0
    penalty_time_trend: float = 5.0
    category_penalty_cap: float = 15.0


def _number(value: float) -> float | None:
    """A JSON-safe float: rounded, None for NaN/inf."""
    value = float(value)
    return round(value, DECIMALS) if math.isfinite(value) else None


def _feature_stats(
    values: np.ndarray, thresholds: AuditThresholds
) -> tuple[dict[str, Any], list[str]]:
    """Distribution of the finite values, missing/inf shares, and the issues they show."""
    n_rows = len(values)
    missing = np.isnan(values)
    infinite = np.isinf(values)
    finite = values[~missing & ~infinite]
    unique, counts = np.unique(finite, return_counts=True)
    top_share = float(counts.max() / len(finite)) if len(finite) else 1.0
    constant = len(unique) <= 1
    near_constant = not constant and top_share >= thresholds.near_constant_share
    stats: dict[str, Any] = dict.fromkeys(("min", "max", "mean", "std", "variance"))
    stats.update(dict.fromkeys(PERCENTILES))
    if len(finite):
        std = float(finite.std())
        stats.update(
            min=_number(finite.min()),
            max=_number(finite.max()),
            mean=_number(finite.mean()),
            std=_number(std),
            variance=_number(std * std),
        )
        quantiles = np.percentile(finite, list(PERCENTILES.values()))
        stats.update({key: _number(q) for key, q in zip(PERCENTILES, quantiles, strict=True)})
    stats.update(
        missing_rate=_number(missing.mean()) if n_rows else 0.0,
        infinite_rate=_number(infinite.mean()) if n_rows else 0.0,
        unique_count=len(unique),
        top_value_share=_number(top_share),
        constant=constant,
        near_constant=near_constant,
    )
    issues = []
    if missing.any() or infinite.any():
        issues.append("non_finite")
    if constant:
        issues.append("constant")
    elif near_constant:
        issues.append("near_constant")
    return stats, issues


def _time_order(frame: pd.DataFrame, time_column: str | None) -> tuple[np.ndarray, pd.Series]:
    """The stable sort order by time, and the time ranks of the sorted rows (ties averaged)."""
    if time_column is None:
        order = np.arange(len(frame))
        return order, pd.Series(order, dtype=np.float64)
    if time_column not in frame.columns:
        raise ValueError(
            f"time column '{time_column}' is not in the frame; pass time_column=None to use "
            "row order as time order"
        )
    times = frame[time_column]
    if not pd.api.types.is_numeric_dtype(times):
        times = pd.to_datetime(times, utc=True)
    values = times.to_numpy()
    order = np.argsort(values, kind="stable")
    return order, pd.Series(values[order]).rank(method="average")


def _correlated_pairs(
    numeric: pd.DataFrame, usable: list[str], threshold: float
) -> list[list[Any]]:
    """[a, b, r] for every pair with abs(r) ≥ threshold; a comes before b in schema order."""
    if len(usable) < 2:
        return []
    matrix = numeric[usable].corr(method="pearson").to_numpy()
    pairs = []
    for i, j in zip(*np.triu_indices(len(usable), k=1), strict=True):
        r = matrix[i, j]
        if math.isfinite(r) and abs(r) >= threshold:
            pairs.append([usable[i], usable[j], _number(r)])
    return pairs


def _label_leakage_scores(
    numeric: pd.DataFrame,
    labels: pd.Series,
    usable: list[str],
    thresholds: AuditThresholds,
    seed: int,
) -> tuple[dict[str, float | None], int, str | None]:
    """Single-feature holdout macro-F1 per usable feature, rows used, and a reason if skipped."""
    labelled = labels.notna().to_numpy()
    if not usable:
        return {}, 0, "no usable features"
    codes, _ = encode_labels(labels[labelled].astype(str).to_numpy())
    rows = stratified_subsample(codes, max_rows=thresholds.leakage_sample_rows, seed=seed)
    codes = codes[rows]
    train, holdout = time_holdout_split(codes, holdout_share=thresholds.holdout_share)
    if len(np.unique(codes[train])) < 2 or len(holdout) == 0:
        return {}, 0, "fewer than two classes with two labelled rows or more"
    X = numeric[usable].to_numpy(dtype=np.float64)[labelled][rows]
    X[~np.isfinite(X)] = np.nan
    scores = single_feature_scores(X, codes, train=train, holdout=holdout, seed=seed)
    return {name: _number(s) for name, s in zip(usable, scores, strict=True)}, len(rows), None


def _time_trends(
    numeric: pd.DataFrame, usable: list[str], time_rank: pd.Series
) -> dict[str, float | None]:
    """Spearman rho of each feature with time (Pearson on ranks); None when undefined."""
    if not usable:
        return {}
    ranks = numeric[usable].replace([np.inf, -np.inf], np.nan).rank(method="average")
    rho = ranks.corrwith(time_rank, method="pearson")
    return {name: _number(rho[name]) for name in usable}


def feature_audit(
    frame: pd.DataFrame,
    *,
    feature_names: Sequence[str],
    label_column: str | None = "root_cause",
    time_column: str | None = "submitted_at",
    thresholds: AuditThresholds = AuditThresholds(),
    seed: int = 0,
) -> dict[str, Any]:
    """Audit ``feature_names`` of ``frame``; return the JSON-ready report (without timestamp).

    ``label_column=None`` skips the label-leakage check; ``time_column=None`` takes row order
    as time order. Raises ``ValueError`` when a named label or time column is missing.
    """
    names = list(feature_names)
    if label_column is not None and label_column not in frame.columns:
        raise ValueError(f"label column '{label_column}' is not in the frame")
    order, time_rank = _time_order(frame, time_column)
    ordered = frame.iloc[order].reset_index(drop=True)

    features: dict[str, dict[str, Any]] = {}
    issues: dict[str, list[str]] = {name: [] for name in names}
    usable: list[str] = []
    for name in names:
        if name not in ordered.columns:
            issues[name].append("missing_column")
            features[name] = {"issues": issues[name]}
            continue
        column = ordered[name]
        if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)):
            issues[name].append("not_numeric")
            features[name] = {"dtype": str(column.dtype), "issues": issues[name]}
            continue
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        stats, found = _feature_stats(values, thresholds)
        issues[name].extend(found)
        features[name] = {**stats, "issues": issues[name]}
        usable.append(name)
    numeric = ordered[usable].astype(np.float64)

    informative = [name for name in usable if not features[name]["constant"]]
    pairs = _correlated_pairs(
        numeric.replace([np.inf, -np.inf], np.nan), informative, thresholds.high_correlation
    )
    for _, later, _ in pairs:
        if "correlated" not in issues[later]:
            issues[later].append("correlated")

    leakage_scores: dict[str, float | None] = {}
    leakage_rows = 0
    skipped = "no label column" if label_column is None else None
    if label_column is not None:
        leakage_scores, leakage_rows, skipped = _label_leakage_scores(
            numeric, ordered[label_column], informative, thresholds, seed
        )
    leaky = [
        name
        for name, score in leakage_scores.items()
        if score is not None and score > thresholds.label_leakage_macro_f1
    ]
    trends = _time_trends(numeric, informative, time_rank)
    trending = [
        name
        for name, rho in trends.items()
        if rho is not None and abs(rho) >= thresholds.time_trend_rho
    ]
    for name in leaky:
        issues[name].append("label_leakage")
    for name in trending:
        issues[name].append("time_trend")

    blocking = _blocking_issues(names, issues, features, leakage_scores)
    health = _health_score(issues, len(pairs), thresholds)
    return {
        "row_count": len(frame),
        "feature_count": len(names),
        "label_column": label_column,
        "time_column": time_column,
        "thresholds": asdict(thresholds),
        "features": features,
        "correlation": {
            "method": "pearson",
            "threshold": thresholds.high_correlation,
            "pairs_above_threshold": pairs,
        },
        "temporal_leakage": {
            "label_leakage": {
                "method": "single-feature rule (multi-class stump), holdout macro-F1",
                "holdout": f"last {thresholds.holdout_share:.0%} of each class in time order",
                "threshold": thresholds.label_leakage_macro_f1,
                "rows_used": leakage_rows,
                "skipped": skipped,
                "macro_f1": leakage_scores,
                "flagged": leaky,
            },
            "time_trend": {
                "method": "Spearman rho with time order",
                "threshold": thresholds.time_trend_rho,
                "rho": trends,
                "flagged": trending,
            },
        },
        "health_score": health,
        "blocking_issues": blocking,
        "action_lists": _action_lists(names, issues),
        "gate": {
            "passed": not blocking and health >= thresholds.min_health_score,
            "min_health_score": thresholds.min_health_score,
        },
    }


def _blocking_issues(
    names: list[str],
    issues: dict[str, list[str]],
    features: dict[str, dict[str, Any]],
    leakage_scores: dict[str, float | None],
) -> list[str]:
    blocking = []
    for name in names:
        found = issues[name]
        if "missing_column" in found:
            blocking.append(f"{name}: column missing from the data (FIX)")
        if "not_numeric" in found:
            blocking.append(f"{name}: not numeric ({features[name]['dtype']}) (FIX)")
        if "non_finite" in found:
            stats = features[name]
            blocking.append(
                f"{name}: non-finite values, missing rate {stats['missing_rate']}, "
                f"infinite rate {stats['infinite_rate']} (FIX)"
            )
        if "label_leakage" in found:
            blocking.append(
                f"{name}: possible label leakage, the feature alone reaches holdout macro-F1 "
                f"{leakage_scores[name]:.3f} (REMOVE)"
            )
    return blocking


def _health_score(
    issues: dict[str, list[str]], correlated_pairs: int, thresholds: AuditThresholds
) -> float:
    def count(kind: str) -> int:
        return sum(kind in found for found in issues.values())

    blocking_penalty = (
        thresholds.penalty_unusable * (count("missing_column") + count("not_numeric"))
        + thresholds.penalty_non_finite * count("non_finite")
        + thresholds.penalty_label_leakage * count("label_leakage")
    )
    minor = (
        thresholds.penalty_constant * count("constant"),
        thresholds.penalty_near_constant * count("near_constant"),
        thresholds.penalty_correlated_pair * correlated_pairs,
        thresholds.penalty_time_trend * count("time_trend"),
    )
    minor_penalty = sum(min(p, thresholds.category_penalty_cap) for p in minor)
    return round(min(100.0, max(0.0, 100.0 - blocking_penalty - minor_penalty)), 2)


def _action_lists(names: list[str], issues: dict[str, list[str]]) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {action: [] for action in ACTIONS}
    for name in names:
        found = set(issues[name])
        if found & {"missing_column", "not_numeric", "non_finite"}:
            lists["FIX"].append(name)
        elif found & {"label_leakage", "constant"}:
            lists["REMOVE"].append(name)
        elif found & {"near_constant", "correlated", "time_trend"}:
            lists["REVIEW"].append(name)
        else:
            lists["KEEP"].append(name)
    return lists
