"""Reads of the diagnosis app: a submission, a learner's patterns and difficulty."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from diagnosis.core.patterns import PatternConfig, PatternSnapshot, pattern_refresh
from diagnosis.models import DifficultyAdjustment, DifficultyState, PatternState, Submission
from governance.selectors import runtime_config_get


def submission_get(*, external_id: str) -> Submission | None:
    return (
        Submission.objects.select_related("problem", "diagnosis")
        .filter(external_id=external_id)
        .first()
    )


def pattern_list(*, user_id: str) -> list[tuple[PatternState, PatternSnapshot]]:
    """The learner's patterns with time decay applied as of now (a read; nothing is written)."""
    config = PatternConfig(**runtime_config_get().section("pattern"))
    now = timezone.now()
    rows = PatternState.objects.filter(user_id=user_id).order_by("root_cause", "subtype")
    return [
        (
            row,
            pattern_refresh(
                snapshot=PatternSnapshot.from_json(row.snapshot), now=now, config=config
            ),
        )
        for row in rows
    ]


def difficulty_get(*, user_id: str) -> DifficultyState | None:
    return DifficultyState.objects.filter(user_id=user_id).first()


def difficulty_adjustment_list(*, user_id: str, limit: int = 20) -> QuerySet[DifficultyAdjustment]:
    return DifficultyAdjustment.objects.filter(user_id=user_id).order_by("-created_at", "-id")[
        :limit
    ]
