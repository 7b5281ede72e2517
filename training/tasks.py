"""Celery entry points of the training app."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="training.train", acks_late=True)
def train(*, training_run_id: int | None = None, **kwargs: Any) -> dict[str, Any]:
    """Execute a queued training run (or, from beat, a new scheduled one). Ends in a candidate
    model version at most; it never activates anything."""
    from training.models import TrainingRun
    from training.services import training_run_claim, training_run_create, training_run_execute

    if training_run_id is None:
        run = training_run_create(trigger=TrainingRun.Trigger.SCHEDULE)
    else:
        claimed = training_run_claim(training_run_id=training_run_id)
        if claimed is None:
            # acks_late redelivery after a crash, or a duplicate send: never train twice.
            status = TrainingRun.objects.values_list("status", flat=True).get(pk=training_run_id)
            return {"training_run_id": training_run_id, "status": status, "skipped": True}
        run = claimed
    run = training_run_execute(run=run)
    return {"training_run_id": run.pk, "status": run.status}
