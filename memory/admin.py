"""Admin for learner memories and logged rejections: read-only views for reviewers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from memory.models import Memory, MemoryRejection


class _ReadOnly(admin.ModelAdmin):
    """Memories are written by the diagnosis path and removed by expiry or erasure only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Memory)
class MemoryAdmin(_ReadOnly):
    list_display = (
        "id",
        "user_id",
        "root_cause",
        "subtype",
        "quality_score",
        "retrieval_count",
        "last_retrieved_at",
        "expires_at",
        "created_at",
    )
    list_filter = ("root_cause", "language", "embedder")
    search_fields = ("user_id",)
    readonly_fields = (
        "user_id",
        "submission",
        "diagnosis",
        "root_cause",
        "subtype",
        "problem_tags",
        "language",
        "summary",
        "embedder",
        "embedding_dimension",
        "quality_score",
        "quality_components",
        "expires_at",
        "retrieval_count",
        "last_retrieved_at",
        "created_at",
    )
    list_select_related = ()
    raw_id_fields = ("submission", "diagnosis")


@admin.register(MemoryRejection)
class MemoryRejectionAdmin(_ReadOnly):
    list_display = ("id", "user_id", "score", "reason", "created_at")
    search_fields = ("user_id", "reason")
    readonly_fields = ("user_id", "submission", "diagnosis", "score", "components", "reason")
    raw_id_fields = ("submission", "diagnosis")
