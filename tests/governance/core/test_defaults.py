"""Every runtime threshold of DESIGN.md §4 has one default, in a section its consumer accepts."""

from __future__ import annotations

import dataclasses
import math

import pytest

from diagnosis.core.difficulty import DifficultyConfig
from diagnosis.core.engine import ConfidenceConfig, RulesEngineConfig
from diagnosis.core.patterns import PatternConfig
from governance.core.config import default_runtime_config, runtime_config_from
from governance.core.defaults import DEFAULT_CONFIG
from memory.core.quality import MemoryConfig

CONSUMERS = {
    "confidence": ConfidenceConfig,
    "rules_engine": RulesEngineConfig,
    "pattern": PatternConfig,
    "difficulty": DifficultyConfig,
    "memory": MemoryConfig,
}


def test_design_threshold_families_are_all_versionable() -> None:
    assert set(DEFAULT_CONFIG) == {*CONSUMERS, "drift", "shadow"}


@pytest.mark.parametrize("section", sorted(CONSUMERS))
def test_each_section_is_exactly_its_consumers_fields(section: str) -> None:
    config_class = CONSUMERS[section]
    assert {f.name for f in dataclasses.fields(config_class)} == set(DEFAULT_CONFIG[section])
    config_class(**default_runtime_config().section(section))


def test_memory_defaults_are_the_seeds() -> None:
    memory = MemoryConfig()
    assert (memory.weight_confidence, memory.weight_recurrence) == (0.35, 0.25)
    assert (memory.weight_completeness, memory.weight_feedback) == (0.25, 0.15)
    assert (memory.store_threshold, memory.ttl_long_days, memory.retrieval_k) == (0.6, 365, 5)


def test_drift_weights_and_levels_are_consistent() -> None:
    drift = DEFAULT_CONFIG["drift"]
    weights = [drift["weight_concept"], drift["weight_data"], drift["weight_prediction"]]
    assert math.isclose(sum(weights), 1.0)
    assert drift["psi_warn"] < drift["psi_alert"]
    assert drift["high_above"] < drift["critical_above"]


def test_a_config_version_may_override_memory_but_not_invent_keys() -> None:
    config = runtime_config_from(version="c1", values={"memory": {"store_threshold": 0.65}})
    assert MemoryConfig(**config.section("memory")).store_threshold == 0.65
    with pytest.raises(ValueError, match="unknown keys in config section 'memory'"):
        runtime_config_from(version="c2", values={"memory": {"store_treshold": 0.65}})
