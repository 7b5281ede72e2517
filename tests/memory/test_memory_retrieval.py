"""memories_retrieve_and_boost (learner-scoped, exact) and memories_search (global, HNSW)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from memory.core.embeddings import HashingEmbedder, Vector, memory_text
from memory.core.quality import DEFAULT_MEMORY_CONFIG
from memory.models import Memory
from memory.selectors import memories_search
from memory.services import (
    RecalledMemory,
    memories_index_for_search,
    memories_retrieve_and_boost,
)
from tests.conftest import at
from tests.memory.conftest import EMBEDDER, remember

pytestmark = pytest.mark.django_db

NOW = at(20)


class OtherSpaceEmbedder(HashingEmbedder):
    """The same vectors under another name: a space that must never be compared with ours."""

    name = "other-space-v1"


def _query(**labels: Any) -> Vector:
    text = {"root_cause": "correctness", "subtype": "off_by_one", "language": "python"}
    text.update(labels)
    return EMBEDDER.embed(memory_text(**text, problem_tags=("arrays", "loops")))


def _retrieve(*, user_id: str = "learner-1", k: int = 5, **kwargs: Any) -> list[RecalledMemory]:
    arguments: dict[str, Any] = {
        "query_embedding": _query(),
        "embedder_name": EMBEDDER.name,
        "config": DEFAULT_MEMORY_CONFIG,
        "now": NOW,
    }
    arguments.update(kwargs)
    return memories_retrieve_and_boost(user_id=user_id, k=k, **arguments)


def _ids(results: list[RecalledMemory] | list[tuple[Memory, float]]) -> list[int]:
    return [result.id if isinstance(result, RecalledMemory) else result[0].pk for result in results]


def test_only_the_learners_own_memories_are_retrieved() -> None:
    mine = remember("mine")
    remember("theirs", user_id="learner-2")

    assert _ids(_retrieve()) == [mine.pk]
    assert Memory.objects.get(user_id="learner-2").retrieval_count == 0


def test_expired_memories_are_not_retrieved_nor_boosted() -> None:
    # 90-day TTL (score 0.625): stored 100 days before NOW, so expired; one expiring at NOW too.
    expired = remember("old", recurrence_count=1, stored_at=NOW - timedelta(days=100))
    on_the_dot = remember("dot", recurrence_count=1, stored_at=NOW - timedelta(days=90))
    live = remember("live", stored_at=NOW - timedelta(days=100))
    assert on_the_dot.expires_at == NOW

    assert _ids(_retrieve()) == [live.pk]
    assert Memory.objects.get(pk=expired.pk).retrieval_count == 0
    assert Memory.objects.get(pk=on_the_dot.pk).expires_at == NOW


def test_memories_of_another_embedder_are_never_compared() -> None:
    ours = remember("ours")
    other = remember("other", embedder=OtherSpaceEmbedder())

    assert _ids(_retrieve()) == [ours.pk]
    assert _ids(_retrieve(embedder_name=OtherSpaceEmbedder.name)) == [other.pk]


def test_the_optional_root_cause_filter() -> None:
    loop = remember("loop")
    slow = remember("slow", root_cause="efficiency", subtype="wrong_complexity")

    assert set(_ids(_retrieve())) == {loop.pk, slow.pk}
    assert _ids(_retrieve(root_cause="efficiency")) == [slow.pk]


def test_results_are_ordered_by_exact_cosine_similarity_and_k_is_honoured() -> None:
    memories = [
        remember("same"),
        remember("boundary", subtype="boundary_condition"),
        remember("graphs", subtype="boundary_condition", tags=("graphs", "bfs")),
        remember("slow", root_cause="efficiency", subtype="wrong_complexity", tags=("dp",)),
    ]
    query = _query()
    exact = {
        memory.pk: float(np.dot(np.asarray(memory.vector.embedding, dtype=np.float64), query))
        for memory in memories
    }
    ranked = sorted(exact, key=exact.__getitem__, reverse=True)

    everything = _retrieve(k=10)
    top_two = _retrieve(k=2)

    assert _ids(everything) == ranked
    assert [memory.similarity for memory in everything] == pytest.approx(
        [exact[pk] for pk in ranked], abs=1e-6
    )
    assert ranked[0] == memories[0].pk
    assert _ids(top_two) == ranked[:2]


def test_each_retrieval_boosts_the_retrieved_rows_exactly_once() -> None:
    retrieved = remember("near")
    left_alone = remember("far", root_cause="efficiency", subtype="wrong_complexity")
    # Diagnosing "far" was itself a retrieval for this learner (the pipeline recalls before
    # explaining) and boosted "near" once; measure from the rows as they are now.
    retrieved.refresh_from_db()
    before = retrieved.retrieval_count

    [returned] = _retrieve(k=1)

    row = Memory.objects.get(pk=retrieved.pk)
    assert row.expires_at == retrieved.expires_at + timedelta(days=30)
    assert row.quality_score == pytest.approx(retrieved.quality_score + 0.02)
    assert row.retrieval_count == before + 1
    assert row.last_retrieved_at == NOW
    # The returned object shows the row as it now is.
    assert (returned.quality_score, returned.retrieval_count) == (
        row.quality_score,
        row.retrieval_count,
    )
    untouched = Memory.objects.get(pk=left_alone.pk)
    assert (untouched.retrieval_count, untouched.last_retrieved_at) == (0, None)
    assert untouched.expires_at == left_alone.expires_at


def test_repeated_retrievals_add_up_and_quality_is_capped_at_one() -> None:
    memory = remember("near")
    assert memory.quality_score == pytest.approx(0.925)
    later = [NOW + timedelta(days=day) for day in range(5)]

    qualities = [_retrieve(now=now)[0].quality_score for now in later]

    assert qualities[:3] == pytest.approx([0.945, 0.965, 0.985])
    assert qualities[3:] == [1.0, 1.0]
    row = Memory.objects.get(pk=memory.pk)
    assert row.quality_score == 1.0
    assert row.retrieval_count == 5
    assert row.expires_at == memory.expires_at + timedelta(days=150)
    assert row.last_retrieved_at == later[-1]


def test_retrieval_and_boost_are_one_statement_found_or_not() -> None:
    for i in range(3):
        remember(f"m{i}", subtype=("off_by_one", "boundary_condition", "comparison_error")[i])

    with CaptureQueriesContext(connection) as found:
        results = _retrieve(k=5)
    with CaptureQueriesContext(connection) as empty:
        nothing = _retrieve(user_id="nobody")

    assert len(results) == 3
    assert nothing == []
    for captured in (found, empty):
        [statement] = [query["sql"] for query in captured.captured_queries]
        assert statement.startswith("WITH nearest AS (SELECT")
        assert "UPDATE memory_memory AS memory" in statement


def test_a_query_of_the_wrong_dimension_or_k_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="dimensions"):
        _retrieve(query_embedding=HashingEmbedder(8).embed("off by one"))
    with pytest.raises(ValueError, match="k must be"):
        _retrieve(k=0)


def test_global_search_finds_the_nearest_memories_of_any_learner_in_one_space() -> None:
    same = remember("same", user_id="learner-2")
    near = remember("near", subtype="boundary_condition")
    remember("far", root_cause="efficiency", subtype="wrong_complexity", tags=("dp",))
    remember("other", user_id="learner-3", embedder=OtherSpaceEmbedder())
    assert memories_index_for_search() == {"dequeued": 4, "indexed": 4}

    results = memories_search(query_embedding=_query(), embedder_name=EMBEDDER.name, k=2)

    assert _ids(results) == [same.pk, near.pk]
    query = _query()
    assert [similarity for _, similarity in results] == pytest.approx(
        [
            float(np.dot(np.asarray(m.vector.embedding, dtype=np.float64), query))
            for m in (same, near)
        ],
        abs=1e-6,
    )
    assert Memory.objects.get(pk=same.pk).retrieval_count == 0  # searching never boosts
