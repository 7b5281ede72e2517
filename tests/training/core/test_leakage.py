"""The leakage-by-construction gate: clean data passes, label proxies and easy groups block."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import f1_score

from training.core.leakage import (
    LeakageThresholds,
    leakage_gate,
    macro_f1,
    stratified_subsample,
    time_holdout_split,
)

GROUPS = {
    "delta_a": "delta",
    "delta_b": "delta",
    "hist_a": "history",
    "hist_b": "history",
    "ctx_a": "context",
    "code_a": "code",
    "code_b": "code",
    "code_c": "code",
}
NAMES = list(GROUPS)


def noisy_dataset(n: int = 4000, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Four classes learnable from a few features, but with plenty of label noise."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(NAMES)))
    scores = X[:, [0, 2, 4, 5]] + rng.normal(scale=1.2, size=(n, 4))
    return X, np.argmax(scores, axis=1)


def probe(report, probe_name: str, group: str):
    return next(p for p in report.probes if p.probe == probe_name and p.group == group)


def test_noisy_but_learnable_labels_pass() -> None:
    X, y = noisy_dataset()
    report = leakage_gate(X, y, feature_names=NAMES, groups=GROUPS)
    assert report.passed
    assert report.blocking == ()
    assert 0.3 < probe(report, "gbdt", "all").macro_f1 < 0.9
    assert {p.probe for p in report.probes} == {"stump", "tree3", "gbdt"}
    assert {p.group for p in report.probes if p.probe == "gbdt"} == {
        "all",
        "delta",
        "history",
        "context",
        "code",
    }
    assert all(p.passed and p.macro_f1 <= p.threshold for p in report.probes)


def test_one_to_one_recoding_of_the_label_fails_the_stump_and_names_the_feature() -> None:
    X, y = noisy_dataset()
    labels = np.array(["correctness", "efficiency", "implementation", "understanding_gap"])[y]
    X[:, NAMES.index("hist_b")] = np.array([3.7, -1.0, 10.0, 0.5])[y]
    report = leakage_gate(X, labels, feature_names=NAMES, groups=GROUPS)
    assert not report.passed
    summary = probe(report, "stump", "all")
    assert not summary.passed
    assert summary.top_feature == "hist_b"
    assert summary.macro_f1 == pytest.approx(1.0)
    assert not probe(report, "stump", "hist_b").passed
    assert probe(report, "stump", "hist_a").passed
    assert any("hist_b" in reason and "stump" in reason for reason in report.blocking)


def test_a_group_separable_only_in_combination_is_caught_by_the_gbdt() -> None:
    rng = np.random.default_rng(7)
    n = 4000
    X = rng.normal(size=(n, len(NAMES)))
    first = rng.random(n) < 0.5
    second = rng.random(n) < 0.3
    X[:, NAMES.index("code_a")] = first
    X[:, NAMES.index("code_b")] = second
    y = (first ^ second).astype(int)
    report = leakage_gate(X, y, feature_names=NAMES, groups=GROUPS)
    assert not report.passed
    code_gbdt = probe(report, "gbdt", "code")
    assert not code_gbdt.passed
    assert code_gbdt.top_feature in {"code_a", "code_b"}
    assert probe(report, "stump", "all").passed
    assert all(p.passed for p in report.probes if p.probe == "stump")
    assert probe(report, "gbdt", "delta").passed
    assert any("group 'code'" in reason for reason in report.blocking)


def test_same_seed_same_report() -> None:
    X, y = noisy_dataset()
    first = leakage_gate(X, y, feature_names=NAMES, groups=GROUPS, seed=3)
    second = leakage_gate(X, y, feature_names=NAMES, groups=GROUPS, seed=3)
    assert first == second
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


def test_max_rows_subsamples_stratified_in_time_order() -> None:
    X, y = noisy_dataset(n=5000)
    report = leakage_gate(X, y, feature_names=NAMES, groups=GROUPS, max_rows=1000)
    assert report.rows == 1000
    assert report.holdout_rows == pytest.approx(250, abs=4)
    assert report.to_dict()["rows"] == 1000

    rows = stratified_subsample(y, max_rows=1000, seed=0)
    assert len(rows) == 1000
    assert np.all(np.diff(rows) > 0)
    shares = np.bincount(y[rows]) / 1000
    assert shares == pytest.approx(np.bincount(y) / len(y), abs=0.002)
    assert np.array_equal(stratified_subsample(y, max_rows=10_000, seed=0), np.arange(5000))


def test_holdout_is_the_latest_quarter_of_each_class() -> None:
    codes = np.array([0, 1, 0, 1, 0, 1, 0, 1, 2])
    train, holdout = time_holdout_split(codes, holdout_share=0.25)
    assert holdout.tolist() == [6, 7]
    assert train.tolist() == [0, 1, 2, 3, 4, 5, 8]


def test_macro_f1_matches_scikit_learn() -> None:
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, size=500)
    y_pred = np.where(rng.random(500) < 0.6, y_true, rng.integers(0, 5, size=500))
    assert macro_f1(y_true, y_pred) == pytest.approx(f1_score(y_true, y_pred, average="macro"))


def test_thresholds_are_configurable_and_inputs_checked() -> None:
    X, y = noisy_dataset(n=1000)
    strict = LeakageThresholds(stump_macro_f1=0.1)
    report = leakage_gate(X, y, feature_names=NAMES, groups=GROUPS, thresholds=strict)
    assert not report.passed
    with pytest.raises(ValueError, match="without a group"):
        leakage_gate(X, y, feature_names=NAMES, groups={"delta_a": "delta"})
    with pytest.raises(ValueError, match="two classes"):
        leakage_gate(X, np.zeros(len(y)), feature_names=NAMES, groups=GROUPS)
