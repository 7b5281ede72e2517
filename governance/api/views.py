"""Read-only model registry API: list, detail, compare."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.models import ModelVersion
from mimsite.exceptions import DomainError, NotFoundError


class ModelVersionOutputSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None)
    approvedBy = serializers.CharField(source="approved_by.username", default=None)
    approvedAt = serializers.DateTimeField(source="approved_at")
    createdAt = serializers.DateTimeField(source="created_at")
    featureSchemaVersion = serializers.CharField(source="feature_schema_version")
    taxonomyVersion = serializers.CharField(source="taxonomy_version")
    bundleSha256 = serializers.CharField(source="bundle_sha256")
    modelType = serializers.CharField(source="model_type")

    class Meta:
        model = ModelVersion
        fields = [
            "id",
            "version",
            "modelType",
            "status",
            "author",
            "approvedBy",
            "approvedAt",
            "createdAt",
            "featureSchemaVersion",
            "taxonomyVersion",
            "bundleSha256",
            "metrics",
        ]


class ModelVersionListApi(APIView):
    @extend_schema(responses=ModelVersionOutputSerializer(many=True), summary="Model versions")
    def get(self, request: Request) -> Response:
        versions = ModelVersion.objects.select_related("author", "approved_by").order_by(
            "-created_at"
        )
        return Response(ModelVersionOutputSerializer(versions, many=True).data)


class ModelVersionDetailApi(APIView):
    @extend_schema(responses=ModelVersionOutputSerializer, summary="One model version")
    def get(self, request: Request, pk: int) -> Response:
        version = ModelVersion.objects.select_related("author", "approved_by").filter(pk=pk).first()
        if version is None:
            raise NotFoundError(f"No model version {pk}.")
        return Response(ModelVersionOutputSerializer(version).data)


class ModelVersionCompareApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("a", int, required=True, description="model version id"),
            OpenApiParameter("b", int, required=True, description="model version id"),
        ],
        responses=serializers.DictField(),
        summary="Metric deltas (b − a) and McNemar on a shared evaluation set",
    )
    def get(self, request: Request) -> Response:
        from training.services import model_versions_compare

        ids = {}
        for key in ("a", "b"):
            raw = request.query_params.get(key, "")
            # isdigit() alone lets through "²", which int() refuses.
            if not (raw.isascii() and raw.isdigit()):
                raise DomainError("Pass two model version ids as ?a=&b=.", field=key)
            ids[key] = int(raw)
        versions = {v.pk: v for v in ModelVersion.objects.filter(pk__in=ids.values())}
        missing = [k for k, pk in ids.items() if pk not in versions]
        if missing:
            raise NotFoundError(f"No model version for {', '.join(missing)}.")
        return Response(model_versions_compare(a=versions[ids["a"]], b=versions[ids["b"]]))
