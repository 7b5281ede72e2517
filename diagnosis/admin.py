"""Admin for submissions, diagnoses (where reviewers set training labels), learner state and
the record of learner erasures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from diagnosis import services
from diagnosis.core.taxonomy import SubtypeValidationError, validate_pair
from diagnosis.models import (
    Diagnosis,
    DifficultyAdjustment,
    DifficultyState,
    LearnerErasure,
    LearnerProfile,
    PatternState,
    Problem,
    Submission,
)


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ("external_id", "title", "category", "difficulty")
    search_fields = ("external_id", "title")
    list_filter = ("category",)


class DiagnosisInline(admin.StackedInline):
    model = Diagnosis
    can_delete = False
    extra = 0
    fields = (
        "root_cause",
        "subtype",
        "combined_confidence",
        "confidence_level",
        "conservative_mode",
        "engine",
        "model_version",
        "config_version",
        "pattern_state",
        "difficulty_action",
        "explanation",
        "hint",
        "verified_root_cause",
        "verified_subtype",
        "verified_by",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = (
        "external_id",
        "user_id",
        "problem",
        "language",
        "verdict",
        "attempt_number",
        "root_cause",
        "engine",
        "submitted_at",
    )
    list_filter = (
        "verdict",
        "language",
        "diagnosis__root_cause",
        "diagnosis__engine",
        "submitted_at",
    )
    search_fields = ("external_id", "user_id", "problem__external_id")
    date_hierarchy = "submitted_at"
    list_select_related = ("problem", "diagnosis")
    inlines = [DiagnosisInline]
    readonly_fields = (
        "external_id",
        "user_id",
        "problem",
        "language",
        "code",
        "verdict",
        "attempt_number",
        "submitted_at",
        "runtime_ms",
        "memory_kb",
        "result",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A learner's data leaves through erasure only: a deleted submission would leave its
        # external id in the admin log and its diagnosis's text in the history, where erasure
        # can no longer tell whose they were.
        return False

    @admin.display(description="root cause", ordering="diagnosis__root_cause")
    def root_cause(self, obj: Submission) -> str:
        diagnosis = getattr(obj, "diagnosis", None)
        return f"{diagnosis.root_cause}/{diagnosis.subtype}" if diagnosis else "-"

    @admin.display(description="engine", ordering="diagnosis__engine")
    def engine(self, obj: Submission) -> str:
        diagnosis = getattr(obj, "diagnosis", None)
        return diagnosis.engine if diagnosis else "-"


class DiagnosisLabelForm(forms.ModelForm):
    """Reviewers set the verified pair; it must belong to the taxonomy."""

    class Meta:
        model = Diagnosis
        fields = ("verified_root_cause", "verified_subtype")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        root, subtype = cleaned.get("verified_root_cause"), cleaned.get("verified_subtype")
        if bool(root) != bool(subtype):
            raise forms.ValidationError("Set both the verified root cause and subtype, or neither.")
        if root and subtype:
            try:
                validate_pair(root, subtype)
            except SubtypeValidationError as exc:
                self.add_error("verified_subtype", str(exc))
        return cleaned


@admin.register(Diagnosis)
class DiagnosisAdmin(SimpleHistoryAdmin):
    form = DiagnosisLabelForm
    list_display = (
        "submission",
        "root_cause",
        "subtype",
        "confidence_level",
        "engine",
        "verified_root_cause",
        "verified_subtype",
        "created_at",
    )
    list_filter = ("root_cause", "engine", "confidence_level", "verified_root_cause", "created_at")
    search_fields = ("submission__external_id", "submission__user_id")
    list_select_related = ("submission",)
    readonly_fields = (
        "submission",
        "root_cause",
        "subtype",
        "taxonomy_version",
        "raw_confidence",
        "combined_confidence",
        "confidence_level",
        "conservative_mode",
        "calibration_applied",
        "engine",
        "model_version",
        "config_version",
        "feature_schema_version",
        "top_signals",
        "pattern_state",
        "difficulty_action",
        "difficulty_reason",
        "explanation",
        "hint",
        "explanation_source",
        "latency_ms",
        "verified_by",
        "verified_at",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Diagnosis, form: Any, change: bool) -> None:
        root = form.cleaned_data.get("verified_root_cause")
        subtype = form.cleaned_data.get("verified_subtype")
        if root and subtype:
            services.diagnosis_verify(
                diagnosis=obj, root_cause=root, subtype=subtype, verified_by=request.user
            )
        else:
            super().save_model(request, obj, form, change)


@admin.register(PatternState)
class PatternStateAdmin(SimpleHistoryAdmin):
    list_display = (
        "user_id",
        "root_cause",
        "subtype",
        "state",
        "evidence_count",
        "weighted_count",
        "severity",
        "mastery",
        "updated_at",
    )
    list_filter = ("state", "severity", "mastery", "root_cause")
    search_fields = ("user_id",)
    readonly_fields = [f.name for f in PatternState._meta.fields]


@admin.register(DifficultyState)
class DifficultyStateAdmin(SimpleHistoryAdmin):
    list_display = ("user_id", "level", "updated_at")
    search_fields = ("user_id",)
    readonly_fields = ("user_id", "level", "snapshot", "updated_at")


@admin.register(DifficultyAdjustment)
class DifficultyAdjustmentAdmin(admin.ModelAdmin):
    list_display = (
        "user_id",
        "action",
        "reason",
        "from_level",
        "to_level",
        "rollback",
        "outcome_validated",
        "adjustment_score",
        "created_at",
    )
    list_filter = ("action", "reason", "rollback", "outcome_validated")
    search_fields = ("user_id",)
    readonly_fields = [f.name for f in DifficultyAdjustment._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(LearnerProfile)
class LearnerProfileAdmin(admin.ModelAdmin):
    list_display = ("user_id", "total_submissions", "accepted_submissions", "current_streak")
    search_fields = ("user_id",)
    readonly_fields = [f.name for f in LearnerProfile._meta.fields]


@admin.register(LearnerErasure)
class LearnerErasureAdmin(admin.ModelAdmin):
    """The audit trail of erasures: read-only (erasure runs through the API and its service)."""

    list_display = ("id", "requested_by", "created_at", "counts")
    list_select_related = ("requested_by",)
    date_hierarchy = "created_at"
    readonly_fields = ("requested_by", "created_at", "counts")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
