"""Celery entry points of the diagnosis app: thin wrappers around services."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="diagnosis.refresh_pattern_decay", acks_late=True)
def refresh_pattern_decay(**kwargs: Any) -> dict[str, int]:
    """Apply time decay to stored pattern states; idempotent (decay depends only on the time)."""
    from diagnosis.services import pattern_decay_refresh
    from monitoring.services import task_run_execute

    run = task_run_execute(
        task_name="diagnosis.refresh_pattern_decay",
        task_id=refresh_pattern_decay.request.id or "",
        job=pattern_decay_refresh,
    )
    return run.summary
