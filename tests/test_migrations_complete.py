"""Every model change has its migration: the test database is built from migrations, so a
model edited without one would pass every other test and fail on a deployed database."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"models differ from migrations (exit {exit_.code}):\n{out.getvalue()}")
