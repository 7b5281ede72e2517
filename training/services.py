"""Writes of the training app: build the dataset, run the gates, train, evaluate, register.

A run never activates anything: success ends in a *candidate* model version that a person
must approve and activate in governance (DESIGN.md §4).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone

from diagnosis.core.features import FeatureSchema, load_feature_schema
from diagnosis.core.model_engine import ModelEngine
from diagnosis.core.taxonomy import ALL_SUBTYPES, ROOT_CAUSES, TAXONOMY_VERSION
from diagnosis.models import Diagnosis
from diagnosis.services import model_engine_load
from governance.models import ModelVersion
from governance.services import model_version_register
from training.core.audit import feature_audit
from training.core.calibration import (
    brier_score,
    expected_calibration_error,
    maximum_calibration_error,
    reliability_curve,
)
from training.core.dataset import (
    LABEL_ROOT,
    LABEL_SUBTYPE,
    LEARNER_COLUMN,
    TIME_COLUMN,
    InsufficientDataError,
    SampleGate,
    check_minimum_samples,
    feature_matrix,
    learner_pseudonym,
    snapshot_metadata,
    snapshot_read,
    snapshot_write,
    time_split,
)
from training.core.evaluation import (
    classification_report,
    confusion_matrix_svg,
    mcnemar_test,
    reliability_diagram_svg,
)
from training.core.leakage import leakage_gate
from training.core.synthetic import SyntheticDataset
from training.core.trainer import TrainParams, train_bundle
from training.models import TrainingRun

T = TypeVar("T")
DEFAULT_SAMPLE_GATE = SampleGate()


class TrainingBlocked(Exception):
    """A gate refused the data; the run is recorded as blocked with the reason."""


def training_run_create(
    *, trigger: str, requested_by: AbstractBaseUser | None = None, seed: int = 42
) -> TrainingRun:
    return TrainingRun.objects.create(trigger=trigger, requested_by=requested_by, seed=seed)


def training_run_claim(*, training_run_id: int) -> TrainingRun | None:
    """Move a queued run to running in one conditional UPDATE; None when it is not queued any
    more (a redelivered or duplicate message), so a run is never trained twice."""
    claimed = TrainingRun.objects.filter(
        pk=training_run_id, status=TrainingRun.Status.QUEUED
    ).update(status=TrainingRun.Status.RUNNING, started_at=timezone.now())
    return TrainingRun.objects.get(pk=training_run_id) if claimed else None


def dataset_frame_build(
    *, schema: FeatureSchema, max_rows: int | None = None
) -> tuple[pd.DataFrame, list[bool]]:
    """Verified labels only, with the feature vectors stored at diagnosis time (the exact input
    the served model sees), for the current schema version; ``max_rows`` keeps the latest."""
    rows = (
        Diagnosis.objects.filter(
            verified_root_cause__isnull=False, feature_schema_version=schema.version
        )
        .annotate(
            submitted_at=F("submission__submitted_at"),
            user_id=F("submission__user_id"),
            code_length=Length("submission__code"),
        )
        .values_list(
            "id",
            "submitted_at",
            "user_id",
            "verified_root_cause",
            "verified_subtype",
            "feature_vector",
            "code_length",
        )
        .order_by("-submitted_at", "-id")
    )
    if max_rows is not None:
        rows = rows[:max_rows]
    ids, times, learners, roots, subtypes, vectors, code_present = [], [], [], [], [], [], []
    for pk, submitted_at, user_id, root, subtype, vector, code_length in rows.iterator(
        chunk_size=5000
    ):
        if len(vector) != len(schema.names):
            continue
        ids.append(pk)
        times.append(submitted_at)
        learners.append(learner_pseudonym(user_id))
        roots.append(root)
        subtypes.append(subtype)
        vectors.append(vector)
        code_present.append(bool(code_length))
    features = pd.DataFrame(
        np.asarray(vectors, dtype=np.float64).reshape(len(vectors), len(schema.names)),
        columns=list(schema.names),
    )
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "id": ids,
                    TIME_COLUMN: times,
                    LEARNER_COLUMN: learners,
                    LABEL_ROOT: roots,
                    LABEL_SUBTYPE: subtypes,
                }
            ),
            features,
        ],
        axis=1,
    )
    order = frame.sort_values([TIME_COLUMN, "id"], kind="stable").index
    return frame.loc[order].reset_index(drop=True), [code_present[i] for i in order]


def training_run_execute(
    *,
    run: TrainingRun,
    params: TrainParams | None = None,
    sample_gate: SampleGate = DEFAULT_SAMPLE_GATE,
    max_rows: int | None = None,
) -> TrainingRun:
    """Run every step, recording timings and reports on the run row as it goes.

    ``max_rows`` trains on the latest labelled rows only (benchmarks, quick experiments)."""
    params = params or TrainParams(seed=run.seed)
    run.status = TrainingRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    try:
        _pipeline(run=run, params=params, sample_gate=sample_gate, max_rows=max_rows)
    except (TrainingBlocked, InsufficientDataError) as exc:
        run.status = TrainingRun.Status.BLOCKED
        run.blocked_reason = str(exc)
        _log(run, f"blocked: {exc}")
    except Exception as exc:
        run.status = TrainingRun.Status.FAILED
        _log(run, f"failed: {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}")
    else:
        run.status = TrainingRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.save()
    return run


def _log(run: TrainingRun, line: str) -> None:
    run.log += f"{timezone.now().isoformat(timespec='seconds')} {line}\n"


def _step(run: TrainingRun, name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    run.timings = {**run.timings, name: round(time.perf_counter() - started, 3)}
    _log(run, f"{name}: {run.timings[name]} s")
    run.save(update_fields=["timings", "log"])
    return result


def dataset_snapshot_build(
    *, schema: FeatureSchema, max_rows: int | None = None, directory: Path | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The labelled frame and its metadata, written as a parquet snapshot named by its data
    SHA-256 (so a run can be reproduced from the exact rows it saw)."""
    frame, code_present = dataset_frame_build(schema=schema, max_rows=max_rows)
    metadata = snapshot_metadata(
        frame,
        feature_names=schema.names,
        schema_version=schema.version,
        schema_sha256=schema.sha256,
        code_present=code_present,
        created_at=timezone.now().isoformat(timespec="seconds"),
    )
    directory = directory or Path(settings.MIM_DATASET_DIR)
    path = snapshot_write(frame, metadata, directory / f"{metadata['data_sha256']}.parquet")
    return frame, {**metadata, "snapshot_path": str(path)}


def _pipeline(
    *, run: TrainingRun, params: TrainParams, sample_gate: SampleGate, max_rows: int | None
) -> None:
    schema = load_feature_schema()
    frame, run.dataset = _step(
        run, "dataset", lambda: dataset_snapshot_build(schema=schema, max_rows=max_rows)
    )
    if max_rows is not None:
        run.dataset["max_rows"] = max_rows
    check_minimum_samples(list(frame[LABEL_ROOT]), gate=sample_gate, classes=ROOT_CAUSES)
    split = time_split(frame)
    run.dataset["split"] = {
        "train": len(split.train),
        "calibration": len(split.calibration),
        "test": len(split.test),
    }
    audit = _step(
        run,
        "feature_audit",
        lambda: feature_audit(
            split.train,
            feature_names=schema.names,
            label_column=LABEL_ROOT,
            time_column=TIME_COLUMN,
        ),
    )
    run.audit_report = audit
    if not audit["gate"]["passed"]:
        reasons = list(audit["blocking_issues"]) or [
            f"health score {audit['health_score']} below {audit['gate']['min_health_score']}"
        ]
        raise TrainingBlocked(f"feature audit failed: {'; '.join(reasons)}")
    X_train = feature_matrix(split.train, schema.names)
    gate = _step(
        run,
        "leakage_gate",
        lambda: leakage_gate(
            X_train,
            split.train[LABEL_ROOT].to_numpy(),
            feature_names=schema.names,
            groups=dict(zip(schema.names, schema.groups, strict=True)),
            seed=params.seed,
        ),
    )
    run.gate_report = gate.to_dict()
    if not gate.passed:
        raise TrainingBlocked(f"leakage gate failed: {'; '.join(gate.blocking)}")
    bundle = _step(
        run,
        "train",
        lambda: train_bundle(
            X_train=X_train,
            root_train=list(split.train[LABEL_ROOT]),
            subtype_train=list(split.train[LABEL_SUBTYPE]),
            X_calib=feature_matrix(split.calibration, schema.names),
            root_calib=list(split.calibration[LABEL_ROOT]),
            subtype_calib=list(split.calibration[LABEL_SUBTYPE]),
            schema_text=_schema_text(),
            params=params,
            groups_train=list(split.train[LEARNER_COLUMN]),
        ),
    )
    metrics, plots = _step(
        run, "evaluate", lambda: evaluate_artifacts(bundle.artifacts, split.test, schema)
    )
    metrics["cv"] = bundle.cv
    metrics["calibration_method"] = bundle.calibration_method
    run.metrics = metrics
    version = _step(
        run,
        "register",
        lambda: model_version_register(
            version=f"mim-{timezone.now():%Y%m%d-%H%M%S}-run{run.pk}",
            artifacts={**bundle.artifacts, **plots},
            feature_schema_version=schema.version,
            feature_schema_sha256=schema.sha256,
            taxonomy_version=TAXONOMY_VERSION,
            metrics=metrics,
            author=run.requested_by,
        ),
    )
    run.model_version = version
    _log(run, f"registered candidate {version.version}; it serves nobody until approved")


def _schema_text() -> str:
    from diagnosis.core.features import SCHEMA_V2_PATH

    return SCHEMA_V2_PATH.read_text()


def evaluate_artifacts(
    artifacts: dict[str, str], test: pd.DataFrame, schema: FeatureSchema
) -> tuple[dict[str, Any], dict[str, str]]:
    """Metrics and plots of a bundle on a labelled frame, predicting exactly as served."""
    return evaluate_engine(ModelEngine(version="evaluation", artifacts=artifacts), test, schema)


def model_version_evaluate(
    *, version: ModelVersion, data: Path
) -> tuple[dict[str, Any], dict[str, str]]:
    """Evaluate a registered version (artifacts verified by SHA-256) on a dataset snapshot."""
    frame, metadata = snapshot_read(data)
    schema = load_feature_schema()
    if metadata.get("feature_schema_v2_sha256") != version.feature_schema_sha256:
        raise ValueError(
            f"{data} was built with feature schema {metadata.get('schema_version')!r}, "
            f"version {version.version} needs {version.feature_schema_version!r}"
        )
    metrics, plots = evaluate_engine(model_engine_load(version_id=version.pk), frame, schema)
    metrics["model_version"] = version.version
    metrics["dataset"] = {
        key: metadata.get(key) for key in ("data_sha256", "row_count", "schema_version")
    }
    return metrics, plots


def evaluate_engine(
    engine: ModelEngine, test: pd.DataFrame, schema: FeatureSchema
) -> tuple[dict[str, Any], dict[str, str]]:
    """Accuracy, F1s, per-class reports, confusion matrices, ECE (equal-width and equal-mass),
    MCE, Brier, the reliability curve, and SVG plots of the confusion matrices and reliability."""
    batch = engine.predict_batch(feature_matrix(test, schema.names))
    true_root = list(test[LABEL_ROOT])
    true_sub = list(test[LABEL_SUBTYPE])
    root_report = classification_report(true_root, batch.root_causes, labels=ROOT_CAUSES)
    sub_report = classification_report(true_sub, batch.subtypes, labels=ALL_SUBTYPES)
    correct = batch.pair_correct(true_root, true_sub)
    confidence = batch.combined_confidence
    ece = expected_calibration_error(confidence, correct, bins=10, strategy="uniform")
    metrics: dict[str, Any] = {
        "test_rows": len(test),
        "root_cause_accuracy": round(root_report.accuracy, 6),
        "root_cause_macro_f1": round(root_report.macro_f1, 6),
        "root_cause_weighted_f1": round(root_report.weighted_f1, 6),
        "subtype_accuracy": round(sub_report.accuracy, 6),
        "subtype_macro_f1": round(sub_report.macro_f1, 6),
        "pair_accuracy": round(float(np.mean(correct)) if len(correct) else 0.0, 6),
        "ece": round(ece, 6),
        "ece_equal_mass": round(
            expected_calibration_error(confidence, correct, bins=10, strategy="quantile"), 6
        ),
        "ece_raw": round(expected_calibration_error(batch.raw_confidence, correct, bins=10), 6),
        "mce": round(maximum_calibration_error(confidence, correct, bins=10), 6),
        "brier": round(brier_score(confidence, correct), 6),
        "root_cause_report": root_report.to_dict(),
        "subtype_report": sub_report.to_dict(),
    }
    bins = reliability_curve(confidence, correct, bins=10)
    metrics["reliability_curve"] = [asdict(b) for b in bins]
    plots = {
        "confusion_root_cause.svg": confusion_matrix_svg(root_report, title="Root cause"),
        "confusion_subtype.svg": confusion_matrix_svg(sub_report, title="Subtype"),
        "reliability.svg": reliability_diagram_svg(bins, title="Reliability", ece=ece),
    }
    return metrics, plots


def model_versions_compare(*, a: ModelVersion, b: ModelVersion) -> dict[str, Any]:
    """Metric deltas (b − a) and a McNemar test of both versions on one shared evaluation set:
    the most recent verified rows (the test split of today's dataset), predicted as served."""
    deltas = {
        key: round(float(b.metrics[key]) - float(a.metrics[key]), 6)
        for key in sorted(set(a.metrics) & set(b.metrics))
        if isinstance(a.metrics[key], int | float) and isinstance(b.metrics[key], int | float)
    }
    schema = load_feature_schema()
    frame, _ = dataset_frame_build(schema=schema)
    test = time_split(frame).test
    correct = {}
    for label, version in (("a", a), ("b", b)):
        batch = model_engine_load(version_id=version.pk).predict_batch(
            feature_matrix(test, schema.names)
        )
        correct[label] = list(batch.pair_correct(test[LABEL_ROOT], test[LABEL_SUBTYPE]))
    return {
        "a": a.version,
        "b": b.version,
        "metric_deltas": deltas,
        "shared_evaluation_rows": len(test),
        "accuracy_a": round(float(np.mean(correct["a"])), 6) if len(test) else None,
        "accuracy_b": round(float(np.mean(correct["b"])), 6) if len(test) else None,
        "mcnemar": mcnemar_test(correct["a"], correct["b"]),
    }


def training_run_enqueue(
    *, trigger: str, requested_by: AbstractBaseUser | None = None, seed: int = 42
) -> TrainingRun:
    """Create a queued run and hand it to a worker once the row is committed."""
    from django.db import transaction

    from training.tasks import train

    with transaction.atomic():
        run = training_run_create(trigger=trigger, requested_by=requested_by, seed=seed)
        transaction.on_commit(lambda: train.apply_async(kwargs={"training_run_id": run.pk}))
    return run


def synthetic_dataset_load(*, dataset: SyntheticDataset, batch_size: int = 500) -> dict[str, int]:
    """Submit every synthetic attempt through the real diagnosis service (so features are
    computed exactly as in production) and record each failed attempt's planted (root cause,
    subtype) as its verified label, the same field human reviewers set."""
    from diagnosis.services import SubmissionInput, submission_process

    problems = {p.external_id: p for p in dataset.problems}
    labels: dict[str, tuple[str, str]] = {}
    created = 0
    for attempt in dataset.attempts:
        problem = problems[attempt.problem_id]
        result = submission_process(
            data=SubmissionInput(
                external_id=attempt.external_id,
                user_id=attempt.user_id,
                problem_id=attempt.problem_id,
                problem_title=problem.title,
                problem_tags=tuple(problem.tags),
                problem_category=problem.category,
                problem_difficulty=problem.difficulty,
                language=attempt.language,
                code=attempt.code,
                verdict=attempt.verdict,
                submitted_at=attempt.submitted_at,
            )
        )
        created += int(result.created)
        if attempt.root_cause is not None and attempt.subtype is not None:
            labels[attempt.external_id] = (attempt.root_cause, attempt.subtype)
    now = timezone.now()
    external_ids = list(labels)
    labelled = 0
    for start in range(0, len(external_ids), batch_size):
        chunk = external_ids[start : start + batch_size]
        rows = list(
            Diagnosis.objects.filter(submission__external_id__in=chunk).select_related("submission")
        )
        for row in rows:
            row.verified_root_cause, row.verified_subtype = labels[row.submission.external_id]
            row.verified_at = now
        Diagnosis.objects.bulk_update(
            rows, ["verified_root_cause", "verified_subtype", "verified_at"]
        )
        labelled += len(rows)
    return {"attempts": len(dataset.attempts), "created": created, "labelled": labelled}
