"""POST /api/v1/memories/search/: staff find the memories nearest to a text, without boosting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from memory.models import Memory
from memory.services import memories_index_for_search
from tests.memory.conftest import EMBEDDER, remember

pytestmark = pytest.mark.django_db

URL = "/api/v1/memories/search/"


@pytest.fixture
def staff_api(author) -> APIClient:
    author.is_staff = True
    author.save(update_fields=["is_staff"])
    client = APIClient()
    client.force_authenticate(author)
    return client


@pytest.fixture
def memories() -> dict[str, Memory]:
    """Three learners' memories stored yesterday (the API searches at the real clock), one of
    them already expired."""
    yesterday = timezone.now() - timedelta(days=1)
    found = {
        "mine_off_by_one": remember("m-1", stored_at=yesterday),
        "mine_recursion": remember(
            "m-2",
            root_cause="efficiency",
            subtype="missing_memoization",
            tags=("recursion", "dp"),
            signals=("recursive_call_no_memo",),
            stored_at=yesterday,
        ),
        "theirs_off_by_one": remember("t-1", user_id="learner-2", stored_at=yesterday),
        "expired": remember("x-1", user_id="learner-3", stored_at=yesterday),
    }
    Memory.objects.filter(pk=found["expired"].pk).update(expires_at=yesterday)
    memories_index_for_search()
    return found


def _hits(response) -> list[tuple[int, float]]:
    assert response.status_code == 200, response.content
    return [(hit["id"], hit["similarity"]) for hit in response.json()["results"]]


def test_global_search_ranks_every_learners_unexpired_memories_by_similarity(
    staff_api, memories
) -> None:
    response = staff_api.post(URL, {"query": "off by one loop arrays", "k": 10}, format="json")

    hits = _hits(response)
    body = response.json()
    assert body["embedder"] == EMBEDDER.name
    assert body["exact"] is False
    ids = [memory_id for memory_id, _ in hits]
    # Both off-by-one memories (two learners) outrank the recursion one; the expired one is out.
    assert set(ids[:2]) == {memories["mine_off_by_one"].pk, memories["theirs_off_by_one"].pk}
    assert ids[2:] == [memories["mine_recursion"].pk]
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    first = body["results"][0]
    assert first["userId"] in {"learner-1", "learner-2"}
    assert first["rootCause"] == "correctness"
    assert "embedding" not in first


def test_a_learners_search_is_exact_filtered_and_boosts_nothing(staff_api, memories) -> None:
    before = {m.pk: (m.retrieval_count, m.expires_at) for m in Memory.objects.all()}

    everything = staff_api.post(
        URL, {"query": "off by one", "userId": "learner-1", "k": 5}, format="json"
    )
    recursion = staff_api.post(
        URL,
        {"query": "off by one", "userId": "learner-1", "rootCause": "efficiency"},
        format="json",
    )

    assert everything.json()["exact"] is True
    assert [memory_id for memory_id, _ in _hits(everything)] == [
        memories["mine_off_by_one"].pk,
        memories["mine_recursion"].pk,
    ]
    assert [memory_id for memory_id, _ in _hits(recursion)] == [memories["mine_recursion"].pk]
    # The hit is the memory as stored, field for field (JSON decoded, times in UTC).
    hit = everything.json()["results"][0]
    stored = Memory.objects.get(pk=hit["id"])
    assert hit["qualityComponents"] == stored.quality_components
    assert set(hit["qualityComponents"]) == {"confidence", "recurrence", "completeness", "feedback"}
    assert (hit["problemTags"], hit["summary"]) == (stored.problem_tags, stored.summary)
    assert hit["expiresAt"] == stored.expires_at.isoformat().replace("+00:00", "Z")
    after = {m.pk: (m.retrieval_count, m.expires_at) for m in Memory.objects.all()}
    assert after == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "query"),
        ({"query": ""}, "query"),
        ({"query": "x" * 2001}, "query"),
        ({"query": "loop", "k": 0}, "k"),
        ({"query": "loop", "k": 51}, "k"),
        ({"query": "loop", "rootCause": "bad_luck"}, "rootCause"),
        ({"query": "loop", "efSearch": 1001}, "efSearch"),
    ],
)
def test_bad_input_is_refused_with_field_errors(staff_api, payload, field) -> None:
    response = staff_api.post(URL, payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_only_staff_may_search(api, anon_api) -> None:
    assert api.post(URL, {"query": "loop"}, format="json").status_code == 403
    assert anon_api.post(URL, {"query": "loop"}, format="json").status_code == 401
