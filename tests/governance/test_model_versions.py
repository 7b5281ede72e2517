"""Model versions: register → four-eyes approval → activation → rollback, with the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, transaction
from django.utils import timezone

from governance.core.lifecycle import GovernanceError
from governance.models import ActivationLog, Approval, ModelVersion
from governance.selectors import model_version_active, version_active_at
from governance.services import (
    bundle_sha256,
    sha256_text,
    version_activate,
    version_approve,
    version_evidence_sha256,
    version_reject,
    version_rollback,
)

pytestmark = pytest.mark.django_db


def test_register_stores_a_candidate_with_artifact_hashes(register) -> None:
    version = register()

    assert version.status == "candidate"
    hashes = {a.name: a.sha256 for a in version.artifacts.all()}
    assert hashes == {
        "calibrator.json": sha256_text("{}"),
        "root_cause.txt": sha256_text("tree for mim-test-1"),
    }
    assert version.bundle_sha256 == bundle_sha256(hashes)


def test_the_author_may_not_approve_their_own_version(register, author) -> None:
    version = register()
    author.user_permissions.add(*Permission.objects.filter(codename="approve_modelversion"))

    with pytest.raises(GovernanceError, match="Four-eyes"):
        version_approve(version=version, approver=author, reason="looks good")
    assert ModelVersion.objects.get(pk=version.pk).status == "candidate"


def test_approval_needs_the_permission(register, outsider) -> None:
    with pytest.raises(GovernanceError, match="permission"):
        version_approve(version=register(), approver=outsider, reason="looks good")


def test_the_database_refuses_self_approval_and_unapproved_activation(register, author) -> None:
    version = register()

    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.filter(pk=version.pk).update(status="approved", approved_by=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.filter(pk=version.pk).update(status="active")


def test_approval_is_recorded_with_reason_and_evidence(register, approver) -> None:
    version = version_approve(version=register(), approver=approver, reason="F1 above bar")

    assert version.status == "approved"
    assert version.approved_by == approver
    approval = Approval.objects.get(model_version=version)
    assert (approval.decision, approval.reason) == ("approved", "F1 above bar")
    assert approval.evidence_sha256 == version_evidence_sha256(version)
    assert [h.status for h in version.history.order_by("history_date")] == [
        "candidate",
        "approved",
    ]


def test_reject_needs_a_reason_and_a_rejected_version_cannot_be_activated(
    register, approver
) -> None:
    version = register()
    with pytest.raises(GovernanceError, match="reason"):
        version_reject(version=version, rejected_by=approver, reason="  ")

    version = version_reject(version=version, rejected_by=approver, reason="calibration off")

    assert version.status == "rejected"
    with pytest.raises(GovernanceError, match="Activation refused"):
        version_activate(version=version, activated_by=approver, reason="try")


def test_activation_without_approval_is_refused(register, approver) -> None:
    with pytest.raises(GovernanceError, match="Activation refused"):
        version_activate(version=register(), activated_by=approver, reason="ship it")
    assert model_version_active() is None


def test_activation_with_an_incompatible_schema_is_refused(register, approver) -> None:
    version = register(feature_schema_sha256="0" * 64)
    version_approve(version=version, approver=approver, reason="ok")

    with pytest.raises(GovernanceError, match="Incompatible feature schema"):
        version_activate(version=version, activated_by=approver, reason="ship it")
    assert ModelVersion.objects.get(pk=version.pk).status == "approved"


def test_activation_with_another_taxonomy_is_refused(register, approver) -> None:
    version = register(taxonomy_version="mim-taxonomy-v0")
    version_approve(version=version, approver=approver, reason="ok")

    with pytest.raises(GovernanceError, match="Incompatible taxonomy"):
        version_activate(version=version, activated_by=approver, reason="ship it")


def test_activate_then_roll_back_with_the_log_answering_who_when_why(
    register, approver, second_approver
) -> None:
    first = version_approve(version=register("v1"), approver=approver, reason="ok")
    second = version_approve(version=register("v2"), approver=approver, reason="better")
    version_activate(version=first, activated_by=approver, reason="first model")
    before_second = timezone.now()
    version_activate(version=second, activated_by=second_approver, reason="new model")

    assert model_version_active().version == "v2"
    assert ModelVersion.objects.get(pk=first.pk).status == "retired"

    with pytest.raises(GovernanceError, match="reason"):
        version_rollback(current=second, rolled_back_by=approver, reason="")
    restored = version_rollback(current=second, rolled_back_by=approver, reason="accuracy drop")

    assert restored.version == "v1"
    assert model_version_active().version == "v1"
    assert ModelVersion.objects.get(pk=second.pk).status == "retired"
    log = list(ActivationLog.objects.order_by("at", "id"))
    assert [
        (e.action, e.model_version.version, e.performed_by.username, e.reason) for e in log
    ] == [
        ("activate", "v1", "reviewer", "first model"),
        ("activate", "v2", "reviewer-2", "new model"),
        ("rollback", "v1", "reviewer", "accuracy drop"),
    ]
    assert log[2].previous_model_version.version == "v2"
    assert version_active_at(kind="model:mim", at=before_second).version == "v1"
    assert version_active_at(kind="model:mim", at=log[1].at).version == "v2"
    assert version_active_at(kind="model:mim", at=log[0].at - timedelta(seconds=1)) is None


def test_rollback_without_a_previous_version_is_refused(register, approver) -> None:
    only = version_approve(version=register(), approver=approver, reason="ok")
    version_activate(version=only, activated_by=approver, reason="first")

    with pytest.raises(GovernanceError, match="no previous active version"):
        version_rollback(current=only, rolled_back_by=approver, reason="why not")


def test_the_database_allows_one_active_version_per_type(register, approver) -> None:
    first = version_approve(version=register("v1"), approver=approver, reason="ok")
    second = version_approve(version=register("v2"), approver=approver, reason="ok")
    version_activate(version=first, activated_by=approver, reason="go")

    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersion.objects.filter(pk=second.pk).update(status="active")


def test_automation_never_decides(register) -> None:
    class System:
        pk = None

        def has_perm(self, perm: str) -> bool:
            return True

    with pytest.raises(GovernanceError, match="Only a person"):
        version_approve(version=register(), approver=System(), reason="auto")
