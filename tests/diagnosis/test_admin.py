"""The admin: submissions with filters, reviewers' labels (taxonomy-validated), state history."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from diagnosis.models import Diagnosis, PatternState
from tests.conftest import submission_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(api) -> Client:
    api.post("/api/v1/submissions/", submission_payload(), format="json")
    user = get_user_model().objects.create_superuser("reviewer", "", "pw-reviewer-1")
    client = Client()
    client.force_login(user)
    return client


def test_submission_list_filters_by_verdict_root_cause_and_engine(staff: Client) -> None:
    url = "/admin/diagnosis/submission/"

    assert "sub-1" in staff.get(url).content.decode()
    filtered = staff.get(
        url,
        {
            "verdict": "wrong_answer",
            "diagnosis__root_cause": "correctness",
            "diagnosis__engine": "rules",
        },
    )
    assert "sub-1" in filtered.content.decode()
    excluded = staff.get(url, {"verdict": "accepted"})
    assert "sub-1" not in excluded.content.decode()


def test_reviewer_label_outside_the_taxonomy_is_rejected(staff: Client) -> None:
    diagnosis = Diagnosis.objects.get()

    response = staff.post(
        f"/admin/diagnosis/diagnosis/{diagnosis.pk}/change/",
        {"verified_root_cause": "efficiency", "verified_subtype": "off_by_one"},
    )

    assert response.status_code == 200
    assert "does not belong" in response.content.decode()
    diagnosis.refresh_from_db()
    assert diagnosis.verified_root_cause is None


def test_reviewer_label_is_saved_with_who_and_when(staff: Client) -> None:
    diagnosis = Diagnosis.objects.get()

    response = staff.post(
        f"/admin/diagnosis/diagnosis/{diagnosis.pk}/change/",
        {"verified_root_cause": "correctness", "verified_subtype": "boundary_condition"},
    )

    assert response.status_code == 302
    diagnosis.refresh_from_db()
    assert diagnosis.verified_subtype == "boundary_condition"
    assert diagnosis.verified_by.username == "reviewer"
    assert diagnosis.verified_at is not None


def test_pattern_state_history_page_shows_changes(staff: Client) -> None:
    pattern = PatternState.objects.get()

    response = staff.get(f"/admin/diagnosis/patternstate/{pattern.pk}/history/")

    assert response.status_code == 200
    assert "off_by_one" in response.content.decode()
