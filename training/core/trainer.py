"""LightGBM training of a MIM bundle: root-cause model, per-root subtype models, calibrator.

Deterministic: ``deterministic=True``, ``force_row_wise=True``, fixed seeds and an explicit
thread count (LightGBM's OpenMP must never pick its own in forked workers). Class imbalance is
handled with balanced sample weights. Cross-validation estimates the root-cause macro-F1 and its
spread on at most ``cv_max_rows`` rows, so that it stays a fraction of the training time at 100k
rows. Folds are grouped by learner when groups are given (StratifiedGroupKFold): a learner's
retries of one draft are near-duplicates, and splitting them across folds would score the model
on rows it has all but seen (measured on the synthetic benchmark: +0.04 macro-F1 of pure
optimism over a learner-grouped split). The output is plain data: model text and JSON
(diagnosis.core.model_engine documents the layout).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.utils.class_weight import compute_sample_weight

from diagnosis.core.model_engine import (
    CALIBRATOR,
    FEATURE_SCHEMA,
    LABELS,
    ROOT_MODEL,
    ModelEngine,
    subtype_model_name,
)
from diagnosis.core.taxonomy import ROOT_CAUSES, subtypes_of
from training.core.calibration import Calibrator, fit_calibrator


@dataclass(frozen=True, slots=True)
class TrainParams:
    # Sized for serving: TreeSHAP top signals cost grows with trees × leaves × depth², and
    # every decision pays it. 100 rounds of 15 leaves at 0.2 score 0.949 grouped-CV macro-F1
    # on the 100k synthetic benchmark, against 0.943 for 150 rounds at 0.1 (which was
    # undertrained), with a third fewer trees to explain (docs/decisions.md).
    num_iterations: int = 100
    subtype_num_iterations: int = 100
    learning_rate: float = 0.2
    num_leaves: int = 15
    max_depth: int = -1  # LightGBM's "no limit"
    min_data_in_leaf: int = 20
    feature_fraction: float = 0.9
    lambda_l2: float = 1.0
    seed: int = 42
    num_threads: int = 2
    cv_folds: int = 5
    cv_max_rows: int = 30_000
    calibration_method: str = "isotonic"


@dataclass(frozen=True, slots=True)
class TrainedBundle:
    artifacts: dict[str, str]
    cv: dict[str, object]
    calibration_method: str
    class_counts: dict[str, int] = field(default_factory=dict)


def lgb_params(params: TrainParams, num_class: int) -> dict[str, object]:
    return {
        "objective": "multiclass",
        "num_class": num_class,
        "learning_rate": params.learning_rate,
        "num_leaves": params.num_leaves,
        "max_depth": params.max_depth,
        "min_data_in_leaf": params.min_data_in_leaf,
        "feature_fraction": params.feature_fraction,
        "feature_fraction_seed": params.seed,
        "bagging_seed": params.seed,
        "data_random_seed": params.seed,
        "lambda_l2": params.lambda_l2,
        "seed": params.seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": params.num_threads,
        "verbose": -1,
    }


def train_booster(
    X: np.ndarray, y: np.ndarray, *, num_class: int, params: TrainParams, iterations: int
) -> lgb.Booster:
    """A multiclass booster on integer labels with balanced class weights."""
    dataset = lgb.Dataset(
        X,
        label=y,
        weight=compute_sample_weight("balanced", y),
        free_raw_data=True,
        params={"verbose": -1},
    )
    return lgb.train(lgb_params(params, num_class), dataset, num_boost_round=iterations)


def cross_validate(
    X: np.ndarray,
    y: np.ndarray,
    *,
    num_class: int,
    params: TrainParams,
    groups: Sequence[str] | None = None,
) -> dict:
    """Stratified k-fold macro-F1 of the root-cause model (on a deterministic subsample),
    grouped by learner when ``groups`` is given."""
    rng = np.random.default_rng(params.seed)
    rows = np.arange(len(y))
    if len(rows) > params.cv_max_rows:
        rows = np.sort(rng.choice(rows, size=params.cv_max_rows, replace=False))
    Xs, ys = X[rows], y[rows]
    group_values = np.asarray(groups)[rows] if groups is not None else None
    grouped = group_values is not None and len(set(group_values)) >= params.cv_folds
    splitter = StratifiedGroupKFold if grouped else StratifiedKFold
    folds = splitter(n_splits=params.cv_folds, shuffle=True, random_state=params.seed)
    scores = []
    for train_idx, test_idx in folds.split(Xs, ys, group_values if grouped else None):
        booster = train_booster(
            Xs[train_idx],
            ys[train_idx],
            num_class=num_class,
            params=params,
            iterations=params.num_iterations,
        )
        predicted = np.argmax(booster.predict(Xs[test_idx], num_threads=params.num_threads), axis=1)
        scores.append(float(f1_score(ys[test_idx], predicted, average="macro")))
    return {
        "folds": params.cv_folds,
        "grouped_by_learner": grouped,
        "rows": len(rows),
        "macro_f1_per_fold": [round(s, 6) for s in scores],
        "macro_f1_mean": round(float(np.mean(scores)), 6),
        "macro_f1_std": round(float(np.std(scores)), 6),
    }


def _labels_json(subtype_labels: dict[str, list[str]]) -> str:
    return json.dumps(
        {"root_causes": list(ROOT_CAUSES), "subtypes": subtype_labels}, sort_keys=True, indent=1
    )


def train_bundle(
    *,
    X_train: np.ndarray,
    root_train: Sequence[str],
    subtype_train: Sequence[str],
    X_calib: np.ndarray,
    root_calib: Sequence[str],
    subtype_calib: Sequence[str],
    schema_text: str,
    params: TrainParams = TrainParams(),
    groups_train: Sequence[str] | None = None,
) -> TrainedBundle:
    """Train every model on the training split and fit the calibrator on the calibration split.

    The calibrator maps the served raw confidence (root probability × subtype probability) to
    the probability that root cause *and* subtype are right, measured on rows the models never
    saw; with thin calibration data it falls back to Platt scaling (recorded).
    """
    root_index = {rc: i for i, rc in enumerate(ROOT_CAUSES)}
    y_root = np.array([root_index[r] for r in root_train])
    artifacts: dict[str, str] = {
        ROOT_MODEL: train_booster(
            X_train,
            y_root,
            num_class=len(ROOT_CAUSES),
            params=params,
            iterations=params.num_iterations,
        ).model_to_string(),
        FEATURE_SCHEMA: schema_text,
    }
    subtype_labels: dict[str, list[str]] = {}
    roots = np.asarray(root_train)
    subtypes = np.asarray(subtype_train)
    for root in ROOT_CAUSES:
        present = [s for s in subtypes_of(root) if np.any((roots == root) & (subtypes == s))]
        labels = present or [subtypes_of(root)[0]]
        subtype_labels[root] = labels
        if len(labels) < 2:
            continue  # a single observed subtype: the engine answers it without a model
        rows = np.flatnonzero(roots == root)
        index = {s: i for i, s in enumerate(labels)}
        y_sub = np.array([index[s] for s in subtypes[rows]])
        artifacts[subtype_model_name(root)] = train_booster(
            X_train[rows],
            y_sub,
            num_class=len(labels),
            params=params,
            iterations=params.subtype_num_iterations,
        ).model_to_string()
    artifacts[LABELS] = _labels_json(subtype_labels)
    artifacts[CALIBRATOR] = Calibrator(method="identity").to_json()

    uncalibrated = ModelEngine(version="uncalibrated", artifacts=artifacts)
    batch = uncalibrated.predict_batch(X_calib)
    correct = batch.pair_correct(root_calib, subtype_calib)
    calibrator = fit_calibrator(
        confidences=batch.raw_confidence, correct=correct, method=params.calibration_method
    )
    artifacts[CALIBRATOR] = calibrator.to_json()
    return TrainedBundle(
        artifacts=artifacts,
        cv=cross_validate(
            X_train, y_root, num_class=len(ROOT_CAUSES), params=params, groups=groups_train
        ),
        calibration_method=calibrator.method,
        class_counts={rc: int(np.sum(roots == rc)) for rc in ROOT_CAUSES},
    )
