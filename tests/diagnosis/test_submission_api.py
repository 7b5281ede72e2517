"""POST /api/v1/submissions/: the full contract, accepted verdicts, idempotency, bad input."""

from __future__ import annotations

import json
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from diagnosis.core.features import load_feature_schema
from diagnosis.models import (
    Diagnosis,
    DifficultyState,
    LearnerProfile,
    PatternState,
    Problem,
    Submission,
)
from tests.conftest import submission_payload

URL = "/api/v1/submissions/"
pytestmark = pytest.mark.django_db


def _row_counts() -> tuple[int, ...]:
    return (
        Submission.objects.count(),
        Diagnosis.objects.count(),
        Problem.objects.count(),
        PatternState.objects.count(),
        DifficultyState.objects.count(),
        LearnerProfile.objects.count(),
    )


def test_off_by_one_python_submission_returns_the_full_contract(api: APIClient) -> None:
    response = api.post(URL, submission_payload(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "submissionId",
        "diagnosis",
        "confidence",
        "pattern",
        "difficulty",
        "feedback",
        "hint",
        "rag",
    }
    assert body["submissionId"] == "sub-1"
    assert body["diagnosis"]["rootCause"] == "correctness"
    assert body["diagnosis"]["subtype"] == "off_by_one"
    assert body["diagnosis"]["engine"] == "rules"
    assert body["diagnosis"]["modelVersion"] is None
    assert body["diagnosis"]["mimVersion"] == "mim-v3.3"
    assert body["diagnosis"]["topSignals"][0]["feature"] == "pattern_off_by_one_count"
    assert body["confidence"]["combinedConfidence"] <= 0.60
    assert body["confidence"]["confidenceLevel"] == "low"
    assert body["confidence"]["conservativeMode"] is True
    assert body["confidence"]["calibrationApplied"] is False
    assert body["pattern"]["state"] == "none"
    assert body["difficulty"]["action"] == "maintain"
    assert body["feedback"]["source"] == "template"
    assert "line 3" in body["feedback"]["explanation"]
    assert body["hint"]["text"]
    assert body["rag"] == {"used": False, "relevance": 0.0, "memories": []}

    diagnosis = Diagnosis.objects.get(submission__external_id="sub-1")
    assert diagnosis.engine == "rules"
    assert diagnosis.config_version == "defaults"
    schema = load_feature_schema()
    assert diagnosis.feature_schema_version == schema.version
    assert len(diagnosis.feature_vector) == len(schema.names)
    assert all(math.isfinite(value) for value in diagnosis.feature_vector)
    assert diagnosis.latency_ms > 0


def test_accepted_submission_is_stored_without_a_diagnosis(api: APIClient) -> None:
    response = api.post(
        URL, submission_payload(external_id="ok-1", verdict="accepted"), format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["diagnosis"] is None
    assert body["difficulty"]["action"] == "maintain"
    assert Submission.objects.filter(external_id="ok-1").exists()
    assert not Diagnosis.objects.exists()
    profile = LearnerProfile.objects.get(user_id="learner-1")
    assert (profile.total_submissions, profile.accepted_submissions, profile.current_streak) == (
        1,
        1,
        1,
    )
    assert DifficultyState.objects.get(user_id="learner-1").snapshot["recent_outcomes"] == [True]


def test_repeated_external_id_returns_the_first_result_and_writes_nothing(api: APIClient) -> None:
    first = api.post(URL, submission_payload(), format="json")
    counts = _row_counts()

    again = api.post(
        URL, submission_payload(code="print('different')", verdict="runtime_error"), format="json"
    )

    assert again.status_code == 200
    assert again.json() == first.json()
    assert _row_counts() == counts
    assert LearnerProfile.objects.get(user_id="learner-1").total_submissions == 1


def test_attempt_number_and_history_follow_the_learner(api: APIClient) -> None:
    api.post(URL, submission_payload(external_id="a1"), format="json")
    api.post(
        URL,
        submission_payload(external_id="a2", submitted_at="2026-11-20T10:05:00Z"),
        format="json",
    )

    second = Submission.objects.get(external_id="a2")
    assert second.attempt_number == 2
    features = dict(zip(load_feature_schema().names, second.diagnosis.feature_vector, strict=True))
    assert features["delta_attempt_number"] == 2.0
    assert features["delta_code_change_ratio"] == 0.0
    assert features["hist_total_submissions"] == 1.0
    assert features["hist_current_streak"] == -1.0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"language": "rust"}, "language"),
        ({"verdict": "partially_accepted"}, "verdict"),
        ({"submitted_at": "yesterday"}, "submitted_at"),
        ({"problem_tags": "arrays"}, "problem_tags"),
        ({"problem_difficulty": "hard"}, "problem_difficulty"),
        ({"runtime_ms": -5}, "runtime_ms"),
        ({"code": 123}, "code"),
        ({"user_id": "u" * 200}, "user_id"),
    ],
)
def test_invalid_fields_get_400_with_field_errors_and_write_nothing(
    api: APIClient, overrides: dict, field: str
) -> None:
    response = api.post(URL, submission_payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert _row_counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    "missing",
    ["external_id", "user_id", "problem_id", "language", "code", "verdict", "submitted_at"],
)
def test_missing_required_field_gets_400(api: APIClient, missing: str) -> None:
    payload = submission_payload()
    del payload[missing]

    response = api.post(URL, payload, format="json")

    assert response.status_code == 400
    assert response.json()[missing] == ["This field is required."]
    assert _row_counts() == (0, 0, 0, 0, 0, 0)


def test_malformed_json_gets_400(api: APIClient) -> None:
    response = api.post(URL, data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()


def test_code_over_the_limit_gets_413(api: APIClient, settings) -> None:
    settings.MIM_MAX_CODE_BYTES = 1000

    response = api.post(URL, submission_payload(code="x = 1\n" * 200), format="json")

    assert response.status_code == 413
    assert "code" in response.json()["errors"]
    assert _row_counts() == (0, 0, 0, 0, 0, 0)


def test_code_with_nul_bytes_is_refused(api: APIClient) -> None:
    response = api.post(URL, submission_payload(code="x = 1\x00"), format="json")

    assert response.status_code == 400
    assert "code" in response.json()


@pytest.mark.parametrize("field", ["code", "user_id", "external_id"])
def test_lone_surrogates_are_refused_with_drf_s_message(api: APIClient, field: str) -> None:
    value = "x = 1  # \ud83d" if field == "code" else "id-\udc00"
    response = api.post(
        URL,
        data=json.dumps(submission_payload(**{field: value})),  # ASCII escapes survive JSON
        content_type="application/json",
    )

    assert response.status_code == 400
    surrogate = "D83D" if field == "code" else "DC00"
    assert response.json()[field] == [f"Surrogate characters are not allowed: U+{surrogate}."]
    assert _row_counts() == (0, 0, 0, 0, 0, 0)


def test_no_credentials_get_401(anon_api: APIClient) -> None:
    response = anon_api.post(URL, submission_payload(), format="json")

    assert response.status_code == 401
    assert not Submission.objects.exists()


def test_wrong_token_gets_401(anon_api: APIClient) -> None:
    anon_api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    response = anon_api.post(URL, submission_payload(), format="json")

    assert response.status_code == 401


def test_a_diagnosis_costs_a_fixed_small_number_of_queries(api: APIClient, settings) -> None:
    # Memory's own statements are pinned in tests/memory/test_rag_in_diagnosis.py.
    settings.MIM_MEMORY_IN_DIAGNOSIS = False
    api.post(URL, submission_payload(external_id="warm"), format="json")

    with CaptureQueriesContext(connection) as new, CaptureQueriesContext(connection):
        api.post(
            URL,
            submission_payload(external_id="counted", submitted_at="2026-11-20T11:00:00Z"),
            format="json",
        )
    with CaptureQueriesContext(connection) as repeat:
        api.post(URL, submission_payload(external_id="counted"), format="json")

    # token, savepoint (the test's stand-in for BEGIN), learner lock, one read, one write (with
    # the history rows of real transitions), savepoint release (COMMIT).
    statements = [q["sql"] for q in new.captured_queries]
    assert [q.split()[0] for q in statements] == [
        "SELECT",
        "SAVEPOINT",
        "SELECT",
        "SELECT",
        "WITH",
        "RELEASE",
    ]
    # The second attempt moved the pattern (suspected), so its history row is in the write.
    assert 'INSERT INTO "diagnosis_historicalpatternstate"' in statements[4]
    # A repeat stops after the read: no write at all.
    assert [q["sql"].split()[0] for q in repeat.captured_queries] == [
        "SELECT",
        "SAVEPOINT",
        "SELECT",
        "SELECT",
        "RELEASE",
    ]


def test_get_submission_returns_the_stored_contract(api: APIClient) -> None:
    created = api.post(URL, submission_payload(), format="json").json()

    response = api.get(f"{URL}sub-1/")

    assert response.status_code == 200
    assert response.json() == created
    assert api.get(f"{URL}missing/").status_code == 404
