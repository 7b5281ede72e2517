"""The template explainer and the decision-consistency check (001 §6.3; no database)."""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest

from diagnosis.core.explainer import (
    MAX_EXPLANATION_CHARS,
    MAX_HINT_CHARS,
    ROOT_CAUSE_TERMS,
    SUBTYPE_TERMS,
    Evidence,
    ExplainerInstructions,
    Explanation,
    PastMistake,
    TemplateExplainer,
    check_explanation,
)
from diagnosis.core.taxonomy import (
    ALL_SUBTYPES,
    ROOT_CAUSES,
    ROOT_OF_SUBTYPE,
    SubtypeValidationError,
)

LEVELS = ("high", "medium", "low")
PATTERN_STATES = ("none", "suspected", "confirmed", "stable")
ACTIONS = ("increase", "maintain", "decrease")
# One finding of every kind code_signals reports, each on its own line.
ALL_EVIDENCE = (
    Evidence("syntax_error", 1, "invalid syntax"),
    Evidence("nested_loop", 2, "loop depth 2"),
    Evidence("inefficiency", 3, "sort inside a loop"),
    Evidence("off_by_one", 4, "range(1, n)"),
    Evidence("null_risk", 5, "== None instead of is None"),
    Evidence("type_risk", 6, "str + number x + 1"),
    Evidence("mutation_risk", 7, "mutable default []"),
    Evidence("resource_risk", 8, "open() outside a with block"),
    Evidence("recursion", 9, "f() calls itself"),
    Evidence("overflow_risk", 10, "math.pow() float overflow/precision"),
    Evidence("boundary_risk", 11, "a[0] without an emptiness check"),
    Evidence("memoization", 12, "@lru_cache"),
)
CITATION = re.compile(r"line (\d+) \(`([^`]*)`\)")


def instructions(subtype: str = "off_by_one", **overrides: object) -> ExplainerInstructions:
    fields: dict[str, object] = {
        "root_cause": ROOT_OF_SUBTYPE[subtype],
        "subtype": subtype,
        "confidence": 0.9,
        "confidence_level": "high",
        "conservative_mode": False,
        "pattern_state": "none",
        "difficulty_action": "maintain",
        "verdict": "wrong_answer",
        "language": "python",
    }
    fields.update(overrides)
    return ExplainerInstructions(**fields)  # type: ignore[arg-type]


def explain(subtype: str = "off_by_one", **overrides: object) -> Explanation:
    return TemplateExplainer().explain(instructions(subtype, **overrides))


def text(explanation: str, hint: str = "Trace the loop by hand.") -> Explanation:
    return Explanation(explanation=explanation, hint=hint, source="llm")


def test_vocabulary_covers_the_whole_taxonomy_with_the_names_themselves():
    assert tuple(SUBTYPE_TERMS) == ALL_SUBTYPES
    assert tuple(ROOT_CAUSE_TERMS) == ROOT_CAUSES
    for subtype, terms in SUBTYPE_TERMS.items():
        assert subtype.replace("_", " ") in terms


@pytest.mark.parametrize("subtype", ALL_SUBTYPES)
def test_every_template_is_consistent_with_every_decision(subtype):
    failures = []
    for level, conservative, state, action, evidence in itertools.product(
        LEVELS, (False, True), PATTERN_STATES, ACTIONS, ((), ALL_EVIDENCE)
    ):
        decision = instructions(
            subtype,
            confidence_level=level,
            conservative_mode=conservative,
            pattern_state=state,
            difficulty_action=action,
            evidence=evidence,
            loop_depth=3,
            estimated_complexity="O(n^3)",
            past_mistakes=(PastMistake("The loop stopped before the last element", subtype),),
        )
        result = TemplateExplainer().explain(decision)
        problems = check_explanation(result, decision)
        if problems:
            failures.append((level, conservative, state, action, len(evidence), problems))
        assert result.source == "template"
        assert 0 < len(result.explanation) <= MAX_EXPLANATION_CHARS
        assert 0 < len(result.hint) <= MAX_HINT_CHARS
        # Plain text: no markdown headers, and the hint hands over no code.
        assert "#" not in result.explanation + result.hint
        assert "`" not in result.hint
    assert failures == []


def test_cites_the_earliest_relevant_evidence_with_line_and_excerpt():
    evidence = (
        Evidence("off_by_one", 7, "range(0, n + 1)"),
        Evidence("nested_loop", 2, "loop depth 2"),
        Evidence("off_by_one", 4, "range(1, n)"),
    )
    result = explain(evidence=evidence)
    assert "line 4 (`range(1, n)`)" in result.explanation
    assert "line 7" not in result.explanation
    assert "line 2" not in result.explanation  # a nested loop is not off-by-one evidence
    assert "Start with line 4." in result.hint


def test_citation_ignores_evidence_order_and_only_quotes_given_findings():
    for subtype in ALL_SUBTYPES:
        forward = explain(subtype, evidence=ALL_EVIDENCE)
        backward = explain(subtype, evidence=tuple(reversed(ALL_EVIDENCE)))
        assert forward == backward
        for line, detail in CITATION.findall(forward.explanation):
            assert any(e.line == int(line) and e.detail == detail for e in ALL_EVIDENCE)


def test_same_line_tie_is_broken_by_the_more_telling_kind():
    evidence = (Evidence("boundary_risk", 4, "a[0]"), Evidence("off_by_one", 4, "range(1, n)"))
    assert "(`range(1, n)`)" in explain(evidence=evidence).explanation
    assert "(`range(1, n)`)" in explain(evidence=tuple(reversed(evidence))).explanation


def test_without_relevant_evidence_falls_back_to_a_generic_sentence():
    result = explain("state_mutation", evidence=(Evidence("off_by_one", 4, "range(1, n)"),))
    assert "line" not in result.explanation.replace("No single line", "")
    assert "No single line stands out" in result.explanation
    assert "Start with line" not in result.hint


def test_long_or_backticked_detail_is_clipped_and_cannot_break_quoting():
    detail = "x = `" + "a" * 200
    result = explain(evidence=(Evidence("off_by_one", 3, detail),))
    (line, quoted), *_ = CITATION.findall(result.explanation)
    assert line == "3"
    assert quoted.endswith("…")
    assert len(quoted) <= 40
    assert result.explanation.count("`") == 2


def test_efficiency_diagnosis_states_estimated_complexity_and_nesting():
    result = explain("wrong_complexity", estimated_complexity="O(n^2)", loop_depth=2)
    assert "The estimated running time is O(n^2), with loops nested 2 deep." in result.explanation
    assert "O(n^2)" not in explain("off_by_one", estimated_complexity="O(n^2)").explanation


@pytest.mark.parametrize("state", PATTERN_STATES)
def test_low_confidence_is_hedged_and_makes_no_pattern_claim(state):
    for overrides in ({"confidence_level": "low"}, {"conservative_mode": True}):
        result = explain(pattern_state=state, confidence=0.4, **overrides)
        assert result.explanation.startswith("This looks like it may be an off-by-one error")
        assert "because of" not in result.explanation
        lowered = result.explanation.lower()
        assert "recurring" not in lowered
        assert "pattern" not in lowered
        assert "improved" not in lowered


def test_high_confidence_is_direct_and_medium_is_qualified():
    high = explain(confidence_level="high").explanation
    medium = explain(confidence_level="medium", confidence=0.7).explanation
    assert high.startswith("Your submission failed (wrong answer) because of an off-by-one error")
    assert medium.startswith("Your submission failed (wrong answer) most likely because of")
    assert "may be" not in high


@pytest.mark.parametrize("level", ["high", "medium"])
def test_pattern_state_is_reported_when_confidence_allows(level):
    def sentence(state: str) -> str:
        return explain(confidence_level=level, pattern_state=state).explanation

    assert "This is a confirmed recurring issue" in sentence("confirmed")
    assert "This may be a recurring pattern." in sentence("suspected")
    assert "You've improved on this pattern" in sentence("stable")
    assert "pattern" not in sentence("none").lower()
    assert "recurring" not in sentence("none").lower()


def test_difficulty_sentence_follows_the_action():
    maintain = explain(difficulty_action="maintain").explanation
    increase = explain(difficulty_action="increase").explanation
    decrease = explain(difficulty_action="decrease").explanation
    assert "Stay at this level while you fix it." in maintain
    assert "Harder problems come next." in increase
    assert "Easier problems come next" in decrease
    for result in (maintain, decrease):
        assert "harder" not in result.lower()
    for result in (maintain, increase):
        assert "easier" not in result.lower()


def test_past_mistake_of_the_same_subtype_is_mentioned_once():
    mistakes = (
        PastMistake("Used < instead of <= in a binary search", "comparison_error"),
        PastMistake("Loop in two-sum skipped the last element.", "off_by_one"),
        PastMistake("Loop in merge stopped early", "off_by_one"),
    )
    result = explain(past_mistakes=mistakes)
    assert "You hit a similar issue before: Loop in two-sum skipped the last element." in (
        result.explanation
    )
    assert "binary search" not in result.explanation
    assert "merge" not in result.explanation


def test_past_mistake_that_would_contradict_the_decision_is_left_out():
    summary = "Edge case with an empty list, a recurring pattern"
    for level in ("high", "low"):
        decision = instructions(
            past_mistakes=(PastMistake(summary, "off_by_one"),), confidence_level=level
        )
        result = TemplateExplainer().explain(decision)
        assert "similar issue" not in result.explanation
        assert check_explanation(result, decision) == []


def test_long_past_mistake_is_clipped_and_keeps_the_explanation_in_budget():
    result = explain(
        "wrong_complexity",
        pattern_state="confirmed",
        evidence=(Evidence("nested_loop", 2, "x" * 300),),
        estimated_complexity="O(n^3)",
        loop_depth=3,
        past_mistakes=(PastMistake("word " * 100, "wrong_complexity"),),
    )
    summary = re.search(r"You hit a similar issue before: (word[^.]*…) Stay", result.explanation)
    assert summary is not None
    assert len(summary.group(1)) <= 100
    assert len(result.explanation) <= MAX_EXPLANATION_CHARS


def test_output_is_deterministic():
    def build() -> ExplainerInstructions:
        return instructions(
            "missing_memoization",
            pattern_state="suspected",
            confidence_level="medium",
            evidence=ALL_EVIDENCE,
            estimated_complexity="O(2^n)",
            past_mistakes=(PastMistake("Fibonacci recursion recomputed values", "x"),),
        )

    first = TemplateExplainer().explain(build())
    assert all(TemplateExplainer().explain(build()) == first for _ in range(5))


def test_invalid_decisions_are_rejected():
    with pytest.raises(SubtypeValidationError):
        instructions("off_by_one", root_cause="efficiency")
    with pytest.raises(ValueError, match="confidence_level"):
        instructions(confidence_level="certain")
    with pytest.raises(ValueError, match="pattern_state"):
        instructions(pattern_state="chronic")
    with pytest.raises(ValueError, match="difficulty_action"):
        instructions(difficulty_action="skip")
    with pytest.raises(ValueError, match="confidence"):
        instructions(confidence=1.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        instructions().subtype = "comparison_error"  # type: ignore[misc]


# --- check_explanation on hand-written (LLM-like) texts ------------------------------------------


def test_accepts_a_consistent_free_text():
    decision = instructions(pattern_state="confirmed", difficulty_action="maintain")
    consistent = text(
        "Your loop stops one element early: a classic Off-By-One mistake you have made again. "
        "Keep practising at this level.",
        hint="Compare `for i in range(1, n)` with the indices the problem needs.",
    )
    assert check_explanation(consistent, decision) == []


def test_catches_another_subtype_named_or_paraphrased():
    decision = instructions()
    for wording in ("a comparison_error", "a Comparison-Error", "a wrong comparison"):
        problems = check_explanation(text(f"This is an off-by-one, i.e. {wording}."), decision)
        assert problems == ["mentions subtype 'comparison_error' but decision is 'off_by_one'"]
    problems = check_explanation(
        text("An off-by-one error.", hint="Also watch the edge cases."), decision
    )
    assert problems == ["mentions subtype 'boundary_condition' but decision is 'off_by_one'"]


def test_catches_another_root_cause_as_the_diagnosis():
    problems = check_explanation(
        text("This off-by-one error is really an efficiency problem."), instructions()
    )
    assert problems == ["mentions root cause 'efficiency' but decision is 'correctness'"]
    # The bare word is ordinary prose, not a diagnosis.
    assert check_explanation(text("Your implementation has an off-by-one."), instructions()) == []


def test_catches_a_missing_decided_subtype():
    problems = check_explanation(text("Something is wrong in your loop."), instructions())
    assert problems == ["does not mention the decided subtype 'off_by_one'"]


def test_catches_a_confirmed_pattern_left_unmentioned():
    decision = instructions(pattern_state="confirmed")
    assert check_explanation(text("An off-by-one error on line 4."), decision) == [
        "does not mention the confirmed recurring pattern"
    ]
    assert check_explanation(text("An off-by-one error, again."), decision) == []
    # Under low confidence a confirmed pattern must not be claimed, so it need not be mentioned.
    low = instructions(pattern_state="confirmed", confidence_level="low", confidence=0.4)
    assert check_explanation(text("Possibly an off-by-one error."), low) == []


def test_catches_a_pattern_claim_under_low_confidence_or_conservative_mode():
    claim = text("Possibly an off-by-one error; this is a recurring issue for you.")
    for overrides in ({"confidence_level": "low"}, {"conservative_mode": True}):
        problems = check_explanation(claim, instructions(pattern_state="suspected", **overrides))
        assert problems == ["claims a pattern although confidence is low or conservative"]
    assert check_explanation(claim, instructions(pattern_state="suspected")) == []


def test_catches_difficulty_language_against_the_action():
    harder = text("An off-by-one error. Try a harder problem next.")
    assert check_explanation(harder, instructions(difficulty_action="maintain")) == [
        "suggests harder problems but difficulty action is 'maintain'"
    ]
    assert check_explanation(harder, instructions(difficulty_action="decrease")) == [
        "suggests harder problems but difficulty action is 'decrease'"
    ]
    assert check_explanation(harder, instructions(difficulty_action="increase")) == []
    easier = text("An off-by-one error.", hint="Let's lower the difficulty for a while.")
    assert check_explanation(easier, instructions(difficulty_action="increase")) == [
        "suggests easier problems but difficulty action is 'increase'"
    ]
    assert check_explanation(easier, instructions(difficulty_action="decrease")) == []


def test_quoted_code_is_not_read_as_a_claim():
    quoted = text("An off-by-one error at line 3 (`memo = pattern_cache()  # edge case`).")
    assert check_explanation(quoted, instructions(confidence_level="low", confidence=0.3)) == []
    unquoted = text("An off-by-one error at line 3 (memo = pattern_cache()  # edge case).")
    assert check_explanation(unquoted, instructions(confidence_level="low", confidence=0.3))
