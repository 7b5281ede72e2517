"""LightGBM bundle training and the served engine, on a small learnable data set (no DB)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from diagnosis.core.features import load_feature_schema, vectorize
from diagnosis.core.model_engine import (
    CALIBRATOR,
    LABELS,
    ROOT_MODEL,
    ArtifactIntegrityError,
    ModelEngine,
    SingleRowPredictor,
    subtype_model_name,
    verify_artifacts,
)
from diagnosis.core.taxonomy import ROOT_CAUSES, ROOT_OF_SUBTYPE, SUBTYPES, validate_pair
from training.core.trainer import TrainParams, train_bundle

SCHEMA = load_feature_schema()
FAST = TrainParams(num_iterations=40, subtype_num_iterations=30, cv_folds=3, num_threads=1)


def _data(n: int, seed: int) -> tuple[np.ndarray, list[str], list[str]]:
    """Features whose first columns carry a noisy signal of the subtype."""
    rng = np.random.default_rng(seed)
    subtypes = [s for subs in SUBTYPES.values() for s in subs]
    y = rng.integers(0, len(subtypes), size=n)
    X = rng.normal(size=(n, len(SCHEMA.names)))
    X[np.arange(n), y % len(SCHEMA.names)] += 2.5
    flip = rng.random(n) < 0.15
    y_noisy = np.where(flip, rng.integers(0, len(subtypes), size=n), y)
    sub = [subtypes[i] for i in y_noisy]
    return X, [ROOT_OF_SUBTYPE[s] for s in sub], sub


def _train():
    X, roots, subs = _data(2400, seed=1)
    Xc, rc, sc = _data(800, seed=2)
    return train_bundle(
        X_train=X,
        root_train=roots,
        subtype_train=subs,
        X_calib=Xc,
        root_calib=rc,
        subtype_calib=sc,
        schema_text="{}",
        params=FAST,
    )


@pytest.fixture(scope="module")
def bundle():
    return _train()


def test_bundle_is_plain_text_with_one_subtype_model_per_root(bundle) -> None:
    names = set(bundle.artifacts)
    assert {ROOT_MODEL, LABELS, CALIBRATOR} <= names
    assert {subtype_model_name(rc) for rc in ROOT_CAUSES} <= names
    assert all(isinstance(content, str) for content in bundle.artifacts.values())
    assert bundle.artifacts[ROOT_MODEL].startswith("tree")
    labels = json.loads(bundle.artifacts[LABELS])
    for root, subtypes in labels["subtypes"].items():
        for subtype in subtypes:
            validate_pair(root, subtype)
    assert bundle.calibration_method == "isotonic"
    assert bundle.cv["folds"] == 3 and 0.5 < bundle.cv["macro_f1_mean"] <= 1.0


def test_training_is_deterministic(bundle) -> None:
    again = _train()
    assert again.artifacts == bundle.artifacts


def test_engine_learns_and_serves_like_the_batch_path(bundle) -> None:
    engine = ModelEngine(version="t1", artifacts=bundle.artifacts)
    X, roots, _ = _data(600, seed=3)

    batch = engine.predict_batch(X)
    accuracy = np.mean(np.asarray(batch.root_causes) == np.asarray(roots))
    assert accuracy > 0.6
    for i in range(60):
        decision = engine.decide(
            vectorize(values=dict(zip(SCHEMA.names, X[i], strict=True)), schema=SCHEMA)
        )
        assert (decision.root_cause, decision.subtype) == (batch.root_causes[i], batch.subtypes[i])
        assert decision.combined_confidence == round(float(batch.combined_confidence[i]), 6)
        assert decision.engine == "model" and decision.model_version == "t1"
        assert decision.calibration_applied is True
        assert 0 < len(decision.top_signals) <= 5
        validate_pair(decision.root_cause, decision.subtype)


def test_single_row_predictions_equal_booster_predict(bundle) -> None:
    engine = ModelEngine(version="t1", artifacts=bundle.artifacts)
    X, _, _ = _data(40, seed=4)
    boosters = [(engine.root, False)] + [(b, True) for b in engine.explainers]
    boosters += [(m.booster, False) for m in engine.subtypes.values() if m.booster is not None]

    for booster, contrib in boosters:
        predictor = SingleRowPredictor(booster, contrib=contrib)
        expected = booster.predict(X, num_threads=1, pred_contrib=contrib)
        served = np.stack([predictor(np.ascontiguousarray(row)) for row in X])
        assert np.array_equal(served, expected.reshape(len(X), -1))


def test_a_row_of_another_width_is_refused_before_lightgbm_reads_it(bundle) -> None:
    from diagnosis.core.features import FeatureVector

    engine = ModelEngine(version="t1", artifacts=bundle.artifacts)
    width = len(SCHEMA.names)
    for size in (width - 1, width + 1):
        row = FeatureVector(schema_version="x", names=("f",) * size, values=(0.5,) * size)
        with pytest.raises(ValueError, match=f"expects {width} features, got {size}"):
            engine.decide(row)

    predictor = SingleRowPredictor(engine.root)
    for bad in (
        np.zeros(width - 1),
        np.zeros(width, dtype=np.float32),
        np.zeros((2, width))[:, 0],
        np.zeros(2 * width)[::2],
    ):
        with pytest.raises(ValueError, match=f"contiguous float64 row of {width} values"):
            predictor(bad)


def test_concurrent_decisions_equal_serial_ones(bundle) -> None:
    from concurrent.futures import ThreadPoolExecutor

    engine = ModelEngine(version="t1", artifacts=bundle.artifacts)
    X, _, _ = _data(200, seed=6)
    rows = [vectorize(values=dict(zip(SCHEMA.names, x, strict=True)), schema=SCHEMA) for x in X]
    serial = [engine.decide(row) for row in rows]

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(engine.decide, rows)) == serial


def test_same_row_gives_identical_decisions(bundle) -> None:
    engine = ModelEngine(version="t1", artifacts=bundle.artifacts)
    row = vectorize(
        values=dict(zip(SCHEMA.names, _data(1, seed=9)[0][0], strict=True)), schema=SCHEMA
    )

    assert engine.decide(row) == engine.decide(row)


def test_tampered_artifacts_are_refused(bundle) -> None:
    import hashlib

    hashes = {n: hashlib.sha256(c.encode()).hexdigest() for n, c in bundle.artifacts.items()}
    verify_artifacts(artifacts=bundle.artifacts, expected=hashes)

    tampered = {**bundle.artifacts, ROOT_MODEL: bundle.artifacts[ROOT_MODEL] + "\n"}
    with pytest.raises(ArtifactIntegrityError, match=r"root_cause\.txt"):
        verify_artifacts(artifacts=tampered, expected=hashes)
    missing = {k: v for k, v in bundle.artifacts.items() if k != CALIBRATOR}
    with pytest.raises(ArtifactIntegrityError, match="missing"):
        verify_artifacts(artifacts=missing, expected=hashes)


def test_top_signals_are_the_predicted_class_slice_of_multiclass_pred_contrib(bundle) -> None:
    engine = ModelEngine(version="t", artifacts=bundle.artifacts)
    X, _, _ = _data(30, seed=5)
    full = engine.root.predict(X, pred_contrib=True)
    width = engine.num_features + 1

    for index, explainer in enumerate(engine.explainers):
        assert explainer.num_trees() * len(ROOT_CAUSES) == engine.root.num_trees()
        np.testing.assert_allclose(
            explainer.predict(X, pred_contrib=True),
            full[:, index * width : (index + 1) * width],
            rtol=0,
            atol=1e-12,
        )

    row = X[3]
    decision = engine.decide(
        vectorize(values=dict(zip(SCHEMA.names, row, strict=True)), schema=SCHEMA)
    )
    predicted = ROOT_CAUSES.index(decision.root_cause)
    expected = full[3, predicted * width : predicted * width + engine.num_features]
    top = max(range(engine.num_features), key=lambda i: abs(expected[i]))
    assert decision.top_signals[0].feature == SCHEMA.names[top]
    assert decision.top_signals[0].contribution == pytest.approx(expected[top], abs=1e-6)
