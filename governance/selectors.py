"""Reads of governed state: which runtime config is in force."""

from __future__ import annotations

from governance.core.config import RuntimeConfig, default_runtime_config

_DEFAULT = default_runtime_config()


def runtime_config_get() -> RuntimeConfig:
    """The config version in force for a decision.

    Until approved config versions exist (the governance issue) this is the defaults, labelled
    "defaults"; callers already record `config.version` on every diagnosis.
    """
    return _DEFAULT
