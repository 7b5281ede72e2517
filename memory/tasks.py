"""Celery entry points of the memory app: thin wrappers around services."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="memory.expire", acks_late=True)
def expire_memories(**kwargs: Any) -> dict[str, int]:
    """Delete memories past their expiry in batches; idempotent (a rerun finds nothing left)."""
    from django.utils import timezone

    from memory.services import memories_expire
    from monitoring.services import task_run_execute

    run = task_run_execute(
        task_name="memory.expire",
        task_id=expire_memories.request.id or "",
        job=lambda: {"deleted": memories_expire(now=timezone.now())},
    )
    return run.summary


@shared_task(name="memory.index_for_search", acks_late=True)
def index_memories_for_search(**kwargs: Any) -> dict[str, int]:
    """Add newly stored memories to the global search index; idempotent (a rerun finds an
    empty queue, and a vector is never indexed twice)."""
    from memory.services import memories_index_for_search
    from monitoring.services import task_run_execute

    run = task_run_execute(
        task_name="memory.index_for_search",
        task_id=index_memories_for_search.request.id or "",
        job=memories_index_for_search,
    )
    return run.summary
