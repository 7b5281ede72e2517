"""Memory in the diagnosis request: recalled before explaining, stored after, never fatal."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from memory.models import Memory, MemoryRejection
from memory.selectors import embedder_get
from tests.conftest import submission_payload

URL = "/api/v1/submissions/"


@pytest.fixture(autouse=True)
def _fresh_embedder():
    embedder_get.cache_clear()
    yield
    embedder_get.cache_clear()


def _post(api, external_id: str, *, user_id: str = "learner-1", hour: int = 10) -> dict:
    response = api.post(
        URL,
        submission_payload(
            external_id=external_id,
            user_id=user_id,
            submitted_at=f"2026-11-20T{hour:02d}:00:00Z",
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_each_diagnosis_is_scored_as_a_memory_and_recalled_by_the_next(api) -> None:
    first = _post(api, "m-1", hour=10)

    assert first["rag"] == {"used": False, "relevance": 0.0, "memories": []}
    scored = Memory.objects.count() + MemoryRejection.objects.count()
    assert scored == 1

    second = _post(api, "m-2", hour=11)
    third = _post(api, "m-3", hour=12)

    # The same mistake again: the learner's earlier memories come back, most similar first.
    stored = Memory.objects.filter(user_id="learner-1").order_by("created_at")
    assert stored.exists()
    assert third["rag"]["used"] is True
    assert 0.0 < third["rag"]["relevance"] <= 1.0
    recalled = {m["id"] for m in third["rag"]["memories"]}
    assert recalled <= {str(m.pk) for m in stored}
    assert recalled
    summary = third["rag"]["memories"][0]["summary"]
    assert summary.startswith("Off by one (correctness) in python")
    assert "You hit a similar issue before" in third["feedback"]["explanation"]
    assert second["diagnosis"] == third["diagnosis"]  # memory never changes the decision


def test_memories_are_never_recalled_across_learners(api) -> None:
    _post(api, "a-1", user_id="learner-a", hour=10)
    _post(api, "a-2", user_id="learner-a", hour=11)

    other = _post(api, "b-1", user_id="learner-b", hour=12)

    assert other["rag"]["used"] is False
    assert Memory.objects.filter(user_id="learner-a").exists()


def test_an_embedder_failure_degrades_to_no_memory_and_the_diagnosis_stands(api, settings) -> None:
    _post(api, "ok-1", hour=10)
    settings.MIM_EMBEDDER = "no-such-embedder"  # building the embedder now raises
    embedder_get.cache_clear()  # as a process started with that setting would

    body = _post(api, "broken-1", hour=11)

    assert body["rag"] == {"used": False, "relevance": 0.0, "memories": []}
    assert body["diagnosis"]["rootCause"] == "correctness"
    assert body["feedback"]["explanation"]
    # Retrieval failed inside its savepoint; the memory of this diagnosis could not be
    # embedded either, and nothing half-written remains.
    assert not Memory.objects.filter(submission__external_id="broken-1").exists()


@pytest.mark.django_db(transaction=True)
def test_memory_costs_one_statement_in_a_savepoint_and_one_after_the_commit(api) -> None:
    _post(api, "q-1", hour=10)

    with CaptureQueriesContext(connection) as captured:
        _post(api, "q-2", hour=11)

    # As in production (no outer transaction): token; BEGIN, learner lock, one read; retrieval
    # and boost as one statement in a savepoint; the one write and history rows for real
    # transitions; COMMIT; then the new memory with its vector (or the rejection), one statement.
    statements = [q["sql"] for q in captured.captured_queries]
    kinds = [q.split()[0] for q in statements]
    assert kinds[:7] == ["SELECT", "BEGIN", "SELECT", "SELECT", "SAVEPOINT", "WITH", "RELEASE"]
    assert statements[5].startswith("WITH nearest AS (SELECT vector.memory_id")
    assert statements[7].startswith('WITH sub AS (INSERT INTO "diagnosis_submission"')
    commit = kinds.index("COMMIT")
    assert all('INSERT INTO "diagnosis_historical' in q for q in statements[8:commit])
    assert commit == len(statements) - 2
    assert statements[-1].startswith(
        ("WITH memory AS (INSERT INTO memory_memory", 'INSERT INTO "memory_memoryrejection"')
    )


def test_with_memory_off_the_request_touches_no_memory_table(api, settings) -> None:
    settings.MIM_MEMORY_IN_DIAGNOSIS = False

    with CaptureQueriesContext(connection) as captured:
        body = _post(api, "off-1", hour=10)

    assert body["rag"]["used"] is False
    assert not any('"memory_memory' in q["sql"] for q in captured.captured_queries)
    assert not Memory.objects.exists() and not MemoryRejection.objects.exists()
