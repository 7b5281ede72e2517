"""Write the labelled training data (verified labels only) as a parquet snapshot."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from diagnosis.core.features import load_feature_schema
from training.services import dataset_snapshot_build


class Command(BaseCommand):
    help = "Build the dataset snapshot the trainer would use and print its metadata."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", type=Path, default=None, help="default: settings")
        parser.add_argument("--max-rows", type=int, default=None, help="keep the latest rows")

    def handle(self, *args: object, **options: object) -> None:
        _, metadata = dataset_snapshot_build(
            schema=load_feature_schema(),
            max_rows=options["max_rows"],
            directory=options["output_dir"],
        )
        self.stdout.write(json.dumps(metadata, indent=2, sort_keys=True))
