"""Health probes and the OpenAPI schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient


def test_healthz_needs_no_database(anon_api: APIClient) -> None:
    response = anon_api.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database(anon_api: APIClient) -> None:
    response = anon_api.get("/readyz")

    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_schema_documents_the_submission_contract(anon_api: APIClient) -> None:
    response = anon_api.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/submissions/" in schema["paths"]
    assert "/api/v1/learners/{user_id}/patterns/" in schema["paths"]
    contract = schema["components"]["schemas"]["SubmissionContract"]
    assert {"diagnosis", "confidence", "pattern", "difficulty", "rag"} <= set(
        contract["properties"]
    )


@pytest.mark.django_db
def test_docs_page_is_served(anon_api: APIClient) -> None:
    assert anon_api.get("/api/docs/").status_code == 200
