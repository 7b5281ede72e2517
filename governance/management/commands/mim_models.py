"""Operators' view of the model registry: list, show, approve, reject, activate, roll back,
compare. Decisions name the person acting (--user); four-eyes and permissions apply."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from governance.core.lifecycle import GovernanceError
from governance.models import ModelVersion
from governance.selectors import model_version_active
from governance.services import version_activate, version_approve, version_reject, version_rollback


class Command(BaseCommand):
    help = "Model versions: list | show | approve | reject | activate | rollback | compare"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("list")
        show = sub.add_parser("show")
        show.add_argument("version")
        for verb in ("approve", "reject", "activate"):
            p = sub.add_parser(verb)
            p.add_argument("version")
            p.add_argument("--user", required=True, help="username of the person deciding")
            p.add_argument("--reason", required=True)
        rollback = sub.add_parser("rollback")
        rollback.add_argument("--model-type", default="mim")
        rollback.add_argument("--user", required=True)
        rollback.add_argument("--reason", required=True)
        compare = sub.add_parser("compare")
        compare.add_argument("a")
        compare.add_argument("b")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        try:
            getattr(self, f"_{verb}")(options)
        except (GovernanceError, ModelVersion.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc

    def _version(self, label: str) -> ModelVersion:
        return ModelVersion.objects.get(version=label)

    def _user(self, username: str) -> Any:
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"no user {username!r}") from exc

    def _list(self, options: dict[str, Any]) -> None:
        for v in ModelVersion.objects.order_by("-created_at"):
            f1 = v.metrics.get("root_cause_macro_f1")
            self.stdout.write(
                f"{v.version:40} {v.status:10} macro_f1={f1} created={v.created_at:%F}"
            )

    def _show(self, options: dict[str, Any]) -> None:
        v = self._version(options["version"])
        data = {
            "version": v.version,
            "status": v.status,
            "author": getattr(v.author, "username", None),
            "approved_by": getattr(v.approved_by, "username", None),
            "feature_schema": [v.feature_schema_version, v.feature_schema_sha256],
            "taxonomy_version": v.taxonomy_version,
            "bundle_sha256": v.bundle_sha256,
            "artifacts": dict(v.artifacts.values_list("name", "sha256")),
            "metrics": {k: m for k, m in v.metrics.items() if not isinstance(m, dict | list)},
        }
        self.stdout.write(json.dumps(data, indent=2, default=str))

    def _approve(self, options: dict[str, Any]) -> None:
        v = version_approve(
            version=self._version(options["version"]),
            approver=self._user(options["user"]),
            reason=options["reason"],
        )
        self.stdout.write(f"{v.version} approved (not active yet)")

    def _reject(self, options: dict[str, Any]) -> None:
        v = version_reject(
            version=self._version(options["version"]),
            rejected_by=self._user(options["user"]),
            reason=options["reason"],
        )
        self.stdout.write(f"{v.version} rejected")

    def _activate(self, options: dict[str, Any]) -> None:
        v = version_activate(
            version=self._version(options["version"]),
            activated_by=self._user(options["user"]),
            reason=options["reason"],
        )
        self.stdout.write(f"{v.version} is now active")

    def _rollback(self, options: dict[str, Any]) -> None:
        current = model_version_active(model_type=options["model_type"])
        if current is None:
            raise CommandError(f"no active {options['model_type']} model version")
        v = version_rollback(
            current=current, rolled_back_by=self._user(options["user"]), reason=options["reason"]
        )
        self.stdout.write(f"rolled back {current.version} -> {v.version}")

    def _compare(self, options: dict[str, Any]) -> None:
        from training.services import model_versions_compare

        result = model_versions_compare(
            a=self._version(options["a"]), b=self._version(options["b"])
        )
        self.stdout.write(json.dumps(result, indent=2))
