"""The default beat schedule is loaded into the database and never overwrites an admin's edit."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from mimsite.celery import BEAT_DEFAULTS, app

pytestmark = pytest.mark.django_db


def test_setup_schedules_creates_every_default_once() -> None:
    call_command("mim_setup_schedules")
    call_command("mim_setup_schedules")

    tasks = {t.name: t for t in PeriodicTask.objects.all()}
    assert set(tasks) == set(BEAT_DEFAULTS)
    decay = tasks["pattern decay refresh (daily 01:30)"]
    assert decay.task == "diagnosis.refresh_pattern_decay"
    assert (decay.crontab.minute, decay.crontab.hour) == ("30", "1")
    assert decay.queue == "maintenance"


def test_admin_edits_survive_a_rerun() -> None:
    call_command("mim_setup_schedules")
    task = PeriodicTask.objects.get(name="pattern decay refresh (daily 01:30)")
    task.enabled = False
    task.save(update_fields=["enabled"])

    call_command("mim_setup_schedules")

    assert PeriodicTask.objects.get(pk=task.pk).enabled is False


def test_every_scheduled_task_is_registered_with_celery() -> None:
    app.loader.import_default_modules()
    for spec in BEAT_DEFAULTS.values():
        assert spec["task"] in app.tasks
