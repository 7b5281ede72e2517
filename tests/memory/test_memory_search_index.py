"""The global search index is filled off the request path: stored memories are queued, then
indexed in batches by memory.index_for_search (a real worker runs it in the last test)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from memory.core.quality import DEFAULT_MEMORY_CONFIG
from memory.models import Memory, MemoryRejection, MemorySearchPending, MemorySearchVector
from memory.selectors import memories_nearest_for_learner, memories_search
from memory.services import memories_expire, memories_index_for_search, memory_candidate_store
from memory.tasks import index_memories_for_search
from monitoring.models import TaskRun
from tests.conftest import submission_payload
from tests.memory.conftest import EMBEDDER, STORED_AT, diagnosed, remember

URL = "/api/v1/submissions/"


def _global(vector) -> list[int]:
    found = memories_search(query_embedding=vector, embedder_name=EMBEDDER.name, k=10)
    return [memory.pk for memory, _ in found]


@pytest.mark.django_db
def test_a_memory_stored_by_a_diagnosis_is_global_only_once_indexed(api) -> None:
    for hour in (10, 11, 12):
        api.post(
            URL,
            submission_payload(external_id=f"g-{hour}", submitted_at=f"2026-11-20T{hour}:00:00Z"),
            format="json",
        )
    stored = list(Memory.objects.order_by("pk"))
    assert stored, "the diagnoses stored no memory"
    assert {p.memory_id for p in MemorySearchPending.objects.all()} == {m.pk for m in stored}
    vector = stored[0].vector.embedding
    learner = memories_nearest_for_learner(
        user_id="learner-1",
        query_embedding=vector,
        embedder_name=EMBEDDER.name,
        k=10,
        now=timezone.now(),
    )
    assert {memory.pk for memory, _ in learner} == {m.pk for m in stored}  # at once
    assert _global(vector) == []  # not yet

    assert memories_index_for_search() == {"dequeued": len(stored), "indexed": len(stored)}

    assert set(_global(vector)) == {m.pk for m in stored}
    assert not MemorySearchPending.objects.exists()
    indexed = MemorySearchVector.objects.get(memory=stored[0])
    assert list(indexed.embedding) == list(stored[0].vector.embedding)
    assert memories_index_for_search() == {"dequeued": 0, "indexed": 0}


@pytest.mark.django_db
def test_indexing_runs_in_batches_and_rejections_are_never_queued() -> None:
    stored = [remember(f"b-{i}").pk for i in range(5)]
    weak = diagnosed("weak", submitted_at=STORED_AT)
    rejected = memory_candidate_store(
        user_id="learner-1",
        submission=weak.submission,
        diagnosis=weak,
        root_cause="correctness",
        subtype="off_by_one",
        problem_tags=(),
        language="python",
        category=None,
        summary="",
        mim_confidence=0.0,
        is_recurring=False,
        recurrence_count=1,
        signal_tokens=(),
        identifiers=(),
        config=DEFAULT_MEMORY_CONFIG,
        embedder=EMBEDDER,
        now=STORED_AT,
    )
    assert isinstance(rejected, MemoryRejection)
    assert set(MemorySearchPending.objects.values_list("memory_id", flat=True)) == set(stored)

    assert memories_index_for_search(batch_size=2) == {"dequeued": 5, "indexed": 5}
    assert set(MemorySearchVector.objects.values_list("memory_id", flat=True)) == set(stored)
    with pytest.raises(ValueError, match="batch_size"):
        memories_index_for_search(batch_size=0)


@pytest.mark.django_db
def test_memories_deleted_queued_or_indexed_leave_the_queue_and_the_index() -> None:
    indexed = remember("q-1").pk
    memories_index_for_search()
    queued = remember("q-2").pk
    assert MemorySearchVector.objects.filter(memory_id=indexed).exists()
    assert MemorySearchPending.objects.filter(memory_id=queued).exists()

    # Both expire (365-day TTL from STORED_AT): the database cascades to queue and index.
    deleted = memories_expire(now=STORED_AT + timedelta(days=400))

    assert deleted == 2
    assert not MemorySearchPending.objects.exists()
    assert not MemorySearchVector.objects.exists()
    assert memories_index_for_search() == {"dequeued": 0, "indexed": 0}


@pytest.mark.worker
def test_worker_indexes_the_queue_and_records_the_run(celery_worker_process, wait_for) -> None:
    stored = [remember(f"w-{i}").pk for i in range(3)]

    index_memories_for_search.apply_async()
    wait_for(
        lambda: TaskRun.objects.filter(
            task_name="memory.index_for_search", status=TaskRun.Status.SUCCEEDED
        ).exists(),
        timeout=60,
        what="the indexing run to succeed",
        log=celery_worker_process,
    )

    run = TaskRun.objects.get(task_name="memory.index_for_search")
    assert run.summary == {"dequeued": 3, "indexed": 3}
    assert set(MemorySearchVector.objects.values_list("memory_id", flat=True)) == set(stored)
