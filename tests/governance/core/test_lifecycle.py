"""The pure lifecycle checks."""

import pytest

from governance.core.lifecycle import (
    Actor,
    GovernanceError,
    Stage,
    check_can_activate,
    check_can_decide,
    check_compatible,
)

PERSON = Actor(user_id=2, has_permission=True)


def test_decide_rules() -> None:
    check_can_decide(stage=Stage.PENDING, author_id=1, actor=PERSON, reason="ok")
    check_can_decide(stage=Stage.PENDING, author_id=None, actor=PERSON, reason="ok")
    for kwargs, message in [
        ({"author_id": 2}, "Four-eyes"),
        ({"actor": Actor(user_id=2, has_permission=False)}, "permission"),
        ({"actor": Actor(user_id=None, has_permission=True)}, "Only a person"),
        ({"stage": Stage.APPROVED}, "Only a pending version"),
        ({"reason": " "}, "reason"),
    ]:
        args = {"stage": Stage.PENDING, "author_id": 1, "actor": PERSON, "reason": "ok"} | kwargs
        with pytest.raises(GovernanceError, match=message):
            check_can_decide(**args)


@pytest.mark.parametrize("stage", [Stage.APPROVED, Stage.INACTIVE])
def test_approved_or_previously_active_versions_can_be_activated(stage: Stage) -> None:
    check_can_activate(stage=stage, approved=True, actor=PERSON, reason="go")


@pytest.mark.parametrize(
    ("stage", "approved"),
    [
        (Stage.PENDING, False),
        (Stage.REJECTED, False),
        (Stage.ACTIVE, True),
        (Stage.APPROVED, False),
    ],
)
def test_other_versions_cannot_be_activated(stage: Stage, approved: bool) -> None:
    with pytest.raises(GovernanceError, match="Activation refused"):
        check_can_activate(stage=stage, approved=approved, actor=PERSON, reason="go")


def test_compatibility_compares_taxonomy_schema_and_its_hash() -> None:
    same = {
        "version_schema": "v2",
        "version_schema_sha256": "a" * 64,
        "version_taxonomy": "t1",
        "serving_schema": "v2",
        "serving_schema_sha256": "a" * 64,
        "serving_taxonomy": "t1",
    }
    check_compatible(**same)
    with pytest.raises(GovernanceError, match="taxonomy"):
        check_compatible(**same | {"serving_taxonomy": "t2"})
    with pytest.raises(GovernanceError, match="feature schema"):
        check_compatible(**same | {"serving_schema_sha256": "b" * 64})
