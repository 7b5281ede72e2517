"""`make run`'s demo step: a first candidate trained on synthetic labels, never activated."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from governance.models import ModelVersion
from training.models import TrainingRun


def test_demo_trains_one_candidate_and_says_how_to_approve_it(db) -> None:
    out = StringIO()
    call_command("mim_demo_model", learners=30, stdout=out)

    version = ModelVersion.objects.get()
    assert version.status == ModelVersion.Status.CANDIDATE
    assert TrainingRun.objects.get().status == TrainingRun.Status.SUCCEEDED
    assert f"mim_models approve {version.version}" in out.getvalue()

    again = StringIO()
    call_command("mim_demo_model", learners=30, stdout=again)

    assert ModelVersion.objects.count() == 1
    assert TrainingRun.objects.count() == 1
    assert version.version in again.getvalue()
