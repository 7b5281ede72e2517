"""Memory API: a learner's stored memories (paginated), and staff search by text for debugging."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diagnosis.models import ROOT_CAUSE_CHOICES
from memory.models import Memory
from memory.selectors import (
    DEFAULT_EF_SEARCH,
    MAX_EF_SEARCH,
    memories_search_text,
    memory_list_for_learner,
)

MAX_SEARCH_K = 50
MAX_QUERY_CHARS = 2000


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


class MemorySearchInputSerializer(serializers.Serializer):
    query = serializers.CharField(max_length=MAX_QUERY_CHARS)
    k = serializers.IntegerField(min_value=1, max_value=MAX_SEARCH_K, default=5)
    userId = serializers.CharField(max_length=128, required=False)
    rootCause = serializers.ChoiceField(choices=ROOT_CAUSE_CHOICES, required=False)
    efSearch = serializers.IntegerField(
        min_value=1, max_value=MAX_EF_SEARCH, default=DEFAULT_EF_SEARCH
    )


class MemorySearchHitSerializer(MemoryOutputSerializer):
    userId = serializers.CharField(source="user_id")
    similarity = serializers.FloatField()

    class Meta(MemoryOutputSerializer.Meta):
        fields = ("userId", "similarity", *MemoryOutputSerializer.Meta.fields)


class MemorySearchOutputSerializer(serializers.Serializer):
    embedder = serializers.CharField()
    exact = serializers.BooleanField(help_text="True for a learner's search (no index, exact).")
    results = MemorySearchHitSerializer(many=True)


class MemorySearchApi(APIView):
    """Staff only: the memories nearest to a text, a learner's (the retrieval plan) or anyone's.

    Nothing is boosted: searching is looking, not retrieving for a learner.
    """

    permission_classes = [IsAdminUser]

    @extend_schema(
        request=MemorySearchInputSerializer,
        responses=MemorySearchOutputSerializer,
        summary="Nearest memories to a text query (staff, for debugging retrieval)",
    )
    def post(self, request: Request) -> Response:
        serializer = MemorySearchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        embedder, found = memories_search_text(
            query=data["query"],
            k=data["k"],
            now=timezone.now(),
            user_id=data.get("userId"),
            root_cause=data.get("rootCause"),
            ef_search=data["efSearch"],
        )
        for memory, similarity in found:
            memory.similarity = similarity
        output = {
            "embedder": embedder.name,
            "exact": "userId" in data,
            "results": [memory for memory, _ in found],
        }
        return Response(MemorySearchOutputSerializer(output).data)
