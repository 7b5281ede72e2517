"""Shared by the memory tests: a real diagnosed submission, without the pipeline's own memory."""

from __future__ import annotations

from datetime import datetime

import pytest

from diagnosis.models import Diagnosis
from diagnosis.services import SubmissionInput, submission_process
from memory.core.embeddings import HashingEmbedder
from memory.core.quality import DEFAULT_MEMORY_CONFIG
from memory.models import Memory, MemoryRejection
from memory.selectors import embedder_get
from memory.services import memory_candidate_store
from tests.conftest import at

STORED_AT = at(1)
EMBEDDER = HashingEmbedder()
OFF_BY_ONE_CODE = (
    "def f(a):\n    s = 0\n    for i in range(len(a) - 1):\n        s += a[i]\n    return s\n"
)


@pytest.fixture(autouse=True)
def _memory_in_diagnosis(settings) -> None:
    """These tests cover memory in the request path, whatever MIM_MEMORY_IN_DIAGNOSIS says."""
    settings.MIM_MEMORY_IN_DIAGNOSIS = True


@pytest.fixture(autouse=True)
def _hashing_embedder(settings):
    """The tests compare what the service stored with EMBEDDER's vectors, so the service embeds
    with the default embedder whatever MIM_EMBEDDER says in the environment."""
    settings.MIM_EMBEDDER = "hashing"
    embedder_get.cache_clear()
    yield
    embedder_get.cache_clear()


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


def remember(
    external_id: str,
    *,
    user_id: str = "learner-1",
    root_cause: str = "correctness",
    subtype: str = "off_by_one",
    tags: tuple[str, ...] = ("arrays", "loops"),
    signals: tuple[str, ...] = ("range_len_minus_one",),
    recurrence_count: int = 3,
    stored_at: datetime = STORED_AT,
    embedder: HashingEmbedder = EMBEDDER,
) -> Memory:
    """A real diagnosed submission, stored as a memory (score 0.925, 365 days unless overridden)."""
    diagnosis = diagnosed(external_id, user_id=user_id, submitted_at=stored_at)
    memory = memory_candidate_store(
        user_id=user_id,
        submission=diagnosis.submission,
        diagnosis=diagnosis,
        root_cause=root_cause,
        subtype=subtype,
        problem_tags=tags,
        language="python",
        category=tags[0],
        summary=(
            f"{root_cause}/{subtype} on {', '.join(tags)}: "
            "the loop bound skipped the last item, so one element was always missed."
        ),
        mim_confidence=1.0,
        is_recurring=False,
        recurrence_count=recurrence_count,
        signal_tokens=signals,
        identifiers=("a", "s", "i"),
        config=DEFAULT_MEMORY_CONFIG,
        embedder=embedder,
        now=stored_at,
    )
    assert isinstance(memory, Memory)
    return memory
