"""People for governance tests: an author, an approver (in the seeded group), an outsider."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from diagnosis.core.features import load_feature_schema
from diagnosis.core.taxonomy import TAXONOMY_VERSION
from governance.models import ModelVersion
from governance.services import APPROVER_GROUP, model_version_register


@pytest.fixture
def author(db):
    return get_user_model().objects.create_user("ml-engineer", password="pw-author-1")


@pytest.fixture
def approver(db):
    user = get_user_model().objects.create_user("reviewer", password="pw-reviewer-1")
    user.groups.add(Group.objects.get(name=APPROVER_GROUP))
    return user


@pytest.fixture
def second_approver(db):
    user = get_user_model().objects.create_user("reviewer-2", password="pw-reviewer-2")
    user.groups.add(Group.objects.get(name=APPROVER_GROUP))
    return user


@pytest.fixture
def outsider(db):
    return get_user_model().objects.create_user("someone", password="pw-someone-1")


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
