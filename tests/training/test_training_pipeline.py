"""Training end to end on real PostgreSQL: synthetic labels → gates → candidate → four-eyes
approval → activation → the model serves → rollback; and the refusals on the way."""

from __future__ import annotations

import pytest
from django.db import connection

from diagnosis import services as diagnosis_services
from diagnosis.core.features import load_feature_schema
from diagnosis.models import Diagnosis
from governance.models import ActivationLog, ModelArtifact, ModelVersion
from governance.services import version_activate, version_approve, version_rollback
from tests.conftest import submission_payload
from training.core.dataset import SampleGate
from training.core.synthetic import generate
from training.core.trainer import TrainParams
from training.models import TrainingRun
from training.services import (
    synthetic_dataset_load,
    training_run_create,
    training_run_execute,
)

FAST = TrainParams(num_iterations=60, subtype_num_iterations=40, cv_folds=3, num_threads=1)
SMALL_GATE = SampleGate(min_rows=150, min_rows_per_root_cause=10)


@pytest.fixture
def labelled(db) -> dict[str, int]:
    return synthetic_dataset_load(dataset=generate(learners=30, seed=11))


@pytest.fixture(autouse=True)
def _fresh_engine_cache():
    diagnosis_services._model_engine.cache_clear()
    yield
    diagnosis_services._model_engine.cache_clear()


def _train(author, seed: int = 42) -> TrainingRun:
    run = training_run_create(trigger=TrainingRun.Trigger.COMMAND, requested_by=author, seed=seed)
    params = TrainParams(
        num_iterations=60, subtype_num_iterations=40, cv_folds=3, num_threads=1, seed=seed
    )
    return training_run_execute(run=run, params=params, sample_gate=SMALL_GATE)


def test_synthetic_rows_are_stored_with_verified_labels(labelled) -> None:
    failed = Diagnosis.objects.count()
    assert labelled["labelled"] == failed > 150
    assert not Diagnosis.objects.filter(verified_root_cause__isnull=True).exists()


def test_training_registers_a_candidate_that_serves_nobody(labelled, author) -> None:
    run = _train(author)

    assert run.status == "succeeded", run.log
    version = run.model_version
    assert version.status == "candidate"
    assert version.author == author
    assert {"root_cause.txt", "calibrator.json", "labels.json", "reliability.svg"} <= set(
        version.artifacts.values_list("name", flat=True)
    )
    assert not ModelArtifact.objects.filter(name__endswith=".pkl").exists()
    assert run.dataset["row_count"] == labelled["labelled"]
    assert set(run.timings) >= {"dataset", "feature_audit", "leakage_gate", "train", "evaluate"}
    assert run.gate_report["passed"] is True
    assert 0 <= run.metrics["ece"] <= 1 and run.metrics["cv"]["folds"] == 3
    assert ModelVersion.objects.filter(status="active").count() == 0


def test_approve_activate_serve_and_roll_back(labelled, author, approver, api) -> None:
    first = version_approve(version=_train(author).model_version, approver=approver, reason="ok")
    version_activate(version=first, activated_by=approver, reason="first model")

    served = api.post("/api/v1/submissions/", submission_payload(external_id="m1"), format="json")
    body = served.json()
    assert body["diagnosis"]["engine"] == "model"
    assert body["diagnosis"]["modelVersion"] == first.version
    assert body["confidence"]["calibrationApplied"] is True
    assert body["diagnosis"]["topSignals"]
    assert Diagnosis.objects.get(submission__external_id="m1").model_version == first.version

    second = version_approve(
        version=_train(author, seed=7).model_version, approver=approver, reason="ok"
    )
    version_activate(version=second, activated_by=approver, reason="second model")
    assert (
        api.post(
            "/api/v1/submissions/", submission_payload(external_id="m2"), format="json"
        ).json()["diagnosis"]["modelVersion"]
        == second.version
    )

    version_rollback(current=second, rolled_back_by=approver, reason="regression in shadow")
    after = api.post("/api/v1/submissions/", submission_payload(external_id="m3"), format="json")
    assert after.json()["diagnosis"]["modelVersion"] == first.version
    assert list(ActivationLog.objects.order_by("at", "id").values_list("action", flat=True)) == [
        "activate",
        "activate",
        "rollback",
    ]
    first_history = first.history.order_by("history_date", "history_id")
    assert list(first_history.values_list("status", flat=True)) == [
        "candidate",
        "approved",
        "active",
        "retired",
        "active",
    ]
    assert (
        list(
            second.history.order_by("history_date", "history_id").values_list("status", flat=True)
        )[-1]
        == "retired"
    )


def test_same_data_and_seed_train_the_same_bundle_and_serve_the_same_decision(
    labelled, author, approver, api
) -> None:
    first, second = _train(author).model_version, _train(author).model_version

    assert first.bundle_sha256 == second.bundle_sha256
    assert first.metrics == second.metrics
    version = version_approve(version=first, approver=approver, reason="ok")
    version_activate(version=version, activated_by=approver, reason="go")
    bodies = [
        api.post(
            "/api/v1/submissions/",
            submission_payload(external_id=f"d{i}", user_id=f"twin-{i}"),
            format="json",
        ).json()
        for i in range(2)
    ]
    assert bodies[0]["diagnosis"]["engine"] == "model"
    assert {k: v for k, v in bodies[0].items() if k != "submissionId"} == {
        k: v for k, v in bodies[1].items() if k != "submissionId"
    }


def test_a_tampered_artifact_is_refused_and_the_rules_engine_serves(
    labelled, author, approver, api
) -> None:
    version = version_approve(version=_train(author).model_version, approver=approver, reason="ok")
    version_activate(version=version, activated_by=approver, reason="go")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_modelartifact SET content = content || ' ' "
            "WHERE model_version_id = %s AND name = 'calibrator.json'",
            [version.pk],
        )

    body = api.post(
        "/api/v1/submissions/", submission_payload(external_id="t1"), format="json"
    ).json()

    assert body["diagnosis"]["engine"] == "rules"
    assert body["diagnosis"]["modelVersion"] is None


def test_a_model_of_another_feature_schema_is_refused_and_the_rules_engine_serves(
    labelled, author, approver, api
) -> None:
    version = version_approve(version=_train(author).model_version, approver=approver, reason="ok")
    version_activate(version=version, activated_by=approver, reason="go")
    # A deploy that changed the feature schema under an active model.
    ModelVersion.objects.filter(pk=version.pk).update(feature_schema_sha256="0" * 64)

    body = api.post(
        "/api/v1/submissions/", submission_payload(external_id="s1"), format="json"
    ).json()

    assert body["diagnosis"]["engine"] == "rules"
    assert body["confidence"]["conservativeMode"] is True


def test_too_few_labels_block_the_run_and_say_how_many_are_missing(db, author) -> None:
    synthetic_dataset_load(dataset=generate(learners=2, seed=3))

    run = training_run_execute(
        run=training_run_create(trigger=TrainingRun.Trigger.COMMAND, requested_by=author),
        params=FAST,
        sample_gate=SampleGate(min_rows=500, min_rows_per_root_cause=50),
    )

    assert run.status == "blocked"
    assert "need 500" in run.blocked_reason and "missing" in run.blocked_reason
    assert run.model_version is None


def test_a_planted_leaky_feature_blocks_training(labelled, author) -> None:
    index = {"correctness": 0, "efficiency": 1, "implementation": 2, "understanding_gap": 3}
    position = load_feature_schema().index("ctx_problem_tag_count")
    for row in Diagnosis.objects.all():
        vector = list(row.feature_vector)
        vector[position] = float(index[row.verified_root_cause])
        row.feature_vector = vector
        row.save(update_fields=["feature_vector"])

    run = _train(author)

    assert run.status == "blocked"
    assert "ctx_problem_tag_count" in run.blocked_reason
    assert run.model_version is None
