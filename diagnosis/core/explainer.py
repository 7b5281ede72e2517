"""Turns a MIM decision into feedback text that may not override it (001 §5, §6.3; 000 §3 step 8).

The decision arrives as ``ExplainerInstructions``: root cause and subtype (must be used), confidence
(sets the tone), pattern state (must be mentioned when confirmed) and difficulty action (must not be
contradicted). ``TemplateExplainer`` is the deterministic default: one template per subtype that
cites the code evidence by line. ``check_explanation`` lists the ways any explainer's text
contradicts the decision; a later LLM backend is validated with it and falls back to the template.

Tone: LOW confidence or conservative mode gives hedged wording and no pattern claims at all, so a
confirmed pattern is only mentioned when the current diagnosis is trusted (001 §3.3).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Protocol

from diagnosis.core.difficulty import DifficultyAction
from diagnosis.core.patterns import ConfidenceTier, PatternStateName
from diagnosis.core.taxonomy import ALL_SUBTYPES, ROOT_CAUSES, RootCause, validate_pair

MAX_EXPLANATION_CHARS = 600
MAX_HINT_CHARS = 300
# Quoted code and remembered summaries are cut so the optional sentences fit the budgets above.
_MAX_DETAIL_CHARS = 40
_MAX_SUMMARY_CHARS = 100


@dataclass(frozen=True, slots=True)
class Evidence:
    """One code finding; ``line`` is 1-based, ``detail`` a short source excerpt or description."""

    kind: str
    line: int
    detail: str


@dataclass(frozen=True, slots=True)
class PastMistake:
    """A retrieved memory of the learner's earlier mistake."""

    summary: str
    subtype: str


@dataclass(frozen=True, slots=True)
class ExplainerInstructions:
    """The MIM decision handed to an explainer; every field is binding (001 §6.3)."""

    root_cause: str
    subtype: str
    confidence: float
    confidence_level: str
    conservative_mode: bool
    pattern_state: str
    difficulty_action: str
    verdict: str
    language: str
    evidence: tuple[Evidence, ...] = ()
    loop_depth: int = 0
    estimated_complexity: str = ""
    past_mistakes: tuple[PastMistake, ...] = ()

    def __post_init__(self) -> None:
        validate_pair(self.root_cause, self.subtype)
        problems = []
        if not 0.0 <= self.confidence <= 1.0:
            problems.append(f"confidence {self.confidence!r} is outside [0, 1]")
        if self.confidence_level not in tuple(ConfidenceTier):
            problems.append(f"unknown confidence_level {self.confidence_level!r}")
        if self.pattern_state not in tuple(PatternStateName):
            problems.append(f"unknown pattern_state {self.pattern_state!r}")
        if self.difficulty_action not in tuple(DifficultyAction):
            problems.append(f"unknown difficulty_action {self.difficulty_action!r}")
        if problems:
            raise ValueError("invalid explainer instructions: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class Explanation:
    explanation: str
    hint: str
    source: str


class Explainer(Protocol):
    name: str

    def explain(self, instructions: ExplainerInstructions) -> Explanation: ...


def is_hedged(instructions: ExplainerInstructions) -> bool:
    """Whether the decision is too uncertain for direct wording or pattern claims (001 §3.3)."""
    return instructions.conservative_mode or instructions.confidence_level == ConfidenceTier.LOW


# --- vocabulary: the words that name a diagnosis ------------------------------------------------

_SUBTYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "off_by_one": ("fencepost", "one too many", "one too few"),
    "boundary_condition": ("edge case", "corner case"),
    "comparison_error": ("wrong comparison", "incorrect comparison"),
    "wrong_invariant": ("incorrect invariant", "broken invariant", "loop invariant"),
    "partial_case_handling": ("missing case", "unhandled case"),
    "wrong_complexity": ("time complexity", "algorithmic complexity"),
    "suboptimal_data_structure": (
        "better data structure",
        "wrong data structure",
        "inefficient data structure",
    ),
    "redundant_operations": ("redundant operation", "redundant work", "repeated work"),
    "missing_memoization": ("memoization", "memoisation", "memoize", "memoise", "memoized"),
    "null_reference": ("null pointer", "null dereference", "nonetype"),
    "type_mismatch": ("type error", "typeerror", "type conversion", "wrong type"),
    "state_mutation": ("unintended mutation", "mutable state", "mutated state"),
    "resource_leak": ("memory leak", "unclosed resource", "leaked resource"),
    "misread_constraints": (
        "misread the constraints",
        "misreading of the constraints",
        "misreading the constraints",
        "misinterpreted the constraints",
    ),
    "wrong_problem_entirely": ("wrong problem", "different problem"),
    "missing_requirements": ("missing requirement", "unmet requirement", "incomplete solution"),
}
# A bare "correctness" or "implementation" is ordinary prose ("your implementation ..."), so a
# one-word root cause only counts as a diagnosis together with a noun that makes it one.
_DIAGNOSIS_NOUNS = ("issue", "problem", "error", "bug", "mistake")
_ROOT_CAUSE_SYNONYMS: dict[str, tuple[str, ...]] = {
    RootCause.CORRECTNESS: ("logic error", "logical error", "logic bug"),
    RootCause.EFFICIENCY: ("performance issue", "performance problem"),
    RootCause.IMPLEMENTATION: ("coding error",),
    RootCause.UNDERSTANDING_GAP: (
        "misunderstood the problem",
        "misunderstanding of the problem",
        "misread the problem",
    ),
}


def _root_cause_names(root_cause: str) -> tuple[str, ...]:
    spaced = root_cause.replace("_", " ")
    if " " in spaced:
        return (spaced,)
    return tuple(f"{spaced} {noun}" for noun in _DIAGNOSIS_NOUNS)


SUBTYPE_TERMS: dict[str, tuple[str, ...]] = {
    s: (s.replace("_", " "), *_SUBTYPE_SYNONYMS[s]) for s in ALL_SUBTYPES
}
ROOT_CAUSE_TERMS: dict[str, tuple[str, ...]] = {
    rc: (*_root_cause_names(rc), *_ROOT_CAUSE_SYNONYMS[rc]) for rc in ROOT_CAUSES
}
# "again" confirms a mention but is too common ("run it again") to count as a claim.
_PATTERN_MENTION_TERMS = ("recurring", "pattern", "again")
_PATTERN_CLAIM_TERMS = ("recurring", "pattern", "you've improved", "you have improved")
_PROBLEM_NOUNS = r"(?:problem|challenge|exercise|question|task|level)s?"
_HARDER = re.compile(
    rf"\b(?:harder {_PROBLEM_NOUNS}|more (?:difficult|challenging) {_PROBLEM_NOUNS}"
    r"|(?:increase|raise) (?:the )?difficulty)\b"
)
_EASIER = re.compile(
    rf"\b(?:easier {_PROBLEM_NOUNS}|simpler {_PROBLEM_NOUNS}"
    r"|(?:decrease|lower|reduce) (?:the )?difficulty)\b"
)
_QUOTED_CODE = re.compile(r"`[^`]*`")


def _normalise(text: str) -> str:
    """Lower case, quoted code removed, hyphens/underscores as spaces, single spaces."""
    text = _QUOTED_CODE.sub(" ", text).replace("\u2019", "'").lower()
    return " ".join(re.sub(r"[-_]", " ", text).split())


@functools.cache
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation of ``terms`` as whole words, plural allowed (built once: the
    explainer checks every candidate text against every subtype's terms)."""
    alternatives = "|".join(re.escape(_normalise(term)) for term in terms)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?:s|es)?(?![a-z0-9])")


def _mentions(text: str, terms: tuple[str, ...]) -> bool:
    """Whether normalised ``text`` contains one of ``terms`` as whole words (plural allowed)."""
    return _terms_pattern(terms).search(text) is not None


def check_explanation(explanation: Explanation, instructions: ExplainerInstructions) -> list[str]:
    """Return the ways an explanation contradicts the decision (empty = consistent).

    Text inside backticks is quoted code and never counts as a claim.
    """
    explanation_text = _normalise(explanation.explanation)
    text = _normalise(f"{explanation.explanation}\n{explanation.hint}")
    decided = instructions.subtype
    problems = [
        f"mentions subtype {other!r} but decision is {decided!r}"
        for other, terms in SUBTYPE_TERMS.items()
        if other != decided and _mentions(text, terms)
    ]
    problems.extend(
        f"mentions root cause {other!r} but decision is {instructions.root_cause!r}"
        for other, terms in ROOT_CAUSE_TERMS.items()
        if other != instructions.root_cause and _mentions(text, terms)
    )
    if not _mentions(explanation_text, SUBTYPE_TERMS[decided]):
        problems.append(f"does not mention the decided subtype {decided!r}")
    if is_hedged(instructions):
        if _mentions(text, _PATTERN_CLAIM_TERMS):
            problems.append("claims a pattern although confidence is low or conservative")
    elif instructions.pattern_state == PatternStateName.CONFIRMED and not _mentions(
        explanation_text, _PATTERN_MENTION_TERMS
    ):
        problems.append("does not mention the confirmed recurring pattern")
    action = instructions.difficulty_action
    if action != DifficultyAction.INCREASE and _HARDER.search(text):
        problems.append(f"suggests harder problems but difficulty action is {action!r}")
    if action != DifficultyAction.DECREASE and _EASIER.search(text):
        problems.append(f"suggests easier problems but difficulty action is {action!r}")
    return problems


# --- templates ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Template:
    label: str  # names the subtype with one of its SUBTYPE_TERMS, article included
    meaning: str  # a noun phrase defining the label
    evidence_kinds: tuple[str, ...]  # finding kinds worth citing, most telling first
    check: str  # what to check at the cited line, lower case, imperative
    generic: str  # the sentence used when no finding is relevant
    hint: str


_TEMPLATES: dict[str, _Template] = {
    "off_by_one": _Template(
        label="an off-by-one error",
        meaning="a loop or index bound that goes one step too far or stops one step short",
        evidence_kinds=("off_by_one", "boundary_risk"),
        check="check where this bound starts and where it stops",
        generic="No single line stands out, so check every loop bound and index against the "
        "first and last element.",
        hint="Trace the loop by hand on the smallest input and compare the first and last index "
        "it touches with the ones the problem needs.",
    ),
    "boundary_condition": _Template(
        label="a mishandled boundary condition",
        meaning="an input at the extremes (empty, smallest or largest) that takes a wrong path",
        evidence_kinds=("boundary_risk", "overflow_risk", "off_by_one", "null_risk"),
        check="check what happens here for an empty or extreme input",
        generic="No single line stands out, so check what your code does for empty, single "
        "and largest inputs.",
        hint="List the extreme inputs (empty, a single element, the largest values) and run "
        "your code on each of them by hand.",
    ),
    "comparison_error": _Template(
        label="a comparison error",
        meaning="a condition that uses the wrong operator or compares the wrong values",
        evidence_kinds=("type_risk", "null_risk", "off_by_one"),
        check="check which operator and which values this condition needs",
        generic="No single line stands out, so check each condition, especially how it "
        "treats equal values.",
        hint="For each condition, write down one input where it should hold and one where it "
        "should not, including equal values, and test both.",
    ),
    "wrong_invariant": _Template(
        label="a wrong invariant",
        meaning="a property the loop relies on that stops holding on some iteration",
        evidence_kinds=("off_by_one", "mutation_risk", "boundary_risk"),
        check="check what must stay true each time this code runs",
        generic="No single line stands out, so check what each loop assumes at the start of "
        "every iteration.",
        hint="Write down what should be true at the start of every iteration and check that "
        "it still holds after each update.",
    ),
    "partial_case_handling": _Template(
        label="a missing case",
        meaning="a kind of input your code has no correct path for",
        evidence_kinds=("boundary_risk", "null_risk"),
        check="check which inputs reach this line and which ones never do",
        generic="No single line stands out, so check which kinds of input your branches cover.",
        hint="Sort the possible inputs into groups and make sure every group reaches a "
        "correct result.",
    ),
    "wrong_complexity": _Template(
        label="an algorithm with the wrong time complexity",
        meaning="an approach whose running time grows too fast for the input limits",
        evidence_kinds=("nested_loop", "inefficiency", "recursion"),
        check="check how often this runs for the largest input",
        generic="No single line stands out, so estimate how many steps your approach takes "
        "for the largest input.",
        hint="Estimate how many steps your code takes for the largest input and look for an "
        "approach that avoids the innermost repetition.",
    ),
    "suboptimal_data_structure": _Template(
        label="a suboptimal data structure",
        meaning="a structure that makes a frequent operation slower than needed",
        evidence_kinds=("inefficiency", "nested_loop"),
        check="check how costly this operation is on the structure you chose",
        generic="No single line stands out, so check which operation your code performs most "
        "often.",
        hint="Ask which operation your code performs most often and pick a structure that "
        "makes exactly that operation fast.",
    ),
    "redundant_operations": _Template(
        label="redundant operations",
        meaning="work that is done many more times than needed",
        evidence_kinds=("inefficiency", "nested_loop"),
        check="check whether this work is redone although its result could be kept",
        generic="No single line stands out, so check which values your code computes more "
        "than once.",
        hint="Find the values your code computes more than once and arrange to compute each "
        "of them a single time.",
    ),
    "missing_memoization": _Template(
        label="missing memoization",
        meaning="subproblems that are computed over and over instead of being stored",
        evidence_kinds=("recursion", "inefficiency"),
        check="check how many times this runs with the same arguments",
        generic="No single line stands out, so check whether your recursion reaches the same "
        "arguments more than once.",
        hint="Check whether the same arguments come back in your calls; if they do, keep "
        "each result the first time you compute it.",
    ),
    "null_reference": _Template(
        label="a null reference",
        meaning="a value that may be missing (None or null) used as if it were always there",
        evidence_kinds=("null_risk", "boundary_risk"),
        check="check whether this value can be missing here",
        generic="No single line stands out, so check every value that a lookup or search can "
        "leave empty.",
        hint="Before using a value, ask whether it can be missing for some input and decide "
        "what should happen then.",
    ),
    "type_mismatch": _Template(
        label="a type mismatch",
        meaning="a value used as a different type than it holds, such as text used as a number",
        evidence_kinds=("type_risk", "overflow_risk"),
        check="check the type of the value used here",
        generic="No single line stands out, so check how each input value is read and converted.",
        hint="Print the types of the values you read and convert each one once, right where "
        "you read it.",
    ),
    "state_mutation": _Template(
        label="an unintended state mutation",
        meaning="data changed in place while other code still relies on its old value",
        evidence_kinds=("mutation_risk",),
        check="check what else relies on this data before it changes",
        generic="No single line stands out, so check every place that changes shared data "
        "in place.",
        hint="Find where shared data changes and check whether any other code expected the "
        "earlier value.",
    ),
    "resource_leak": _Template(
        label="a resource leak",
        meaning="a file, connection or allocation that is opened but never released",
        evidence_kinds=("resource_risk",),
        check="check where this resource is released",
        generic="No single line stands out, so check every file, connection or allocation "
        "your code opens.",
        hint="For every file or connection you open, find the line where it is closed, on "
        "every path through the code.",
    ),
    "misread_constraints": _Template(
        label="a misreading of the constraints",
        meaning="assumed limits or value ranges that differ from the problem statement",
        evidence_kinds=("overflow_risk", "type_risk"),
        check="check this against the limits given in the statement",
        generic="No single line stands out, so compare the limits in the statement with what "
        "your code assumes.",
        hint="Reread the input limits and value ranges in the statement and compare them with "
        "what your code assumes.",
    ),
    "wrong_problem_entirely": _Template(
        label="solving the wrong problem",
        meaning="code that answers a different question than the statement asks",
        evidence_kinds=(),
        check="",
        generic="Compare what your program prints for the sample with what the statement asks for.",
        hint="Reread the statement and work through the sample by hand before comparing it "
        "with what your code prints.",
    ),
    "missing_requirements": _Template(
        label="a missing requirement",
        meaning="part of the required behaviour or output that is not implemented",
        evidence_kinds=(),
        check="",
        generic="Compare every rule and output the statement asks for with what your code does.",
        hint="Reread the statement, list every required output and rule, and tick off the "
        "ones your code handles.",
    ),
}

_PATTERN_SENTENCES = {
    PatternStateName.SUSPECTED: "This may be a recurring pattern.",
    PatternStateName.CONFIRMED: "This is a confirmed recurring issue in your recent submissions.",
    PatternStateName.STABLE: "You've improved on this pattern, so treat this one as a slip.",
}
_DIFFICULTY_SENTENCES = {
    DifficultyAction.INCREASE: "Harder problems come next.",
    DifficultyAction.MAINTAIN: "Stay at this level while you fix it.",
    DifficultyAction.DECREASE: "Easier problems come next, to strengthen the fundamentals.",
}


def _clip(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, with no backticks to break the quoting."""
    text = " ".join(text.replace("`", "'").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cited(template: _Template, evidence: tuple[Evidence, ...]) -> Evidence | None:
    """The relevant finding on the earliest line, ties broken by the template's kind order."""
    relevant = [e for e in evidence if e.kind in template.evidence_kinds]
    if not relevant:
        return None
    return min(relevant, key=lambda e: (e.line, template.evidence_kinds.index(e.kind), e.detail))


def _opening(template: _Template, instructions: ExplainerInstructions) -> str:
    if is_hedged(instructions):
        return f"This looks like it may be {template.label} ({template.meaning})."
    verdict = instructions.verdict.replace("_", " ").strip()
    failed = f"Your submission failed ({verdict})" if verdict else "Your submission failed"
    if instructions.confidence_level == ConfidenceTier.HIGH:
        return f"{failed} because of {template.label}: {template.meaning}."
    return f"{failed} most likely because of {template.label}: {template.meaning}."


def _evidence_sentence(template: _Template, cited: Evidence | None, *, hedged: bool) -> str:
    if cited is None:
        return template.generic
    where = f"line {cited.line} (`{_clip(cited.detail, _MAX_DETAIL_CHARS)}`)"
    if hedged:
        return f"One place that may be involved is {where}: {template.check}."
    return f"Look at {where}: {template.check}."


def _complexity_sentence(instructions: ExplainerInstructions, *, hedged: bool) -> str:
    complexity = _clip(instructions.estimated_complexity, _MAX_DETAIL_CHARS)
    if instructions.root_cause != RootCause.EFFICIENCY or not complexity:
        return ""
    depth = instructions.loop_depth
    nesting = f", with loops nested {depth} deep" if depth > 1 else ""
    if hedged:
        return f"The running time may be around {complexity}{nesting}."
    return f"The estimated running time is {complexity}{nesting}."


def _past_mistake_sentence(instructions: ExplainerInstructions) -> str:
    for mistake in instructions.past_mistakes:
        summary = _clip(mistake.summary, _MAX_SUMMARY_CHARS)
        if mistake.subtype == instructions.subtype and summary:
            ending = "" if summary.endswith((".", "!", "?", "…")) else "."
            return f"You hit a similar issue before: {summary}{ending}"
    return ""


class TemplateExplainer:
    """The default explainer: deterministic per-subtype templates citing the code evidence."""

    name = "template"

    def explain(self, instructions: ExplainerInstructions) -> Explanation:
        template = _TEMPLATES[instructions.subtype]
        hedged = is_hedged(instructions)
        cited = _cited(template, instructions.evidence)
        pattern = "" if hedged else _PATTERN_SENTENCES.get(instructions.pattern_state, "")
        hint = template.hint if cited is None else f"{template.hint} Start with line {cited.line}."
        # (sentence, optional) in reading order.
        slots = [
            (_opening(template, instructions), False),
            (_evidence_sentence(template, cited, hedged=hedged), False),
            (_complexity_sentence(instructions, hedged=hedged), True),
            (pattern, False),
            (_past_mistake_sentence(instructions), True),
            (_DIFFICULTY_SENTENCES[instructions.difficulty_action], False),
        ]
        kept = [not optional for _, optional in slots]
        explanation = self._render(slots, kept, hint)
        # Optional sentences go in only while they fit and keep the text consistent: a remembered
        # summary is free text and may itself name another diagnosis.
        for index, (sentence, optional) in enumerate(slots):
            if not (optional and sentence):
                continue
            trial = [keep or i == index for i, keep in enumerate(kept)]
            candidate = self._render(slots, trial, hint)
            if len(candidate.explanation) <= MAX_EXPLANATION_CHARS and not check_explanation(
                candidate, instructions
            ):
                kept, explanation = trial, candidate
        return explanation

    def _render(self, slots: list[tuple[str, bool]], kept: list[bool], hint: str) -> Explanation:
        text = " ".join(s for (s, _), keep in zip(slots, kept, strict=True) if keep and s)
        return Explanation(explanation=text, hint=hint, source=self.name)
