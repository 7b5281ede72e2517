"""Memory in the diagnosis request: recalled before explaining, stored after, never fatal."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnosis.models import Diagnosis, Submission
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
    # Nothing could be embedded: no retrieval, and this diagnosis is neither stored as a memory
    # nor logged as a rejection.
    assert not Memory.objects.filter(submission__external_id="broken-1").exists()
    assert not MemoryRejection.objects.filter(submission__external_id="broken-1").exists()


def _failing_trigger(*tables: str, when: str) -> None:
    """Make every `when` (INSERT/UPDATE) on these tables raise, as a broken table would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION mim_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'memory table refused'; END $$"
        )
        for table in tables:
            cursor.execute(
                f"CREATE TRIGGER mim_test_refuse BEFORE {when} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION mim_test_refuse()"
            )


def test_a_database_error_in_recall_rolls_back_and_the_request_is_diagnosed_without_memory(
    api,
) -> None:
    _post(api, "r-1", hour=10)
    _post(api, "r-2", hour=11)
    before = {m.pk: m.retrieval_count for m in Memory.objects.all()}
    assert before  # there is something to recall (and boost)
    _failing_trigger("memory_memory", when="UPDATE")

    body = _post(api, "r-3", hour=12)

    assert body["rag"] == {"used": False, "relevance": 0.0, "memories": []}
    assert body["diagnosis"]["rootCause"] == "correctness"
    stored = Submission.objects.get(external_id="r-3")
    assert stored.result == body and stored.diagnosis.explanation
    # The failed attempt left nothing: no boost, and no memory work in the second attempt.
    assert {m.pk: m.retrieval_count for m in Memory.objects.all()} == before
    assert not MemoryRejection.objects.filter(submission=stored).exists()


def test_a_database_error_storing_the_memory_loses_only_the_memory(api) -> None:
    _failing_trigger("memory_memoryvector", "memory_memoryrejection", when="INSERT")

    body = _post(api, "s-1", hour=10)

    assert body["diagnosis"]["rootCause"] == "correctness"
    stored = Submission.objects.get(external_id="s-1")
    assert stored.result == body
    assert Diagnosis.objects.filter(submission=stored).count() == 1
    # No memory row without its vector, no rejection: the memory is simply not there.
    assert not Memory.objects.exists()
    assert not MemoryRejection.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_memory_costs_one_statement_and_writes_with_the_diagnosis(api) -> None:
    _post(api, "q-1", hour=10)

    with CaptureQueriesContext(connection) as captured:
        _post(api, "q-2", hour=11)

    # As in production (no outer transaction): token; BEGIN, learner lock, one read; retrieval
    # and boost as one statement; the one write, which stores the new memory with its vector
    # (or the rejection) and the history rows of real transitions too; COMMIT.
    statements = [q["sql"] for q in captured.captured_queries]
    kinds = [q.split()[0] for q in statements]
    assert kinds == ["SELECT", "BEGIN", "SELECT", "SELECT", "WITH", "WITH", "COMMIT"]
    assert statements[4].startswith("WITH nearest AS (SELECT vector.memory_id")
    write = statements[5]
    assert write.startswith('WITH sub AS (INSERT INTO "diagnosis_submission"')
    assert ('INSERT INTO "memory_memory"' in write) != (
        'INSERT INTO "memory_memoryrejection"' in write
    )


def test_with_memory_off_the_request_touches_no_memory_table(api, settings) -> None:
    settings.MIM_MEMORY_IN_DIAGNOSIS = False

    with CaptureQueriesContext(connection) as captured:
        body = _post(api, "off-1", hour=10)

    assert body["rag"]["used"] is False
    assert not any('"memory_memory' in q["sql"] for q in captured.captured_queries)
    assert not Memory.objects.exists() and not MemoryRejection.objects.exists()
