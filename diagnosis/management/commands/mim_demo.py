"""Prepare a demo install: an admin account, a platform token and a small data set."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from diagnosis.accounts import service_account_token_ensure
from diagnosis.demo import demo_data_load

DEFAULT_ADMIN_USER = "admin"
DEFAULT_ADMIN_PASSWORD = "mim-admin"  # noqa: S105 - a documented local demo credential


class Command(BaseCommand):
    help = (
        "Create the demo admin (MIM_ADMIN_USER / MIM_ADMIN_PASSWORD), a platform token, demo data."
    )

    def handle(self, *args: object, **options: object) -> None:
        username = os.environ.get("MIM_ADMIN_USER", DEFAULT_ADMIN_USER)
        password = os.environ.get("MIM_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
        user_model = get_user_model()
        if not user_model.objects.filter(username=username).exists():
            user_model.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(f"created admin {username!r}")
        token = service_account_token_ensure(username="platform")
        created = demo_data_load()
        self.stdout.write(f"demo submissions loaded: {created} new")
        self.stdout.write("")
        self.stdout.write("  admin:  http://127.0.0.1:8000/admin/")
        self.stdout.write(f"          user {username!r}, password {password!r}")
        self.stdout.write("  API:    http://127.0.0.1:8000/api/docs/")
        self.stdout.write(f"  token:  {token}   (export MIM_TOKEN={token})")
        self.stdout.write("")
