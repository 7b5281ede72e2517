"""Admin for training runs: their gates, metrics and logs, and a button that starts one."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from training.models import TrainingRun


@admin.register(TrainingRun)
class TrainingRunAdmin(SimpleHistoryAdmin):
    list_display = ("id", "status", "trigger", "requested_by", "created_at", "model_version")
    list_filter = ("status", "trigger")
    readonly_fields = [f.name for f in TrainingRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list:
        start = self.admin_site.admin_view(require_POST(self.start_view))
        return [path("start/", start, name="training_trainingrun_start"), *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        extra = {"can_start_training": request.user.has_perm("training.add_trainingrun")}
        return super().changelist_view(request, extra_context={**(extra_context or {}), **extra})

    def start_view(self, request: HttpRequest) -> HttpResponse:
        """Queue a run for a worker; it can only ever register a candidate."""
        from training.services import training_run_enqueue

        if not request.user.has_perm("training.add_trainingrun"):
            raise PermissionDenied("You may not start training runs.")
        run = training_run_enqueue(trigger=TrainingRun.Trigger.ADMIN, requested_by=request.user)
        messages.success(
            request, f"Training run {run.pk} queued; a worker will register a candidate."
        )
        return HttpResponseRedirect(reverse("admin:training_trainingrun_changelist"))
