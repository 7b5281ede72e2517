"""Writes of the monitoring app: the run record every background job leaves behind."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from monitoring.models import TaskRun


def task_run_execute(*, task_name: str, task_id: str, job: Callable[[], dict[str, Any]]) -> TaskRun:
    """Run `job`, recording status, timings and its summary (or the error) in a TaskRun row.

    The row is written outside the job's own transaction, so a failed job still leaves a
    `failed` record; the exception is re-raised for Celery's retry policy.
    """
    run = TaskRun.objects.create(task_name=task_name, task_id=task_id, started_at=timezone.now())
    started = time.perf_counter()
    try:
        summary = job()
    except Exception as exc:
        run.status = TaskRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        _finish(run, started)
        raise
    run.status = TaskRun.Status.SUCCEEDED
    run.summary = summary
    _finish(run, started)
    return run


def _finish(run: TaskRun, started: float) -> None:
    run.finished_at = timezone.now()
    run.duration_ms = round((time.perf_counter() - started) * 1000, 3)
    run.save(update_fields=["status", "summary", "error", "finished_at", "duration_ms"])


def beat_schedules_ensure(*, defaults: dict[str, dict[str, Any]]) -> list[str]:
    """Create the default periodic tasks that do not exist yet; never overwrite an admin's edit.

    Returns the names created. Rows are keyed by name, so running it again is a no-op.
    """
    import json

    from django.db import transaction
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created: list[str] = []
    with transaction.atomic():
        for name, spec in defaults.items():
            if PeriodicTask.objects.filter(name=name).exists():
                continue
            cron = dict(spec["crontab"])
            schedule, _ = CrontabSchedule.objects.get_or_create(
                minute=cron.get("minute", "*"),
                hour=cron.get("hour", "*"),
                day_of_week=cron.get("day_of_week", "*"),
                day_of_month=cron.get("day_of_month", "*"),
                month_of_year=cron.get("month_of_year", "*"),
                timezone="UTC",
            )
            PeriodicTask.objects.create(
                name=name,
                task=spec["task"],
                crontab=schedule,
                queue=spec.get("queue"),
                kwargs=json.dumps(spec.get("kwargs", {})),
                description=spec.get("description", ""),
            )
            created.append(name)
    return created
