"""Calibrators, their JSON, and the calibration metrics (no database)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression

from training.core.calibration import (
    CalibrationError,
    Calibrator,
    ReliabilityBin,
    brier_score,
    expected_calibration_error,
    fit_calibrator,
    maximum_calibration_error,
    reliability_curve,
)


def overconfident(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Scores that overstate the true hit rate: the model says q ** (1/3) where q is right."""
    rng = np.random.default_rng(seed)
    hit_rate = rng.uniform(0.25, 0.9, n)
    return hit_rate ** (1 / 3), rng.random(n) < hit_rate


@pytest.fixture(scope="module")
def calibration_split() -> tuple[np.ndarray, np.ndarray]:
    return overconfident(5000, seed=1)


@pytest.fixture(scope="module")
def test_split() -> tuple[np.ndarray, np.ndarray]:
    return overconfident(5000, seed=2)


@pytest.fixture(scope="module")
def isotonic(calibration_split: tuple[np.ndarray, np.ndarray]) -> Calibrator:
    conf, hit = calibration_split
    return fit_calibrator(confidences=conf, correct=hit)


# fitting ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_isotonic_reduces_ece_on_held_out_data(
    isotonic: Calibrator, test_split: tuple[np.ndarray, np.ndarray], strategy: str
) -> None:
    conf, hit = test_split
    before = expected_calibration_error(conf, hit, strategy=strategy)
    after = expected_calibration_error(isotonic.apply_many(conf), hit, strategy=strategy)
    assert isotonic.method == "isotonic"
    assert isotonic.n_samples == 5000
    assert before > 0.15
    assert after < 0.05


def test_platt_also_reduces_ece(
    calibration_split: tuple[np.ndarray, np.ndarray], test_split: tuple[np.ndarray, np.ndarray]
) -> None:
    platt = fit_calibrator(
        confidences=calibration_split[0], correct=calibration_split[1], method="platt"
    )
    conf, hit = test_split
    assert platt.method == "platt"
    assert platt.a < 0  # higher raw confidence means higher calibrated confidence
    assert expected_calibration_error(platt.apply_many(conf), hit) < 0.05


def test_apply_matches_sklearn_isotonic_predict(
    isotonic: Calibrator, calibration_split: tuple[np.ndarray, np.ndarray]
) -> None:
    conf, hit = calibration_split
    reference = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1, increasing=True)
    reference.fit(conf, hit.astype(float))
    thresholds = np.asarray(isotonic.x)
    points = np.concatenate(
        [
            np.linspace(0.0, 1.0, 2001),
            thresholds,
            (thresholds[:-1] + thresholds[1:]) / 2,
            [0.0, 1.0, thresholds[0] - 1e-9, thresholds[-1] + 1e-9],
        ]
    )
    points = np.clip(points, 0.0, 1.0)
    expected = np.interp(points, thresholds, np.asarray(isotonic.y))
    one_by_one = np.array([isotonic.apply(float(p)) for p in points])
    np.testing.assert_array_equal(one_by_one, expected)
    np.testing.assert_array_equal(isotonic.apply_many(points), expected)
    np.testing.assert_allclose(one_by_one, reference.predict(points), rtol=0, atol=1e-12)


def test_apply_clips_and_accepts_numpy_scalars(isotonic: Calibrator) -> None:
    assert isotonic.apply(np.float64(1.0)) == isotonic.y[-1]
    assert isotonic.apply(0.0) == isotonic.y[0]
    assert Calibrator(method="identity").apply(1.5) == 1.0
    assert 0.0 <= Calibrator(method="platt", a=-1e6, b=0.0).apply(1.0) <= 1.0
    with pytest.raises(CalibrationError):
        isotonic.apply(float("nan"))


def test_platt_scalar_and_vector_agree() -> None:
    platt = Calibrator(method="platt", a=-9.5, b=7.25, n_samples=10)
    points = np.linspace(0.0, 1.0, 101)
    expected = 1.0 / (1.0 + np.exp(-9.5 * points + 7.25))
    np.testing.assert_allclose(platt.apply_many(points), expected, rtol=0, atol=1e-15)
    np.testing.assert_allclose([platt.apply(p) for p in points], expected, rtol=0, atol=1e-15)


def test_small_split_falls_back_to_platt_and_records_it(
    calibration_split: tuple[np.ndarray, np.ndarray],
) -> None:
    conf, hit = calibration_split
    small = fit_calibrator(confidences=conf[:150], correct=hit[:150], min_isotonic_samples=200)
    assert small.method == "platt"
    assert small.n_samples == 150
    assert small.x == () and small.y == ()
    assert Calibrator.from_json(small.to_json()).method == "platt"
    enough = fit_calibrator(confidences=conf[:200], correct=hit[:200], min_isotonic_samples=200)
    assert enough.method == "isotonic"


def test_one_class_split_falls_back_to_platt() -> None:
    conf = np.linspace(0.5, 1.0, 500)
    all_right = fit_calibrator(confidences=conf, correct=np.ones(500, dtype=bool))
    assert all_right.method == "platt"
    assert all_right.a == 0.0
    assert all_right.apply(0.7) == pytest.approx(501 / 502)
    all_wrong = fit_calibrator(confidences=conf, correct=np.zeros(500, dtype=bool))
    assert all_wrong.method == "platt"
    assert all_wrong.apply(0.7) == pytest.approx(1 / 502)


def test_fit_is_deterministic(calibration_split: tuple[np.ndarray, np.ndarray]) -> None:
    conf, hit = calibration_split
    for method in ("isotonic", "platt"):
        first = fit_calibrator(confidences=conf, correct=hit, method=method)
        second = fit_calibrator(confidences=conf.copy(), correct=hit.astype(int), method=method)
        assert first.to_json() == second.to_json()


def test_identity_and_bad_fit_inputs() -> None:
    identity = fit_calibrator(confidences=[0.2, 0.9], correct=[0, 1], method="identity")
    assert identity == Calibrator(method="identity", n_samples=2)
    assert identity.apply(0.37) == 0.37
    with pytest.raises(CalibrationError, match="empty"):
        fit_calibrator(confidences=[], correct=[])
    with pytest.raises(CalibrationError, match="unknown"):
        fit_calibrator(confidences=[0.5], correct=[1], method="beta")
    with pytest.raises(CalibrationError, match=r"\[0, 1\]"):
        fit_calibrator(confidences=[0.5, 1.2], correct=[1, 0])
    with pytest.raises(CalibrationError, match="pair up"):
        fit_calibrator(confidences=[0.5, 0.7], correct=[1])
    with pytest.raises(CalibrationError, match="0/1"):
        fit_calibrator(confidences=[0.5, 0.7], correct=[1, 2])


# JSON ------------------------------------------------------------------------------------------


def test_json_round_trip_is_exact(isotonic: Calibrator) -> None:
    text = isotonic.to_json()
    restored = Calibrator.from_json(text)
    assert restored == isotonic
    assert restored.to_json() == text
    assert json.loads(text) == dict(sorted(json.loads(text).items()))
    platt = Calibrator(method="platt", a=-9.239839153754478, b=0.1 + 0.2, n_samples=7)
    assert Calibrator.from_json(platt.to_json()) == platt


def _tampered(calibrator: Calibrator, **changes: object) -> str:
    data = json.loads(calibrator.to_json())
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"x": [0.1, 0.3, 0.2], "y": [0.1, 0.2, 0.3]}, "increasing"),
        ({"x": [0.1, 0.1], "y": [0.2, 0.3]}, "increasing"),
        ({"x": [0.1, 0.2], "y": [0.2, 1.5]}, r"\[0, 1\]"),
        ({"x": [-0.1, 0.2], "y": [0.2, 0.3]}, r"\[0, 1\]"),
        ({"x": [0.1, 0.2], "y": [0.2]}, "x has 2 values but y has 1"),
        ({"x": [], "y": []}, "at least one"),
        ({"x": [0.1, "0.2"], "y": [0.2, 0.3]}, "numbers"),
        ({"method": "magic"}, "unknown calibration method"),
        ({"n_samples": -1}, "n_samples"),
        ({"extra": 1}, "exactly the keys"),
    ],
)
def test_from_json_rejects_tampered_calibrators(
    isotonic: Calibrator, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(CalibrationError, match=message):
        Calibrator.from_json(_tampered(isotonic, **changes))


def test_from_json_rejects_non_finite_and_garbage() -> None:
    platt = Calibrator(method="platt", a=-2.0, b=1.0)
    with pytest.raises(CalibrationError):
        Calibrator.from_json(platt.to_json().replace("-2.0", "NaN"))
    with pytest.raises(CalibrationError):
        Calibrator.from_json(platt.to_json().replace("-2.0", "1e999"))
    with pytest.raises(CalibrationError, match="no thresholds"):
        Calibrator.from_json(_tampered(platt, x=[0.5], y=[0.5]))
    with pytest.raises(CalibrationError, match="parse"):
        Calibrator.from_json("{not json")
    with pytest.raises(CalibrationError, match="object"):
        Calibrator.from_json("[1, 2]")


# metrics ---------------------------------------------------------------------------------------


def test_ece_uniform_hand_example_with_edge_values() -> None:
    # 0.0 → bin 0; 0.3 sits on an edge and goes up to bin 3 with 0.35; 1.0 → last bin with 0.95.
    conf = [0.0, 0.3, 0.35, 1.0, 0.95]
    hit = [0, 1, 0, 1, 1]
    # bin 0: |0 - 0| · 1; bin 3: |0.5 - 0.325| · 2; bin 9: |1 - 0.975| · 2; over n = 5
    assert expected_calibration_error(conf, hit) == pytest.approx((0.175 * 2 + 0.025 * 2) / 5)
    assert maximum_calibration_error(conf, hit) == pytest.approx(0.175)
    counts = [b.count for b in reliability_curve(conf, hit)]
    assert counts == [1, 0, 0, 2, 0, 0, 0, 0, 0, 2]


@pytest.mark.parametrize("bins", [3, 5, 10])
def test_a_value_on_an_edge_goes_to_the_upper_bin(bins: int) -> None:
    for i in range(bins + 1):
        curve = reliability_curve([i / bins], [True], bins=bins)
        expected = min(i, bins - 1)
        assert [b.count for b in curve] == [int(j == expected) for j in range(bins)]
        assert curve[expected].lower <= i / bins <= curve[expected].upper


def test_ece_quantile_hand_example() -> None:
    conf = [0.9, 0.2, 0.6, 0.4]
    hit = [1, 0, 0, 1]
    # sorted: 0.2 (wrong), 0.4 (right) | 0.6 (wrong), 0.9 (right)
    curve = reliability_curve(conf, hit, bins=2, strategy="quantile")
    assert curve == (
        ReliabilityBin(
            lower=0.2, upper=0.4, count=2, mean_confidence=pytest.approx(0.3), accuracy=0.5
        ),
        ReliabilityBin(
            lower=0.6, upper=0.9, count=2, mean_confidence=pytest.approx(0.75), accuracy=0.5
        ),
    )
    ece = expected_calibration_error(conf, hit, bins=2, strategy="quantile")
    assert ece == pytest.approx((0.2 * 2 + 0.25 * 2) / 4)
    assert maximum_calibration_error(conf, hit, bins=2, strategy="quantile") == pytest.approx(0.25)


def test_quantile_bins_with_edge_values_and_fewer_samples_than_bins() -> None:
    curve = reliability_curve([1.0, 0.0, 0.5], [1, 0, 1], bins=5, strategy="quantile")
    assert [b.count for b in curve] == [1, 1, 1, 0, 0]
    assert [(b.lower, b.accuracy) for b in curve[:3]] == [(0.0, 0.0), (0.5, 1.0), (1.0, 1.0)]
    assert curve[3] == ReliabilityBin(
        lower=1.0, upper=1.0, count=0, mean_confidence=0.0, accuracy=0.0
    )
    assert expected_calibration_error(
        [1.0, 0.0, 0.5], [1, 0, 1], bins=5, strategy="quantile"
    ) == pytest.approx(0.5 / 3)


def test_brier_hand_example() -> None:
    assert brier_score([0.8, 0.6, 0.0, 1.0], [1, 0, 0, 1]) == pytest.approx((0.04 + 0.36) / 4)
    assert brier_score([1.0, 0.0], [True, False]) == 0.0


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("bins", [1, 7, 10, 15])
def test_reliability_counts_sum_to_n(
    test_split: tuple[np.ndarray, np.ndarray], strategy: str, bins: int
) -> None:
    conf, hit = test_split
    curve = reliability_curve(conf, hit, bins=bins, strategy=strategy)
    assert len(curve) == bins
    assert sum(b.count for b in curve) == conf.size
    assert all(0.0 <= b.mean_confidence <= 1.0 and 0.0 <= b.accuracy <= 1.0 for b in curve)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_empty_input_gives_zero_never_nan(strategy: str) -> None:
    assert expected_calibration_error([], [], strategy=strategy) == 0.0
    assert maximum_calibration_error([], [], strategy=strategy) == 0.0
    assert brier_score([], []) == 0.0
    curve = reliability_curve([], [], strategy=strategy)
    assert len(curve) == 10
    assert all(b.count == 0 and b.mean_confidence == 0.0 and b.accuracy == 0.0 for b in curve)


def test_metric_arguments_are_checked() -> None:
    with pytest.raises(CalibrationError, match="strategy"):
        expected_calibration_error([0.5], [1], strategy="kmeans")
    with pytest.raises(CalibrationError, match="bins"):
        reliability_curve([0.5], [1], bins=0)
    with pytest.raises(CalibrationError, match="finite"):
        brier_score([float("nan")], [1])
