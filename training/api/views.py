"""Training runs API: staff start a run (queued for a worker) and read its outcome."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mimsite.exceptions import NotFoundError
from training.models import TrainingRun


class TrainingRunInputSerializer(serializers.Serializer):
    seed = serializers.IntegerField(min_value=0, default=42)


class TrainingRunOutputSerializer(serializers.ModelSerializer):
    modelVersion = serializers.CharField(source="model_version.version", default=None)
    blockedReason = serializers.CharField(source="blocked_reason")

    class Meta:
        model = TrainingRun
        fields = [
            "id",
            "status",
            "trigger",
            "seed",
            "created_at",
            "started_at",
            "finished_at",
            "timings",
            "dataset",
            "metrics",
            "blockedReason",
            "modelVersion",
        ]


class TrainingRunCreateApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        request=TrainingRunInputSerializer,
        responses={202: TrainingRunOutputSerializer},
        summary="Queue a training run (it can only ever register a candidate)",
    )
    def post(self, request: Request) -> Response:
        from training.services import training_run_enqueue

        serializer = TrainingRunInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = training_run_enqueue(
            trigger=TrainingRun.Trigger.API,
            requested_by=request.user,
            seed=serializer.validated_data["seed"],
        )
        return Response(TrainingRunOutputSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class TrainingRunDetailApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(responses=TrainingRunOutputSerializer, summary="A training run")
    def get(self, request: Request, pk: int) -> Response:
        run = TrainingRun.objects.select_related("model_version").filter(pk=pk).first()
        if run is None:
            raise NotFoundError(f"No training run {pk}.")
        return Response(TrainingRunOutputSerializer(run).data)
