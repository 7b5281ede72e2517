"""Governance fixtures: register a candidate model version."""

from __future__ import annotations

import pytest

from diagnosis.core.features import load_feature_schema
from diagnosis.core.taxonomy import TAXONOMY_VERSION
from governance.models import ModelVersion
from governance.services import model_version_register


@pytest.fixture
def register(author):
    def _register(version: str = "mim-test-1", **overrides) -> ModelVersion:
        schema = load_feature_schema()
        fields = {
            "version": version,
            "artifacts": {"root_cause.txt": f"tree for {version}", "calibrator.json": "{}"},
            "feature_schema_version": schema.version,
            "feature_schema_sha256": schema.sha256,
            "taxonomy_version": TAXONOMY_VERSION,
            "metrics": {"macro_f1": 0.82},
            "author": author,
        }
        fields.update(overrides)
        return model_version_register(**fields)

    return _register
