"""The runtime configuration a decision is made with: a version label plus its sections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from governance.core.defaults import DEFAULT_CONFIG

DEFAULTS_VERSION = "defaults"


@dataclass(frozen=True, slots=True)
class RuntimeConfig:
    """Read-only thresholds by section; `version` is recorded on every diagnosis."""

    version: str
    sections: Mapping[str, Mapping[str, Any]]

    def section(self, name: str) -> Mapping[str, Any]:
        try:
            return self.sections[name]
        except KeyError as exc:
            raise KeyError(f"config version {self.version!r} has no section {name!r}") from exc


def runtime_config_from(*, version: str, values: Mapping[str, Mapping[str, Any]]) -> RuntimeConfig:
    """Merge `values` over the defaults section by section; unknown keys are refused."""
    merged: dict[str, Mapping[str, Any]] = {}
    for name, defaults in DEFAULT_CONFIG.items():
        override = dict(values.get(name, {}))
        unknown = set(override) - set(defaults)
        if unknown:
            raise ValueError(f"unknown keys in config section {name!r}: {sorted(unknown)}")
        merged[name] = MappingProxyType({**defaults, **override})
    unknown_sections = set(values) - set(DEFAULT_CONFIG)
    if unknown_sections:
        raise ValueError(f"unknown config sections: {sorted(unknown_sections)}")
    return RuntimeConfig(version=version, sections=MappingProxyType(merged))


def default_runtime_config() -> RuntimeConfig:
    return runtime_config_from(version=DEFAULTS_VERSION, values={})
