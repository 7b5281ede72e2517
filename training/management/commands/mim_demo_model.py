"""Demo install: synthetic labelled learners and a first trained candidate (never activated)."""

from django.core.management.base import BaseCommand, CommandParser

from governance.models import ModelVersion
from training.core.synthetic import generate
from training.models import TrainingRun
from training.services import synthetic_dataset_load, training_run_create, training_run_execute


class Command(BaseCommand):
    help = (
        "When no model version exists yet: load synthetic learners with verified labels and "
        "train a first candidate. It serves nobody until a person approves and activates it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=80)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: object, **options: object) -> None:
        existing = ModelVersion.objects.order_by("-created_at").first()
        if existing is None:
            counts = synthetic_dataset_load(
                dataset=generate(learners=int(options["learners"]), seed=int(options["seed"]))
            )
            self.stdout.write(f"synthetic demo learners loaded: {counts}")
            run = training_run_execute(run=training_run_create(trigger=TrainingRun.Trigger.COMMAND))
            if run.status != TrainingRun.Status.SUCCEEDED:
                self.stdout.write(f"demo training run {run.pk} {run.status}: {run.blocked_reason}")
                return
            existing = run.model_version
        self.stdout.write("")
        self.stdout.write(f"  model:  {existing.version} ({existing.status})")
        if existing.status == ModelVersion.Status.CANDIDATE:
            self.stdout.write(
                "          until a person approves and activates it, the rules engine serves.\n"
                "          Admin → Governance → Model versions → select it → 'Approve' then\n"
                "          'Activate' (each asks for a reason), or:\n"
                f"          manage.py mim_models approve {existing.version} --user admin "
                "--reason '…'\n"
                f"          manage.py mim_models activate {existing.version} --user admin "
                "--reason '…'"
            )
        self.stdout.write("")
