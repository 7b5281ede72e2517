"""Tables of the governance app: model and config versions, approvals, the activation log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from governance.core.lifecycle import Stage


class GovernedVersion(models.Model):
    """Fields and database rules shared by model and config versions.

    The database itself enforces two governance rules, so no code path can skip them:
    an approved/active/retired version has an approver, and the approver is not the author.
    """

    version = models.CharField(max_length=64, unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who produced it; empty for scheduled automation.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Maps the model's own status words onto the shared lifecycle stages.
    STAGES: dict[str, Stage] = {}

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.version} ({self.status})"

    @property
    def stage(self) -> Stage:
        return self.STAGES[self.status]


def _governance_constraints(
    prefix: str, approved_statuses: list[str]
) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(approved_by__isnull=True)
            | Q(author__isnull=True)
            | ~Q(approved_by=F("author")),
            name=f"{prefix}_four_eyes",
            violation_error_message="The author of a version may not approve it (four-eyes).",
        ),
        models.CheckConstraint(
            condition=~Q(status__in=approved_statuses) | Q(approved_by__isnull=False),
            name=f"{prefix}_needs_approval",
            violation_error_message="Only an approved version can be approved, active or retired.",
        ),
    ]


class ModelVersion(GovernedVersion):
    """A trained bundle (LightGBM text, calibrator JSON, schema, metrics, plots) and its state."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate"
        APPROVED = "approved"
        REJECTED = "rejected"
        ACTIVE = "active"
        RETIRED = "retired"

    STAGES = {
        "candidate": Stage.PENDING,
        "approved": Stage.APPROVED,
        "rejected": Stage.REJECTED,
        "active": Stage.ACTIVE,
        "retired": Stage.INACTIVE,
    }

    model_type = models.CharField(max_length=32, default="mim")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CANDIDATE)
    feature_schema_version = models.CharField(max_length=16)
    feature_schema_sha256 = models.CharField(max_length=64)
    taxonomy_version = models.CharField(max_length=32)
    bundle_sha256 = models.CharField(
        max_length=64, help_text="SHA-256 over the artifacts' names and hashes; checked on load."
    )
    metrics = models.JSONField(default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("approve_modelversion", "Can approve or reject model versions"),
            ("activate_modelversion", "Can activate or roll back model versions"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["model_type"],
                condition=Q(status="active"),
                name="modelversion_one_active_per_type",
            ),
            *_governance_constraints("modelversion", ["approved", "active", "retired"]),
        ]


class ModelArtifact(models.Model):
    """One plain-data file of a bundle (never pickle), with its SHA-256."""

    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="artifacts"
    )
    name = models.CharField(max_length=128)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model_version", "name"], name="artifact_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.model_version.version}/{self.name}"


class ConfigVersion(GovernedVersion):
    """Every runtime threshold (governance/core/defaults.py sections) as a versioned document."""

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        APPROVED = "approved"
        REJECTED = "rejected"
        ACTIVE = "active"
        DEPRECATED = "deprecated"

    STAGES = {
        "proposed": Stage.PENDING,
        "approved": Stage.APPROVED,
        "rejected": Stage.REJECTED,
        "active": Stage.ACTIVE,
        "deprecated": Stage.INACTIVE,
    }

    scope = models.CharField(max_length=32, default="runtime", editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    values = models.JSONField(help_text="Sections overriding governance/core/defaults.py.")
    change_summary = models.JSONField(
        default=dict,
        blank=True,
        help_text="change, rationale, impact_estimate, affected_components",
    )
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("approve_configversion", "Can approve or reject config versions"),
            ("activate_configversion", "Can activate or roll back config versions"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["scope"], condition=Q(status="active"), name="configversion_one_active"
            ),
            *_governance_constraints("configversion", ["approved", "active", "deprecated"]),
        ]


class Approval(models.Model):
    """A person's decision on a version, with the reason and the evidence it was made on."""

    class Decision(models.TextChoices):
        APPROVED = "approved"
        REJECTED = "rejected"

    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    config_version = models.ForeignKey(
        ConfigVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="approvals"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    evidence_sha256 = models.CharField(
        max_length=64, help_text="SHA-256 of the evidence shown: metrics, plots, reports."
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(model_version__isnull=False, config_version__isnull=True)
                | Q(model_version__isnull=True, config_version__isnull=False),
                name="approval_exactly_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="approval_reason_required"),
        ]

    def __str__(self) -> str:
        target = self.model_version or self.config_version
        return f"{self.decision} {target} by {self.decided_by}"


class ActivationLog(models.Model):
    """Append-only: every activation and rollback, so "what was active at T" has an answer."""

    class Action(models.TextChoices):
        ACTIVATE = "activate"
        ROLLBACK = "rollback"

    kind = models.CharField(max_length=48, help_text='"model:<type>" or "config:<scope>"')
    action = models.CharField(max_length=16, choices=Action.choices)
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    config_version = models.ForeignKey(
        ConfigVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_config_version = models.ForeignKey(
        ConfigVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["kind", "-at"], name="activation_kind_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(model_version__isnull=False, config_version__isnull=True)
                | Q(model_version__isnull=True, config_version__isnull=False),
                name="activation_exactly_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="activation_reason_required"),
        ]

    def __str__(self) -> str:
        target = self.model_version or self.config_version
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {target}"
