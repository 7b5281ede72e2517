"""Tables of the monitoring app: a record of every background job run."""

from __future__ import annotations

from django.db import models


class TaskRun(models.Model):
    """One execution of a Celery task: status, timings and a small JSON summary (DESIGN.md §5)."""

    class Status(models.TextChoices):
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    task_name = models.CharField(max_length=128)
    task_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["task_name", "-started_at"], name="taskrun_name_time")]

    def __str__(self) -> str:
        return f"{self.task_name} {self.status} at {self.started_at:%Y-%m-%d %H:%M}"
