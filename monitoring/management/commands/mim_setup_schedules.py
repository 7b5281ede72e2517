"""Load the default beat schedule (mimsite.celery.BEAT_DEFAULTS) into the database."""

from django.core.management.base import BaseCommand

from mimsite.celery import BEAT_DEFAULTS
from monitoring.services import beat_schedules_ensure


class Command(BaseCommand):
    help = (
        "Create missing default periodic tasks; existing ones (maybe edited by an admin) are kept."
    )

    def handle(self, *args: object, **options: object) -> None:
        created = beat_schedules_ensure(defaults=BEAT_DEFAULTS)
        for name in created:
            self.stdout.write(f"created schedule: {name}")
        self.stdout.write(f"{len(created)} created, {len(BEAT_DEFAULTS) - len(created)} kept")
