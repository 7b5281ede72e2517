"""Operator commands: service-account tokens and the demo install."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from diagnosis.models import Diagnosis, Submission

pytestmark = pytest.mark.django_db


def test_create_token_prints_a_working_token_and_is_repeatable(api) -> None:
    out = StringIO()
    call_command("mim_create_token", "--username", "ci-platform", stdout=out)
    again = StringIO()
    call_command("mim_create_token", "--username", "ci-platform", stdout=again)

    token = out.getvalue().strip()
    assert token == again.getvalue().strip()
    assert Token.objects.get(key=token).user.username == "ci-platform"
    user = get_user_model().objects.get(username="ci-platform")
    assert not user.has_usable_password()
    assert not user.has_perm("diagnosis.change_diagnosis")
    assert not user.has_perm("diagnosis.erase_learner")


def test_create_token_can_grant_the_label_permission() -> None:
    call_command("mim_create_token", "--username", "labeller", "--can-label", stdout=StringIO())

    assert get_user_model().objects.get(username="labeller").has_perm("diagnosis.change_diagnosis")


def test_create_token_can_grant_the_erase_permission() -> None:
    call_command("mim_create_token", "--username", "eraser", "--can-erase", stdout=StringIO())

    user = get_user_model().objects.get(username="eraser")
    assert user.has_perm("diagnosis.erase_learner")
    assert not user.has_perm("diagnosis.change_diagnosis")


def test_demo_creates_admin_token_and_data_once(monkeypatch) -> None:
    monkeypatch.setenv("MIM_ADMIN_USER", "demo-admin")
    monkeypatch.setenv("MIM_ADMIN_PASSWORD", "demo-secret-1")
    out = StringIO()

    call_command("mim_demo", stdout=out)
    submissions = Submission.objects.count()
    call_command("mim_demo", stdout=StringIO())

    admin = get_user_model().objects.get(username="demo-admin")
    assert admin.is_superuser and admin.check_password("demo-secret-1")
    assert "demo submissions loaded: 10 new" in out.getvalue()
    assert Submission.objects.count() == submissions == 10
    assert Diagnosis.objects.count() == 7
    assert set(Diagnosis.objects.values_list("engine", flat=True)) == {"rules"}
