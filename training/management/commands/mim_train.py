"""Train a candidate model version from the verified labels (never activates it)."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from training.models import TrainingRun
from training.services import training_run_create, training_run_execute


class Command(BaseCommand):
    help = "Run the full training pipeline now and register a candidate model version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--max-rows", type=int, default=None, help="train on the latest N labelled rows only"
        )

    def handle(self, *args: object, **options: object) -> None:
        run = training_run_create(trigger=TrainingRun.Trigger.COMMAND, seed=int(options["seed"]))
        run = training_run_execute(run=run, max_rows=options["max_rows"])
        self.stdout.write(run.log)
        if run.status != TrainingRun.Status.SUCCEEDED:
            raise CommandError(f"training run {run.pk} {run.status}: {run.blocked_reason}")
        summary = {
            key: run.metrics.get(key)
            for key in ("root_cause_macro_f1", "root_cause_accuracy", "subtype_accuracy", "ece")
        }
        self.stdout.write(json.dumps(summary, indent=2))
        self.stdout.write(
            f"candidate {run.model_version.version} registered; approve and activate it in the "
            "admin (Governance → Model versions) or with `manage.py mim_models`."
        )
