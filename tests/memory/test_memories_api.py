"""GET /api/v1/learners/{user_id}/memories/: the learner's own memories, newest first, paged."""

from __future__ import annotations

import pytest

from memory.core.quality import COMPONENTS
from memory.models import Memory
from tests.conftest import submission_payload

pytestmark = pytest.mark.django_db


def _diagnose(api, n: int, *, user_id: str) -> None:
    for hour in range(10, 10 + n):
        response = api.post(
            "/api/v1/submissions/",
            submission_payload(
                external_id=f"{user_id}-{hour}",
                user_id=user_id,
                submitted_at=f"2026-11-20T{hour}:00:00Z",
            ),
            format="json",
        )
        assert response.status_code == 201


def test_lists_only_the_learners_memories_newest_first_in_pages(api) -> None:
    _diagnose(api, 4, user_id="learner-1")
    _diagnose(api, 2, user_id="learner-2")
    mine = list(Memory.objects.filter(user_id="learner-1").order_by("-created_at", "-id"))
    assert len(mine) >= 2

    first = api.get("/api/v1/learners/learner-1/memories/?limit=1").json()
    second = api.get("/api/v1/learners/learner-1/memories/?limit=1&offset=1").json()

    assert first["count"] == len(mine)
    assert [first["results"][0]["id"], second["results"][0]["id"]] == [m.pk for m in mine[:2]]
    item = first["results"][0]
    assert item["summary"] == mine[0].summary
    assert set(item["qualityComponents"]) == set(COMPONENTS)
    assert "embedding" not in item
    everything = api.get("/api/v1/learners/learner-1/memories/").json()["results"]
    assert {m["id"] for m in everything} == {m.pk for m in mine}


def test_an_unknown_learner_has_no_memories_and_anonymous_clients_none_at_all(
    api, anon_api
) -> None:
    assert api.get("/api/v1/learners/nobody/memories/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert anon_api.get("/api/v1/learners/nobody/memories/").status_code == 401
