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


def test_memory_costs_its_own_savepoints_around_one_read_one_boost_and_one_insert(api) -> None:
    _post(api, "q-1", hour=10)

    with CaptureQueriesContext(connection) as captured:
        _post(api, "q-2", hour=11)

    # token, savepoint (the test's stand-in for BEGIN), learner lock, one read; retrieval in its
    # own savepoint (one SELECT, plus one UPDATE boosting what it found); the one write, history
    # rows for real transitions; the new memory and its vector (or the rejection) in its own
    # savepoint; commit.
    statements = [q["sql"] for q in captured.captured_queries]
    kinds = [q.split()[0] for q in statements]
    assert kinds[:6] == ["SELECT", "SAVEPOINT", "SELECT", "SELECT", "SAVEPOINT", "SELECT"]
    assert '"memory_memory"' in statements[5]
    write = kinds.index("WITH")
    assert kinds[6:write] in (["RELEASE"], ["UPDATE", "RELEASE"])
    memory = kinds.index("SAVEPOINT", write)
    tables = [q.split('"')[1] for q in statements[memory + 1 : -2]]
    assert tables in (["memory_memory", "memory_memoryvector"], ["memory_memoryrejection"])
    assert kinds[memory + 1 : -2] == ["INSERT"] * len(tables)
    assert kinds[-2:] == ["RELEASE", "RELEASE"]
    assert all('INSERT INTO "diagnosis_historical' in q for q in statements[write + 1 : memory])


def test_with_memory_off_the_request_touches_no_memory_table(api, settings) -> None:
    settings.MIM_MEMORY_IN_DIAGNOSIS = False

    with CaptureQueriesContext(connection) as captured:
        body = _post(api, "off-1", hour=10)

    assert body["rag"]["used"] is False
    assert not any('"memory_memory' in q["sql"] for q in captured.captured_queries)
    assert not Memory.objects.exists() and not MemoryRejection.objects.exists()
