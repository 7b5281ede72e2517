"""Tables of the training app: every training run with its gates, metrics and outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class TrainingRun(models.Model):
    """One offline training run. A successful run registers a candidate; it never activates."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        BLOCKED = "blocked"

    class Trigger(models.TextChoices):
        COMMAND = "command"
        SCHEDULE = "schedule"
        API = "api"
        ADMIN = "admin"

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    seed = models.PositiveIntegerField(default=42)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timings = models.JSONField(default=dict, blank=True, help_text="seconds per step")
    dataset = models.JSONField(default=dict, blank=True, help_text="snapshot metadata")
    audit_report = models.JSONField(default=dict, blank=True)
    gate_report = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    blocked_reason = models.TextField(blank=True)
    log = models.TextField(blank=True)
    model_version = models.ForeignKey(
        "governance.ModelVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_runs",
    )
    history = HistoricalRecords(excluded_fields=["log"])

    class Meta:
        indexes = [models.Index(fields=["status", "-created_at"], name="trainingrun_status_time")]

    def __str__(self) -> str:
        return f"training run {self.pk} ({self.status})"
