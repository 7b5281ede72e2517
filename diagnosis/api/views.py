"""Diagnosis API views: validate, call one service or selector, serialise."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diagnosis import learner_services, selectors, services
from diagnosis.api.serializers import (
    LabelInputSerializer,
    LearnerDifficultySerializer,
    LearnerErasureSerializer,
    LearnerPatternsSerializer,
    SubmissionContractSerializer,
    SubmissionInputSerializer,
    code_too_large,
)
from diagnosis.core.difficulty import DifficultySnapshot
from mimsite.exceptions import DomainError, NotFoundError, PayloadTooLargeError


class CanLabel(BasePermission):
    """Labels are training data: only reviewers with `diagnosis.change_diagnosis` may set them."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm("diagnosis.change_diagnosis"))


class CanEraseLearner(BasePermission):
    """Erasure is irreversible: staff, or an account granted `diagnosis.erase_learner` (the
    platform's service account, `mim_create_token --can-erase`)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and (user.is_staff or user.has_perm("diagnosis.erase_learner")))


class SubmissionCreateApi(APIView):
    @extend_schema(
        request=SubmissionInputSerializer,
        responses={201: SubmissionContractSerializer, 200: SubmissionContractSerializer},
        summary="Submit a judged submission; a failed one is diagnosed",
        description=(
            "Idempotent on `external_id`: a repeat returns the first result with 200 and writes "
            "nothing. Code over MIM_MAX_CODE_BYTES (UTF-8) is refused with 413."
        ),
    )
    def post(self, request: Request) -> Response:
        serializer = SubmissionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if code_too_large(data["code"]):
            raise PayloadTooLargeError(
                "Code is larger than the limit of MIM_MAX_CODE_BYTES bytes.", field="code"
            )
        result = services.submission_process(
            data=services.SubmissionInput(
                external_id=data["external_id"],
                user_id=data["user_id"],
                problem_id=data["problem_id"],
                language=data["language"],
                code=data["code"],
                verdict=data["verdict"],
                submitted_at=data["submitted_at"],
                problem_tags=tuple(data["problem_tags"]),
                problem_title=data["problem_title"],
                problem_category=data["problem_category"],
                problem_difficulty=data["problem_difficulty"],
                runtime_ms=data["runtime_ms"],
                memory_kb=data["memory_kb"],
            )
        )
        return Response(
            result.contract,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class SubmissionDetailApi(APIView):
    @extend_schema(responses=SubmissionContractSerializer, summary="A submission's stored result")
    def get(self, request: Request, external_id: str) -> Response:
        submission = selectors.submission_get(external_id=external_id)
        if submission is None:
            raise NotFoundError(f"No submission with external_id {external_id!r}.")
        return Response(submission.result)


class SubmissionLabelApi(APIView):
    permission_classes = [IsAuthenticated, CanLabel]

    @extend_schema(
        request=LabelInputSerializer,
        responses=SubmissionContractSerializer,
        summary="Set the human-verified root cause and subtype (a training label)",
    )
    def post(self, request: Request, external_id: str) -> Response:
        serializer = LabelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            submission = selectors.submission_get(external_id=external_id)
            if submission is None:
                raise NotFoundError(f"No submission with external_id {external_id!r}.")
            if not hasattr(submission, "diagnosis"):
                raise DomainError("Accepted submissions have no diagnosis to label.")
            services.diagnosis_verify(
                diagnosis=submission.diagnosis,
                root_cause=serializer.validated_data["root_cause"],
                subtype=serializer.validated_data["subtype"],
                verified_by=request.user,
            )
        return Response(
            {
                "submissionId": submission.external_id,
                "verifiedRootCause": submission.diagnosis.verified_root_cause,
                "verifiedSubtype": submission.diagnosis.verified_subtype,
            }
        )


class LearnerPatternsApi(APIView):
    @extend_schema(responses=LearnerPatternsSerializer, summary="A learner's pattern states")
    def get(self, request: Request, user_id: str) -> Response:
        patterns = [
            {
                "rootCause": row.root_cause,
                "subtype": row.subtype,
                "state": snap.state.value,
                "evidenceCount": snap.evidence_count,
                "weightedCount": round(snap.weighted_count, 6),
                "severity": snap.severity.value,
                "mastery": snap.mastery.value,
                "confidenceSupport": snap.confidence_support,
                "lastSeenAt": snap.last_seen_at,
            }
            for row, snap in selectors.pattern_list(user_id=user_id)
        ]
        return Response(LearnerPatternsSerializer({"userId": user_id, "patterns": patterns}).data)


class LearnerDifficultyApi(APIView):
    @extend_schema(responses=LearnerDifficultySerializer, summary="A learner's difficulty state")
    def get(self, request: Request, user_id: str) -> Response:
        state = selectors.difficulty_get(user_id=user_id)
        if state is None:
            raise NotFoundError(f"No difficulty state for learner {user_id!r}.")
        snapshot = DifficultySnapshot.from_json(state.snapshot)
        adjustments = [
            {
                "action": a.action,
                "reason": a.reason,
                "fromLevel": a.from_level,
                "toLevel": a.to_level,
                "rollback": a.rollback,
                "outcomeValidated": a.outcome_validated,
                "adjustmentScore": a.adjustment_score,
                "createdAt": a.created_at,
            }
            for a in selectors.difficulty_adjustment_list(user_id=user_id)
        ]
        body = {
            "userId": user_id,
            "level": state.level,
            "recentOutcomes": list(snapshot.recent_outcomes),
            "submissionsSinceAdjustment": snapshot.submissions_since_adjustment,
            "pendingValidation": snapshot.pending is not None,
            "adjustments": adjustments,
        }
        return Response(LearnerDifficultySerializer(body).data)


class LearnerEraseApi(APIView):
    permission_classes = [IsAuthenticated, CanEraseLearner]

    @extend_schema(
        request=None,
        responses={200: LearnerErasureSerializer},
        summary="Erase a learner's data",
        description=(
            "Deletes the learner's memories, rejected memory candidates, pattern and difficulty "
            "state (with their history) and aggregates; keeps their submissions and diagnoses as "
            "training data with the code, learner id, external id, stored response, explanation "
            "and hint scrubbed. One transaction. Answers with the audit record, which holds no "
            "personal data. An unknown or already erased learner answers 200 with zero counts."
        ),
    )
    def delete(self, request: Request, user_id: str) -> Response:
        erasure = learner_services.learner_erase(user_id=user_id, requested_by=request.user)
        return Response(LearnerErasureSerializer(erasure).data)
