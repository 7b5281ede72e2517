"""Admin actions: shown only with the permission, confirm with a reason, call the services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from governance.models import ModelVersion

pytestmark = pytest.mark.django_db
URL = "/admin/governance/modelversion/"


def _staff_client(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def test_actions_are_hidden_without_the_permission(register, approver, outsider) -> None:
    register()
    outsider.user_permissions.add(Permission.objects.get(codename="view_modelversion"))

    approver_page = _staff_client(approver).get(URL).content.decode()
    outsider_page = _staff_client(outsider).get(URL).content.decode()

    for action in ("approve", "reject", "activate", "rollback"):
        assert f'value="{action}"' in approver_page
        assert f'value="{action}"' not in outsider_page


def test_approve_asks_for_confirmation_and_a_reason_first(register, approver) -> None:
    version = register()
    client = _staff_client(approver)

    page = client.post(URL, {"action": "approve", "_selected_action": [version.pk]})
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert ModelVersion.objects.get(pk=version.pk).status == "candidate"

    no_reason = client.post(
        URL, {"action": "approve", "_selected_action": [version.pk], "confirmed": "yes"}
    )
    assert "This field is required" in no_reason.content.decode()
    assert ModelVersion.objects.get(pk=version.pk).status == "candidate"

    done = client.post(
        URL,
        {
            "action": "approve",
            "_selected_action": [version.pk],
            "confirmed": "yes",
            "reason": "metrics reviewed",
        },
        follow=True,
    )
    assert "approve done" in done.content.decode()
    assert ModelVersion.objects.get(pk=version.pk).status == "approved"


def test_the_author_gets_an_error_not_an_approval(register, author) -> None:
    version = register()
    author.user_permissions.add(
        *Permission.objects.filter(codename__in=["approve_modelversion", "view_modelversion"])
    )

    response = _staff_client(author).post(
        URL,
        {
            "action": "approve",
            "_selected_action": [version.pk],
            "confirmed": "yes",
            "reason": "mine",
        },
        follow=True,
    )

    assert "Four-eyes" in response.content.decode()
    assert ModelVersion.objects.get(pk=version.pk).status == "candidate"


def test_version_page_shows_metrics_plots_and_history(register, approver) -> None:
    version = register(
        artifacts={
            "root_cause.txt": "t",
            "confusion.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        }
    )
    client = _staff_client(approver)

    page = client.get(f"{URL}{version.pk}/change/").content.decode()
    history = client.get(f"{URL}{version.pk}/history/")

    assert "macro_f1" in page and "0.82" in page
    assert "data:image/svg+xml;base64," in page
    assert history.status_code == 200
