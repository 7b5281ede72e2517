"""The daily pattern-decay job, run by a real Celery worker process on the default broker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from diagnosis.core.patterns import PatternConfig, new_pattern, pattern_record_failure
from diagnosis.models import PatternState
from diagnosis.tasks import refresh_pattern_decay
from governance.core.defaults import DEFAULT_CONFIG
from monitoring.models import TaskRun


def _confirmed_long_ago(user_id: str) -> PatternState:
    config = PatternConfig(**DEFAULT_CONFIG["pattern"])
    start = timezone.now() - timedelta(days=120)
    snapshot = new_pattern()
    for i in range(4):
        snapshot = pattern_record_failure(
            snapshot=snapshot, at=start + timedelta(hours=i), confidence_tier="high", config=config
        )
    assert snapshot.state.value == "confirmed"
    return PatternState.objects.create(
        user_id=user_id,
        root_cause="correctness",
        subtype="off_by_one",
        state=snapshot.state.value,
        evidence_count=snapshot.evidence_count,
        weighted_count=snapshot.weighted_count,
        severity=snapshot.severity.value,
        mastery=snapshot.mastery.value,
        confidence_support=snapshot.confidence_support,
        snapshot=snapshot.to_json(),
        last_seen_at=snapshot.last_seen_at,
    )


def _send_and_wait(wait_for, worker_log) -> TaskRun:
    refresh_pattern_decay.apply_async()
    wait_for(
        lambda: TaskRun.objects.filter(status=TaskRun.Status.SUCCEEDED).exists(),
        timeout=60,
        what="the task run to succeed",
        log=worker_log,
    )
    return TaskRun.objects.get()


@pytest.mark.worker
def test_worker_runs_the_decay_task_and_records_the_run(celery_worker_process, wait_for) -> None:
    row = _confirmed_long_ago("old-learner")

    run = _send_and_wait(wait_for, celery_worker_process)

    assert run.task_name == "diagnosis.refresh_pattern_decay"
    assert run.summary == {"examined": 1, "changed": 1}
    assert run.duration_ms is not None
    row.refresh_from_db()
    assert row.state == "none"
    assert row.weighted_count < 0.02  # 4 × 2^(-120/14) ≈ 0.0105
    assert row.history.count() == 2


@pytest.mark.worker
def test_worker_on_redis_runs_the_decay_task(celery_redis_worker_process, wait_for) -> None:
    row = _confirmed_long_ago("redis-learner")

    run = _send_and_wait(wait_for, celery_redis_worker_process)

    assert run.summary == {"examined": 1, "changed": 1}
    row.refresh_from_db()
    assert row.state == "none"


@pytest.mark.django_db
def test_decay_task_is_idempotent_when_run_again() -> None:
    _confirmed_long_ago("old-learner")

    first = refresh_pattern_decay.apply().get()
    second = refresh_pattern_decay.apply().get()

    assert first == {"examined": 1, "changed": 1}
    assert second == {"examined": 1, "changed": 0}
    assert TaskRun.objects.filter(status="succeeded").count() == 2
