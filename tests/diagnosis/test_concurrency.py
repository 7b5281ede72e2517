"""Concurrent submissions: a learner's state loses no update, and an external_id is stored once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection

from diagnosis.models import LearnerProfile, PatternState, Submission
from diagnosis.services import SubmissionInput, SubmissionResult, submission_process
from tests.conftest import at

CODE = "def f(a):\n    s = 0\n    for i in range(len(a) - 1):\n        s += a[i]\n    return s\n"


def _data(ext: str, minute: int) -> SubmissionInput:
    return SubmissionInput(
        external_id=ext,
        user_id="racer",
        problem_id="race-problem",
        problem_category="arrays",
        language="python",
        code=CODE,
        verdict="wrong_answer",
        submitted_at=at(3) + timedelta(minutes=minute),
    )


def _run_concurrently(calls: list[Callable[[], SubmissionResult]]) -> list[SubmissionResult]:
    results: list[SubmissionResult | BaseException] = [None] * len(calls)  # type: ignore[list-item]
    barrier = threading.Barrier(len(calls))

    def worker(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except BaseException as exc:  # surfaced below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_learner_lose_no_update() -> None:
    submission_process(data=_data("first", 0))  # the problem and learner exist

    _run_concurrently(
        [lambda i=i: submission_process(data=_data(f"c{i}", i + 1)) for i in range(6)]
    )

    profile = LearnerProfile.objects.get(user_id="racer")
    assert profile.total_submissions == 7
    assert profile.current_streak == -7
    assert profile.root_cause_counts == {"correctness": 7}
    assert PatternState.objects.get(user_id="racer").evidence_count == 7
    attempts = sorted(
        Submission.objects.filter(user_id="racer").values_list("attempt_number", flat=True)
    )
    assert attempts == list(range(1, 8))


@pytest.mark.django_db(transaction=True)
def test_the_same_external_id_sent_concurrently_is_stored_once() -> None:
    results = _run_concurrently([lambda: submission_process(data=_data("dup", 0))] * 4)

    assert Submission.objects.filter(external_id="dup").count() == 1
    assert sum(r.created for r in results) == 1
    assert len({r.submission_id for r in results}) == 1
    assert all(r.contract == results[0].contract for r in results)
    assert LearnerProfile.objects.get(user_id="racer").total_submissions == 1
