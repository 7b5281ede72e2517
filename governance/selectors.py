"""Reads of governed state: which config and model versions are in force, now or at a time."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from governance.core.config import RuntimeConfig, default_runtime_config, runtime_config_from
from governance.models import ActivationLog, ConfigVersion, ModelVersion

_DEFAULT = default_runtime_config()


def active_config_version_id() -> int | None:
    """One cheap query: the id of the active config version, if any."""
    return (
        ConfigVersion.objects.filter(status=ConfigVersion.Status.ACTIVE)
        .values_list("id", flat=True)
        .first()
    )


@lru_cache(maxsize=8)
def _config_by_id(config_id: int) -> RuntimeConfig:
    # A config version's values never change once stored (a change is a new version), so a
    # per-process cache keyed by id is always fresh; activation changes the id we look up.
    row = ConfigVersion.objects.values_list("version", "values").get(pk=config_id)
    return runtime_config_from(version=row[0], values=row[1])


def runtime_config_get() -> RuntimeConfig:
    """The config in force: the active config version over the defaults, or the defaults
    (labelled "defaults") when none is active."""
    return runtime_config_for_id(active_config_version_id())


def runtime_config_for_id(config_id: int | None) -> RuntimeConfig:
    """The config of a known active id (None: the defaults); no query when cached."""
    return _DEFAULT if config_id is None else _config_by_id(config_id)


def model_version_active(*, model_type: str = "mim") -> ModelVersion | None:
    return ModelVersion.objects.filter(
        model_type=model_type, status=ModelVersion.Status.ACTIVE
    ).first()


def version_active_at(*, kind: str, at: datetime) -> ModelVersion | ConfigVersion | None:
    """Which version of `kind` ("model:mim", "config:runtime") was active at time `at`."""
    entry = (
        ActivationLog.objects.filter(kind=kind, at__lte=at)
        .select_related("model_version", "config_version")
        .order_by("-at", "-id")
        .first()
    )
    if entry is None:
        return None
    return entry.model_version or entry.config_version


def activation_log_list(*, kind: str) -> list[ActivationLog]:
    return list(
        ActivationLog.objects.filter(kind=kind)
        .select_related("model_version", "config_version", "performed_by")
        .order_by("-at", "-id")
    )


def model_bundle_get(*, version_id: int) -> tuple[ModelVersion, dict[str, str], dict[str, str]]:
    """A version with its artifacts' contents and recorded SHA-256s (for a verified load)."""
    version = ModelVersion.objects.get(pk=version_id)
    contents: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for name, content, sha in version.artifacts.values_list("name", "content", "sha256"):
        contents[name] = content
        hashes[name] = sha
    return version, contents, hashes
