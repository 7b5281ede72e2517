"""API tokens: the platform's service account is authenticated by one prepared lookup."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from diagnosis.models import Diagnosis, PatternState
from tests.conftest import submission_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/submissions/"


def _client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_valid_token_authenticates_its_account_in_one_statement(platform_token: str) -> None:
    with CaptureQueriesContext(connection) as captured:
        response = _client(platform_token).get("/api/v1/learners/nobody/patterns/")

    assert response.status_code == 200
    [lookup] = [q["sql"] for q in captured.captured_queries if "authtoken_token" in q["sql"]]
    assert 'JOIN "auth_user"' in lookup
    # The account reaches the services: pattern history records who made the change.
    _client(platform_token).post(URL, submission_payload(), format="json")
    recorded = PatternState.history.get(user_id="learner-1")
    assert recorded.history_user.username == "platform"
    assert Diagnosis.objects.count() == 1


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token not-a-real-token", "Invalid token."),
        ("Token", "Invalid token header. No credentials provided."),
        ("Token a b", "Invalid token header. Token string should not contain spaces."),
    ],
)
def test_bad_tokens_get_401_with_drf_s_messages(header: str, detail: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.post(URL, submission_payload(), format="json")

    assert response.status_code == 401
    assert response.json()["detail"] == detail
    assert response["WWW-Authenticate"] == "Token"
    assert not Diagnosis.objects.exists()


def test_the_token_of_a_deactivated_account_is_refused(platform_token: str) -> None:
    get_user_model().objects.filter(username="platform").update(is_active=False)

    response = _client(platform_token).post(URL, submission_payload(), format="json")

    assert response.status_code == 401
    assert response.json()["detail"] == "User inactive or deleted."
