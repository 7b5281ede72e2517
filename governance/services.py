"""Writes of the governance app: register, decide, activate and roll back governed versions.

Every transition is a person's explicit call, checked by governance.core.lifecycle and, for
four-eyes and the approval gate, by database constraints as well. Each call is one transaction
and leaves a history row (django-simple-history); activations and rollbacks are also appended to
the ActivationLog.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from diagnosis.core.features import load_feature_schema
from diagnosis.core.taxonomy import TAXONOMY_VERSION
from governance.core.config import runtime_config_from
from governance.core.lifecycle import (
    Actor,
    GovernanceError,
    Stage,
    check_can_activate,
    check_can_decide,
    check_compatible,
)
from governance.models import (
    ActivationLog,
    Approval,
    ConfigVersion,
    GovernedVersion,
    ModelArtifact,
    ModelVersion,
)


@dataclass(frozen=True, slots=True)
class _Kind:
    """What differs between model and config versions in the shared lifecycle."""

    model: type[GovernedVersion]
    target_field: str
    approve_permission: str
    activate_permission: str

    def status(self, stage: Stage) -> str:
        return next(s for s, st in self.model.STAGES.items() if st is stage)

    def log_kind(self, version: GovernedVersion) -> str:
        if isinstance(version, ModelVersion):
            return f"model:{version.model_type}"
        return f"config:{version.scope}"

    def active_filter(self, version: GovernedVersion) -> dict[str, Any]:
        if isinstance(version, ModelVersion):
            return {"model_type": version.model_type}
        return {"scope": version.scope}


_MODEL = _Kind(
    model=ModelVersion,
    target_field="model_version",
    approve_permission="governance.approve_modelversion",
    activate_permission="governance.activate_modelversion",
)
_CONFIG = _Kind(
    model=ConfigVersion,
    target_field="config_version",
    approve_permission="governance.approve_configversion",
    activate_permission="governance.activate_configversion",
)


def _kind(version: GovernedVersion) -> _Kind:
    return _MODEL if isinstance(version, ModelVersion) else _CONFIG


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def bundle_sha256(artifact_hashes: Mapping[str, str]) -> str:
    """One hash over every artifact's name and SHA-256, in name order."""
    return sha256_text(_canonical(sorted(artifact_hashes.items())))


def version_evidence_sha256(version: GovernedVersion) -> str:
    """SHA-256 of what a reviewer is shown: a model's metrics and bundle, a config's values and
    change summary. Recorded with each decision, so the evidence can be checked later."""
    if isinstance(version, ModelVersion):
        return sha256_text(
            _canonical({"metrics": version.metrics, "bundle": version.bundle_sha256})
        )
    return sha256_text(_canonical({"values": version.values, "summary": version.change_summary}))


@transaction.atomic
def model_version_register(
    *,
    version: str,
    artifacts: Mapping[str, str],
    feature_schema_version: str,
    feature_schema_sha256: str,
    taxonomy_version: str,
    metrics: Mapping[str, Any],
    author: AbstractBaseUser | None = None,
    model_type: str = "mim",
) -> ModelVersion:
    """Store a trained bundle as a candidate. It serves nobody until approved and activated."""
    if not artifacts:
        raise GovernanceError("A model version needs at least one artifact.")
    hashes = {name: sha256_text(content) for name, content in artifacts.items()}
    model_version = ModelVersion.objects.create(
        version=version,
        model_type=model_type,
        author=author,
        feature_schema_version=feature_schema_version,
        feature_schema_sha256=feature_schema_sha256,
        taxonomy_version=taxonomy_version,
        bundle_sha256=bundle_sha256(hashes),
        metrics=dict(metrics),
    )
    ModelArtifact.objects.bulk_create(
        ModelArtifact(model_version=model_version, name=name, content=content, sha256=hashes[name])
        for name, content in sorted(artifacts.items())
    )
    return model_version


@transaction.atomic
def config_version_propose(
    *,
    version: str,
    values: Mapping[str, Mapping[str, Any]],
    change_summary: Mapping[str, Any],
    author: AbstractBaseUser | None = None,
) -> ConfigVersion:
    """Propose a config version; its values are validated against the default sections."""
    try:
        runtime_config_from(version=version, values=values)
    except ValueError as exc:
        raise GovernanceError(str(exc)) from exc
    missing = {"change", "rationale", "impact_estimate", "affected_components"} - set(
        change_summary
    )
    if missing:
        raise GovernanceError(f"The change summary lacks: {', '.join(sorted(missing))}.")
    return ConfigVersion.objects.create(
        version=version,
        values={k: dict(v) for k, v in values.items()},
        change_summary=dict(change_summary),
        author=author,
    )


def _locked(version: GovernedVersion) -> GovernedVersion:
    return type(version).objects.select_for_update().get(pk=version.pk)


def _actor(user: AbstractBaseUser, permission: str) -> Actor:
    return Actor(user_id=user.pk, has_permission=bool(user.has_perm(permission)))


@transaction.atomic
def version_approve(
    *, version: GovernedVersion, approver: AbstractBaseUser, reason: str
) -> GovernedVersion:
    """Record a person's approval (four-eyes); it does not activate anything."""
    kind = _kind(version)
    version = _locked(version)
    check_can_decide(
        stage=version.stage,
        author_id=version.author_id,
        actor=_actor(approver, kind.approve_permission),
        reason=reason,
    )
    version.status = kind.status(Stage.APPROVED)
    version.approved_by = approver
    version.approved_at = timezone.now()
    version.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    Approval.objects.create(
        **{kind.target_field: version},
        decision=Approval.Decision.APPROVED,
        decided_by=approver,
        reason=reason,
        evidence_sha256=version_evidence_sha256(version),
    )
    return version


@transaction.atomic
def version_reject(
    *, version: GovernedVersion, rejected_by: AbstractBaseUser, reason: str
) -> GovernedVersion:
    """Record a person's rejection; a reason is required."""
    kind = _kind(version)
    version = _locked(version)
    check_can_decide(
        stage=version.stage,
        author_id=version.author_id,
        actor=_actor(rejected_by, kind.approve_permission),
        reason=reason,
    )
    version.status = kind.status(Stage.REJECTED)
    version.save(update_fields=["status", "updated_at"])
    Approval.objects.create(
        **{kind.target_field: version},
        decision=Approval.Decision.REJECTED,
        decided_by=rejected_by,
        reason=reason,
        evidence_sha256=version_evidence_sha256(version),
    )
    return version


def check_model_serves_here(version: ModelVersion) -> None:
    """Refuse a model whose feature schema or taxonomy differs from what this code builds."""
    schema = load_feature_schema()
    check_compatible(
        version_schema=version.feature_schema_version,
        version_schema_sha256=version.feature_schema_sha256,
        version_taxonomy=version.taxonomy_version,
        serving_schema=schema.version,
        serving_schema_sha256=schema.sha256,
        serving_taxonomy=TAXONOMY_VERSION,
    )


@transaction.atomic
def version_activate(
    *, version: GovernedVersion, activated_by: AbstractBaseUser, reason: str
) -> GovernedVersion:
    """Make an approved version the active one; the one active before is retired."""
    return _switch(
        version=version, by=activated_by, reason=reason, action=ActivationLog.Action.ACTIVATE
    )


@transaction.atomic
def version_rollback(
    *, current: GovernedVersion, rolled_back_by: AbstractBaseUser, reason: str
) -> GovernedVersion:
    """Re-activate the version that was active before `current` (one step back)."""
    kind = _kind(current)
    current = _locked(current)
    if current.stage is not Stage.ACTIVE:
        raise GovernanceError(f"Only the active version can be rolled back; {current} is not.")
    last = (
        ActivationLog.objects.filter(kind=kind.log_kind(current), **{kind.target_field: current})
        .order_by("-at", "-id")
        .first()
    )
    previous = getattr(last, f"previous_{kind.target_field}", None) if last else None
    if previous is None:
        raise GovernanceError(f"{current} has no previous active version to roll back to.")
    return _switch(
        version=previous, by=rolled_back_by, reason=reason, action=ActivationLog.Action.ROLLBACK
    )


def _switch(
    *, version: GovernedVersion, by: AbstractBaseUser, reason: str, action: str
) -> GovernedVersion:
    kind = _kind(version)
    version = _locked(version)
    check_can_activate(
        stage=version.stage,
        approved=version.approved_by_id is not None,
        actor=_actor(by, kind.activate_permission),
        reason=reason,
    )
    if isinstance(version, ModelVersion):
        check_model_serves_here(version)
    previous = (
        kind.model.objects.select_for_update()
        .filter(status=kind.status(Stage.ACTIVE), **kind.active_filter(version))
        .first()
    )
    if previous is not None:
        previous.status = kind.status(Stage.INACTIVE)
        previous.save(update_fields=["status", "updated_at"])
    version.status = kind.status(Stage.ACTIVE)
    version.save(update_fields=["status", "updated_at"])
    ActivationLog.objects.create(
        kind=kind.log_kind(version),
        action=action,
        **{kind.target_field: version, f"previous_{kind.target_field}": previous},
        performed_by=by,
        reason=reason,
    )
    return version


APPROVER_GROUP = "approver"
APPROVER_PERMISSIONS = (
    "approve_modelversion",
    "activate_modelversion",
    "approve_configversion",
    "activate_configversion",
    "view_modelversion",
    "view_configversion",
    "view_approval",
    "view_activationlog",
)


def approver_group_ensure() -> None:
    """The seeded "approver" group: decide on and activate versions (run after migrate)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=APPROVER_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="governance", codename__in=APPROVER_PERMISSIONS
        )
    )
