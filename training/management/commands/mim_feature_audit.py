"""Audit the features of a dataset snapshot (000 §0.1) and write the report as JSON."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from diagnosis.core.features import load_feature_schema
from training.core.audit import feature_audit
from training.core.dataset import LABEL_ROOT, TIME_COLUMN, snapshot_read


class Command(BaseCommand):
    help = (
        "Distributions, constant features, correlation, temporal leakage, health score and "
        "REMOVE/FIX/KEEP/REVIEW actions of a snapshot (from mim_dataset); exits 1 when the "
        "gate fails (blocking issues or health below 70)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", type=Path, required=True, help="dataset snapshot parquet")
        parser.add_argument("--output", type=Path, required=True, help="report JSON to write")

    def handle(self, *args: object, **options: object) -> None:
        try:
            frame, metadata = snapshot_read(options["data"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {options['data']}: {exc}") from exc
        report = feature_audit(
            frame,
            feature_names=load_feature_schema().names,
            label_column=LABEL_ROOT,
            time_column=TIME_COLUMN,
        )
        report = {
            "timestamp": timezone.now().isoformat(timespec="seconds"),
            "dataset": {k: metadata.get(k) for k in ("data_sha256", "row_count")},
            **report,
        }
        output: Path = options["output"]
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(report, indent=2, sort_keys=True))
        gate = report["gate"]
        self.stdout.write(
            f"health {report['health_score']}, blocking issues {len(report['blocking_issues'])},"
            f" gate {'passed' if gate['passed'] else 'FAILED'}; report in {output}"
        )
        if not gate["passed"]:
            raise CommandError("feature audit gate failed: " + "; ".join(report["blocking_issues"]))
