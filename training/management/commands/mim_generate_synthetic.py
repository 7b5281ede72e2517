"""Generate synthetic learners' submissions with planted, labelled bugs (deterministic per seed)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from training.core.synthetic import generate, to_records
from training.services import synthetic_dataset_load


class Command(BaseCommand):
    help = "Write synthetic Submission rows with verified labels (and optionally a parquet file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--learners", type=int, default=100)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--parquet", type=Path, default=None, help="also write this file")
        parser.add_argument("--no-db", action="store_true", help="only write the parquet file")

    def handle(self, *args: object, **options: object) -> None:
        dataset = generate(learners=int(options["learners"]), seed=int(options["seed"]))
        parquet = options["parquet"]
        if isinstance(parquet, Path):
            import pandas as pd

            pd.DataFrame(to_records(dataset)).to_parquet(parquet, index=False)
            self.stdout.write(f"wrote {len(dataset.attempts)} attempts to {parquet}")
        if not options["no_db"]:
            counts = synthetic_dataset_load(dataset=dataset)
            self.stdout.write(json.dumps(counts))
