"""Create (or show) the API token of a service account for the platform."""

from django.core.management.base import BaseCommand, CommandParser

from diagnosis.accounts import service_account_token_ensure


class Command(BaseCommand):
    help = "Create a service account (if missing) and print its API token."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="platform")
        parser.add_argument(
            "--can-label",
            action="store_true",
            help="Also allow the account to set verified labels (diagnosis.change_diagnosis).",
        )
        parser.add_argument(
            "--can-erase",
            action="store_true",
            help="Also allow the account to erase learners (diagnosis.erase_learner).",
        )

    def handle(self, *args: object, **options: object) -> None:
        token = service_account_token_ensure(
            username=str(options["username"]),
            can_label=bool(options["can_label"]),
            can_erase=bool(options["can_erase"]),
        )
        self.stdout.write(token)
