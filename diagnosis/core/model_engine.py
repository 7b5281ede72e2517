"""The trained engine: a LightGBM root-cause model, masked subtype models and a calibrator,
loaded from plain-data artifacts (model text and JSON; never pickle) checked by SHA-256.

Bundle layout (artifact name → content):

- ``labels.json``: ``{"root_causes": [...], "subtypes": {root: [...]}}``, the class order of
  each model;
- ``root_cause.txt``: the root-cause booster (``Booster.model_to_string``);
- ``subtype_<root>.txt``: one booster per root cause over that root's subtypes (a root with a
  single observed subtype has no booster and always answers that subtype);
- ``calibrator.json``: maps the raw joint confidence (root probability × subtype probability)
  to the calibrated probability that both are right (training.core.calibration);
- ``feature_schema.json``: the schema the models were trained on (checked at activation).

Serving cost: one decision scores its row through LightGBM's single-row C API
(``LGBM_BoosterPredictForMatSingleRowFast``: the prediction config is parsed once per booster,
not on every call as ``Booster.predict`` does; the same numbers, tested), single-threaded, with
isotonic calibration by ``np.interp``. The top signals are LightGBM ``pred_contrib`` (TreeSHAP)
values of the predicted root cause, computed on a booster holding only that class's trees: SHAP
is additive over trees, so the values are exactly the multiclass ``pred_contrib`` slice of that
class at a quarter of its cost (tested).
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
from lightgbm.basic import _LIB, _c_str, _safe_call

from diagnosis.core.engine import Decision, Signal
from diagnosis.core.features import FeatureVector
from diagnosis.core.taxonomy import TAXONOMY_VERSION, validate_pair
from training.core.calibration import Calibrator

LABELS = "labels.json"
ROOT_MODEL = "root_cause.txt"
CALIBRATOR = "calibrator.json"
FEATURE_SCHEMA = "feature_schema.json"
TOP_SIGNALS = 5


def subtype_model_name(root_cause: str) -> str:
    return f"subtype_{root_cause}.txt"


_TREE_HEADER = re.compile(r"(?m)^(?=Tree=\d+\n)")


def class_booster_text(model_text: str, class_index: int) -> str:
    """A single-output LightGBM model of one class of a multiclass model: its trees only.

    Multiclass boosters store one tree per class per iteration, class ``i`` at positions
    ``i, i + num_class, …``; the header is rewritten for one tree per iteration.
    """
    header, trees = model_text.split("\nTree=0\n", 1)
    trees, _ = ("Tree=0\n" + trees).split("end of trees", 1)
    num_class = int(re.search(r"(?m)^num_class=(\d+)$", header).group(1))  # type: ignore[union-attr]
    blocks = [block for block in _TREE_HEADER.split(trees) if block]
    mine = [
        re.sub(r"^Tree=\d+\n", f"Tree={i}\n", block, count=1)
        for i, block in enumerate(blocks[class_index::num_class])
    ]
    replaced = {
        "num_class": "1",
        "num_tree_per_iteration": "1",
        "objective": "regression",
        "tree_sizes": " ".join(str(len(block.encode())) for block in mine),
    }
    lines = []
    for line in header.split("\n"):
        key = line.split("=", 1)[0]
        lines.append(f"{key}={replaced[key]}" if key in replaced and "=" in line else line)
    return "\n".join(lines) + "\n" + "".join(mine) + "end of trees\n"


class ArtifactIntegrityError(ValueError):
    """An artifact's content does not match its recorded SHA-256 (tampered or corrupted)."""


class IncompatibleBundleError(ValueError):
    """A bundle trained on another feature schema than the one this code builds."""


def verify_artifacts(*, artifacts: Mapping[str, str], expected: Mapping[str, str]) -> None:
    """Raise unless every artifact hashes to its recorded SHA-256 and none is missing or extra."""
    if set(artifacts) != set(expected):
        raise ArtifactIntegrityError(
            f"artifact set differs: missing {sorted(set(expected) - set(artifacts))}, "
            f"extra {sorted(set(artifacts) - set(expected))}"
        )
    for name, content in artifacts.items():
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if digest != expected[name]:
            raise ArtifactIntegrityError(f"SHA-256 mismatch for artifact {name!r}")


@dataclass(frozen=True, slots=True)
class BatchPrediction:
    """Predictions for many rows, as served: used by calibration fitting and evaluation."""

    root_causes: tuple[str, ...]
    subtypes: tuple[str, ...]
    root_probabilities: np.ndarray
    raw_confidence: np.ndarray
    combined_confidence: np.ndarray

    def pair_correct(self, root_causes: Sequence[str], subtypes: Sequence[str]) -> np.ndarray:
        """Per row: root cause *and* subtype right (the event the calibrator is fitted on)."""
        return (np.asarray(self.root_causes) == np.asarray(root_causes)) & (
            np.asarray(self.subtypes) == np.asarray(subtypes)
        )


# LightGBM C API constants (c_api.h).
_PREDICT_NORMAL = 0
_PREDICT_CONTRIB = 3
_DTYPE_FLOAT64 = 1


class SingleRowPredictor:
    """One booster's predictions for one row through LightGBM's FastConfig C API.

    ``Booster.predict`` parses its parameters and builds a predictor on every call, ~40 µs of a
    ~60 µs root-cause prediction; the FastConfig does that once. The values are those of
    ``Booster.predict(row.reshape(1, -1), num_threads=1, pred_contrib=contrib)[0]`` (tested).
    A FastConfig keeps working buffers, so calls are serialised by a lock (a web process serves
    one request per thread at a time; the lock only matters under a threaded server). It holds
    its booster, so the booster outlives it, and frees its FastConfig when collected.
    """

    __slots__ = ("_booster", "_handle", "_lock", "columns", "width")

    def __init__(self, booster: lgb.Booster, *, contrib: bool = False) -> None:
        self._booster = booster
        self._lock = threading.Lock()
        outputs = booster.num_model_per_iteration()
        self.columns = booster.num_feature()
        self.width = (self.columns + 1) * outputs if contrib else outputs
        handle = ctypes.c_void_p()
        _safe_call(
            _LIB.LGBM_BoosterPredictForMatSingleRowFastInit(
                booster._handle,
                ctypes.c_int(_PREDICT_CONTRIB if contrib else _PREDICT_NORMAL),
                ctypes.c_int(0),
                ctypes.c_int(-1),
                ctypes.c_int(_DTYPE_FLOAT64),
                ctypes.c_int32(self.columns),
                _c_str("num_threads=1"),
                ctypes.byref(handle),
            )
        )
        self._handle = handle

    def __call__(self, row: np.ndarray) -> np.ndarray:
        """The prediction of one contiguous float64 row of ``num_feature`` values; anything else
        is refused, since LightGBM reads exactly that many doubles from the buffer."""
        if row.shape != (self.columns,) or row.dtype != np.float64 or not row.flags.c_contiguous:
            raise ValueError(
                f"expected a contiguous float64 row of {self.columns} values, "
                f"got {row.dtype} of shape {row.shape}"
            )
        out = np.empty(self.width, dtype=np.float64)
        length = ctypes.c_int64()
        with self._lock:
            _safe_call(
                _LIB.LGBM_BoosterPredictForMatSingleRowFast(
                    self._handle,
                    row.ctypes.data_as(ctypes.c_void_p),
                    ctypes.byref(length),
                    out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                )
            )
        if length.value != self.width:
            raise ValueError(f"LightGBM returned {length.value} values, expected {self.width}")
        return out

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is not None and handle.value is not None:
            _LIB.LGBM_FastConfigFree(handle)


@dataclass(frozen=True, slots=True)
class _SubtypeModel:
    labels: tuple[str, ...]
    booster: lgb.Booster | None
    row_predictor: SingleRowPredictor | None


class ModelEngine:
    """A `DecisionEngine` backed by a trained bundle; `engine == "model"`."""

    name = "model"

    def __init__(self, *, version: str, artifacts: Mapping[str, str]) -> None:
        labels = json.loads(artifacts[LABELS])
        self.version = version
        self.root_labels: tuple[str, ...] = tuple(labels["root_causes"])
        self.root = lgb.Booster(model_str=artifacts[ROOT_MODEL])
        self.explainers = tuple(
            lgb.Booster(model_str=class_booster_text(artifacts[ROOT_MODEL], index))
            for index in range(len(self.root_labels))
        )
        self._root_row = SingleRowPredictor(self.root)
        self._explainer_rows = tuple(
            SingleRowPredictor(explainer, contrib=True) for explainer in self.explainers
        )
        self.subtypes: dict[str, _SubtypeModel] = {}
        for root in self.root_labels:
            subtype_labels = tuple(labels["subtypes"][root])
            for subtype in subtype_labels:
                validate_pair(root, subtype)
            name = subtype_model_name(root)
            booster = lgb.Booster(model_str=artifacts[name]) if name in artifacts else None
            self.subtypes[root] = _SubtypeModel(
                labels=subtype_labels,
                booster=booster,
                row_predictor=SingleRowPredictor(booster) if booster is not None else None,
            )
        self.calibrator = Calibrator.from_json(artifacts[CALIBRATOR])
        self.num_features = self.root.num_feature()

    def decide(self, features: FeatureVector) -> Decision:
        values = np.asarray(features.values, dtype=np.float64)
        if values.shape != (self.num_features,):
            raise ValueError(
                f"model {self.version} expects {self.num_features} features, got {values.size}"
            )
        # One row, without predict_batch's array bookkeeping (~40 µs of numpy calls for a row);
        # the same arithmetic, so a decision equals its row of predict_batch (tested).
        root_probs = self._root_row(values)
        root_index = int(root_probs.argmax())
        root_cause = self.root_labels[root_index]
        model = self.subtypes[root_cause]
        if model.row_predictor is None:
            subtype, subtype_conf = model.labels[0], 1.0
        else:
            probs = model.row_predictor(values)
            best = int(probs.argmax())
            total = float(probs.sum())
            subtype = model.labels[best]
            subtype_conf = float(probs[best]) / total if total > 0 else 0.0
        raw = float(root_probs[root_index]) * subtype_conf
        return Decision(
            root_cause=root_cause,
            subtype=subtype,
            raw_confidence=round(raw, 6),
            combined_confidence=round(self.calibrator.apply(raw), 6),
            calibration_applied=self.calibrator.method != "identity",
            engine=self.name,
            model_version=self.version,
            top_signals=self._top_signals(values, root_index, features.names),
            raw_probabilities=tuple(
                (label, round(p, 6))
                for label, p in zip(self.root_labels, root_probs.tolist(), strict=True)
            ),
            taxonomy_version=TAXONOMY_VERSION,
        )

    def predict_batch(self, X: np.ndarray) -> BatchPrediction:
        """Decisions for every row of `X`: the root cause, then the subtype from that root's
        own model, whose classes are that root's valid subtypes only (the taxonomy mask, checked
        when the bundle loads)."""
        X = np.asarray(X, dtype=np.float64)
        root_probs = self.root.predict(X, num_threads=1)
        n = len(root_probs)
        root_index = np.argmax(root_probs, axis=1)
        root_conf = root_probs[np.arange(n), root_index]
        subtypes = np.empty(n, dtype=object)
        sub_conf = np.ones(n)
        for index, root in enumerate(self.root_labels):
            rows = np.flatnonzero(root_index == index)
            if rows.size == 0:
                continue
            model = self.subtypes[root]
            if model.booster is None:
                subtypes[rows] = model.labels[0]
                continue
            probs = model.booster.predict(X[rows], num_threads=1).reshape(len(rows), -1)
            best = np.argmax(probs, axis=1)
            totals = probs.sum(axis=1)
            subtypes[rows] = [model.labels[i] for i in best]
            sub_conf[rows] = np.where(totals > 0, probs[np.arange(len(rows)), best] / totals, 0.0)
        raw = root_conf * sub_conf
        return BatchPrediction(
            root_causes=tuple(self.root_labels[i] for i in root_index),
            root_probabilities=root_probs,
            subtypes=tuple(subtypes),
            raw_confidence=raw,
            combined_confidence=self.calibrator.apply_many(raw),
        )

    def _top_signals(
        self, values: np.ndarray, class_index: int, names: tuple[str, ...]
    ) -> tuple[Signal, ...]:
        """The largest LightGBM `pred_contrib` values towards the predicted root cause."""
        contrib = self._explainer_rows[class_index](values)
        per_feature = contrib[: self.num_features]  # the last value is the bias
        order = np.argsort(-np.abs(per_feature), kind="stable")[:TOP_SIGNALS]
        return tuple(
            Signal(feature=names[i], contribution=round(float(per_feature[i]), 6))
            for i in order
            if per_feature[i] != 0.0
        )
