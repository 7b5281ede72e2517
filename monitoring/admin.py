"""Admin for background job runs."""

from django.contrib import admin

from monitoring.models import TaskRun


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    list_display = ("task_name", "status", "started_at", "duration_ms")
    list_filter = ("task_name", "status")
    readonly_fields = [f.name for f in TaskRun._meta.fields]
