"""Tables of the diagnosis app: problems, submissions, diagnoses and the learner's state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from diagnosis.core.taxonomy import ALL_SUBTYPES, ROOT_CAUSES


class Language(models.TextChoices):
    PYTHON = "python"
    CPP = "cpp"
    JAVA = "java"
    JAVASCRIPT = "javascript"


class Verdict(models.TextChoices):
    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    TIME_LIMIT_EXCEEDED = "time_limit_exceeded"
    MEMORY_LIMIT_EXCEEDED = "memory_limit_exceeded"
    RUNTIME_ERROR = "runtime_error"
    COMPILATION_ERROR = "compilation_error"


class Engine(models.TextChoices):
    RULES = "rules"
    MODEL = "model"


class ConfidenceLevel(models.TextChoices):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


ROOT_CAUSE_CHOICES = [(rc, rc) for rc in ROOT_CAUSES]
SUBTYPE_CHOICES = [(s, s) for s in ALL_SUBTYPES]


class Problem(models.Model):
    external_id = models.CharField(max_length=128, unique=True)
    title = models.CharField(max_length=255, blank=True)
    tags = models.JSONField(default=list, blank=True)
    category = models.CharField(max_length=64, blank=True)
    difficulty = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title or self.external_id


class Submission(models.Model):
    """One judged attempt; `external_id` is the platform's id and the idempotency key."""

    external_id = models.CharField(max_length=128, unique=True)
    user_id = models.CharField(max_length=128, help_text="Opaque learner id from the platform.")
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT, related_name="submissions")
    language = models.CharField(max_length=16, choices=Language.choices)
    code = models.TextField(blank=True)
    verdict = models.CharField(max_length=32, choices=Verdict.choices)
    attempt_number = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    runtime_ms = models.PositiveIntegerField(null=True, blank=True)
    memory_kb = models.PositiveIntegerField(null=True, blank=True)
    result = models.JSONField(
        default=dict, blank=True, help_text="The response first returned; repeats return it."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["user_id", "problem", "-id"], name="sub_user_problem_arrival"),
            models.Index(fields=["user_id", "-submitted_at"], name="sub_user_time"),
            models.Index(fields=["verdict"], name="sub_verdict"),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def is_failed(self) -> bool:
        return self.verdict != Verdict.ACCEPTED


class Diagnosis(models.Model):
    """MIM's decision for one failed submission, with everything needed to audit or retrain."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="diagnosis"
    )
    root_cause = models.CharField(max_length=32, choices=ROOT_CAUSE_CHOICES)
    subtype = models.CharField(max_length=48, choices=SUBTYPE_CHOICES)
    taxonomy_version = models.CharField(max_length=32)
    raw_confidence = models.FloatField()
    combined_confidence = models.FloatField()
    confidence_level = models.CharField(max_length=8, choices=ConfidenceLevel.choices)
    conservative_mode = models.BooleanField()
    calibration_applied = models.BooleanField(default=False)
    engine = models.CharField(max_length=8, choices=Engine.choices)
    # Plain labels until the governance registry lands; then foreign keys to the versions.
    model_version = models.CharField(max_length=64, null=True, blank=True)
    config_version = models.CharField(max_length=64, null=True, blank=True)
    feature_schema_version = models.CharField(max_length=16)
    feature_vector = models.JSONField(help_text="Feature values in the schema's order.")
    raw_probabilities = models.JSONField(default=dict, blank=True)
    top_signals = models.JSONField(default=list, blank=True)
    pattern_state = models.CharField(max_length=16)
    difficulty_action = models.CharField(max_length=16)
    difficulty_reason = models.CharField(max_length=48)
    explanation = models.TextField(blank=True)
    hint = models.TextField(blank=True)
    explanation_source = models.CharField(max_length=16, default="template")
    latency_ms = models.FloatField()
    verified_root_cause = models.CharField(
        max_length=32, choices=ROOT_CAUSE_CHOICES, null=True, blank=True
    )
    verified_subtype = models.CharField(
        max_length=48, choices=SUBTYPE_CHOICES, null=True, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["feature_vector", "raw_probabilities"])

    class Meta:
        verbose_name_plural = "diagnoses"
        indexes = [
            models.Index(fields=["root_cause", "subtype"], name="diag_root_subtype"),
            models.Index(fields=["engine"], name="diag_engine"),
            models.Index(fields=["-created_at"], name="diag_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(verified_root_cause__isnull=True, verified_subtype__isnull=True)
                    | models.Q(verified_root_cause__isnull=False, verified_subtype__isnull=False)
                ),
                name="diag_verified_pair_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.root_cause}/{self.subtype}"


class LearnerProfile(models.Model):
    """Running aggregates of a learner's history (001 §2.4), updated once per submission."""

    user_id = models.CharField(max_length=128, unique=True)
    total_submissions = models.PositiveIntegerField(default=0)
    accepted_submissions = models.PositiveIntegerField(default=0)
    current_streak = models.IntegerField(
        default=0, help_text="Positive: consecutive accepted; negative: consecutive failed."
    )
    category_stats = models.JSONField(default=dict, blank=True)
    root_cause_counts = models.JSONField(default=dict, blank=True)
    last_submission_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.user_id


class PatternState(models.Model):
    """A learner's recurring-mistake state for one (root cause, subtype) (001 §3.4, 000 §2.2)."""

    user_id = models.CharField(max_length=128)
    root_cause = models.CharField(max_length=32, choices=ROOT_CAUSE_CHOICES)
    subtype = models.CharField(max_length=48, choices=SUBTYPE_CHOICES)
    state = models.CharField(max_length=16)
    evidence_count = models.PositiveIntegerField(default=0)
    weighted_count = models.FloatField(default=0.0)
    severity = models.CharField(max_length=16)
    mastery = models.CharField(max_length=16)
    confidence_support = models.CharField(max_length=8)
    snapshot = models.JSONField(help_text="The pattern engine's full snapshot (JSON round trip).")
    last_seen_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user_id", "root_cause", "subtype"], name="pattern_unique_per_learner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.root_cause}/{self.subtype}: {self.state}"


class DifficultyState(models.Model):
    """A learner's current difficulty level and the engine's snapshot (000 §2.3)."""

    user_id = models.CharField(max_length=128, unique=True)
    level = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    def __str__(self) -> str:
        return f"{self.user_id}: level {self.level}"


class DifficultyAdjustment(models.Model):
    """Every difficulty change, validation and automatic rollback, append-only."""

    user_id = models.CharField(max_length=128)
    submission = models.ForeignKey(
        Submission, null=True, on_delete=models.SET_NULL, related_name="difficulty_adjustments"
    )
    action = models.CharField(max_length=16)
    reason = models.CharField(max_length=48)
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    confidence_tier = models.CharField(max_length=8)
    cooldown_active = models.BooleanField(default=False)
    rollback = models.BooleanField(default=False)
    outcome_validated = models.BooleanField(default=False)
    adjustment_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user_id", "-created_at"], name="adj_user_time")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.action} {self.from_level}->{self.to_level}"


class LearnerErasure(models.Model):
    """The audit record of one learner erasure: who asked, when, and how many rows per table.

    It holds no personal data on purpose: not the learner's id, nor a hash of it (a hash of a
    known id links back as well as the id does), nor any external id. So an erasure can always
    be proven to have happened, but not for whom.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.JSONField(help_text="Rows deleted or scrubbed, per table.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        # Append-only: the record is written by the erasure service and never changed.
        default_permissions = ("view",)
        permissions = [("erase_learner", "Can erase a learner's data")]

    def __str__(self) -> str:
        return f"erasure {self.pk}"
