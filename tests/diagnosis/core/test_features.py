"""Feature building: delta and history features, schema order, bounds, label-proxy exclusion."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta

import pytest

from diagnosis.core.code_signals import CODE_SIGNAL_FEATURES, extract_code_signals
from diagnosis.core.features import (
    SCHEMA_V2_PATH,
    AttemptContext,
    FeatureSchemaError,
    LearnerHistory,
    PreviousAttempt,
    build_features,
    delta_features,
    dominant_root_causes,
    history_features,
    load_feature_schema,
    parse_feature_schema,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _ctx(code: str = "x = 1\ny = 2\n", **kw) -> AttemptContext:
    return AttemptContext(
        code=code, language="python", verdict="wrong_answer", submitted_at=NOW, **kw
    )


def test_schema_v2_lists_removed_added_excluded_and_drift_hooks() -> None:
    schema = load_feature_schema()
    raw = json.loads(SCHEMA_V2_PATH.read_text())
    assert schema.version == "v2"
    assert set(raw["changes_from_v1"]["removed"]).isdisjoint(schema.names)
    assert set(raw["changes_from_v1"]["added"]) <= set(schema.names)
    assert set(CODE_SIGNAL_FEATURES) <= set(schema.names)
    assert set(raw["changes_from_v1"]["excluded_by_policy"]).isdisjoint(schema.names)
    assert set(schema.drift_features) <= set(schema.names)
    assert len(schema.sha256) == 64


def test_a_schema_naming_a_label_proxy_is_refused() -> None:
    raw = json.dumps(
        {
            "schema_version": "bad",
            "cold_start_submissions": 3,
            "features": [{"name": "code_likely_root_cause", "type": "int"}],
        }
    ).encode()
    with pytest.raises(FeatureSchemaError, match="label proxies"):
        parse_feature_schema(raw)


def test_first_attempt_delta_features() -> None:
    features = delta_features(current=_ctx(), previous=None)

    assert features["delta_attempt_number"] == 1.0
    assert features["delta_code_change_ratio"] == 1.0
    assert features["delta_lines_added"] == 2.0
    assert features["delta_lines_removed"] == 0.0


def test_delta_features_against_the_previous_attempt() -> None:
    previous = PreviousAttempt(
        code="x = 1\nz = 3\n", submitted_at=NOW - timedelta(seconds=99), attempt_number=2
    )
    features = delta_features(current=_ctx("x = 1\ny = 2\nw = 4\n"), previous=previous)

    assert features["delta_attempt_number"] == 3.0
    assert features["delta_log_seconds_since_last"] == pytest.approx(math.log1p(99))
    assert features["delta_lines_added"] == 2.0
    assert features["delta_lines_removed"] == 1.0
    assert 0.0 < features["delta_code_change_ratio"] < 1.0


def test_history_features_and_cold_start() -> None:
    schema = load_feature_schema()
    new = history_features(history=LearnerHistory(), category="arrays", schema=schema)
    seasoned = history_features(
        history=LearnerHistory(
            total_submissions=10,
            accepted_submissions=4,
            current_streak=-2,
            category_stats={"arrays": [4, 3]},
            root_cause_counts={"correctness": 3, "efficiency": 1},
        ),
        category="arrays",
        schema=schema,
    )

    assert new["hist_is_cold_start"] == 1.0
    assert new["hist_acceptance_rate"] == 0.0
    assert seasoned["hist_is_cold_start"] == 0.0
    assert seasoned["hist_acceptance_rate"] == 0.4
    assert seasoned["hist_category_accuracy"] == 0.75
    assert seasoned["hist_current_streak"] == -2.0
    assert seasoned["hist_share_correctness"] == 0.75
    assert seasoned["hist_share_understanding_gap"] == 0.0


def test_build_features_orders_values_by_the_schema() -> None:
    schema = load_feature_schema()
    ctx = _ctx("for i in range(len(a) - 1):\n    s += a[i]\n", problem_tags=("arrays",))
    signals = extract_code_signals(code=ctx.code, language="python", verdict=ctx.verdict)

    vector = build_features(
        current=ctx, previous=None, history=LearnerHistory(), signals=signals, schema=schema
    )

    assert vector.names == schema.names
    assert vector.get("ctx_verdict_wrong_answer") == 1.0
    assert vector.get("ctx_lang_python") == 1.0
    assert vector.get("ctx_problem_tag_count") == 1.0
    assert vector.get("pattern_off_by_one_count") == signals.off_by_one_count
    assert all(math.isfinite(v) for v in vector.values)


def test_dominant_root_causes_is_an_empty_list_for_a_new_learner() -> None:
    assert dominant_root_causes(LearnerHistory()) == []
    history = LearnerHistory(
        root_cause_counts={"efficiency": 2, "correctness": 2, "implementation": 5}
    )
    assert dominant_root_causes(history) == ["implementation", "correctness"]
