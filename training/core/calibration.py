"""Confidence calibration: isotonic and Platt calibrators, ECE, MCE, Brier, reliability curves.

Pure and deterministic (000 §2.1, DESIGN.md §6 "Calibration"). Everything here works on the
confidence of the *predicted* class and on whether that prediction was correct, so one
calibrator serves a multiclass model.

* ``fit_calibrator`` fits on the held-out calibration split. Isotonic regression is the default;
  with fewer than ``min_isotonic_samples`` samples, or when the split holds only correct or only
  wrong predictions, it falls back to Platt scaling, and ``Calibrator.method`` records the method
  actually used.
* Platt scaling is ``p = 1 / (1 + exp(a * s + b))``, fitted by Newton's method with Platt's
  smoothed targets ``(N+ + 1) / (N+ + 2)`` and ``1 / (N- + 2)`` (Lin, Lin & Weng, 2007). The
  smoothing keeps the fit finite on separable or one-class data: with only correct predictions it
  gives the constant ``(N + 1) / (N + 2)``.
* A ``Calibrator`` is plain data: isotonic thresholds and values (from scikit-learn's
  ``IsotonicRegression``) or Platt's ``a`` and ``b``, stored as canonical JSON whose floats
  round-trip exactly. Serving interpolates the stored thresholds exactly as ``np.interp`` does,
  which is what ``IsotonicRegression(out_of_bounds="clip").predict`` computes, without calling
  scikit-learn per request.

Binning, shared by ECE, MCE and the reliability curve:

* ``"uniform"``: ``bins`` equal-width bins over [0, 1] with edges ``i / bins``. Bin ``i`` holds
  ``i / bins <= c < (i + 1) / bins``: a confidence equal to an inner edge goes to the upper bin,
  and 1.0 goes to the last bin.
* ``"quantile"``: equal-mass bins. The samples are sorted by confidence (stable sort, so ties keep
  their input order) and split into ``bins`` consecutive groups whose sizes differ by at most
  one, as ``np.array_split`` does; equal confidences may therefore fall into two neighbouring
  groups. A group's bounds are its lowest and highest confidence. With fewer samples than bins the
  last groups are empty.

ECE is ``sum_b |accuracy_b - mean_confidence_b| * n_b / n``, MCE the largest
``|accuracy_b - mean_confidence_b|`` over non-empty bins, Brier the mean of
``(confidence - correct)^2``. Empty input gives 0.0 for every metric, never NaN; an empty bin
reports count 0 with mean confidence and accuracy 0.0.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit
from sklearn.isotonic import IsotonicRegression

METHODS = ("isotonic", "platt", "identity")
STRATEGIES = ("uniform", "quantile")
_JSON_KEYS = frozenset({"method", "x", "y", "a", "b", "n_samples"})

_PLATT_MAX_ITERATIONS = 100
_PLATT_MIN_STEP = 1e-10
_PLATT_HESSIAN_RIDGE = 1e-12
_PLATT_GRADIENT_TOLERANCE = 1e-5


class CalibrationError(ValueError):
    """Invalid calibration data or a calibrator that fails validation."""


@dataclass(frozen=True)
class Calibrator:
    """A fitted map from raw to calibrated confidence; plain data, validated on construction."""

    method: str
    x: tuple[float, ...] = ()
    y: tuple[float, ...] = ()
    a: float = 0.0
    b: float = 0.0
    n_samples: int = 0

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise CalibrationError(
                f"unknown calibration method {self.method!r}; expected one of {METHODS}"
            )
        x = _float_tuple(self.x, name="x")
        y = _float_tuple(self.y, name="y")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        if len(x) != len(y):
            raise CalibrationError(f"x has {len(x)} values but y has {len(y)}")
        if self.method == "isotonic":
            if not x:
                raise CalibrationError("an isotonic calibrator needs at least one threshold")
            for name, values in (("x", x), ("y", y)):
                if not all(0.0 <= v <= 1.0 for v in values):
                    raise CalibrationError(f"isotonic {name} values must be finite and in [0, 1]")
            if any(left >= right for left, right in pairwise(x)):
                raise CalibrationError("isotonic thresholds x must be strictly increasing")
        elif x:
            raise CalibrationError(f"a {self.method} calibrator stores no thresholds")
        for name in ("a", "b"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise CalibrationError(f"{name} must be a number")
            if not math.isfinite(value):
                raise CalibrationError(f"{name} must be finite")
            object.__setattr__(self, name, float(value))
        if (
            isinstance(self.n_samples, bool)
            or not isinstance(self.n_samples, int)
            or self.n_samples < 0
        ):
            raise CalibrationError("n_samples must be a non-negative integer")

    def apply(self, confidence: float) -> float:
        """The calibrated confidence in [0, 1] of one raw confidence (the serving hot path)."""
        c = float(confidence)
        if c != c:
            raise CalibrationError("confidence is NaN")
        if self.method == "isotonic":
            return _interp_one(c, self.x, self.y)
        if self.method == "platt":
            return _platt_one(self.a * c + self.b)
        return min(max(c, 0.0), 1.0)

    def apply_many(self, confidences: ArrayLike) -> np.ndarray:
        """``apply`` over an array; returns float64 values in [0, 1] of the same shape."""
        c = np.asarray(confidences, dtype=np.float64)
        if np.isnan(c).any():
            raise CalibrationError("confidences contain NaN")
        if self.method == "isotonic":
            out = np.interp(c, np.asarray(self.x), np.asarray(self.y))
        elif self.method == "platt":
            out = _platt_many(self.a * c + self.b)
        else:
            out = c
        return np.clip(out, 0.0, 1.0)

    def to_json(self) -> str:
        """Canonical JSON (sorted keys, no spaces); floats are written with ``repr``."""
        return json.dumps(
            {
                "method": self.method,
                "x": list(self.x),
                "y": list(self.y),
                "a": self.a,
                "b": self.b,
                "n_samples": self.n_samples,
            },
            sort_keys=True,
            separators=(",", ":"),
            allow_nan=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Calibrator:
        """Parse and validate ``to_json`` output; raises ``CalibrationError`` on anything else."""
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (TypeError, ValueError) as exc:
            raise CalibrationError(f"calibrator JSON does not parse: {exc}") from exc
        if not isinstance(data, dict):
            raise CalibrationError("calibrator JSON must be an object")
        if set(data) != _JSON_KEYS:
            raise CalibrationError(
                f"calibrator JSON must have exactly the keys {sorted(_JSON_KEYS)}; "
                f"got {sorted(data)}"
            )
        for name in ("x", "y"):
            if not isinstance(data[name], list):
                raise CalibrationError(f"{name} must be a list")
        if not isinstance(data["method"], str):
            raise CalibrationError("method must be a string")
        return cls(
            method=data["method"],
            x=tuple(data["x"]),
            y=tuple(data["y"]),
            a=data["a"],
            b=data["b"],
            n_samples=data["n_samples"],
        )


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability curve; an empty bin has count 0 and zeros for its means."""

    lower: float
    upper: float
    count: int
    mean_confidence: float
    accuracy: float


def fit_calibrator(
    *,
    confidences: ArrayLike,
    correct: ArrayLike,
    method: str = "isotonic",
    min_isotonic_samples: int = 200,
) -> Calibrator:
    """Fit a calibrator on a held-out split; ``method`` on the result is the one actually used.

    ``confidences`` are the raw confidences of the predicted class, ``correct`` whether each
    prediction was right. Isotonic falls back to Platt below ``min_isotonic_samples`` samples or
    when ``correct`` holds a single class. ``"identity"`` stores no parameters. Raises
    ``CalibrationError`` on empty or invalid input or an unknown method.
    """
    if method not in METHODS:
        raise CalibrationError(f"unknown calibration method {method!r}; expected one of {METHODS}")
    if isinstance(min_isotonic_samples, bool) or not isinstance(min_isotonic_samples, int):
        raise CalibrationError("min_isotonic_samples must be an integer")
    conf, hit = _checked(confidences, correct)
    n = int(conf.size)
    if n == 0:
        raise CalibrationError("cannot fit a calibrator on an empty calibration split")
    if method == "identity":
        return Calibrator(method="identity", n_samples=n)
    n_correct = int(hit.sum())
    one_class = n_correct in (0, n)
    if method == "isotonic" and n >= min_isotonic_samples and not one_class:
        regression = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0, increasing=True)
        regression.fit(conf, hit.astype(np.float64))
        return Calibrator(
            method="isotonic",
            x=tuple(float(v) for v in regression.X_thresholds_),
            y=tuple(float(v) for v in regression.y_thresholds_),
            n_samples=n,
        )
    a, b = _fit_platt(conf, hit)
    return Calibrator(method="platt", a=a, b=b, n_samples=n)


def expected_calibration_error(
    confidences: ArrayLike,
    correct: ArrayLike,
    *,
    bins: int = 10,
    strategy: str = "uniform",
) -> float:
    """ECE: the count-weighted mean gap between accuracy and confidence per bin; 0.0 if empty."""
    curve = reliability_curve(confidences, correct, bins=bins, strategy=strategy)
    n = sum(b.count for b in curve)
    if n == 0:
        return 0.0
    return float(sum(abs(b.accuracy - b.mean_confidence) * b.count for b in curve) / n)


def maximum_calibration_error(
    confidences: ArrayLike,
    correct: ArrayLike,
    *,
    bins: int = 10,
    strategy: str = "uniform",
) -> float:
    """MCE: the largest gap between accuracy and confidence over non-empty bins; 0.0 if empty."""
    curve = reliability_curve(confidences, correct, bins=bins, strategy=strategy)
    gaps = [abs(b.accuracy - b.mean_confidence) for b in curve if b.count]
    return float(max(gaps, default=0.0))


def brier_score(confidences: ArrayLike, correct: ArrayLike) -> float:
    """Mean squared difference between confidence and correctness (0 or 1); 0.0 if empty."""
    conf, hit = _checked(confidences, correct)
    if conf.size == 0:
        return 0.0
    return float(np.mean((conf - hit.astype(np.float64)) ** 2))


def reliability_curve(
    confidences: ArrayLike,
    correct: ArrayLike,
    *,
    bins: int = 10,
    strategy: str = "uniform",
) -> tuple[ReliabilityBin, ...]:
    """Per-bin count, mean confidence and accuracy; always ``bins`` bins, empty ones included."""
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise CalibrationError("bins must be a positive integer")
    if strategy not in STRATEGIES:
        raise CalibrationError(f"unknown binning strategy {strategy!r}; expected {STRATEGIES}")
    conf, hit = _checked(confidences, correct)
    if strategy == "uniform":
        return _uniform_bins(conf, hit, bins)
    return _quantile_bins(conf, hit, bins)


def _uniform_bins(conf: np.ndarray, hit: np.ndarray, bins: int) -> tuple[ReliabilityBin, ...]:
    edges = np.arange(bins + 1, dtype=np.float64) / bins
    index = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, bins - 1)
    counts = np.bincount(index, minlength=bins)
    conf_sums = np.bincount(index, weights=conf, minlength=bins)
    hit_sums = np.bincount(index, weights=hit.astype(np.float64), minlength=bins)
    return tuple(
        _bin(
            float(edges[i]),
            float(edges[i + 1]),
            int(counts[i]),
            float(conf_sums[i]),
            float(hit_sums[i]),
        )
        for i in range(bins)
    )


def _quantile_bins(conf: np.ndarray, hit: np.ndarray, bins: int) -> tuple[ReliabilityBin, ...]:
    order = np.argsort(conf, kind="stable")
    result = []
    previous_upper = 0.0
    for group in np.array_split(order, bins):
        if group.size == 0:
            result.append(_bin(previous_upper, previous_upper, 0, 0.0, 0.0))
            continue
        group_conf = conf[group]
        lower, upper = float(group_conf[0]), float(group_conf[-1])
        result.append(
            _bin(lower, upper, int(group.size), float(group_conf.sum()), float(hit[group].sum()))
        )
        previous_upper = upper
    return tuple(result)


def _bin(lower: float, upper: float, count: int, conf_sum: float, hit_sum: float) -> ReliabilityBin:
    if count == 0:
        return ReliabilityBin(lower=lower, upper=upper, count=0, mean_confidence=0.0, accuracy=0.0)
    return ReliabilityBin(
        lower=lower,
        upper=upper,
        count=count,
        mean_confidence=conf_sum / count,
        accuracy=hit_sum / count,
    )


def _checked(confidences: ArrayLike, correct: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """1-D float64 confidences in [0, 1] and a boolean array of the same length."""
    conf = np.asarray(confidences, dtype=np.float64)
    raw = np.asarray(correct)
    if conf.ndim != 1 or raw.ndim != 1:
        raise CalibrationError("confidences and correct must be one-dimensional")
    if conf.shape != raw.shape:
        raise CalibrationError(
            f"confidences has {conf.size} values but correct has {raw.size}; they must pair up"
        )
    if conf.size and not (np.isfinite(conf).all() and conf.min() >= 0.0 and conf.max() <= 1.0):
        raise CalibrationError("confidences must be finite and in [0, 1]")
    if raw.dtype == np.bool_:
        return conf, raw
    if raw.size and not np.isin(raw, (0, 1)).all():
        raise CalibrationError("correct must hold booleans or 0/1 values")
    return conf, raw.astype(bool)


def _float_tuple(values: Any, *, name: str) -> tuple[float, ...]:
    result = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
            raise CalibrationError(f"{name} must hold numbers only")
        number = float(value)
        if not math.isfinite(number):
            raise CalibrationError(f"{name} values must be finite")
        result.append(number)
    return tuple(result)


def _reject_constant(name: str) -> float:
    raise CalibrationError(f"calibrator JSON may not contain {name}")


def _interp_one(c: float, xs: tuple[float, ...], ys: tuple[float, ...]) -> float:
    """``np.interp(c, xs, ys)`` for one float, with the same arithmetic, clipped to [0, 1]."""
    if c <= xs[0]:
        value = ys[0]
    elif c >= xs[-1]:
        value = ys[-1]
    else:
        j = bisect_right(xs, c) - 1
        if c == xs[j]:
            value = ys[j]
        else:
            slope = (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j])
            value = slope * (c - xs[j]) + ys[j]
    return min(max(value, 0.0), 1.0)


def _platt_one(f: float) -> float:
    """``1 / (1 + exp(f))`` without overflow."""
    e = math.exp(-abs(f))
    return e / (1.0 + e) if f > 0 else 1.0 / (1.0 + e)


def _platt_many(f: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(f))
    return np.where(f > 0, e / (1.0 + e), 1.0 / (1.0 + e))


def _fit_platt(conf: np.ndarray, hit: np.ndarray) -> tuple[float, float]:
    """Platt's ``a`` and ``b`` by Newton's method with backtracking (Lin, Lin & Weng, 2007)."""
    n_pos = float(hit.sum())
    n_neg = float(hit.size) - n_pos
    target = np.where(hit, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))

    def objective(a: float, b: float) -> float:
        f = conf * a + b
        return float(np.sum(np.logaddexp(0.0, f) - (1.0 - target) * f))

    a, b = 0.0, math.log((n_neg + 1.0) / (n_pos + 1.0))
    value = objective(a, b)
    for _ in range(_PLATT_MAX_ITERATIONS):
        p = expit(-(conf * a + b))
        weight = p * (1.0 - p)
        residual = target - p
        g1, g2 = float(np.dot(conf, residual)), float(residual.sum())
        if abs(g1) < _PLATT_GRADIENT_TOLERANCE and abs(g2) < _PLATT_GRADIENT_TOLERANCE:
            break
        h11 = _PLATT_HESSIAN_RIDGE + float(np.dot(conf * conf, weight))
        h22 = _PLATT_HESSIAN_RIDGE + float(weight.sum())
        h21 = float(np.dot(conf, weight))
        det = h11 * h22 - h21 * h21
        if not det > 0.0:
            break
        step_a = -(h22 * g1 - h21 * g2) / det
        step_b = -(-h21 * g1 + h11 * g2) / det
        descent = g1 * step_a + g2 * step_b
        step = 1.0
        while step >= _PLATT_MIN_STEP:
            new_a, new_b = a + step * step_a, b + step * step_b
            new_value = objective(new_a, new_b)
            if new_value < value + 1e-4 * step * descent:
                a, b, value = new_a, new_b, new_value
                break
            step /= 2.0
        else:
            break
    return a, b
