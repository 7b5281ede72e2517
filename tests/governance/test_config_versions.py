"""Config versions: proposals are validated, approved by a second person, and served at once."""

from __future__ import annotations

import pytest

from diagnosis.models import Diagnosis
from governance.core.lifecycle import GovernanceError
from governance.models import ConfigVersion
from governance.selectors import runtime_config_get
from governance.services import (
    config_version_propose,
    version_activate,
    version_approve,
    version_rollback,
)
from tests.conftest import submission_payload

pytestmark = pytest.mark.django_db

SUMMARY = {
    "change": "lower the HIGH tier",
    "rationale": "calibration analysis shows 0.55 is 80% accurate",
    "impact_estimate": "more HIGH decisions",
    "affected_components": ["confidence"],
}


def _approved(version: str, values: dict, author, approver) -> ConfigVersion:
    proposal = config_version_propose(
        version=version, values=values, change_summary=SUMMARY, author=author
    )
    return version_approve(version=proposal, approver=approver, reason="reviewed")


def test_proposals_with_unknown_keys_or_no_summary_are_refused(author) -> None:
    with pytest.raises(GovernanceError, match="unknown keys"):
        config_version_propose(
            version="bad", values={"confidence": {"hihg": 0.5}}, change_summary=SUMMARY
        )
    with pytest.raises(GovernanceError, match="lacks: affected_components, impact_estimate"):
        config_version_propose(
            version="bad2",
            values={},
            change_summary={"change": "x", "rationale": "y"},
        )
    assert not ConfigVersion.objects.exists()


def test_the_defaults_serve_until_a_config_is_activated(author, approver) -> None:
    _approved("cfg-1", {"confidence": {"high_threshold": 0.5}}, author, approver)

    assert runtime_config_get().version == "defaults"


def test_an_activated_config_decides_the_next_request_and_is_recorded(
    api, author, approver
) -> None:
    config = _approved(
        "cfg-high-trust",
        {"confidence": {"high_threshold": 0.5, "medium_threshold": 0.45}},
        author,
        approver,
    )
    before = api.post(
        "/api/v1/submissions/", submission_payload(external_id="before"), format="json"
    ).json()

    version_activate(version=config, activated_by=approver, reason="apply calibration finding")
    after = api.post(
        "/api/v1/submissions/", submission_payload(external_id="after"), format="json"
    ).json()

    assert runtime_config_get().section("confidence")["high_threshold"] == 0.5
    assert before["confidence"]["confidenceLevel"] == "low"
    assert after["confidence"]["confidenceLevel"] == "high"
    assert Diagnosis.objects.get(submission__external_id="before").config_version == "defaults"
    assert Diagnosis.objects.get(submission__external_id="after").config_version == "cfg-high-trust"


def test_config_rollback_restores_the_previous_version(author, approver) -> None:
    first = _approved("cfg-a", {"pattern": {"half_life_days": 10.0}}, author, approver)
    second = _approved("cfg-b", {"pattern": {"half_life_days": 20.0}}, author, approver)
    version_activate(version=first, activated_by=approver, reason="a")
    version_activate(version=second, activated_by=approver, reason="b")
    assert runtime_config_get().section("pattern")["half_life_days"] == 20.0

    version_rollback(current=second, rolled_back_by=approver, reason="b made patterns noisy")

    assert runtime_config_get().version == "cfg-a"
    assert ConfigVersion.objects.get(version="cfg-b").status == "deprecated"
