"""Leakage-by-construction gate (000 §1.3): may a too-simple model separate the labels?

If a depth-1 stump, a depth-3 tree or a small GBDT restricted to one feature group separates the
classes almost perfectly, the labels are written into the features (a label proxy, or synthetic
data that is trivially separable) and training must not proceed. Every probe is fitted on the
earlier rows and scored with macro-F1 on the later ones; the gate fails when any probe scores
above its threshold (000: stump and tree ≤ 0.95, GBDT ≤ 0.98 pass).

The probes:

- ``stump``: a single-feature decision rule, scanned over every feature (one probe per feature,
  ``group`` = the feature's name) plus a summary probe on ``"all"`` that reports the best of them
  as ``top_feature``. With k classes a literal depth-1 tree has two leaves and could never get
  past ~0.5 macro-F1 on four classes, which would make the 0.95 threshold vacuous; the rule here
  is the multi-class generalisation of a stump: one feature, up to k − 1 thresholds (a tree on
  that single column with at most k leaves). Taking the best holdout score over the scan is
  slightly optimistic, which errs towards blocking.
- ``tree3``: a depth-3 decision tree on all features (low-order interactions).
- ``gbdt``: a small LightGBM model (``GBDT_PARAMS``) on all features and on each single feature
  group alone (higher-order separability within a group, e.g. an XOR of two code signals).

Rows are expected in time order. A deterministic, class-stratified subsample of at most
``max_rows`` rows keeps the gate fast; the holdout is the last ``holdout_share`` of each class's
rows (stratified and still later than that class's training rows). Everything is seeded and
single-threaded, so the same input and seed give the same report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from lightgbm import LGBMClassifier
from sklearn.tree import DecisionTreeClassifier

PROBE_STUMP = "stump"
PROBE_TREE = "tree3"
PROBE_GBDT = "gbdt"
ALL_FEATURES = "all"
TREE_DEPTH = 3

# Small on purpose: the probe asks whether the labels are trivially recoverable, not how well a
# tuned model does. Deterministic and single-threaded (safe in forked workers).
GBDT_PARAMS: Mapping[str, Any] = {
    "n_estimators": 30,
    "num_leaves": 15,
    "learning_rate": 0.1,
    "min_child_samples": 20,
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": 1,
    "verbose": -1,
}


@dataclass(frozen=True)
class LeakageThresholds:
    """Macro-F1 above which a probe fails (000 §1.3), and the share of rows held out."""

    stump_macro_f1: float = 0.95
    tree_macro_f1: float = 0.95
    gbdt_macro_f1: float = 0.98
    holdout_share: float = 0.25


@dataclass(frozen=True)
class ProbeResult:
    """One probe's holdout macro-F1; ``passed`` means ``macro_f1 <= threshold``."""

    probe: str
    group: str
    macro_f1: float
    threshold: float
    passed: bool
    top_feature: str | None


@dataclass(frozen=True)
class LeakageReport:
    """The gate's verdict, every probe, and one readable reason per failed probe."""

    passed: bool
    probes: tuple[ProbeResult, ...]
    blocking: tuple[str, ...]
    rows: int = 0
    holdout_rows: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (lists for tuples)."""
        return {
            "passed": self.passed,
            "probes": [asdict(probe) for probe in self.probes],
            "blocking": list(self.blocking),
            "rows": self.rows,
            "holdout_rows": self.holdout_rows,
        }


def encode_labels(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Class codes 0..k-1 (in sorted label order) and the labels they stand for."""
    classes, codes = np.unique(np.asarray(y), return_inverse=True)
    return codes.astype(np.int64), classes


def stratified_subsample(codes: np.ndarray, *, max_rows: int, seed: int) -> np.ndarray:
    """Indices of at most ``max_rows`` rows, class shares kept, in their original (time) order.

    Quotas are proportional to class counts with largest-remainder rounding, so the total is
    exactly ``max_rows`` when there are more rows than that.
    """
    n_rows = len(codes)
    if n_rows <= max_rows:
        return np.arange(n_rows)
    rng = np.random.default_rng(seed)
    counts = np.bincount(codes)
    exact = counts * (max_rows / n_rows)
    quotas = np.floor(exact).astype(np.int64)
    remainder_order = np.argsort(-(exact - quotas), kind="stable")
    quotas[remainder_order[: max_rows - int(quotas.sum())]] += 1
    chosen = [
        rng.choice(np.flatnonzero(codes == code), size=int(quota), replace=False)
        for code, quota in enumerate(quotas)
        if quota > 0
    ]
    return np.sort(np.concatenate(chosen))


def time_holdout_split(codes: np.ndarray, *, holdout_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Train and holdout indices: the last ``holdout_share`` of each class's rows are held out.

    A class with a single row stays in training.
    """
    holdout = np.zeros(len(codes), dtype=bool)
    for code in np.unique(codes):
        rows = np.flatnonzero(codes == code)
        n_holdout = int(np.ceil(len(rows) * holdout_share)) if len(rows) > 1 else 0
        if n_holdout:
            holdout[rows[-n_holdout:]] = True
    return np.flatnonzero(~holdout), np.flatnonzero(holdout)


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Unweighted mean F1 over the classes present in either array (as scikit-learn's)."""
    labels = np.union1d(y_true, y_pred)
    true_idx = np.searchsorted(labels, y_true)
    pred_idx = np.searchsorted(labels, y_pred)
    k = len(labels)
    confusion = np.bincount(true_idx * k + pred_idx, minlength=k * k).reshape(k, k)
    tp = np.diag(confusion).astype(float)
    denominator = confusion.sum(axis=0) + confusion.sum(axis=1)
    f1 = np.divide(2 * tp, denominator, out=np.zeros(k), where=denominator > 0)
    return float(f1.mean())


def single_feature_scores(
    X: np.ndarray, codes: np.ndarray, *, train: np.ndarray, holdout: np.ndarray, seed: int
) -> np.ndarray:
    """Holdout macro-F1 of the single-feature rule (at most k leaves) on each column of ``X``."""
    n_leaves = max(2, len(np.unique(codes[train])))
    scores = np.empty(X.shape[1])
    for column in range(X.shape[1]):
        rule = DecisionTreeClassifier(max_leaf_nodes=n_leaves, random_state=seed)
        rule.fit(X[train, column : column + 1], codes[train])
        scores[column] = macro_f1(codes[holdout], rule.predict(X[holdout, column : column + 1]))
    return scores


def _top_feature(importances: np.ndarray, names: Sequence[str]) -> str | None:
    if not np.any(importances > 0):
        return None
    return names[int(np.argmax(importances))]


def _probe(probe: str, group: str, score: float, threshold: float, top: str | None) -> ProbeResult:
    return ProbeResult(
        probe=probe,
        group=group,
        macro_f1=round(score, 6),
        threshold=threshold,
        passed=bool(score <= threshold),
        top_feature=top,
    )


def _reason(result: ProbeResult) -> str:
    score = f"macro-F1 {result.macro_f1:.3f} > {result.threshold:.2f}"
    if result.probe == PROBE_STUMP and result.group == ALL_FEATURES:
        return f"stump: feature '{result.top_feature}' alone separates the classes ({score})"
    if result.probe == PROBE_STUMP:
        return f"stump on feature '{result.group}': {score} (possible label proxy)"
    scope = "all features" if result.group == ALL_FEATURES else f"feature group '{result.group}'"
    name = "depth-3 tree" if result.probe == PROBE_TREE else "small GBDT"
    return f"{name} on {scope}: {score} (top feature '{result.top_feature}')"


def leakage_gate(
    X: np.ndarray,
    y: np.ndarray,
    *,
    feature_names: Sequence[str],
    groups: Mapping[str, str],
    thresholds: LeakageThresholds = LeakageThresholds(),
    seed: int = 0,
    max_rows: int = 50_000,
) -> LeakageReport:
    """Run every probe on rows given in time order; fail when any exceeds its threshold.

    ``groups`` maps each feature name to its group (the schema's ``group``). ±inf is treated as
    missing (the feature audit is what blocks non-finite values). Raises ``ValueError`` on
    mismatched shapes, a feature without a group, a group named ``all``, or fewer than two
    classes to learn from.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    names = list(feature_names)
    if X.ndim != 2 or X.shape[1] != len(names) or X.shape[0] != len(y):
        raise ValueError(
            f"X has shape {X.shape}, y {len(y)} rows and there are {len(names)} feature names"
        )
    ungrouped = [name for name in names if name not in groups]
    if ungrouped:
        raise ValueError(f"features without a group: {', '.join(ungrouped)}")
    if ALL_FEATURES in {groups[name] for name in names}:
        raise ValueError(f"'{ALL_FEATURES}' is reserved and cannot name a feature group")
    codes, _ = encode_labels(y)
    rows = stratified_subsample(codes, max_rows=max_rows, seed=seed)
    X = X[rows]
    codes = codes[rows]
    X[~np.isfinite(X)] = np.nan
    train, holdout = time_holdout_split(codes, holdout_share=thresholds.holdout_share)
    if len(np.unique(codes[train])) < 2 or len(holdout) == 0:
        raise ValueError("the leakage gate needs at least two classes with two rows or more")

    scan = single_feature_scores(X, codes, train=train, holdout=holdout, seed=seed)
    best = int(np.argmax(scan))
    probes = [
        _probe(PROBE_STUMP, ALL_FEATURES, float(scan[best]), thresholds.stump_macro_f1, names[best])
    ]

    tree = DecisionTreeClassifier(max_depth=TREE_DEPTH, random_state=seed)
    tree.fit(X[train], codes[train])
    probes.append(
        _probe(
            PROBE_TREE,
            ALL_FEATURES,
            macro_f1(codes[holdout], tree.predict(X[holdout])),
            thresholds.tree_macro_f1,
            _top_feature(tree.feature_importances_, names),
        )
    )

    group_columns: dict[str, list[int]] = {ALL_FEATURES: list(range(len(names)))}
    for column, name in enumerate(names):
        group_columns.setdefault(groups[name], []).append(column)
    for group, columns in group_columns.items():
        gbdt = LGBMClassifier(**GBDT_PARAMS, random_state=seed)
        gbdt.fit(X[np.ix_(train, columns)], codes[train])
        gains = gbdt.booster_.feature_importance(importance_type="gain")
        probes.append(
            _probe(
                PROBE_GBDT,
                group,
                macro_f1(codes[holdout], gbdt.predict(X[np.ix_(holdout, columns)])),
                thresholds.gbdt_macro_f1,
                _top_feature(gains, [names[column] for column in columns]),
            )
        )

    probes.extend(
        _probe(PROBE_STUMP, name, float(score), thresholds.stump_macro_f1, name)
        for name, score in zip(names, scan, strict=True)
    )
    blocking = tuple(_reason(result) for result in probes if not result.passed)
    return LeakageReport(
        passed=not blocking,
        probes=tuple(probes),
        blocking=blocking,
        rows=len(rows),
        holdout_rows=len(holdout),
    )
