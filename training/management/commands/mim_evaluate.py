"""Evaluate a registered model version on a dataset snapshot; JSON metrics and SVG plots."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diagnosis.core.model_engine import ArtifactIntegrityError
from governance.models import ModelVersion
from training.services import model_version_evaluate

SUMMARY = ("root_cause_macro_f1", "root_cause_accuracy", "subtype_accuracy", "ece", "mce", "brier")


class Command(BaseCommand):
    help = (
        "Accuracy, macro/weighted F1, per-class reports, confusion matrices, reliability curve, "
        "ECE (10 equal-width bins; equal-mass too), MCE and Brier of --model on --data; the "
        "confusion-matrix and reliability plots are written as SVG next to --output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--model", required=True, help="model version name")
        parser.add_argument("--data", type=Path, required=True, help="dataset snapshot parquet")
        parser.add_argument("--output", type=Path, required=True, help="metrics JSON to write")

    def handle(self, *args: object, **options: object) -> None:
        version = ModelVersion.objects.filter(version=options["model"]).first()
        if version is None:
            raise CommandError(f"no model version {options['model']!r}")
        try:
            metrics, plots = model_version_evaluate(version=version, data=options["data"])
        except (OSError, ValueError, ArtifactIntegrityError) as exc:
            raise CommandError(str(exc)) from exc
        output: Path = options["output"]
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(metrics, indent=2, sort_keys=True))
        for name, svg in plots.items():
            output.with_name(f"{output.stem}.{name}").write_text(svg)
        self.stdout.write(
            json.dumps(
                {key: metrics[key] for key in SUMMARY},
                indent=2,
            )
        )
