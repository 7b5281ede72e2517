"""The training runs API: only staff start a run; it is queued, then a real worker executes it."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from training.models import TrainingRun
from training.services import DEFAULT_SAMPLE_GATE

URL = "/api/v1/training-runs/"
FIELDS = {
    "id",
    "status",
    "trigger",
    "seed",
    "created_at",
    "started_at",
    "finished_at",
    "timings",
    "dataset",
    "metrics",
    "blockedReason",
    "modelVersion",
}


@pytest.fixture
def staff_api(author) -> APIClient:
    author.is_staff = True
    author.save(update_fields=["is_staff"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=author).key}")
    return client


@pytest.mark.django_db
def test_anonymous_clients_may_not_start_or_read_runs(anon_api) -> None:
    run = TrainingRun.objects.create(trigger=TrainingRun.Trigger.COMMAND)

    assert anon_api.post(URL, {"seed": 1}, format="json").status_code == 401
    assert anon_api.get(f"{URL}{run.pk}/").status_code == 401
    assert TrainingRun.objects.count() == 1


@pytest.mark.django_db
def test_non_staff_clients_are_forbidden(api, outsider) -> None:
    run = TrainingRun.objects.create(trigger=TrainingRun.Trigger.COMMAND)
    session = APIClient()
    session.force_login(outsider)

    for client in (api, session):
        refused = client.post(URL, {"seed": 1}, format="json")
        assert refused.status_code == 403
        assert refused.json()["detail"] == "You do not have permission to perform this action."
        assert client.get(f"{URL}{run.pk}/").status_code == 403
    assert TrainingRun.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"seed": -1}, "Ensure this value is greater than or equal to 0."),
        ({"seed": "forty-two"}, "A valid integer is required."),
        ({"seed": None}, "This field may not be null."),
    ],
)
def test_bad_input_is_refused_with_field_errors(staff_api, payload, message) -> None:
    response = staff_api.post(URL, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {"seed": [message]}
    assert not TrainingRun.objects.exists()


@pytest.mark.django_db
def test_staff_queue_a_run_and_read_it_back(staff_api, author) -> None:
    response = staff_api.post(URL, {"seed": 7}, format="json")

    assert response.status_code == 202
    body = response.json()
    assert set(body) == FIELDS
    assert (body["status"], body["trigger"], body["seed"]) == ("queued", "api", 7)
    assert body["started_at"] is None and body["modelVersion"] is None
    run = TrainingRun.objects.get()
    assert run.pk == body["id"] and run.requested_by == author
    assert run.status == TrainingRun.Status.QUEUED

    detail = staff_api.get(f"{URL}{run.pk}/")
    assert detail.status_code == 200
    assert detail.json() == body


@pytest.mark.django_db
def test_the_seed_defaults_to_42(staff_api) -> None:
    body = staff_api.post(URL, {}, format="json").json()

    assert body["seed"] == 42 and TrainingRun.objects.get().seed == 42


@pytest.mark.django_db
def test_an_unknown_run_is_404(staff_api) -> None:
    response = staff_api.get(f"{URL}424242/")

    assert response.status_code == 404
    assert response.json() == {"detail": "No training run 424242.", "code": "not_found"}


@pytest.mark.worker
def test_a_real_worker_runs_the_queued_run_and_blocks_it_without_labels(
    celery_worker_process, wait_for, staff_api
) -> None:
    run_id = staff_api.post(URL, {"seed": 3}, format="json").json()["id"]

    wait_for(
        lambda: TrainingRun.objects.get(pk=run_id).finished_at is not None,
        timeout=90,
        what="the worker to finish the training run",
        log=celery_worker_process,
    )

    body = staff_api.get(f"{URL}{run_id}/").json()
    assert body["status"] == "blocked"
    assert body["blockedReason"].startswith("Not enough verified labels to train: 0 labelled rows")
    need = DEFAULT_SAMPLE_GATE.min_rows
    assert f"need {need} ({need} missing)" in body["blockedReason"]
    assert body["started_at"] is not None and body["modelVersion"] is None
    assert "dataset" in body["timings"]
    run = TrainingRun.objects.get(pk=run_id)
    assert "blocked: Not enough verified labels" in run.log
    assert "training.train" in celery_worker_process.read_text()
