"""memories_expire: deletes only memories whose expires_at has passed, in id-chunked batches."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diagnosis.models import Diagnosis, Submission
from memory.core.embeddings import HashingEmbedder
from memory.core.quality import DEFAULT_MEMORY_CONFIG
from memory.models import Memory, MemoryRejection, MemoryVector
from memory.services import memories_expire, memory_candidate_store
from tests.conftest import at
from tests.memory.conftest import diagnosed

pytestmark = pytest.mark.django_db

SUMMARY = "Loop stops one element early: range(len(a) - 1) skips the last item of the array."
NOW = at(20)
TTL_DAYS = 90  # the candidates below score 0.675: the short tier


def _remember(external_id: str, *, stored_at: datetime, confidence: float = 1.0) -> int:
    """A real diagnosed submission stored (or, when weak, rejected) as a memory; its row id."""
    diagnosis = diagnosed(external_id, user_id="learner-1", submitted_at=stored_at)
    row = memory_candidate_store(
        user_id="learner-1",
        submission=diagnosis.submission,
        diagnosis=diagnosis,
        root_cause="correctness",
        subtype="off_by_one",
        problem_tags=("arrays",),
        language="python",
        category="arrays",
        summary=SUMMARY,
        mim_confidence=confidence,
        is_recurring=False,
        recurrence_count=1,
        signal_tokens=(),
        identifiers=("a", "s", "i"),
        config=DEFAULT_MEMORY_CONFIG,
        embedder=HashingEmbedder(),
        now=stored_at,
    )
    return row.pk


def _deletes(context: CaptureQueriesContext) -> int:
    return sum(query["sql"].startswith("DELETE") for query in context.captured_queries)


def test_only_expired_memories_are_deleted_in_batches_of_the_given_size() -> None:
    expired = [
        _remember(f"old{days}", stored_at=NOW - timedelta(days=TTL_DAYS + days))
        for days in (40, 30, 20, 10)
    ]
    expired.append(_remember("on-the-dot", stored_at=NOW - timedelta(days=TTL_DAYS)))
    live = [
        _remember("nearly", stored_at=NOW - timedelta(days=TTL_DAYS - 1)),
        _remember("fresh", stored_at=NOW),
    ]
    rejected = _remember("weak", stored_at=NOW - timedelta(days=400), confidence=0.0)
    assert Memory.objects.get(pk=expired[-1]).expires_at == NOW

    with CaptureQueriesContext(connection) as context:
        deleted = memories_expire(now=NOW, batch_size=2)

    assert deleted == 5
    assert _deletes(context) == 3  # 2 + 2 + 1
    assert sorted(Memory.objects.values_list("pk", flat=True)) == sorted(live)
    # The database cascades each DELETE to the memories' vectors.
    assert sorted(MemoryVector.objects.values_list("pk", flat=True)) == sorted(live)
    # Expiry removes memories only: their sources and the rejection log stay.
    assert MemoryRejection.objects.filter(pk=rejected).exists()
    assert Submission.objects.count() == Diagnosis.objects.count() == 8


def test_a_full_last_batch_is_followed_by_one_empty_delete() -> None:
    for i in range(4):
        _remember(f"old{i}", stored_at=NOW - timedelta(days=TTL_DAYS + i))

    with CaptureQueriesContext(connection) as context:
        deleted = memories_expire(now=NOW, batch_size=2)

    assert deleted == 4
    assert _deletes(context) == 3  # 2 + 2 + 0
    assert not Memory.objects.exists()


def test_nothing_expired_deletes_nothing() -> None:
    fresh = _remember("fresh", stored_at=NOW)

    assert memories_expire(now=NOW) == 0
    assert memories_expire(now=NOW + timedelta(days=TTL_DAYS) - timedelta(seconds=1)) == 0
    assert list(Memory.objects.values_list("pk", flat=True)) == [fresh]
    assert memories_expire(now=NOW + timedelta(days=TTL_DAYS)) == 1


def test_a_batch_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        memories_expire(now=NOW, batch_size=0)
