"""Shared by the memory tests: a real diagnosed submission, without the pipeline's own memory."""

from __future__ import annotations

from datetime import datetime

import pytest

from diagnosis.models import Diagnosis
from diagnosis.services import SubmissionInput, submission_process
from memory.models import Memory, MemoryRejection

OFF_BY_ONE_CODE = (
    "def f(a):\n    s = 0\n    for i in range(len(a) - 1):\n        s += a[i]\n    return s\n"
)


@pytest.fixture(autouse=True)
def _memory_in_diagnosis(settings) -> None:
    """These tests cover memory in the request path too; it is off by default (settings)."""
    settings.MIM_MEMORY_IN_DIAGNOSIS = True


def diagnosed(
    external_id: str,
    *,
    submitted_at: datetime,
    user_id: str = "learner-1",
    code: str = OFF_BY_ONE_CODE,
) -> Diagnosis:
    """A failed submission diagnosed by the real service. The service scores every diagnosis
    as a memory itself; that row is removed so a test can store one with chosen inputs."""
    submission_process(
        data=SubmissionInput(
            external_id=external_id,
            user_id=user_id,
            problem_id="p-sum",
            problem_category="arrays",
            language="python",
            code=code,
            verdict="wrong_answer",
            submitted_at=submitted_at,
        )
    )
    diagnosis = Diagnosis.objects.select_related("submission").get(
        submission__external_id=external_id
    )
    Memory.objects.filter(diagnosis=diagnosis).delete()
    MemoryRejection.objects.filter(diagnosis=diagnosis).delete()
    return diagnosis
