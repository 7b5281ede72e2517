"""The one place runtime thresholds have default values; config versions override them.

Every section maps 1:1 onto a frozen config dataclass in a pure core module, built with
``SomeConfig(**config["section"])``; the governance issue turns this dict into approved,
versioned ``ConfigVersion`` rows. Numbers come from the seeds (000 §2.2–2.3, §3.1; 001 §3.3).
"""

from __future__ import annotations

from typing import Any

DEFAULT_CONFIG: dict[str, dict[str, Any]] = {
    # 001 §3.3 confidence tiers.
    "confidence": {
        "high_threshold": 0.80,
        "medium_threshold": 0.65,
    },
    # Seed 004 fallback: the rules engine is never more than LOW.
    "rules_engine": {
        "confidence_cap": 0.60,
    },
    # 000 §2.2 pattern engine and 001 §3.4 state machine.
    "pattern": {
        "half_life_days": 14.0,
        "recency_boost_days": 3.0,
        "recency_boost_factor": 1.5,
        "suspected_min_evidence": 2,
        "suspected_min_weight": 1.0,
        "confirmed_min_evidence": 3,
        "confirmed_min_weight": 2.0,
        "decay_to_none_below": 0.5,
        "decay_confirmed_below": 1.0,
        "severity_critical_weight": 3.0,
        "severity_high_weight": 2.0,
        "severity_medium_weight": 1.0,
        "cluster_window_days": 7.0,
        "cluster_min_occurrences": 3,
        "mastering_successes": 2,
        "mastered_successes": 3,
        "regressing_failures": 2,
        "history_limit": 50,
        # Not in the seeds: an occurrence weighing less (older than three half-lives, 42 days)
        # no longer counts as evidence, so a months-old failure cannot help suspect a pattern.
        "evidence_min_weight": 0.125,
    },
    # 001 §3.5 policy table and 000 §2.3 validation loop.
    "difficulty": {
        "min_level": 1,
        "max_level": 10,
        "initial_level": 3,
        "window": 5,
        "increase_success_rate": 0.8,
        "decrease_success_rate": 0.2,
        "min_window_submissions": 3,
        "cooldown_submissions": 5,
        "oscillation_alternations": 3,
        # Not in the seeds: how long (submissions since the last adjustment) a detected
        # oscillation holds the level; without an end the level would be frozen forever.
        "oscillation_hold_submissions": 15,
        "validation_submissions": 3,
        "rollback_below_score": 0.4,
        "history_limit": 20,
    },
    # 000 §3.1 memory quality control and retrieval (memory/core/quality.py MemoryConfig).
    "memory": {
        "weight_confidence": 0.35,
        "weight_recurrence": 0.25,
        "weight_completeness": 0.25,
        "weight_feedback": 0.15,
        "store_threshold": 0.6,
        "ttl_medium_threshold": 0.7,
        "ttl_long_threshold": 0.8,
        "ttl_short_days": 90,
        "ttl_medium_days": 180,
        "ttl_long_days": 365,
        "feedback_neutral": 0.5,
        "recurrence_full_count": 3,
        "recurring_min_recurrence": 0.5,
        "summary_full_chars": 80,
        "retrieval_k": 5,
        "boost_ttl_days": 30,
        "boost_quality": 0.02,
    },
    # 000 §4.2 / 003 drift detection (DESIGN.md §6); read by the monitoring drift job.
    "drift": {
        "ks_statistic_alert": 0.15,
        "psi_warn": 0.10,
        "psi_alert": 0.20,
        "feature_kl_warn": 0.15,
        "feature_kl_alert": 0.25,
        "prediction_kl_warn": 0.10,
        "prediction_kl_alert": 0.20,
        "concept_accuracy_drop": 0.10,
        "weight_concept": 0.40,
        "weight_data": 0.35,
        "weight_prediction": 0.25,
        "critical_above": 0.70,
        "high_above": 0.40,
    },
    # 000 §4.3 shadow mode promotion criteria (DESIGN.md §6); "should promote" is a proposal.
    "shadow": {
        "min_samples": 100,
        "min_agreement": 0.85,
        "max_accuracy_regression": 0.02,
        "confidence_drop_alpha": 0.05,
    },
}
