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
    assert schema.version == "v2.1"
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


def test_schema_v2_1_records_the_code_profile_features_with_groups() -> None:
    from diagnosis.core.code_signals import PROFILE_FEATURES

    schema = load_feature_schema()
    raw = json.loads(SCHEMA_V2_PATH.read_text())
    added = raw["changes_from_v2"]["added"]
    assert [entry["name"] for entry in added] == list(PROFILE_FEATURES)
    assert all(entry["description"].strip() for entry in added)
    groups = dict(zip(schema.names, schema.groups, strict=True))
    assert {groups[name] for name in PROFILE_FEATURES} == {
        "code_compare",
        "code_state",
        "code_io",
        "code_cases",
        "code_safety",
        "code_tags",
    }
    # The code-profile features come after the v2 features, so v2 positions are unchanged.
    assert schema.names[: -len(PROFILE_FEATURES)][-1] == "code_parsed"


def test_build_features_carries_the_code_profile() -> None:
    code = "def f(a):\n    p = 1\n    for v in a:\n        p = p * v\n    return p\n"
    current = _ctx(code, problem_tags=("dp",))
    signals = extract_code_signals(
        code=code, language="python", verdict="wrong_answer", problem_tags=current.problem_tags
    )
    vector = build_features(
        current=current,
        previous=None,
        history=LearnerHistory(),
        signals=signals,
        schema=load_feature_schema(),
    )
    assert vector.get("state_product_unreduced") == 1.0
    assert vector.get("tag_trace_missing") == 1.0
    assert vector.get("tag_trace_share") == 0.0
    assert all(math.isfinite(v) for v in vector.values)
