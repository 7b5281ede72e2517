"""Learner erasure: nothing of the learner is left in any table, others are untouched, and only
staff or the platform's erase permission may ask for it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from diagnosis.accounts import service_account_token_ensure
from diagnosis.learner_services import learner_erase
from diagnosis.models import (
    Diagnosis,
    DifficultyAdjustment,
    LearnerErasure,
    LearnerProfile,
    PatternState,
    Submission,
)
from diagnosis.services import SubmissionInput, submission_process
from memory.models import Memory, MemorySearchPending, MemorySearchVector, MemoryVector
from memory.services import memories_index_for_search
from tests.conftest import at, submission_payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/submissions/"
LEARNER = "erase-me-learner"
MARKER = "secret_marker_identifier_91"
OTHER = "keep-me-learner"
OTHER_MARKER = "kept_marker_identifier_17"
ZERO_COUNTS = {
    "memories": 0,
    "memory_rejections": 0,
    "pattern_states": 0,
    "difficulty_states": 0,
    "pattern_state_history": 0,
    "difficulty_state_history": 0,
    "difficulty_adjustments": 0,
    "learner_profiles": 0,
    "diagnoses_scrubbed": 0,
    "diagnosis_history_scrubbed": 0,
    "submissions_scrubbed": 0,
    "admin_log_entries_scrubbed": 0,
}


@pytest.fixture(autouse=True)
def _memory_in_diagnosis(settings) -> None:
    """Erasure must find the memories the diagnosis path stores, whatever the environment says."""
    settings.MIM_MEMORY_IN_DIAGNOSIS = True


def _code(marker: str, attempt: int) -> str:
    """An off-by-one loop over a parameter named `marker`: the explanation quotes that line."""
    return (
        f"def solve({marker}):\n"
        "    total = 0\n"
        f"    for i in range(len({marker}) - 1):\n"
        f"        total += {marker}[i]\n"
        f"    return total  # attempt {attempt}\n"
    )


def _history(api: APIClient, *, user_id: str, marker: str) -> list[str]:
    """Three accepted warm-ups (the level goes up), then four failed attempts with the marker
    in the code (a pattern, memories, the increase rolled back); the external ids."""
    external_ids = []
    for n in range(7):
        failed = n >= 3
        external_id = f"{user_id}-sub-{n}"
        payload = submission_payload(
            external_id=external_id,
            user_id=user_id,
            problem_id="prob-sum" if failed else f"prob-warmup-{n}",
            code=_code(marker, n) if failed else "def f(a):\n    return sum(a)\n",
            verdict="wrong_answer" if failed else "accepted",
            submitted_at=f"2026-11-20T{10 + n:02d}:00:00Z",
        )
        response = api.post(URL, payload, format="json")
        assert response.status_code == 201, response.content
        external_ids.append(external_id)
    return external_ids


def _tables_containing(needle: str) -> dict[str, int]:
    """Every table of the database, each whole row as text (so every column of every type):
    the tables where `needle` occurs, with how many rows hold it."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(
                f"SELECT count(*) FROM {connection.ops.quote_name(table)} AS t "  # noqa: S608
                "WHERE strpos(t::text, %s) > 0",
                [needle],
            )
            (rows,) = cursor.fetchone()
            if rows:
                found[table] = rows
    return found


def _client_with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def eraser_api() -> APIClient:
    """The platform's service account (the `api` fixture's) with the erase permission."""
    return _client_with_token(service_account_token_ensure(username="platform", can_erase=True))


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("admin-erasure", "", "pw-admin-1")


@pytest.fixture
def admin_client(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def _admin_touches(admin_client: Client, *, external_id: str) -> None:
    """What a reviewer leaves in the admin log: a change of a submission (logged under its
    external id) and the deletion of a difficulty adjustment (logged under the learner id)."""
    submission = Submission.objects.get(external_id=external_id)
    response = admin_client.post(
        f"/admin/diagnosis/submission/{submission.pk}/change/",
        {
            "diagnosis-TOTAL_FORMS": "0",
            "diagnosis-INITIAL_FORMS": "0",
            "diagnosis-MIN_NUM_FORMS": "0",
            "diagnosis-MAX_NUM_FORMS": "1",
        },
    )
    assert response.status_code == 302, response.content
    adjustment = DifficultyAdjustment.objects.filter(user_id=LEARNER).first()
    response = admin_client.post(
        f"/admin/diagnosis/difficultyadjustment/{adjustment.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302, response.content


def test_erasure_leaves_nothing_of_the_learner_in_any_table(
    api: APIClient, eraser_api: APIClient, admin_client: Client
) -> None:
    external_ids = _history(api, user_id=LEARNER, marker=MARKER)
    _history(api, user_id=OTHER, marker=OTHER_MARKER)
    labeller = _client_with_token(service_account_token_ensure(username="lab", can_label=True))
    label = {"root_cause": "correctness", "subtype": "boundary_condition"}
    for external_id in (external_ids[-1], f"{OTHER}-sub-6"):
        response = labeller.post(f"{URL}{external_id}/label/", label, format="json")
        assert response.status_code == 200, response.content
    _admin_touches(admin_client, external_id=external_ids[0])
    held = _tables_containing(LEARNER)
    # The check below can only pass for the right reason if the learner was everywhere first.
    assert {
        "diagnosis_submission",
        "diagnosis_learnerprofile",
        "diagnosis_patternstate",
        "diagnosis_historicalpatternstate",
        "diagnosis_difficultystate",
        "diagnosis_historicaldifficultystate",
        "diagnosis_difficultyadjustment",
        "memory_memory",
        "django_admin_log",
    } <= set(held)
    # The code, and what quotes it: explanations and hints, their history, memory summaries.
    assert {
        "diagnosis_submission",
        "diagnosis_diagnosis",
        "diagnosis_historicaldiagnosis",
        "memory_memory",
    } <= set(_tables_containing(MARKER))
    assert "django_admin_log" in _tables_containing(external_ids[0])
    other_before = _tables_containing(OTHER)
    other_marker_before = _tables_containing(OTHER_MARKER)
    # Vectors hold no text to scan for: check by the memories' ids, queued and indexed alike.
    memory_ids = list(Memory.objects.filter(user_id=LEARNER).values_list("id", flat=True))
    memories_index_for_search(batch_size=1)
    MemorySearchPending.objects.create(memory_id=memory_ids[0])  # one still queued
    for model in (MemoryVector, MemorySearchVector):
        assert model.objects.filter(memory_id__in=memory_ids).count() == len(memory_ids)
    training_rows = list(
        Diagnosis.objects.filter(submission__user_id=LEARNER)
        .order_by("id")
        .values_list("id", "root_cause", "subtype", "feature_vector", "verified_subtype")
    )

    response = eraser_api.delete(f"/api/v1/learners/{LEARNER}/")

    assert response.status_code == 200, response.content
    counts = response.json()["counts"]
    assert counts["submissions_scrubbed"] == 7
    assert counts["diagnoses_scrubbed"] == 4
    assert counts["diagnosis_history_scrubbed"] >= 1
    assert counts["memories"] + counts["memory_rejections"] == 4
    assert counts["learner_profiles"] == counts["difficulty_states"] == 1
    assert counts["pattern_states"] >= 1
    assert counts["difficulty_adjustments"] >= 1
    assert counts["admin_log_entries_scrubbed"] == 2
    for needle in (LEARNER, MARKER, *external_ids):
        assert _tables_containing(needle) == {}, needle
    for model in (MemoryVector, MemorySearchVector, MemorySearchPending):
        assert not model.objects.filter(memory_id__in=memory_ids).exists(), model
    # The other learner is untouched, row for row.
    assert _tables_containing(OTHER) == other_before
    assert _tables_containing(OTHER_MARKER) == other_marker_before
    assert PatternState.objects.filter(user_id=OTHER).exists()
    assert Submission.objects.filter(user_id=OTHER, code__contains=OTHER_MARKER).count() == 4
    # Training data stays: the same diagnoses, labels and feature vectors, under one pseudonym.
    diagnosis_ids = [row[0] for row in training_rows]
    kept = Diagnosis.objects.filter(id__in=diagnosis_ids).order_by("id")
    assert (
        list(kept.values_list("id", "root_cause", "subtype", "feature_vector", "verified_subtype"))
        == training_rows
    )
    assert set(kept.values_list("explanation", "hint")) == {("", "")}
    pseudonyms = set(kept.values_list("submission__user_id", flat=True))
    assert len(pseudonyms) == 1
    assert pseudonyms.pop().startswith("erased-")


def test_the_audit_record_says_who_when_and_how_many_but_not_whom(
    api: APIClient, eraser_api: APIClient
) -> None:
    external_ids = _history(api, user_id=LEARNER, marker=MARKER)

    body = eraser_api.delete(f"/api/v1/learners/{LEARNER}/").json()

    erasure = LearnerErasure.objects.get()
    assert body == {
        "erasureId": erasure.pk,
        "erasedAt": body["erasedAt"],
        "counts": erasure.counts,
    }
    assert set(body["counts"]) == set(ZERO_COUNTS)
    assert erasure.requested_by.username == "platform"
    assert erasure.created_at is not None
    record = str(LearnerErasure.objects.filter(pk=erasure.pk).values().get())
    assert LEARNER not in record
    assert not any(external_id in record for external_id in external_ids)


def test_a_second_erasure_and_an_unknown_learner_succeed_with_zero_counts(
    api: APIClient, eraser_api: APIClient
) -> None:
    _history(api, user_id=LEARNER, marker=MARKER)
    eraser_api.delete(f"/api/v1/learners/{LEARNER}/")

    again = eraser_api.delete(f"/api/v1/learners/{LEARNER}/")
    unknown = eraser_api.delete("/api/v1/learners/nobody-at-all/")

    assert again.status_code == unknown.status_code == 200
    assert again.json()["counts"] == unknown.json()["counts"] == ZERO_COUNTS
    assert LearnerErasure.objects.count() == 3


def test_the_learner_starts_afresh_and_an_erased_external_id_is_a_new_submission(
    api: APIClient, eraser_api: APIClient
) -> None:
    external_ids = _history(api, user_id=LEARNER, marker=MARKER)
    eraser_api.delete(f"/api/v1/learners/{LEARNER}/")

    response = api.post(
        URL,
        submission_payload(external_id=external_ids[-1], user_id=LEARNER, problem_id="prob-sum"),
        format="json",
    )

    assert response.status_code == 201
    assert Submission.objects.filter(user_id=LEARNER).get().attempt_number == 1
    assert LearnerProfile.objects.get(user_id=LEARNER).total_submissions == 1
    assert api.get(f"/api/v1/learners/{LEARNER}/difficulty/").json()["level"] == 3


def test_a_submission_of_the_learner_waits_for_an_erasure_in_progress(superuser) -> None:
    """The erasure holds the learner's lock until it commits: a submission of the same learner
    (here with a lock timeout, so it gives up instead of waiting) cannot get in between."""
    outcome: dict[str, Any] = {}

    def submit() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '200ms'")
            submission_process(
                data=SubmissionInput(
                    external_id="during-erasure",
                    user_id=LEARNER,
                    problem_id="prob-sum",
                    language="python",
                    code=_code(MARKER, 1),
                    verdict="wrong_answer",
                    submitted_at=at(20),
                )
            )
        except BaseException as exc:  # reported to the test below
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        learner_erase(user_id=LEARNER, requested_by=superuser)
        thread = threading.Thread(target=submit)
        thread.start()
        thread.join(timeout=60)

    assert isinstance(outcome.get("error"), OperationalError)
    assert "lock timeout" in str(outcome["error"])


def test_erasure_needs_staff_or_the_erase_permission(
    anon_api: APIClient, eraser_api: APIClient, outsider
) -> None:
    path = f"/api/v1/learners/{LEARNER}/"
    plain_api = _client_with_token(service_account_token_ensure(username="other-service"))
    staff = get_user_model().objects.create_user("staff-member", password="pw-staff-1")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff_api = APIClient()
    staff_api.force_login(staff)
    outsider_api = APIClient()
    outsider_api.force_login(outsider)

    assert anon_api.delete(path).status_code == 401
    assert plain_api.delete(path).status_code == 403  # a service token without the permission
    assert outsider_api.delete(path).status_code == 403
    assert LearnerErasure.objects.count() == 0
    assert staff_api.delete(path).status_code == 200
    assert eraser_api.delete(path).status_code == 200
    assert list(
        LearnerErasure.objects.order_by("id").values_list("requested_by__username", flat=True)
    ) == ["staff-member", "platform"]


def test_erasures_are_read_only_in_the_admin(
    admin_client: Client, eraser_api: APIClient, superuser
) -> None:
    eraser_api.delete(f"/api/v1/learners/{LEARNER}/")
    erasure = LearnerErasure.objects.get()
    base = "/admin/diagnosis/learnererasure/"

    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}{erasure.pk}/change/").status_code == 200
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{erasure.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LearnerErasure.objects.filter(pk=erasure.pk).exists()
    assert not LogEntry.objects.exists()


def test_submissions_cannot_be_deleted_in_the_admin(api: APIClient, admin_client: Client) -> None:
    """A deleted submission would leave its external id in the admin log, where erasure can no
    longer tell whose it was; a learner's data leaves through erasure only."""
    api.post(URL, submission_payload(), format="json")
    submission = Submission.objects.get()

    response = admin_client.post(
        f"/admin/diagnosis/submission/{submission.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert Submission.objects.filter(pk=submission.pk).exists()


def test_the_schema_documents_the_erasure(anon_api: APIClient) -> None:
    schema = anon_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/learners/{user_id}/"]["delete"]
    assert "200" in operation["responses"]
    erasure = schema["components"]["schemas"]["LearnerErasure"]
    assert set(erasure["properties"]) == {"erasureId", "erasedAt", "counts"}
