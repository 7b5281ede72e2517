"""The daily memory-expiry job, run by a real Celery worker process on the default broker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from memory.models import Memory
from memory.tasks import expire_memories
from monitoring.models import TaskRun
from tests.memory.test_memory_expiry import TTL_DAYS, _remember


@pytest.mark.worker
def test_worker_deletes_expired_memories_and_records_the_run(
    celery_worker_process, wait_for
) -> None:
    now = timezone.now()
    expired = _remember("long-ago", stored_at=now - timedelta(days=TTL_DAYS + 10))
    live = _remember("recent", stored_at=now - timedelta(days=1))

    expire_memories.apply_async()
    wait_for(
        lambda: TaskRun.objects.filter(
            task_name="memory.expire", status=TaskRun.Status.SUCCEEDED
        ).exists(),
        timeout=60,
        what="the expiry run to succeed",
        log=celery_worker_process,
    )

    assert TaskRun.objects.get(task_name="memory.expire").summary == {"deleted": 1}
    assert not Memory.objects.filter(pk=expired).exists()
    assert Memory.objects.filter(pk=live).exists()
