"""The read-only model registry API: who may read it, what a version shows, and comparison."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from diagnosis import services as diagnosis_services
from governance.services import version_approve
from training.core.dataset import SampleGate
from training.core.synthetic import generate
from training.core.trainer import TrainParams
from training.models import TrainingRun
from training.services import synthetic_dataset_load, training_run_create, training_run_execute

pytestmark = pytest.mark.django_db
LIST = "/api/v1/models/"
COMPARE = "/api/v1/models/compare/"
FIELDS = {
    "id",
    "version",
    "modelType",
    "status",
    "author",
    "approvedBy",
    "approvedAt",
    "createdAt",
    "featureSchemaVersion",
    "taxonomyVersion",
    "bundleSha256",
    "metrics",
}


def _session(user, *, staff: bool) -> APIClient:
    user.is_staff = staff
    user.save(update_fields=["is_staff"])
    client = APIClient()
    client.force_login(user)
    return client


def _train(author, seed: int):
    run = training_run_create(trigger=TrainingRun.Trigger.COMMAND, requested_by=author, seed=seed)
    params = TrainParams(
        num_iterations=40, subtype_num_iterations=20, cv_folds=2, num_threads=1, seed=seed
    )
    run = training_run_execute(
        run=run, params=params, sample_gate=SampleGate(min_rows=150, min_rows_per_root_cause=10)
    )
    assert run.status == "succeeded", run.log
    return run.model_version


@pytest.fixture(autouse=True)
def _fresh_engine_cache():
    diagnosis_services._model_engine.cache_clear()
    yield
    diagnosis_services._model_engine.cache_clear()


@pytest.mark.parametrize(
    "url", [LIST, f"{LIST}1/", f"{COMPARE}?a=1&b=2"], ids=["list", "detail", "compare"]
)
def test_anonymous_clients_are_refused(anon_api, url, register) -> None:
    register()

    response = anon_api.get(url)

    assert response.status_code == 401
    assert "version" not in response.content.decode()


def test_the_platform_token_lists_versions_newest_first(api, register) -> None:
    older = register("mim-old")
    newer = register("mim-new", metrics={"macro_f1": 0.9, "ece": 0.03})

    response = api.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert [row["version"] for row in body] == ["mim-new", "mim-old"]
    assert all(set(row) == FIELDS for row in body)
    assert body[0]["id"] == newer.pk and body[1]["id"] == older.pk
    assert body[0]["status"] == "candidate" and body[0]["approvedBy"] is None
    assert body[0]["metrics"] == {"macro_f1": 0.9, "ece": 0.03}
    assert body[0]["bundleSha256"] == newer.bundle_sha256 != older.bundle_sha256


def test_any_signed_in_user_may_read_but_not_write(register, approver, outsider) -> None:
    version = register()

    for client in (_session(approver, staff=True), _session(outsider, staff=False)):
        assert [row["id"] for row in client.get(LIST).json()] == [version.pk]
        assert client.get(f"{LIST}{version.pk}/").status_code == 200
        assert client.post(LIST, {}, format="json").status_code == 405
        assert client.delete(f"{LIST}{version.pk}/").status_code == 405


def test_detail_shows_status_approval_metrics_and_bundle_hash(
    api, register, author, approver
) -> None:
    version = register("mim-detail", metrics={"macro_f1": 0.81, "subtype_accuracy": 0.7})
    version_approve(version=version, approver=approver, reason="evidence reviewed")
    version.refresh_from_db()

    body = api.get(f"{LIST}{version.pk}/").json()

    assert set(body) == FIELDS
    assert body["version"] == "mim-detail"
    assert body["modelType"] == "mim"
    assert body["status"] == "approved"
    assert body["author"] == author.username
    assert body["approvedBy"] == approver.username and body["approvedAt"] is not None
    assert body["metrics"] == {"macro_f1": 0.81, "subtype_accuracy": 0.7}
    assert body["bundleSha256"] == version.bundle_sha256 and len(body["bundleSha256"]) == 64
    assert body["taxonomyVersion"] == version.taxonomy_version
    assert body["featureSchemaVersion"] == version.feature_schema_version


@pytest.mark.parametrize("pk", [987654, 2**63 + 5], ids=["unknown", "beyond-bigint"])
def test_an_unknown_id_is_404(api, register, pk) -> None:
    register()

    response = api.get(f"{LIST}{pk}/")

    assert response.status_code == 404
    assert response.json() == {"detail": f"No model version {pk}.", "code": "not_found"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "a"),
        ("?a=1", "b"),
        ("?a=one&b=2", "a"),
        ("?a=1&b=-2", "b"),
        ("?a=1&b=2.5", "b"),
        ("?a=%C2%B2&b=1", "a"),  # "²" is a digit to str.isdigit but not a number to int()
    ],
)
def test_compare_refuses_missing_or_bad_ids_with_a_field_message(api, query, field) -> None:
    response = api.get(f"{COMPARE}{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["errors"][field] == ["Pass two model version ids as ?a=&b=."]


@pytest.mark.parametrize("offset", [1000, 2**63], ids=["unknown", "beyond-bigint"])
def test_compare_with_an_unknown_version_is_404(api, register, offset) -> None:
    version = register()

    response = api.get(f"{COMPARE}?a={version.pk}&b={version.pk + offset}")

    assert response.status_code == 404
    assert response.json()["detail"] == "No model version for b."


def test_compare_reports_metric_deltas_and_mcnemar_on_a_shared_evaluation_set(api, author) -> None:
    synthetic_dataset_load(dataset=generate(learners=30, seed=11))
    a, b = _train(author, seed=42), _train(author, seed=7)

    response = api.get(f"{COMPARE}?a={a.pk}&b={b.pk}")

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["a"], body["b"]) == (a.version, b.version)
    assert set(body["metric_deltas"]) >= {"root_cause_accuracy", "root_cause_macro_f1", "ece"}
    assert "root_cause_report" not in body["metric_deltas"]
    for key, delta in body["metric_deltas"].items():
        assert delta == pytest.approx(b.metrics[key] - a.metrics[key], abs=1e-6)
    rows = body["shared_evaluation_rows"]
    mcnemar = body["mcnemar"]
    assert rows > 20 and mcnemar["n"] == rows
    assert {"b01", "b10", "statistic", "p_value"} <= set(mcnemar)
    assert 0.0 <= mcnemar["p_value"] <= 1.0
    # b01 counts rows only b got right, b10 rows only a got right.
    assert body["accuracy_b"] - body["accuracy_a"] == pytest.approx(
        (mcnemar["b01"] - mcnemar["b10"]) / rows, abs=1e-5
    )

    same = api.get(f"{COMPARE}?a={a.pk}&b={a.pk}").json()
    assert set(same["metric_deltas"].values()) == {0.0}
    assert same["accuracy_a"] == same["accuracy_b"] == body["accuracy_a"]
    assert (same["mcnemar"]["b01"], same["mcnemar"]["b10"], same["mcnemar"]["p_value"]) == (
        0,
        0,
        1.0,
    )


def test_compare_refuses_a_tampered_bundle_with_a_message(api, author) -> None:
    synthetic_dataset_load(dataset=generate(learners=30, seed=11))
    good = _train(author, seed=42)
    tampered = _train(author, seed=7)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE governance_modelartifact SET content = content || ' ' "
            "WHERE model_version_id = %s AND name = 'calibrator.json'",
            [tampered.pk],
        )

    response = api.get(f"{COMPARE}?a={good.pk}&b={tampered.pk}")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "integrity_error"
    assert "SHA-256 mismatch for artifact 'calibrator.json'" in body["detail"]
    # The untouched version still compares.
    assert api.get(f"{COMPARE}?a={good.pk}&b={good.pk}").status_code == 200
