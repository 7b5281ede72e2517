"""Training in the admin: the start button and its permission, a run's page, and a model version's
evidence (metrics table and SVG plots)."""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from diagnosis.core.features import load_feature_schema
from diagnosis.core.taxonomy import TAXONOMY_VERSION
from governance.services import model_version_register
from training.models import TrainingRun

pytestmark = pytest.mark.django_db
RUNS = "/admin/training/trainingrun/"
START = f"{RUNS}start/"
BUTTON = 'value="Start a training run"'


def _staff(user, *codenames: str) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_the_start_button_shows_only_with_the_add_permission(author, outsider) -> None:
    starter = _staff(author, "view_trainingrun", "add_trainingrun")
    viewer = _staff(outsider, "view_trainingrun")

    with_permission = starter.get(RUNS)
    without = viewer.get(RUNS)

    assert with_permission.status_code == without.status_code == 200
    page = with_permission.content.decode()
    assert BUTTON in page
    assert f'action="{START}"' in page and "csrfmiddlewaretoken" in page
    assert BUTTON not in without.content.decode()


def test_posting_start_queues_an_admin_run_for_the_requester(author) -> None:
    client = _staff(author, "view_trainingrun", "add_trainingrun")

    response = client.post(START, follow=True)

    run = TrainingRun.objects.get()
    assert response.redirect_chain == [(RUNS, 302)]
    assert (run.status, run.trigger, run.requested_by) == ("queued", "admin", author)
    assert run.started_at is None and run.model_version is None
    assert f"Training run {run.pk} queued" in response.content.decode()


def test_starting_without_the_permission_is_403_and_queues_nothing(outsider) -> None:
    client = _staff(outsider, "view_trainingrun")

    response = client.post(START)

    assert response.status_code == 403
    assert not TrainingRun.objects.exists()


def test_start_accepts_only_post_from_staff(author, outsider) -> None:
    outsider.user_permissions.add(Permission.objects.get(codename="add_trainingrun"))
    not_staff = Client()
    not_staff.force_login(outsider)

    assert _staff(author, "add_trainingrun").get(START).status_code == 405
    refused = not_staff.post(START)
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")
    assert not TrainingRun.objects.exists()


def test_a_run_page_shows_its_timings_reason_and_log(author) -> None:
    run = TrainingRun.objects.create(
        trigger=TrainingRun.Trigger.API,
        requested_by=author,
        status=TrainingRun.Status.BLOCKED,
        timings={"dataset": 0.137, "feature_audit": 2.25},
        blocked_reason="Not enough verified labels to train: 12 labelled rows, need 200",
        log="2026-01-05T10:00:00+00:00 dataset: 0.137 s\n2026-01-05T10:00:02+00:00 blocked\n",
    )
    client = _staff(author, "view_trainingrun")

    response = client.get(f"{RUNS}{run.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "&quot;dataset&quot;: 0.137" in page and "&quot;feature_audit&quot;: 2.25" in page
    assert "12 labelled rows, need 200" in page
    assert "dataset: 0.137 s" in page and "2026-01-05T10:00:02+00:00 blocked" in page


def test_a_model_version_page_shows_its_metrics_table_and_svg_plots(author, outsider) -> None:
    schema = load_feature_schema()
    confusion = "<svg xmlns='http://www.w3.org/2000/svg'><text>confusion</text></svg>"
    reliability = "<svg xmlns='http://www.w3.org/2000/svg'><text>reliability</text></svg>"
    version = model_version_register(
        version="mim-admin-plots",
        artifacts={
            "root_cause.txt": "tree",
            "confusion_root_cause.svg": confusion,
            "reliability.svg": reliability,
        },
        feature_schema_version=schema.version,
        feature_schema_sha256=schema.sha256,
        taxonomy_version=TAXONOMY_VERSION,
        metrics={
            "root_cause_macro_f1": 0.8312,
            "ece": 0.0241,
            "<b>odd</b>": 1,
            "root_cause_report": {"accuracy": 0.9},
        },
        author=author,
    )
    client = _staff(outsider, "view_modelversion")

    response = client.get(f"/admin/governance/modelversion/{version.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<tr><th>root_cause_macro_f1</th><td>0.8312</td></tr>" in page
    assert "<tr><th>ece</th><td>0.0241</td></tr>" in page
    assert "<th>&lt;b&gt;odd&lt;/b&gt;</th>" in page and "<b>odd</b>" not in page
    assert "<th>root_cause_report</th>" not in page  # nested reports are not table rows
    embedded = dict(
        re.findall(
            r'<figcaption>([^<]+)</figcaption><img alt="[^"]+" src="data:image/svg\+xml;base64,'
            r'([A-Za-z0-9+/=]+)">',
            page,
        )
    )
    assert {name: base64.b64decode(data).decode() for name, data in embedded.items()} == {
        "confusion_root_cause.svg": confusion,
        "reliability.svg": reliability,
    }
