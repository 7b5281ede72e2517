"""Input and output serializers of the diagnosis API (camelCase out, snake_case in)."""

from __future__ import annotations

import re

from django.conf import settings
from rest_framework import serializers
from rest_framework.validators import ProhibitSurrogateCharactersValidator

from diagnosis.core.taxonomy import ALL_SUBTYPES, ROOT_CAUSES, SubtypeValidationError, validate_pair
from diagnosis.models import Language, Verdict

ID_MAX = 128


_SURROGATE = re.compile("[\ud800-\udfff]")


class FastSurrogateValidator(ProhibitSurrogateCharactersValidator):
    """DRF's check for surrogate code points (same message and code), by one regular
    expression: DRF's own loops over every character in Python, ~0.1 ms for 3 KB of code."""

    def __call__(self, value: object) -> None:
        match = _SURROGATE.search(str(value))
        if match is not None:
            super().__call__(match.group())


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of coercing them to text."""

    default_error_messages = {"invalid": "Not a valid string."}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.validators = [
            FastSurrogateValidator()
            if isinstance(validator, ProhibitSurrogateCharactersValidator)
            else validator
            for validator in self.validators
        ]

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class SubmissionInputSerializer(serializers.Serializer):
    """A judged submission. `external_id` is the idempotency key."""

    external_id = StrictCharField(max_length=ID_MAX)
    user_id = StrictCharField(max_length=ID_MAX)
    problem_id = StrictCharField(max_length=ID_MAX)
    problem_tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, default=list, max_length=50
    )
    problem_title = serializers.CharField(
        max_length=255, required=False, default="", allow_blank=True
    )
    problem_category = serializers.CharField(
        max_length=64, required=False, default="", allow_blank=True
    )
    problem_difficulty = serializers.IntegerField(
        min_value=1, max_value=10, required=False, allow_null=True, default=None
    )
    language = serializers.ChoiceField(choices=Language.choices)
    code = StrictCharField(allow_blank=True, trim_whitespace=False)
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    submitted_at = serializers.DateTimeField()
    runtime_ms = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    memory_kb = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)

    def validate_code(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError("Code may not contain NUL characters.")
        return value


def code_too_large(code: str) -> bool:
    """True when the code is over the documented limit (MIM_MAX_CODE_BYTES, UTF-8 bytes)."""
    return len(code.encode("utf-8", errors="replace")) > settings.MIM_MAX_CODE_BYTES


class LabelInputSerializer(serializers.Serializer):
    """A reviewer's verified root cause and subtype (a training label)."""

    root_cause = serializers.ChoiceField(choices=[(r, r) for r in ROOT_CAUSES])
    subtype = serializers.ChoiceField(choices=[(s, s) for s in ALL_SUBTYPES])

    def validate(self, attrs: dict) -> dict:
        try:
            validate_pair(attrs["root_cause"], attrs["subtype"])
        except SubtypeValidationError as exc:
            raise serializers.ValidationError({"subtype": [str(exc)]}) from exc
        return attrs


class SignalSerializer(serializers.Serializer):
    feature = serializers.CharField()
    contribution = serializers.FloatField()


class DiagnosisBlockSerializer(serializers.Serializer):
    rootCause = serializers.ChoiceField(choices=ROOT_CAUSES)
    subtype = serializers.ChoiceField(choices=ALL_SUBTYPES)
    taxonomyVersion = serializers.CharField()
    engine = serializers.ChoiceField(choices=["rules", "model"])
    modelVersion = serializers.CharField(allow_null=True)
    mimVersion = serializers.CharField()
    topSignals = SignalSerializer(many=True)


class ConfidenceBlockSerializer(serializers.Serializer):
    combinedConfidence = serializers.FloatField()
    confidenceLevel = serializers.ChoiceField(choices=["high", "medium", "low"])
    conservativeMode = serializers.BooleanField()
    calibrationApplied = serializers.BooleanField()


class PatternBlockSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["none", "suspected", "confirmed", "stable"])
    evidenceCount = serializers.IntegerField()
    confidenceSupport = serializers.CharField()
    severity = serializers.ChoiceField(choices=["low", "medium", "high", "critical"])
    mastery = serializers.ChoiceField(choices=["learning", "mastering", "mastered", "regressing"])


class DifficultyBlockSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["increase", "maintain", "decrease"])
    reason = serializers.CharField()
    confidenceTier = serializers.CharField()
    cooldownActive = serializers.BooleanField()
    level = serializers.IntegerField()


class FeedbackBlockSerializer(serializers.Serializer):
    explanation = serializers.CharField()
    source = serializers.ChoiceField(choices=["template", "llm"])


class HintBlockSerializer(serializers.Serializer):
    text = serializers.CharField()


class RagMemorySerializer(serializers.Serializer):
    id = serializers.CharField()
    summary = serializers.CharField()


class RagBlockSerializer(serializers.Serializer):
    used = serializers.BooleanField()
    relevance = serializers.FloatField()
    memories = RagMemorySerializer(many=True)


class SubmissionContractSerializer(serializers.Serializer):
    """The frontend contract (DESIGN.md §3). Accepted submissions carry `diagnosis: null` and
    only `difficulty`; failed ones carry every block."""

    submissionId = serializers.CharField()
    diagnosis = DiagnosisBlockSerializer(allow_null=True)
    confidence = ConfidenceBlockSerializer(required=False)
    pattern = PatternBlockSerializer(required=False)
    difficulty = DifficultyBlockSerializer()
    feedback = FeedbackBlockSerializer(required=False)
    hint = HintBlockSerializer(required=False)
    rag = RagBlockSerializer(required=False)


class PatternOutputSerializer(serializers.Serializer):
    rootCause = serializers.CharField()
    subtype = serializers.CharField()
    state = serializers.CharField()
    evidenceCount = serializers.IntegerField()
    weightedCount = serializers.FloatField()
    severity = serializers.CharField()
    mastery = serializers.CharField()
    confidenceSupport = serializers.CharField()
    lastSeenAt = serializers.DateTimeField(allow_null=True)


class LearnerPatternsSerializer(serializers.Serializer):
    userId = serializers.CharField()
    patterns = PatternOutputSerializer(many=True)


class AdjustmentOutputSerializer(serializers.Serializer):
    action = serializers.CharField()
    reason = serializers.CharField()
    fromLevel = serializers.IntegerField()
    toLevel = serializers.IntegerField()
    rollback = serializers.BooleanField()
    outcomeValidated = serializers.BooleanField()
    adjustmentScore = serializers.FloatField(allow_null=True)
    createdAt = serializers.DateTimeField()


class LearnerDifficultySerializer(serializers.Serializer):
    userId = serializers.CharField()
    level = serializers.IntegerField()
    recentOutcomes = serializers.ListField(child=serializers.BooleanField())
    submissionsSinceAdjustment = serializers.IntegerField(allow_null=True)
    pendingValidation = serializers.BooleanField()
    adjustments = AdjustmentOutputSerializer(many=True)


class LearnerErasureSerializer(serializers.Serializer):
    """The audit record of an erasure: no learner id in it, by design."""

    erasureId = serializers.IntegerField(source="pk")
    erasedAt = serializers.DateTimeField(source="created_at")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Rows deleted or scrubbed, per table."
    )
