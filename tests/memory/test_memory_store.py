"""memory_candidate_store: stored with a TTL by quality, or rejected with the logged reason."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest

from diagnosis.models import Diagnosis
from memory.core.embeddings import EMBEDDING_DIMENSION, HashingEmbedder, memory_text
from memory.core.quality import DEFAULT_MEMORY_CONFIG, MemoryConfig, memory_quality_score
from memory.models import SUMMARY_MAX_CHARS, Memory, MemoryRejection
from memory.selectors import memory_list_for_learner
from memory.services import memory_candidate_store
from tests.conftest import at
from tests.memory.conftest import diagnosed

pytestmark = pytest.mark.django_db

SUMMARY = "Loop stops one element early: range(len(a) - 1) skips the last item of the array."
NOW = at(20)


def _diagnosis(external_id: str, *, user_id: str = "learner-1") -> Diagnosis:
    """A real failed submission diagnosed by the diagnosis service."""
    return diagnosed(external_id, user_id=user_id, submitted_at=at(19))


def _candidate(**overrides: Any) -> dict[str, Any]:
    """A strong candidate (score 0.925: confident, third repeat, complete) unless overridden."""
    candidate: dict[str, Any] = {
        "root_cause": "correctness",
        "subtype": "off_by_one",
        "problem_tags": ["arrays", "loops"],
        "language": "python",
        "category": "arrays",
        "summary": SUMMARY,
        "mim_confidence": 1.0,
        "is_recurring": True,
        "recurrence_count": 3,
        "signal_tokens": ["range_len_minus_one"],
        "identifiers": ["a", "s", "i"],
    }
    candidate.update(overrides)
    return candidate


def _store(
    diagnosis: Diagnosis,
    *,
    config: MemoryConfig = DEFAULT_MEMORY_CONFIG,
    now: datetime = NOW,
    **overrides: Any,
) -> Memory | MemoryRejection:
    return memory_candidate_store(
        user_id=diagnosis.submission.user_id,
        submission=diagnosis.submission,
        diagnosis=diagnosis,
        config=config,
        embedder=HashingEmbedder(),
        now=now,
        **_candidate(**overrides),
    )


def _expected_quality(**overrides: Any):
    candidate = _candidate(**overrides)
    return memory_quality_score(
        mim_confidence=candidate["mim_confidence"],
        is_recurring=candidate["is_recurring"],
        recurrence_count=candidate["recurrence_count"],
        summary=candidate["summary"],
        root_cause=candidate["root_cause"],
        subtype=candidate["subtype"],
        category=candidate["category"],
    )


def test_a_strong_candidate_is_stored_with_its_score_components_and_embedding() -> None:
    diagnosis = _diagnosis("s1")

    memory = _store(diagnosis)

    assert isinstance(memory, Memory)
    memory.refresh_from_db()
    quality = _expected_quality()
    assert memory.quality_score == quality.score == pytest.approx(0.925)
    assert memory.quality_components == quality.components
    assert (memory.user_id, memory.submission_id, memory.diagnosis_id) == (
        "learner-1",
        diagnosis.submission_id,
        diagnosis.pk,
    )
    assert (memory.root_cause, memory.subtype, memory.language) == (
        "correctness",
        "off_by_one",
        "python",
    )
    assert memory.problem_tags == ["arrays", "loops"]
    assert memory.summary == SUMMARY
    assert memory.retrieval_count == 0
    assert memory.last_retrieved_at is None
    assert memory.created_at == NOW
    assert not MemoryRejection.objects.exists()


def test_the_embedder_name_dimension_and_vector_of_the_memory_text_are_stored() -> None:
    memory = _store(_diagnosis("s1"))

    memory.refresh_from_db()
    assert memory.embedder == "hashing-v1"
    assert memory.embedding_dimension == EMBEDDING_DIMENSION
    expected = HashingEmbedder().embed(
        memory_text(
            root_cause="correctness",
            subtype="off_by_one",
            language="python",
            problem_tags=["arrays", "loops"],
            signal_tokens=["range_len_minus_one"],
            identifiers=["a", "s", "i"],
        )
    )
    # Bit for bit: the text sent to pgvector parses back to the same float32 values.
    assert np.array_equal(np.asarray(memory.vector.embedding, dtype=np.float32), expected)
    # The vector carries its learner and space, which learner-scoped retrieval filters on.
    assert (memory.vector.user_id, memory.vector.embedder) == (memory.user_id, "hashing-v1")


@pytest.mark.parametrize(
    ("mim_confidence", "recurrence_count", "ttl_days"),
    [
        (1.0, 3, 365),  # 0.925: at or above 0.8
        (0.8, 2, 180),  # 0.73: at or above 0.7
        (0.5, 2, 90),  # 0.625: stored, below 0.7
    ],
)
def test_the_ttl_tier_of_the_score_sets_expires_at(
    mim_confidence: float, recurrence_count: int, ttl_days: int
) -> None:
    overrides = {
        "mim_confidence": mim_confidence,
        "recurrence_count": recurrence_count,
        "is_recurring": False,
    }

    memory = _store(_diagnosis("s1"), **overrides)

    assert isinstance(memory, Memory)
    memory.refresh_from_db()
    assert memory.quality_score == _expected_quality(**overrides).score
    assert memory.expires_at == NOW + timedelta(days=ttl_days)


def test_a_weak_candidate_is_rejected_with_its_score_components_and_reason() -> None:
    diagnosis = _diagnosis("s1")
    overrides = {
        "mim_confidence": 0.2,
        "is_recurring": False,
        "recurrence_count": 1,
        "summary": "",
    }

    rejection = _store(diagnosis, **overrides)

    assert isinstance(rejection, MemoryRejection)
    rejection.refresh_from_db()
    quality = _expected_quality(**overrides)
    assert not quality.stored
    assert rejection.score == quality.score
    assert rejection.components == quality.components
    assert rejection.reason == quality.reason
    assert "below store threshold 0.600" in rejection.reason
    assert "confidence" in rejection.reason.split("weakest:")[1]
    assert (rejection.user_id, rejection.submission_id, rejection.diagnosis_id) == (
        "learner-1",
        diagnosis.submission_id,
        diagnosis.pk,
    )
    assert rejection.created_at == NOW
    assert not Memory.objects.exists()


def test_the_store_threshold_comes_from_the_config_passed_in() -> None:
    strict = MemoryConfig(store_threshold=0.95, ttl_medium_threshold=0.95, ttl_long_threshold=0.95)

    result = _store(_diagnosis("s1"), config=strict)

    assert isinstance(result, MemoryRejection)
    assert "below store threshold 0.950" in result.reason
    assert not Memory.objects.exists()


def test_a_long_summary_is_cut_to_the_column_length() -> None:
    memory = _store(_diagnosis("s1"), summary="x" * (SUMMARY_MAX_CHARS + 50))

    memory.refresh_from_db()
    assert memory.summary == "x" * SUMMARY_MAX_CHARS


def test_a_diagnosis_of_another_learner_or_a_foreign_dimension_is_refused() -> None:
    diagnosis = _diagnosis("s1")
    arguments: dict[str, Any] = {
        "submission": diagnosis.submission,
        "diagnosis": diagnosis,
        "config": DEFAULT_MEMORY_CONFIG,
        "now": NOW,
        **_candidate(),
    }

    with pytest.raises(ValueError, match="this user's"):
        memory_candidate_store(user_id="learner-2", embedder=HashingEmbedder(), **arguments)
    with pytest.raises(ValueError, match="dimensions"):
        memory_candidate_store(user_id="learner-1", embedder=HashingEmbedder(8), **arguments)
    assert not Memory.objects.exists()
    assert not MemoryRejection.objects.exists()


def test_a_learners_memories_are_listed_newest_first_and_only_theirs() -> None:
    first = _store(_diagnosis("s1"), now=at(20))
    second = _store(_diagnosis("s2"), now=at(21))
    _store(_diagnosis("other", user_id="learner-2"), now=at(22))

    listed = list(memory_list_for_learner(user_id="learner-1"))

    assert [memory.pk for memory in listed] == [second.pk, first.pk]
