"""Sweep the root-cause model's rounds × learning rate (× depth limit): quality against serving
cost.

Every decision explains itself with the predicted class's TreeSHAP (`pred_contrib`), whose cost
grows with the number of trees and with their depth squared, so the default `TrainParams` trade
quality for latency. For each ``rounds:rate`` pair (``rounds:rate:max_depth`` also limits the
depth) this trains the root-cause model on the training split of the `mim_bench_train` data
(load it first with `bench/train.py`), then reports the test split's macro-F1 and accuracy, the
grouped 5-fold CV macro-F1 (as the pipeline computes it) and, per row of the test split, the
single-row cost of the root prediction and of the predicted class's `pred_contrib` (p50 over 300
rows × 5). Writes bench/results/train_sweep.json (or ``--out``).

    .venv/bin/python bench/train_sweep.py [--variants 150:0.1 100:0.2 100:0.2:5 ...] [--out F]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import replace

from common import RESULTS_DIR, prepare_database, result_header

BENCH_DB = "mim_bench_train"
DEFAULT_VARIANTS = (
    "150:0.1",
    "100:0.1",
    "100:0.15",
    "120:0.125",
    "80:0.2",
    "100:0.2",
    "80:0.25",
    "60:0.33",
    "50:0.4",
)
TIMED_ROWS = 300
TIMED_REPEATS = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", nargs="+", default=list(DEFAULT_VARIANTS))
    parser.add_argument("--out", default="train_sweep.json", help="file name in bench/results")
    args = parser.parse_args()

    prepare_database(BENCH_DB, fresh=False)
    import lightgbm as lgb
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score

    from diagnosis.core.features import load_feature_schema
    from diagnosis.core.model_engine import SingleRowPredictor, class_booster_text
    from training.core.dataset import LABEL_ROOT, LEARNER_COLUMN, feature_matrix, time_split
    from training.core.trainer import TrainParams, cross_validate, train_booster
    from training.services import dataset_frame_build

    schema = load_feature_schema()
    frame, _ = dataset_frame_build(schema=schema)
    if len(frame) < 10_000:
        raise SystemExit(f"{len(frame)} labelled rows in {BENCH_DB}: run bench/train.py first")
    split = time_split(frame)
    labels = sorted(frame[LABEL_ROOT].unique())
    X_train = feature_matrix(split.train, schema.names)
    y_train = np.array([labels.index(v) for v in split.train[LABEL_ROOT]])
    X_test = feature_matrix(split.test, schema.names)
    y_test = np.array([labels.index(v) for v in split.test[LABEL_ROOT]])
    step = max(1, len(X_test) // TIMED_ROWS)
    timed = [np.ascontiguousarray(row) for row in X_test[::step][:TIMED_ROWS]]

    results = []
    for variant in args.variants:
        rounds, rate, *depth = variant.split(":")
        params = replace(
            TrainParams(),
            num_iterations=int(rounds),
            learning_rate=float(rate),
            max_depth=int(depth[0]) if depth else TrainParams().max_depth,
        )
        booster = train_booster(
            X_train, y_train, num_class=len(labels), params=params, iterations=int(rounds)
        )
        predicted = np.argmax(booster.predict(X_test, num_threads=params.num_threads), axis=1)
        cv = cross_validate(
            X_train,
            y_train,
            num_class=len(labels),
            params=params,
            groups=list(split.train[LEARNER_COLUMN]),
        )
        root = SingleRowPredictor(booster)
        text = booster.model_to_string()
        explainers = [
            SingleRowPredictor(lgb.Booster(model_str=class_booster_text(text, i)), contrib=True)
            for i in range(len(labels))
        ]
        root_ms, contrib_ms = [], []
        for _ in range(TIMED_REPEATS):
            for row in timed:
                started = time.perf_counter()
                probabilities = root(row)
                middle = time.perf_counter()
                explainers[int(np.argmax(probabilities))](row)
                ended = time.perf_counter()
                root_ms.append((middle - started) * 1000)
                contrib_ms.append((ended - middle) * 1000)
        result = {
            "rounds": int(rounds),
            "learning_rate": float(rate),
            "max_depth": params.max_depth,
            "test_macro_f1": round(float(f1_score(y_test, predicted, average="macro")), 4),
            "test_accuracy": round(float(accuracy_score(y_test, predicted)), 4),
            "cv_macro_f1_mean": cv["macro_f1_mean"],
            "cv_macro_f1_std": cv["macro_f1_std"],
            "root_predict_p50_ms": round(statistics.median(root_ms), 4),
            "pred_contrib_p50_ms": round(statistics.median(contrib_ms), 4),
        }
        print(json.dumps(result), flush=True)
        results.append(result)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / args.out).write_text(
        json.dumps(
            {
                **result_header("train_sweep", database=False),
                "rows": {"train": len(y_train), "test": len(y_test)},
                "default": {
                    "rounds": TrainParams().num_iterations,
                    "learning_rate": TrainParams().learning_rate,
                    "max_depth": TrainParams().max_depth,
                },
                "variants": results,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
