"""Learner read endpoints and the reviewer label endpoint."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from diagnosis.accounts import service_account_token_ensure
from diagnosis.models import Diagnosis
from tests.conftest import submission_payload

pytestmark = pytest.mark.django_db


def test_patterns_lists_the_learners_pattern_states(api: APIClient) -> None:
    api.post("/api/v1/submissions/", submission_payload(), format="json")

    response = api.get("/api/v1/learners/learner-1/patterns/")

    assert response.status_code == 200
    body = response.json()
    assert body["userId"] == "learner-1"
    assert [(p["rootCause"], p["subtype"]) for p in body["patterns"]] == [
        ("correctness", "off_by_one")
    ]
    assert body["patterns"][0]["evidenceCount"] == 1
    assert api.get("/api/v1/learners/nobody/patterns/").json()["patterns"] == []


def test_difficulty_returns_level_outcomes_and_adjustments(api: APIClient) -> None:
    api.post("/api/v1/submissions/", submission_payload(), format="json")

    response = api.get("/api/v1/learners/learner-1/difficulty/")

    assert response.status_code == 200
    body = response.json()
    assert body["level"] == 3
    assert body["recentOutcomes"] == [False]
    assert body["adjustments"] == []
    assert api.get("/api/v1/learners/nobody/difficulty/").status_code == 404


def _labeller() -> APIClient:
    client = APIClient()
    token = service_account_token_ensure(username="reviewer-bot", can_label=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_label_sets_the_verified_pair(api: APIClient) -> None:
    api.post("/api/v1/submissions/", submission_payload(), format="json")

    response = _labeller().post(
        "/api/v1/submissions/sub-1/label/",
        {"root_cause": "correctness", "subtype": "boundary_condition"},
        format="json",
    )

    assert response.status_code == 200
    diagnosis = Diagnosis.objects.get()
    assert (diagnosis.verified_root_cause, diagnosis.verified_subtype) == (
        "correctness",
        "boundary_condition",
    )
    assert diagnosis.verified_by == get_user_model().objects.get(username="reviewer-bot")
    assert diagnosis.verified_at is not None
    assert diagnosis.history.first().verified_subtype == "boundary_condition"


def test_label_with_a_pair_outside_the_taxonomy_gets_400(api: APIClient) -> None:
    api.post("/api/v1/submissions/", submission_payload(), format="json")

    response = _labeller().post(
        "/api/v1/submissions/sub-1/label/",
        {"root_cause": "correctness", "subtype": "missing_memoization"},
        format="json",
    )

    assert response.status_code == 400
    assert "does not belong" in response.json()["subtype"][0]
    assert Diagnosis.objects.get().verified_subtype is None


def test_label_needs_the_change_permission(api: APIClient) -> None:
    api.post("/api/v1/submissions/", submission_payload(), format="json")

    response = api.post(
        "/api/v1/submissions/sub-1/label/",
        {"root_cause": "correctness", "subtype": "off_by_one"},
        format="json",
    )

    assert response.status_code == 403
    assert Diagnosis.objects.get().verified_root_cause is None
