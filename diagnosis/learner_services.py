"""The learner-erasure write, kept apart from the hot-path submission services in services.py.

Erasure (DESIGN.md §7) removes what is the learner's and keeps what is training data:

- deleted: memories and rejected memory candidates, pattern states, the difficulty state and its
  adjustments, the learner's aggregates, and the history rows of the pattern and difficulty
  states (django-simple-history copies the learner id and the state into them);
- kept but scrubbed: submissions and their diagnoses. Their labels, feature vectors and
  probabilities are what training learns from, and hold nothing that names the learner once
  the code, the learner id, the platform's external id, the stored response (it repeats the
  external id, the explanation and memory summaries) and the explanation and hint (they quote
  the code) are gone;
- admin log entries of the learner's rows keep who did what and when, without the object's
  text (a submission's text is its external id, a learner state's begins with the learner id).

The learner's rows get one fresh random pseudonym per erasure, not derived from the id, so they
cannot be linked back to the learner but still group as one learner's history (training
splits its cross-validation folds by learner). One audit row records who erased and how many
rows per table, and nothing about whom.

A table added later that holds a learner id, their code or text quoting it must be erased here
too; tests/diagnosis/test_learner_erasure.py scans every table of the database for the learner
after erasure, so extend its history fixture to write the new table's rows.
"""

from __future__ import annotations

import uuid

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.functions import RandomUUID
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat

from diagnosis.learner_state import learner_lock
from diagnosis.models import (
    Diagnosis,
    DifficultyAdjustment,
    DifficultyState,
    LearnerErasure,
    LearnerProfile,
    PatternState,
    Submission,
)
from memory.services import memories_erase_for_learner

ERASED_PREFIX = "erased-"
ERASED_OBJECT_REPR = "(erased)"
# Admin log entries of these apps' objects may name a learner (see the module docstring).
_LEARNER_DATA_APPS = ("diagnosis", "memory")


@transaction.atomic
def learner_erase(*, user_id: str, requested_by: AbstractBaseUser) -> LearnerErasure:
    """Erase everything of the learner `user_id` in one transaction and record that it happened.

    Takes the learner's lock first, so a submission of the same learner is either wholly erased
    or wholly written after the erasure. An unknown learner, or one already erased, is erased
    again with zero counts and recorded too, so the platform may safely retry.
    """
    learner_lock(user_id=user_id)
    counts = memories_erase_for_learner(user_id=user_id)
    counts["pattern_states"] = _delete(PatternState.objects.filter(user_id=user_id))
    counts["difficulty_states"] = _delete(DifficultyState.objects.filter(user_id=user_id))
    # After the states: deleting a state writes one more ("-") history row of it.
    counts["pattern_state_history"] = _delete(PatternState.history.filter(user_id=user_id))
    counts["difficulty_state_history"] = _delete(DifficultyState.history.filter(user_id=user_id))
    counts["difficulty_adjustments"] = _delete(DifficultyAdjustment.objects.filter(user_id=user_id))
    counts["learner_profiles"] = _delete(LearnerProfile.objects.filter(user_id=user_id))

    # Diagnoses first: they are found through their submissions' learner id.
    submissions = Submission.objects.filter(user_id=user_id)
    external_ids = list(submissions.values_list("external_id", flat=True))
    counts["diagnoses_scrubbed"] = Diagnosis.objects.filter(submission__in=submissions).update(
        explanation="", hint=""
    )
    counts["diagnosis_history_scrubbed"] = Diagnosis.history.filter(
        submission_id__in=submissions.values("id")
    ).update(explanation="", hint="")
    counts["submissions_scrubbed"] = submissions.update(
        user_id=f"{ERASED_PREFIX}{uuid.uuid4().hex}",
        # Each row needs its own value (external_id is unique); random, so unlinkable.
        external_id=Concat(Value(ERASED_PREFIX), Cast(RandomUUID(), models.CharField())),
        code="",
        result={},
    )
    counts["admin_log_entries_scrubbed"] = _admin_log_scrub(
        user_id=user_id, external_ids=external_ids
    )
    return LearnerErasure.objects.create(requested_by=requested_by, counts=counts)


def _delete(rows: models.QuerySet) -> int:
    """Delete the rows; the count is of the queryset's own table (none of these cascades)."""
    _, per_model = rows.delete()
    return per_model.get(rows.model._meta.label, 0)


def _admin_log_scrub(*, user_id: str, external_ids: list[str]) -> int:
    """Blank the object text of admin log entries that name the learner.

    A submission's text is its external id; the learner states' and memories' texts are the
    learner id alone or followed by a space or a colon (their ``__str__``). Entries of rows
    deleted earlier are found the same way, as their text is all that is left of them.
    """
    names_learner = (
        Q(object_repr=user_id)
        | Q(object_repr__startswith=f"{user_id} ")
        | Q(object_repr__startswith=f"{user_id}:")
        | Q(object_repr__in=external_ids)
    )
    return LogEntry.objects.filter(
        names_learner, content_type__app_label__in=_LEARNER_DATA_APPS
    ).update(object_repr=ERASED_OBJECT_REPR)
