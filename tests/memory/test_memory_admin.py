"""The memory admin: reviewers see quality components, expiry, retrievals and rejection reasons."""

from __future__ import annotations

import pytest
from django.test import Client

from memory.models import Memory, MemoryRejection
from tests.conftest import at, submission_payload
from tests.memory.test_memory_expiry import _remember

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model) -> Client:
    user = django_user_model.objects.create_superuser("curator", password="pw-curator-1")
    client = Client()
    client.force_login(user)
    return client


def test_memory_pages_show_quality_expiry_and_reasons(api, staff) -> None:
    for hour in (10, 11, 12):
        api.post(
            "/api/v1/submissions/",
            submission_payload(external_id=f"a-{hour}", submitted_at=f"2026-11-20T{hour}:00:00Z"),
            format="json",
        )
    memory = Memory.objects.order_by("id").first()
    assert memory is not None

    listing = staff.get("/admin/memory/memory/")
    detail = staff.get(f"/admin/memory/memory/{memory.pk}/change/")

    assert listing.status_code == detail.status_code == 200
    assert memory.user_id in listing.content.decode()
    page = detail.content.decode()
    assert "completeness" in page and "retrieval count" in page.lower()
    assert staff.get("/admin/memory/memory/add/").status_code == 403


def test_rejection_pages_show_the_logged_reason(staff) -> None:
    rejection = MemoryRejection.objects.get(
        pk=_remember("weak", stored_at=at(19), confidence=0.0)  # scores below 0.6
    )

    page = staff.get(f"/admin/memory/memoryrejection/{rejection.pk}/change/").content.decode()

    assert "below store threshold" in rejection.reason
    assert "weakest: confidence" in page
