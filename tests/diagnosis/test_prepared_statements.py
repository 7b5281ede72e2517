"""The diagnosis request's statements are prepared once per connection, Django's are not."""

from __future__ import annotations

import pytest
from django.db import connection

from diagnosis.models import Submission
from tests.conftest import submission_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/submissions/"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


def test_the_hot_path_is_planned_once_per_connection(api, settings) -> None:
    settings.MIM_MEMORY_IN_DIAGNOSIS = True
    threshold = connection.connection.prepare_threshold
    assert threshold is not None

    # The write's text varies with what changes (history rows, memory stored or rejected), so
    # a learner's steady state is reached before its variant has run `threshold` times.
    for i in range(threshold + 15):
        response = api.post(
            URL,
            submission_payload(
                external_id=f"p-{i}", submitted_at=f"2026-11-{1 + i // 10:02d}T1{i % 10}:00:00Z"
            ),
            format="json",
        )
        assert response.status_code == 201

    prepared = _prepared_statements()
    for start in (
        "SELECT pg_advisory_xact_lock(",  # the learner lock
        "\nSELECT\n  (SELECT json_build_object(",  # the one read
        "WITH nearest AS (SELECT vector.memory_id",  # memory recall and boost
        'WITH sub AS (INSERT INTO "diagnosis_submission"',  # the one write
        'SELECT token."key"',  # the API token's lookup (mimsite.authentication)
    ):
        assert any(statement.startswith(start) for statement in prepared), start
    # Parameters are bound by the server ($1), never spliced into the text.
    assert all("learner-1" not in statement for statement in prepared)
    # Django's own cursors keep client-side binding: never prepared, however often they run.
    for _ in range(threshold * 2):
        assert Submission.objects.filter(external_id="p-0").exists()
    assert not any(s.startswith('SELECT 1 AS "a"') for s in _prepared_statements())


def test_preparation_can_be_switched_off_for_poolers(monkeypatch) -> None:
    import importlib

    import mimsite.settings

    monkeypatch.setenv("MIM_DB_PREPARE_THRESHOLD", "off")
    try:
        assert (
            importlib.reload(mimsite.settings).DATABASES["default"]["OPTIONS"]["prepare_threshold"]
            is None
        )
    finally:
        monkeypatch.delenv("MIM_DB_PREPARE_THRESHOLD")
        importlib.reload(mimsite.settings)
