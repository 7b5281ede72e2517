"""Run the seven failure-mode regression checks (000 §0.3) and write a JSON report."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from diagnosis.core.engine import ConfidenceConfig
from diagnosis.core.regression import run_regression
from governance.selectors import runtime_config_get


class Command(BaseCommand):
    help = "Run the failure-mode regression checks; exits non-zero when any fails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, default=None, help="Write the JSON report here.")

    def handle(self, *args: object, **options: object) -> None:
        config = runtime_config_get()
        report = run_regression(
            confidence=ConfidenceConfig(**config.section("confidence")),
            cap=config.section("rules_engine")["confidence_cap"],
        )
        report = {
            "timestamp": timezone.now().isoformat(),
            "config_version": config.version,
            **report,
        }
        text = json.dumps(report, indent=2)
        output = options["output"]
        if isinstance(output, Path):
            output.write_text(text + "\n")
        for check in report["checks"]:
            mark = "PASS" if check["passed"] else "FAIL"
            self.stdout.write(f"{mark} {check['name']}: {check['detail'].splitlines()[0]}")
        if report["failed"]:
            raise CommandError(f"{report['failed']} regression check(s) failed")
        self.stdout.write(f"all {report['passed']} checks passed")
