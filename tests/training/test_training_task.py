"""The `training.train` task run by a real prefork Celery worker (LightGBM's OpenMP in a forked
process, explicit thread count): a queued run ends in a registered candidate, never active."""

from __future__ import annotations

import pytest

from governance.models import ModelVersion
from training.core.synthetic import generate
from training.models import TrainingRun
from training.services import synthetic_dataset_load, training_run_enqueue
from training.tasks import train


@pytest.mark.worker
def test_worker_trains_a_queued_run_into_a_candidate(celery_worker_process, wait_for) -> None:
    synthetic_dataset_load(dataset=generate(learners=30, seed=11))

    run = training_run_enqueue(trigger=TrainingRun.Trigger.API)
    wait_for(
        lambda: (
            TrainingRun.objects.get(pk=run.pk).status
            not in (TrainingRun.Status.QUEUED, TrainingRun.Status.RUNNING)
        ),
        timeout=180,
        what="the training run to finish",
        log=celery_worker_process,
    )

    run.refresh_from_db()
    assert run.status == TrainingRun.Status.SUCCEEDED, run.log
    assert set(run.timings) >= {"dataset", "feature_audit", "leakage_gate", "train", "register"}
    assert run.model_version.status == ModelVersion.Status.CANDIDATE
    assert not ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).exists()


@pytest.mark.worker
def test_a_redelivered_message_never_trains_a_run_twice(celery_worker_process, wait_for) -> None:
    run = training_run_enqueue(trigger=TrainingRun.Trigger.API)
    wait_for(
        lambda: TrainingRun.objects.get(pk=run.pk).status == TrainingRun.Status.BLOCKED,
        timeout=60,
        what="the run to be blocked (no labelled data)",
        log=celery_worker_process,
    )

    run.refresh_from_db()
    again = train.apply_async(kwargs={"training_run_id": run.pk})
    wait_for(
        lambda: f"{again.id}] succeeded" in celery_worker_process.read_text(),
        timeout=60,
        what="the duplicate message to be handled",
        log=celery_worker_process,
    )

    assert "'skipped': True" in celery_worker_process.read_text().split(again.id)[-1]
    unchanged = TrainingRun.objects.get(pk=run.pk)
    assert (unchanged.status, unchanged.finished_at, unchanged.log) == (
        "blocked",
        run.finished_at,
        run.log,
    )
    assert TrainingRun.objects.count() == 1
