"""Memory API: a learner's stored memories, newest first, paginated."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from memory.models import Memory
from memory.selectors import memory_list_for_learner


class MemoryOutputSerializer(serializers.ModelSerializer):
    rootCause = serializers.CharField(source="root_cause")
    problemTags = serializers.ListField(source="problem_tags", child=serializers.CharField())
    qualityScore = serializers.FloatField(source="quality_score")
    qualityComponents = serializers.JSONField(source="quality_components")
    expiresAt = serializers.DateTimeField(source="expires_at")
    retrievalCount = serializers.IntegerField(source="retrieval_count")
    lastRetrievedAt = serializers.DateTimeField(source="last_retrieved_at")
    createdAt = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Memory
        fields = (
            "id",
            "rootCause",
            "subtype",
            "problemTags",
            "language",
            "summary",
            "qualityScore",
            "qualityComponents",
            "expiresAt",
            "retrievalCount",
            "lastRetrievedAt",
            "createdAt",
        )


class LearnerMemoryListApi(ListAPIView):
    """`?limit=&offset=` pages; an unknown learner has an empty list (ids are opaque)."""

    serializer_class = MemoryOutputSerializer

    def get_queryset(self) -> QuerySet[Memory]:
        return memory_list_for_learner(user_id=self.kwargs["user_id"])

    @extend_schema(summary="A learner's memories, newest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
