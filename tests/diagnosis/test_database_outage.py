"""A database outage answers 503 JSON and leaves no half-written submission."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from diagnosis.models import LearnerProfile, Problem, Submission
from tests.conftest import submission_payload


@pytest.mark.django_db(transaction=True)
def test_unreachable_database_gives_503_json(api: APIClient, tmp_path) -> None:
    original_host = connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"] = str(tmp_path / "no-server-here")
    try:
        response = api.post("/api/v1/submissions/", submission_payload(), format="json")
        ready = api.get("/readyz")
    finally:
        connection.close()
        connection.settings_dict["HOST"] = original_host

    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert "Traceback" not in response.content.decode()
    assert ready.status_code == 503
    assert not Submission.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_failure_mid_request_rolls_back_every_row(api: APIClient) -> None:
    """A real database error on the last insert (a trigger) leaves none of the request's rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION mim_test_refuse() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'refused by test trigger'; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER mim_test_refuse BEFORE INSERT ON diagnosis_diagnosis "
            "FOR EACH ROW EXECUTE FUNCTION mim_test_refuse()"
        )
    try:
        response = api.post("/api/v1/submissions/", submission_payload(), format="json")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER mim_test_refuse ON diagnosis_diagnosis")
            cursor.execute("DROP FUNCTION mim_test_refuse()")

    assert response.status_code == 500
    assert response.json()["code"] == "db_error"
    assert not Submission.objects.exists()
    assert not LearnerProfile.objects.exists()
    assert not Problem.objects.exists()
