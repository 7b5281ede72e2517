"""App configuration for governance: seeds the approver group after every migrate."""

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed_approver_group(sender: AppConfig, **kwargs: Any) -> None:
    from governance.services import approver_group_ensure

    approver_group_ensure()


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"

    def ready(self) -> None:
        post_migrate.connect(_seed_approver_group, sender=self)
