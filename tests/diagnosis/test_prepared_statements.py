"""The diagnosis request's statements are prepared and planned once per connection, Django's are
not prepared at all."""

from __future__ import annotations

import pytest
from django.db import connection

from diagnosis.models import Submission
from tests.conftest import submission_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/submissions/"


def _prepared_statements() -> list[str]:
    return [statement for statement, _, _ in _prepared_plans()]


def _prepared_plans() -> list[tuple[str, int, int]]:
    """(statement, generic plans, custom plans) of each statement prepared on this connection."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE NOT from_sql"
        )
        return cursor.fetchall()


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
    # Each runs its one generic plan: with PostgreSQL's default ("auto") the memory recall was
    # planned afresh on every request (its generic plan's estimate never won).
    plans = _prepared_plans()
    recall = next(p for p in plans if p[0].startswith("WITH nearest AS"))
    assert recall[1] > 1
    assert all(custom == 0 for _, _, custom in plans), plans
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


def test_plan_cache_mode_is_a_setting_checked_at_start(monkeypatch) -> None:
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import mimsite.settings

    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    try:
        monkeypatch.setenv("MIM_DB_PLAN_CACHE_MODE", "auto")
        options = importlib.reload(mimsite.settings).DATABASES["default"]["OPTIONS"]
        assert options["options"] == "-c plan_cache_mode=auto"
        monkeypatch.setenv(
            "DATABASE_URL", "postgres://u@db:5432/mim?options=-c%20search_path%3Dmim"
        )
        options = importlib.reload(mimsite.settings).DATABASES["default"]["OPTIONS"]
        assert options["options"] == "-c search_path=mim -c plan_cache_mode=auto"
        monkeypatch.setenv("MIM_DB_PLAN_CACHE_MODE", "generic")
        with pytest.raises(ImproperlyConfigured, match="MIM_DB_PLAN_CACHE_MODE"):
            importlib.reload(mimsite.settings)
    finally:
        monkeypatch.undo()
        importlib.reload(mimsite.settings)
