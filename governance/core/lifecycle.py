"""The lifecycle rules of governed versions (models and configs), as pure checks.

A version is proposed (a model "candidate"), then approved or rejected by a person; only an
approved version can be activated; activating retires the one before it; a rollback
re-activates the version that was active before the current one. Four-eyes: the approver holds
the approve permission and is not the version's author. Nothing here activates anything by
itself: every transition is a person's explicit call.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class GovernanceError(Exception):
    """A governance rule refused the requested transition; the message says which and why."""


class Stage(StrEnum):
    """Lifecycle stages shared by models and configs (each model names them in its own words)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"
    INACTIVE = "inactive"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks: a user id (None for the system) and whether they hold the needed permission."""

    user_id: int | None
    has_permission: bool


def check_can_decide(*, stage: Stage, author_id: int | None, actor: Actor, reason: str) -> None:
    """Approve or reject: pending only, by a permitted person who is not the author."""
    if actor.user_id is None:
        raise GovernanceError("Only a person may approve or reject; automation never decides.")
    if not actor.has_permission:
        raise GovernanceError("You do not hold the approve permission for this kind of version.")
    if author_id is not None and actor.user_id == author_id:
        raise GovernanceError("Four-eyes: the author of a version may not approve or reject it.")
    if stage is not Stage.PENDING:
        raise GovernanceError(f"Only a pending version can be decided; this one is {stage}.")
    if not reason.strip():
        raise GovernanceError("A reason is required.")


def check_can_activate(*, stage: Stage, approved: bool, actor: Actor, reason: str) -> None:
    """Activate: an approved (or previously active) version, by a permitted person."""
    if actor.user_id is None:
        raise GovernanceError("Only a person may activate a version; automation never does.")
    if not actor.has_permission:
        raise GovernanceError("You do not hold the activate permission for this kind of version.")
    if not approved or stage not in (Stage.APPROVED, Stage.INACTIVE):
        raise GovernanceError(
            f"Activation refused: the version is {stage} and needs a person's approval first."
        )
    if not reason.strip():
        raise GovernanceError("A reason is required.")


def check_compatible(
    *,
    version_schema: str,
    version_schema_sha256: str,
    version_taxonomy: str,
    serving_schema: str,
    serving_schema_sha256: str,
    serving_taxonomy: str,
) -> None:
    """A model may only serve with the feature schema and taxonomy it was trained on."""
    if version_taxonomy != serving_taxonomy:
        raise GovernanceError(
            f"Incompatible taxonomy: the version was trained on {version_taxonomy!r}, "
            f"this deployment serves {serving_taxonomy!r}."
        )
    if (version_schema, version_schema_sha256) != (serving_schema, serving_schema_sha256):
        raise GovernanceError(
            f"Incompatible feature schema: the version expects {version_schema!r} "
            f"(sha256 {version_schema_sha256[:12]}…), this deployment builds {serving_schema!r} "
            f"(sha256 {serving_schema_sha256[:12]}…)."
        )
