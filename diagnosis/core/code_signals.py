"""Static code signals of a submission: one Python AST pass or a regex fallback (000 §1.1)."""

from __future__ import annotations

import ast
import math
import re
import warnings
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any, NamedTuple

FINDING_KINDS: tuple[str, ...] = (
    "off_by_one",
    "boundary_risk",
    "inefficiency",
    "overflow_risk",
    "nested_loop",
    "recursion",
    "memoization",
    "null_risk",
    "type_risk",
    "mutation_risk",
    "resource_risk",
    "syntax_error",
)
COMPLEXITY_CLASSES: tuple[str, ...] = (
    "O(1)",
    "O(log n)",
    "O(n)",
    "O(n log n)",
    "O(n^2)",
    "O(n^3)",
    "O(2^n)",
)
# Language-neutral static-analysis counts (see _code_profile): comparison profile, loop state,
# arithmetic, literals, input/output, case handling, types, null safety, mutation, resources and
# the problem tags' traces.
PROFILE_FEATURES: tuple[str, ...] = (
    "cmp_strict_count",
    "cmp_nonstrict_count",
    "cmp_equality_count",
    "cmp_mixed_strictness",
    "cmp_literal_bound_count",
    "state_reset_in_loop",
    "state_extreme_updated_before_test",
    "state_product_unreduced",
    "arith_modulo_count",
    "arith_large_modulus",
    "arith_true_division",
    "lit_magic_count",
    "lit_max_log10",
    "io_read_count",
    "io_read_in_loop",
    "io_write_count",
    "io_write_in_loop",
    "io_joined_output",
    "io_raw_token_use",
    "case_guard_return_count",
    "case_empty_check_count",
    "case_negative_check_count",
    "case_return_count",
    "case_sentinel_return_count",
    "case_shifted_return_count",
    "case_literal_branch_count",
    "case_catch_all_else_count",
    "type_conversion_count",
    "type_string_concat_count",
    "null_check_count",
    "null_source_count",
    "mut_argument_mutation",
    "mut_shared_state_mutation",
    "res_open_count",
    "res_close_count",
    "res_snapshot_in_loop",
    "tag_trace_missing",
    "tag_trace_share",
)
CODE_SIGNAL_FEATURES: tuple[str, ...] = (
    "ast_max_loop_depth",
    "ast_max_condition_depth",
    "ast_loop_count",
    "ast_condition_count",
    "ast_function_count",
    "ast_has_recursion",
    "ast_has_memoization",
    "ast_off_by_one_risk",
    "ast_complexity_rank",
    "pattern_off_by_one_count",
    "pattern_boundary_risk_count",
    "pattern_inefficiency_count",
    "pattern_overflow_risk_count",
    "code_correctness_risk",
    "code_efficiency_risk",
    "code_implementation_risk",
    "code_boundary_risk",
    "code_understanding_risk",
    "code_line_count",
    "code_parsed",
    *PROFILE_FEATURES,
)
LANGUAGES: tuple[str, ...] = ("python", "cpp", "java", "javascript")

# Input caps: junk must not make the hot path slow.
MAX_CODE_CHARS = 200_000
MAX_LINES = 2000
MAX_FINDINGS = 50
MAX_DETAIL_CHARS = 80
# Loops over at most this many items (range(26), a literal direction list) cost O(1).
CONSTANT_LOOP_BOUND = 64
# The fallback reads at most this many characters of a line or loop header, which bounds the
# cost of every per-line regex; comprehension loops beyond the cap on one line are ignored.
MAX_LINE_CHARS = 500
MAX_INLINE_LOOPS = 8
# Enclosing loops looked at for one question (same collection, index variable, cost path).
MAX_LOOP_WALK = 32
# Per-loop cap on scanned body lines for mutation-while-iterating in the fallback.
MAX_MUTATION_SCAN_LINES = 200

_LANGUAGE_ALIASES: dict[str, str] = {
    "python": "python",
    "python3": "python",
    "python2": "python",
    "py": "python",
    "py3": "python",
    "pypy": "python",
    "pypy3": "python",
    "cpp": "cpp",
    "c++": "cpp",
    "cc": "cpp",
    "cxx": "cpp",
    "c++11": "cpp",
    "c++14": "cpp",
    "c++17": "cpp",
    "c++20": "cpp",
    "gnu++17": "cpp",
    "java": "java",
    "java8": "java",
    "java11": "java",
    "java17": "java",
    "javascript": "javascript",
    "js": "javascript",
    "node": "javascript",
    "nodejs": "javascript",
}
_VERDICT_ALIASES: dict[str, str] = {
    "wrong_answer": "wrong_answer",
    "wa": "wrong_answer",
    "time_limit_exceeded": "time_limit_exceeded",
    "tle": "time_limit_exceeded",
    "timeout": "time_limit_exceeded",
    "memory_limit_exceeded": "memory_limit_exceeded",
    "mle": "memory_limit_exceeded",
    "runtime_error": "runtime_error",
    "re": "runtime_error",
    "rte": "runtime_error",
    "compilation_error": "compilation_error",
    "compile_error": "compilation_error",
    "ce": "compilation_error",
}
# Problem tags whose idiom should leave a trace in the code; a missing trace hints at a
# misunderstanding of the intended approach.
_TAGS_NEEDING_MEMO = frozenset({"dp", "dynamic_programming", "memoization"})
_TAGS_NEEDING_LOG = frozenset({"binary_search"})
_TAGS_NEEDING_SORT = frozenset({"sorting", "sort"})
_TAGS_NEEDING_RECURSION = frozenset({"recursion", "backtracking", "divide_and_conquer"})
_TAGS_NEEDING_ITERATION = frozenset({"graphs", "graph", "bfs", "dfs", "trees", "tree"})

_RANK = {name: index for index, name in enumerate(COMPLEXITY_CLASSES)}
_RANK_LOG, _RANK_N, _RANK_N_LOG_N, _RANK_EXP = 1, 2, 3, 6


@dataclass(frozen=True, slots=True)
class Finding:
    """One located observation; ``detail`` is a short source excerpt or description."""

    kind: str
    line: int
    detail: str


@dataclass(frozen=True, slots=True)
class CodeSignals:
    """Everything the diagnosis reads from the code; ``as_features`` is the model's view."""

    language: str
    parsed: bool
    line_count: int
    max_loop_depth: int
    max_condition_depth: int
    loop_count: int
    condition_count: int
    function_count: int
    has_recursion: bool
    has_memoization: bool
    off_by_one_count: int
    boundary_risk_count: int
    inefficiency_count: int
    overflow_risk_count: int
    off_by_one_risk: float
    correctness_risk: float
    efficiency_risk: float
    implementation_risk: float
    boundary_risk: float
    understanding_risk: float
    estimated_complexity: str
    findings: tuple[Finding, ...]
    profile: tuple[float, ...] = (0.0,) * len(PROFILE_FEATURES)

    def as_features(self) -> dict[str, float]:
        """The CODE_SIGNAL_FEATURES vector, in that order, as finite floats."""
        return {
            "ast_max_loop_depth": float(self.max_loop_depth),
            "ast_max_condition_depth": float(self.max_condition_depth),
            "ast_loop_count": float(self.loop_count),
            "ast_condition_count": float(self.condition_count),
            "ast_function_count": float(self.function_count),
            "ast_has_recursion": 1.0 if self.has_recursion else 0.0,
            "ast_has_memoization": 1.0 if self.has_memoization else 0.0,
            "ast_off_by_one_risk": float(self.off_by_one_risk),
            "ast_complexity_rank": float(_RANK.get(self.estimated_complexity, 0)),
            "pattern_off_by_one_count": float(self.off_by_one_count),
            "pattern_boundary_risk_count": float(self.boundary_risk_count),
            "pattern_inefficiency_count": float(self.inefficiency_count),
            "pattern_overflow_risk_count": float(self.overflow_risk_count),
            "code_correctness_risk": float(self.correctness_risk),
            "code_efficiency_risk": float(self.efficiency_risk),
            "code_implementation_risk": float(self.implementation_risk),
            "code_boundary_risk": float(self.boundary_risk),
            "code_understanding_risk": float(self.understanding_risk),
            "code_line_count": float(self.line_count),
            "code_parsed": 1.0 if self.parsed else 0.0,
        } | dict(zip(PROFILE_FEATURES, self.profile, strict=True))

    def lines_of(self, kind: str) -> tuple[int, ...]:
        """Sorted unique lines of the (capped) findings of one kind."""
        return tuple(sorted({f.line for f in self.findings if f.kind == kind}))


@dataclass(frozen=True, slots=True)
class CodeSignalWeights:
    """Per-evidence probabilities that the risk scores combine by noisy-or.

    A risk is ``1 - prod((1 - p_i) ** n_i)`` over its evidence kinds: each finding (or verdict,
    or excess loop level) is read as an independent chance ``p_i`` that this cause is real. The
    result is in [0, 1], deterministic, and monotone in every count. The evidence per risk:

    - off_by_one: off-by-one findings.
    - correctness: off-by-one, boundary and overflow findings; a wrong_answer verdict.
    - efficiency: inefficiency findings; loop levels beyond the first; complexity classes above
      O(n log n); an exponential estimate; time/memory limit verdicts.
    - implementation: null/type/mutation/resource findings; a syntax error; runtime or
      compilation error verdicts.
    - boundary: boundary and off-by-one findings; wrong_answer and runtime_error verdicts.
    - understanding: problem-tag families without a trace in the code (dp without memo, binary
      search without halving, sorting without a sort, ...); trivially short code; a wrong
      answer that no correctness finding explains.

    A config section can override these defaults with ``CodeSignalWeights(**section)``.
    """

    off_by_one: float = 0.4
    correctness_off_by_one: float = 0.35
    correctness_boundary: float = 0.2
    correctness_overflow: float = 0.3
    correctness_wrong_answer: float = 0.3
    efficiency_inefficiency: float = 0.3
    efficiency_per_extra_loop_level: float = 0.15
    efficiency_per_class_above_n_log_n: float = 0.2
    efficiency_exponential: float = 0.4
    efficiency_time_limit: float = 0.5
    efficiency_memory_limit: float = 0.3
    implementation_finding: float = 0.3
    implementation_syntax_error: float = 0.9
    implementation_runtime_error: float = 0.4
    implementation_compilation_error: float = 0.6
    boundary_boundary: float = 0.35
    boundary_off_by_one: float = 0.15
    boundary_wrong_answer: float = 0.15
    boundary_runtime_error: float = 0.25
    understanding_tag_mismatch: float = 0.3
    understanding_trivial_code: float = 0.3
    understanding_unexplained_wrong_answer: float = 0.2
    trivial_code_max_lines: int = 2


DEFAULT_WEIGHTS = CodeSignalWeights()


def empty_signals(language: str) -> CodeSignals:
    """Signals of empty code: all zeros, O(1), no findings."""
    return CodeSignals(
        language=_normalise_language(language),
        parsed=False,
        line_count=0,
        max_loop_depth=0,
        max_condition_depth=0,
        loop_count=0,
        condition_count=0,
        function_count=0,
        has_recursion=False,
        has_memoization=False,
        off_by_one_count=0,
        boundary_risk_count=0,
        inefficiency_count=0,
        overflow_risk_count=0,
        off_by_one_risk=0.0,
        correctness_risk=0.0,
        efficiency_risk=0.0,
        implementation_risk=0.0,
        boundary_risk=0.0,
        understanding_risk=0.0,
        estimated_complexity=COMPLEXITY_CLASSES[0],
        findings=(),
    )


def extract_code_signals(
    *,
    code: str | bytes,
    language: str,
    verdict: str | None = None,
    problem_tags: Sequence[str] = (),
    weights: CodeSignalWeights = DEFAULT_WEIGHTS,
) -> CodeSignals:
    """Analyse one submission; never raises and never returns NaN, whatever the input.

    Python goes through one ``ast.parse`` and one iterative traversal; other languages, unknown
    languages and Python that does not parse go through the brace/indent regex fallback. Only
    the first MAX_LINES lines / MAX_CODE_CHARS characters are read.
    """
    lang = _normalise_language(language)
    text = _normalise_code(code)
    if not text.strip():
        return empty_signals(lang)
    lines = text.split("\n")
    line_count = sum(1 for line in lines if line.strip())
    analysis = _Analysis()
    try:
        if lang == "python":
            _analyse_python(text, lines, analysis)
        else:
            _analyse_fallback(text, lines, lang, analysis)
    except (RecursionError, MemoryError):
        # Deep junk can still exhaust a regex or the stack; keep whatever was gathered.
        analysis.parsed = False
    in_loop = [False] * (len(lines) + 2)
    for first, last in analysis.loop_lines:
        for lineno in range(max(first, 1), min(last, len(lines)) + 1):
            in_loop[lineno] = True
    try:
        profile = _code_profile(text, lang, in_loop, analysis, problem_tags)
    except (RecursionError, MemoryError):
        profile = _profile_zero()
    signals = _build(analysis, lang, line_count, _normalise_verdict(verdict), problem_tags, weights)
    return replace(signals, profile=profile)


# ---------------------------------------------------------------------------------------------
# Shared accumulation and scoring


class _Analysis:
    """Mutable accumulator both analysers fill; ``_build`` freezes it into CodeSignals."""

    __slots__ = (
        "complexity_rank",
        "condition_count",
        "findings",
        "function_count",
        "has_memoization",
        "has_recursion",
        "loop_count",
        "loop_lines",
        "max_condition_depth",
        "max_loop_depth",
        "parsed",
        "seen",
        "uses_log",
        "uses_sort",
    )

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.seen: set[tuple[str, int, str]] = set()
        self.parsed = False
        self.loop_count = 0
        self.condition_count = 0
        self.function_count = 0
        self.max_loop_depth = 0
        self.max_condition_depth = 0
        self.has_recursion = False
        self.has_memoization = False
        self.uses_sort = False
        self.uses_log = False
        self.complexity_rank = 0
        # (first, last) line spans of loop bodies, for the profile's "inside a loop" counts.
        self.loop_lines: list[tuple[int, int]] = []

    def add(self, kind: str, line: int, detail: str) -> None:
        """Record a finding once per (kind, line, detail)."""
        detail = " ".join(detail.split())[:MAX_DETAIL_CHARS]
        key = (kind, max(1, line), detail)
        if key not in self.seen:
            self.seen.add(key)
            self.findings.append(Finding(kind=kind, line=key[1], detail=detail))


def _build(
    analysis: _Analysis,
    language: str,
    line_count: int,
    verdict: str,
    problem_tags: Sequence[str],
    w: CodeSignalWeights,
) -> CodeSignals:
    counts = dict.fromkeys(FINDING_KINDS, 0)
    for finding in analysis.findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    # Sorted by (line, kind); detail breaks ties so the order never depends on traversal order.
    findings = tuple(
        sorted(analysis.findings, key=lambda f: (f.line, f.kind, f.detail))[:MAX_FINDINGS]
    )
    obo, bnd = counts["off_by_one"], counts["boundary_risk"]
    ineff, ovf = counts["inefficiency"], counts["overflow_risk"]
    impl = (
        counts["null_risk"]
        + counts["type_risk"]
        + counts["mutation_risk"]
        + counts["resource_risk"]
    )
    rank = max(0, min(analysis.complexity_rank, len(COMPLEXITY_CLASSES) - 1))
    wa = verdict == "wrong_answer"
    tle = verdict == "time_limit_exceeded"
    re_ = verdict == "runtime_error"
    correctness_evidence = obo + bnd + ovf

    off_by_one_risk = _noisy_or((w.off_by_one, obo))
    correctness = _noisy_or(
        (w.correctness_off_by_one, obo),
        (w.correctness_boundary, bnd),
        (w.correctness_overflow, ovf),
        (w.correctness_wrong_answer, int(wa)),
    )
    efficiency = _noisy_or(
        (w.efficiency_inefficiency, ineff),
        (w.efficiency_per_extra_loop_level, max(0, analysis.max_loop_depth - 1)),
        (w.efficiency_per_class_above_n_log_n, max(0, min(rank, _RANK_EXP - 1) - _RANK_N_LOG_N)),
        (w.efficiency_exponential, int(rank == _RANK_EXP)),
        (w.efficiency_time_limit, int(tle)),
        (w.efficiency_memory_limit, int(verdict == "memory_limit_exceeded")),
    )
    implementation = _noisy_or(
        (w.implementation_finding, impl),
        (w.implementation_syntax_error, counts["syntax_error"]),
        (w.implementation_runtime_error, int(re_)),
        (w.implementation_compilation_error, int(verdict == "compilation_error")),
    )
    boundary = _noisy_or(
        (w.boundary_boundary, bnd),
        (w.boundary_off_by_one, obo),
        (w.boundary_wrong_answer, int(wa)),
        (w.boundary_runtime_error, int(re_)),
    )
    understanding = _noisy_or(
        (w.understanding_tag_mismatch, _tag_mismatches(analysis, problem_tags)),
        (w.understanding_trivial_code, int(line_count <= w.trivial_code_max_lines)),
        (w.understanding_unexplained_wrong_answer, int(wa and correctness_evidence == 0)),
    )
    return CodeSignals(
        language=language,
        parsed=analysis.parsed,
        line_count=line_count,
        max_loop_depth=analysis.max_loop_depth,
        max_condition_depth=analysis.max_condition_depth,
        loop_count=analysis.loop_count,
        condition_count=analysis.condition_count,
        function_count=analysis.function_count,
        has_recursion=analysis.has_recursion,
        has_memoization=analysis.has_memoization,
        off_by_one_count=obo,
        boundary_risk_count=bnd,
        inefficiency_count=ineff,
        overflow_risk_count=ovf,
        off_by_one_risk=off_by_one_risk,
        correctness_risk=correctness,
        efficiency_risk=efficiency,
        implementation_risk=implementation,
        boundary_risk=boundary,
        understanding_risk=understanding,
        estimated_complexity=COMPLEXITY_CLASSES[rank],
        findings=findings,
    )


def _noisy_or(*evidence: tuple[float, int]) -> float:
    """``1 - prod((1 - p) ** n)`` with every p clipped to [0, 1]; non-finite p counts as 0."""
    keep = 1.0
    for p, n in evidence:
        if n <= 0 or math.isnan(p) or p <= 0.0:
            continue
        keep *= (1.0 - min(p, 1.0)) ** n
    return min(1.0, max(0.0, 1.0 - keep))


def _tag_mismatches(analysis: _Analysis, problem_tags: Sequence[str]) -> int:
    """How many tag families the code shows no trace of (dp without memo, sorting without sort…)."""
    try:
        tags = {"_".join(str(tag).lower().replace("-", " ").split()) for tag in problem_tags}
    except TypeError:
        return 0
    checks = (
        (_TAGS_NEEDING_MEMO, analysis.has_memoization),
        (_TAGS_NEEDING_LOG, analysis.uses_log),
        (_TAGS_NEEDING_SORT, analysis.uses_sort),
        (_TAGS_NEEDING_RECURSION, analysis.has_recursion),
        (_TAGS_NEEDING_ITERATION, analysis.loop_count > 0 or analysis.has_recursion),
    )
    return sum(1 for family, present in checks if tags & family and not present)


def _normalise_language(language: object) -> str:
    name = str(language or "").strip().lower()[:32]
    return _LANGUAGE_ALIASES.get(name, name)


def _normalise_verdict(verdict: object) -> str:
    name = "_".join(str(verdict or "").strip().lower().replace("-", " ").split())[:64]
    return _VERDICT_ALIASES.get(name, name)


def _normalise_code(code: object) -> str:
    if isinstance(code, bytes | bytearray):
        text = bytes(code[: MAX_CODE_CHARS * 4]).decode("utf-8", errors="replace")
    elif isinstance(code, str):
        text = code
    else:
        return ""
    text = text[:MAX_CODE_CHARS].replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    if text.count("\n") >= MAX_LINES:
        text = "\n".join(text.split("\n", MAX_LINES)[:MAX_LINES])
    return text


def _complexity_rank(n_factors: int, log_factors: int) -> int:
    """Map n^k · log^m onto COMPLEXITY_CLASSES (logs dropped from n^2 upwards)."""
    if n_factors <= 0:
        return 0 if log_factors <= 0 else _RANK_LOG
    if n_factors == 1:
        return _RANK_N if log_factors <= 0 else _RANK_N_LOG_N
    return 4 if n_factors == 2 else 5


class _Loop:
    """A loop frame; ``parent`` is the enclosing loop. Halving loops cost log n, constant ones 1."""

    __slots__ = (
        "constant",
        "end",
        "halving",
        "index_var",
        "is_while",
        "iter_key",
        "iter_name",
        "line",
        "parent",
        "start_shift",
        "stop_shift",
        "structural",
        "suspect",
        "targets",
    )

    def __init__(self, parent: _Loop | None, line: int, *, is_while: bool) -> None:
        self.parent = parent
        self.line = line
        self.is_while = is_while
        self.constant = False
        self.halving = False
        self.index_var: str | None = None
        self.iter_key: str | None = None
        self.iter_name: str | None = None
        self.start_shift: int | None = None
        self.stop_shift: int | None = None
        self.structural = False
        self.targets: frozenset[str] = frozenset()
        self.end = line
        self.suspect = ""


def _enclosing(loop: _Loop | None) -> Iterator[_Loop]:
    """``loop`` and its ancestors, innermost first, at most MAX_LOOP_WALK of them."""
    for _ in range(MAX_LOOP_WALK):
        if loop is None:
            return
        yield loop
        loop = loop.parent


def _path_rank(loop: _Loop | None, extra_n: int, extra_log: int) -> int:
    n, log = extra_n, extra_log
    for outer in _enclosing(loop):
        if outer.halving:
            log += 1
        elif not outer.constant:
            n += 1
    return _complexity_rank(n, log)


def _recursion_rank(*, memo: bool, halving: bool, branching: bool, structural: bool) -> int:
    """Complexity of a recursive function from the shape of its recursive calls.

    Memoised or structural (``node.left``, neighbours of an adjacency list) recursion is linear;
    halving arguments give log n (one call) or n log n (divide and conquer); two or more
    unmemoised call sites, or a call inside a loop, branch: O(2^n). One plain call is linear.
    """
    if memo or structural:
        return _RANK_N
    if halving:
        return _RANK_N_LOG_N if branching else _RANK_LOG
    return _RANK_EXP if branching else _RANK_N


def _is_memo_name(name: str) -> bool:
    low = name.lower()
    return low.startswith(("memo", "cache", "dp")) or low.endswith(("memo", "cache", "_dp"))


# ---------------------------------------------------------------------------------------------
# Python: one ast.parse, one iterative traversal


def _analyse_python(text: str, lines: list[str], analysis: _Analysis) -> None:
    try:
        with warnings.catch_warnings():
            # SyntaxWarning/DeprecationWarning ("is" with a literal, bad escapes) must neither
            # spam the log nor turn into SyntaxError under -W error.
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except SyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else 1
        analysis.add("syntax_error", min(max(line, 1), len(lines)), str(exc.msg or "syntax error"))
        _analyse_fallback(text, lines, "python", analysis)
        return
    except (ValueError, RecursionError, MemoryError):
        _analyse_fallback(text, lines, "python", analysis)
        return
    analysis.parsed = True
    _PythonVisitor(lines, analysis).run(tree)


class _Scope:
    """A function (or the module) being traversed."""

    __slots__ = ("guarded", "halving", "loop_targets", "memo", "name", "params", "sites")

    def __init__(self, name: str | None, params: frozenset[str]) -> None:
        self.name = name
        self.params = params
        self.guarded: set[str] = set()
        self.loop_targets: set[str] = set()
        self.memo = False
        self.halving = False
        # (line, inside a loop of this function, arguments are structural)
        self.sites: list[tuple[int, bool, bool]] = []


class _Ctx:
    """Traversal context shared by sibling nodes; a new one is made only when it changes."""

    __slots__ = ("cond_depth", "in_test", "loop", "loop_depth", "scope")

    def __init__(
        self, scope: _Scope, loop: _Loop | None, loop_depth: int, cond_depth: int, in_test: str
    ) -> None:
        self.scope = scope
        self.loop = loop
        self.loop_depth = loop_depth
        self.cond_depth = cond_depth
        self.in_test = in_test

    def derive(
        self,
        *,
        loop: _Loop | None = None,
        loop_depth: int | None = None,
        cond_depth: int | None = None,
        in_test: str | None = None,
    ) -> _Ctx:
        return _Ctx(
            self.scope,
            self.loop if loop is None else loop,
            self.loop_depth if loop_depth is None else loop_depth,
            self.cond_depth if cond_depth is None else cond_depth,
            self.in_test if in_test is None else in_test,
        )


_SKIP_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "type_ignores"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
# Field values never worth visiting: leaves without signals and the non-node field values.
_SKIP_CHILDREN = frozenset(
    {ast.Constant, ast.Pass, ast.Break, ast.Continue, str, int, bool, type(None)}
)
_MEMO_DECORATORS = frozenset({"lru_cache", "cache", "memoize", "memoized", "cached"})
_LOG_CALLS = frozenset(
    {"bisect", "bisect_left", "bisect_right", "insort", "insort_left", "insort_right"}
    | {"heappush", "heappop", "heappushpop", "heapreplace"}
)
_LINEAR_METHODS = frozenset({"index", "count", "remove"})
_MUTATORS = frozenset({"append", "remove", "pop", "insert", "extend", "clear"})
_MAYBE_NONE_METHODS = frozenset({"get", "match", "search", "fullmatch"})
_MUTABLE_CALLS = frozenset({"list", "dict", "set", "defaultdict", "Counter", "deque"})
_LIST_CALLS = frozenset({"list", "sorted"})
_STR_CALLS = frozenset({"str", "repr", "chr"})
_NUMBER_CALLS = frozenset({"int", "len", "float", "sum", "abs", "round"})
_MAP_CALLS = frozenset({"dict", "set", "defaultdict", "Counter", "frozenset"})
_SCAN_CALLS = frozenset({"max", "min", "sum"})
_LARGE_EXPONENT = 1000


def _child_fields(node_type: type) -> tuple[str, ...]:
    """The fields of a node type that may hold child nodes, last first (the stack reverses)."""
    fields = tuple(f for f in reversed(getattr(node_type, "_fields", ())) if f not in _SKIP_FIELDS)
    _CHILD_FIELDS[node_type] = fields
    return fields


def _const_int(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    return None


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _is_len_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "len"
        and len(node.args) == 1
    )


def _dotted(node: ast.AST) -> str | None:
    """``a`` or ``self.items`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _shifted(node: ast.AST) -> tuple[ast.AST, int]:
    """Split ``x + 1`` / ``x - 1`` into (x, ±1); anything else is (node, 0)."""
    if isinstance(node, ast.BinOp) and _const_int(node.right) == 1:
        if isinstance(node.op, ast.Add):
            return node.left, 1
        if isinstance(node.op, ast.Sub):
            return node.left, -1
    return node, 0


def _bound_key(node: ast.AST) -> str | None:
    """The collection or size a range bound refers to: ``len(a) - 1`` → ``a``, ``n + 1`` → ``n``."""
    base, _ = _shifted(node)
    if isinstance(base, ast.Call) and _is_len_call(base):
        return _dotted(base.args[0])
    return _dotted(base)


def _target_names(target: ast.AST) -> list[str]:
    """Names bound by a loop target such as ``i`` or ``(i, (x, y))``."""
    names: list[str] = []
    pending = [target]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            pending.extend(node.elts)
        elif isinstance(node, ast.Starred):
            pending.append(node.value)
    return names


def _func_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


class _PythonVisitor:
    """Collect every signal in a single pre-order walk with an explicit stack (no recursion).

    Pre-order in source order means an ``if not arr: return`` guard or an assignment is seen
    before the statements after it, which the guard and type heuristics rely on.
    """

    def __init__(self, lines: list[str], analysis: _Analysis) -> None:
        self.lines = lines
        self.a = analysis
        self.scopes: list[_Scope] = []
        self.events: list[tuple[_Loop | None, int, int]] = []
        self.suspects: list[_Loop] = []
        # Name -> "list" | "const" | "str" | "input" | "map", from assignments seen so far.
        self.kinds: dict[str, str] = {}
        self.managed: set[int] = set()
        self.memo_reported: set[int] = set()
        self.stack: list[tuple[ast.AST, _Ctx]] = []
        self.handlers: dict[type, Callable[[Any, _Ctx], _Ctx | None]] = {
            ast.FunctionDef: self._function,
            ast.AsyncFunctionDef: self._function,
            ast.For: self._for,
            ast.AsyncFor: self._for,
            ast.While: self._while,
            ast.If: self._if,
            ast.IfExp: self._ifexp,
            ast.ListComp: self._comprehension,
            ast.SetComp: self._comprehension,
            ast.DictComp: self._comprehension,
            ast.GeneratorExp: self._comprehension,
            ast.Compare: self._compare,
            ast.BoolOp: self._boolop,
            ast.Assert: self._assert,
            ast.Name: self._name,
            ast.Subscript: self._subscript,
            ast.Call: self._call,
            ast.Attribute: self._attribute,
            ast.BinOp: self._binop,
            ast.AugAssign: self._augassign,
            ast.Assign: self._assign,
            ast.With: self._with,
            ast.AsyncWith: self._with,
        }

    # -- driver -------------------------------------------------------------------------------

    def run(self, tree: ast.AST) -> None:
        module = _Scope(None, frozenset())
        self.scopes.append(module)
        stack = self.stack
        stack.append((tree, _Ctx(module, None, 0, 0, "")))
        handlers, fields_of, skip = self.handlers, _CHILD_FIELDS, _SKIP_CHILDREN
        name_type = ast.Name
        pop, push = stack.pop, stack.append
        while stack:
            node, ctx = pop()
            cls = node.__class__
            handler = handlers.get(cls)
            if handler is not None:
                child_ctx = handler(node, ctx)
                if child_ctx is None:
                    continue
                ctx = child_ctx
            fields = fields_of.get(cls)
            if fields is None:
                fields = _child_fields(cls)
            for field in fields:
                value = getattr(node, field, None)
                value_cls = value.__class__
                if value_cls is list:
                    for child in reversed(value):
                        child_cls = child.__class__
                        if child_cls is name_type:
                            # Inline the Name handler: names are the most common node.
                            if ctx.in_test:
                                ctx.scope.guarded.add(child.id)
                        elif child_cls not in skip:
                            push((child, ctx))
                elif value_cls is name_type:
                    if ctx.in_test:
                        ctx.scope.guarded.add(value.id)
                elif value_cls not in skip:
                    push((value, ctx))
        self._finish()

    def _push(self, nodes: Sequence[ast.AST | None] | list[ast.stmt], ctx: _Ctx) -> None:
        """Queue nodes so they are visited in the given order."""
        push = self.stack.append
        for node in reversed(nodes):
            if isinstance(node, ast.AST):
                push((node, ctx))

    def _finish(self) -> None:
        a = self.a
        for loop in self.suspects:
            if loop.suspect:
                a.add("off_by_one", loop.line, loop.suspect)
        rank = 0
        for loop, extra_n, extra_log in self.events:
            rank = max(rank, _path_rank(loop, extra_n, extra_log))
        for scope in self.scopes:
            if not scope.sites:
                continue
            a.has_recursion = True
            first_line = scope.sites[0][0]
            branching = len(scope.sites) >= 2 or any(in_loop for _, in_loop, _ in scope.sites)
            structural = all(s for _, _, s in scope.sites)
            scope_rank = _recursion_rank(
                memo=scope.memo, halving=scope.halving, branching=branching, structural=structural
            )
            if scope.halving:
                a.uses_log = True
            if scope_rank == _RANK_EXP:
                a.add("inefficiency", first_line, f"{scope.name}() recursion without memoization")
            rank = max(rank, scope_rank)
        a.complexity_rank = rank

    # -- helpers ------------------------------------------------------------------------------

    def _excerpt(self, node: ast.AST) -> str:
        lineno = getattr(node, "lineno", 1)
        if not 1 <= lineno <= len(self.lines):
            return ""
        line = self.lines[lineno - 1]
        start = getattr(node, "col_offset", 0) or 0
        end = getattr(node, "end_col_offset", None)
        if getattr(node, "end_lineno", lineno) != lineno or end is None:
            end = start + MAX_DETAIL_CHARS * 4
        if line.isascii():
            return line[start:end]
        return line.encode("utf-8")[start:end].decode("utf-8", errors="replace")

    def _find(self, kind: str, node: ast.AST, detail: str | None = None) -> None:
        self.a.add(kind, getattr(node, "lineno", 1), detail or self._excerpt(node))

    def _mark_memo(self, ctx: _Ctx, node: ast.AST) -> None:
        ctx.scope.memo = True
        self.a.has_memoization = True
        if id(ctx.scope) not in self.memo_reported:
            self.memo_reported.add(id(ctx.scope))
            self._find("memoization", node)

    def _mark_halving(self, ctx: _Ctx) -> None:
        ctx.scope.halving = True
        if ctx.loop is not None and ctx.loop.is_while:
            ctx.loop.halving = True
            self.a.uses_log = True

    def _enter_loop(self, node: ast.AST, ctx: _Ctx, loop: _Loop, levels: int = 1) -> _Ctx:
        a = self.a
        first = getattr(node, "lineno", 1)
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            first = getattr(body[0], "lineno", first)
        a.loop_lines.append((first, getattr(node, "end_lineno", None) or first))
        depth = ctx.loop_depth + levels
        a.loop_count += levels
        a.max_loop_depth = max(a.max_loop_depth, depth)
        if depth >= 2:
            self._find("nested_loop", node, f"loop depth {depth}")
        self.events.append((loop, 0, 0))
        return ctx.derive(loop=loop, loop_depth=depth)

    def _loop_frame(self, ctx: _Ctx, parent: _Loop | None, target: ast.AST, it: ast.AST) -> _Loop:
        """Describe a ``for`` loop (or comprehension generator) and check its range bounds."""
        loop = _Loop(parent, getattr(it, "lineno", 1), is_while=False)
        targets = frozenset(_target_names(target))
        loop.targets = targets
        ctx.scope.loop_targets.update(targets)
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name):
            if it.func.id == "range":
                self._range_loop(loop, it, target)
            elif it.func.id in ("enumerate", "reversed", "sorted") and it.args:
                loop.iter_key = loop.iter_name = _dotted(it.args[0])
                loop.structural = isinstance(it.args[0], (ast.Attribute, ast.Subscript))
        elif isinstance(it, (ast.List, ast.Tuple, ast.Set)) or (
            isinstance(it, ast.Constant) and isinstance(it.value, str)
        ):
            loop.constant = True
        else:
            loop.iter_key = loop.iter_name = _dotted(it)
            loop.structural = isinstance(it, (ast.Attribute, ast.Subscript)) or (
                isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute)
            )
            if isinstance(it, ast.Name) and self.kinds.get(it.id) == "const":
                loop.constant = True
        if loop.iter_key is not None and not loop.constant:
            for outer in _enclosing(parent):
                if outer.iter_key == loop.iter_key and not outer.constant:
                    self.a.add("inefficiency", loop.line, f"nested loops over {loop.iter_key}")
                    break
        return loop

    def _range_loop(self, loop: _Loop, call: ast.Call, target: ast.AST) -> None:
        """Off-by-one: a range whose start and stop are shifted differently.

        ``range(1, n)``, ``range(n + 1)``, ``range(len(a) - 1)`` are flagged; the balanced
        ``range(1, n + 1)`` and the relative ``range(i + 1, n)`` are not, and neither is a
        shortened range whose body uses ``i + 1`` (for a shortened stop) or ``i - 1`` (for a
        start at 1), as in ``a[i] > a[i + 1]``. For a negative step,
        ``range(n, -1, -1)`` (starts past the end) and ``range(n - 1, 0, -1)`` (skips 0) are.
        """
        args = call.args
        if call.keywords or not 1 <= len(args) <= 3:
            return
        for arg in args:
            if isinstance(arg, ast.Starred):
                return
            if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Div):
                self._find("type_risk", call, "float bound in " + self._excerpt(call))
            elif isinstance(arg, ast.Name) and self.kinds.get(arg.id) == "input":
                self._find("type_risk", call, "range() over an unconverted input() string")
        start = args[0] if len(args) >= 2 else None
        stop = args[1] if len(args) >= 2 else args[0]
        step = _const_int(args[2]) if len(args) == 3 else 1
        stop_const = _const_int(stop)
        start_const = 0 if start is None else _const_int(start)
        if stop_const is not None and (start is None or start_const is not None):
            loop.constant = abs(stop_const - (start_const or 0)) <= CONSTANT_LOOP_BOUND
            return
        if step is None or step == 0:
            return
        if step < 0:
            if start is None or _const_int(start) is not None:
                return
            _, start_shift = _shifted(start)
            if (start_shift == 0 and stop_const == -1) or (start_shift == -1 and stop_const == 0):
                self._find("off_by_one", call)
            return
        stop_shift = _shifted(stop)[1]
        if start is None or start_const == 0:
            start_shift: int | None = 0
        elif start_const == 1:
            start_shift = 1
        else:
            start_shift = None
        loop.iter_key = _bound_key(stop)
        if isinstance(target, ast.Name):
            loop.index_var = target.id
            loop.start_shift = start_shift
            loop.stop_shift = stop_shift
        if start_shift is not None and start_shift != stop_shift:
            if loop.index_var is None:
                self._find("off_by_one", call)
            else:
                # Reported in _finish unless the body shows why the bound is shifted.
                loop.suspect = self._excerpt(call)
                self.suspects.append(loop)

    # -- handlers: structure ------------------------------------------------------------------

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: _Ctx) -> None:
        self.a.function_count += 1
        args = node.args
        params = frozenset(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))
        scope = _Scope(node.name, params)
        self.scopes.append(scope)
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name in _MEMO_DECORATORS:
                scope.memo = True
                self.a.has_memoization = True
                self.memo_reported.add(id(scope))
                self._find("memoization", decorator, "@" + name)
        for default in (*args.defaults, *args.kw_defaults):
            if isinstance(default, (ast.List, ast.Dict, ast.Set)) or (
                isinstance(default, ast.Call)
                and isinstance(default.func, ast.Name)
                and default.func.id in _MUTABLE_CALLS
            ):
                self._find("mutation_risk", default, "mutable default " + self._excerpt(default))
        body_ctx = _Ctx(scope, None, 0, 0, "")
        self._push(node.body, body_ctx)
        self._push([*node.decorator_list, *args.defaults, *args.kw_defaults, node.returns], ctx)

    def _for(self, node: ast.For | ast.AsyncFor, ctx: _Ctx) -> None:
        loop = self._loop_frame(ctx, ctx.loop, node.target, node.iter)
        loop.line = node.lineno
        inner = self._enter_loop(node, ctx, loop)
        self._push(node.orelse, ctx)
        self._push(node.body, inner)
        self._push([node.target, node.iter], ctx)

    def _while(self, node: ast.While, ctx: _Ctx) -> None:
        loop = _Loop(ctx.loop, node.lineno, is_while=True)
        inner = self._enter_loop(node, ctx, loop)
        self._push(node.orelse, ctx)
        self._push(node.body, inner)
        self._push([node.test], inner.derive(in_test="while"))

    def _if(self, node: ast.If, ctx: _Ctx) -> None:
        a = self.a
        a.condition_count += 1
        inner = ctx.derive(cond_depth=ctx.cond_depth + 1, in_test="")
        a.max_condition_depth = max(a.max_condition_depth, inner.cond_depth)
        orelse = node.orelse
        if len(orelse) == 1 and isinstance(orelse[0], ast.If):
            # elif: same depth as its if, so visit it with the outer context.
            self._push(orelse, ctx)
        else:
            self._push(orelse, inner)
        self._push(node.body, inner)
        self._push([node.test], inner.derive(in_test="if"))

    def _ifexp(self, node: ast.IfExp, ctx: _Ctx) -> None:
        a = self.a
        a.condition_count += 1
        inner = ctx.derive(cond_depth=ctx.cond_depth + 1)
        a.max_condition_depth = max(a.max_condition_depth, inner.cond_depth)
        self._push([node.body, node.orelse], inner)
        self._push([node.test], inner.derive(in_test="if"))

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp, ctx: _Ctx
    ) -> _Ctx:
        loop = ctx.loop
        for generator in node.generators:
            loop = self._loop_frame(ctx, loop, generator.target, generator.iter)
        if loop is None or not node.generators:
            return ctx
        return self._enter_loop(node, ctx, loop, levels=len(node.generators))

    def _with(self, node: ast.With | ast.AsyncWith, ctx: _Ctx) -> _Ctx:
        for item in node.items:
            self.managed.add(id(item.context_expr))
        return ctx

    # -- handlers: expressions ----------------------------------------------------------------

    def _name(self, node: ast.Name, ctx: _Ctx) -> None:
        if ctx.in_test:
            ctx.scope.guarded.add(node.id)

    def _boolop(self, node: ast.BoolOp, ctx: _Ctx) -> _Ctx:
        # ``i > 0 and a[i - 1]``: names on the left guard the operands after them.
        return ctx if ctx.in_test else ctx.derive(in_test="bool")

    def _assert(self, node: ast.Assert, ctx: _Ctx) -> _Ctx:
        return ctx.derive(in_test="if")

    def _compare(self, node: ast.Compare, ctx: _Ctx) -> _Ctx:
        operands = [node.left, *node.comparators]
        for index, op in enumerate(node.ops):
            left, right = operands[index], operands[index + 1]
            if isinstance(op, (ast.Eq, ast.NotEq)) and any(
                isinstance(x, ast.Constant) and x.value is None for x in (left, right)
            ):
                self._find("null_risk", node, "== None instead of is None")
            elif isinstance(op, (ast.Is, ast.IsNot)) and any(
                isinstance(x, ast.Constant)
                and x.value is not None
                and x.value is not Ellipsis
                and type(x.value) is not bool
                for x in (left, right)
            ):
                self._find("type_risk", node, "'is' with a literal")
            elif isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, ast.Name):
                kind = self.kinds.get(right.id)
                if _is_memo_name(right.id):
                    self._mark_memo(ctx, node)
                elif kind == "list" and ctx.loop_depth > 0:
                    self._find("inefficiency", node, f"'in {right.id}' list scan inside a loop")
                    self.events.append((ctx.loop, 1, 0))
            if ctx.in_test == "while" and (
                (isinstance(op, ast.LtE) and _is_len_call(right) and not _is_len_call(left))
                or (isinstance(op, ast.GtE) and _is_len_call(left) and not _is_len_call(right))
            ):
                self._find("off_by_one", node)
            if isinstance(op, (ast.Lt, ast.Gt, ast.LtE, ast.GtE, ast.Eq, ast.NotEq)):
                for x, y in ((left, right), (right, left)):
                    if (
                        isinstance(x, ast.Name)
                        and self.kinds.get(x.id) == "input"
                        and _is_number(y)
                    ):
                        self._find("type_risk", node, f"input() string {x.id} compared to number")
        return ctx

    def _subscript(self, node: ast.Subscript, ctx: _Ctx) -> _Ctx:
        value, index = node.value, node.slice
        name = value.id if isinstance(value, ast.Name) else None
        if ctx.in_test:
            # ``a[i] < x`` tests the element, not ``a`` or ``i``: no guard inside subscripts.
            ctx = ctx.derive(in_test="")
        if name is not None and _is_memo_name(name):
            self._mark_memo(ctx, node)
            return ctx
        if isinstance(index, ast.BinOp) and isinstance(index.op, ast.Div):
            self._find("type_risk", node, "float index " + self._excerpt(node))
            return ctx
        base, shift = _shifted(index)
        if _is_len_call(base):
            if shift >= 0:
                self._find("off_by_one", node)
            elif name is not None:
                self._check_unguarded(node, ctx, name)
            return ctx
        if (
            isinstance(base, ast.Name)
            and shift
            and isinstance(node.ctx, ast.Load)
            and base.id not in ctx.scope.guarded
        ):
            loop = next((x for x in _enclosing(ctx.loop) if x.index_var == base.id), None)
            if loop is not None and (
                (shift > 0 and loop.stop_shift is not None and loop.stop_shift >= 0)
                or (shift < 0 and loop.start_shift == 0)
            ):
                self._find("off_by_one", node)
            return ctx
        if name is not None and _const_int(index) in (0, -1):
            self._check_unguarded(node, ctx, name)
        return ctx

    def _check_unguarded(self, node: ast.AST, ctx: _Ctx, name: str) -> None:
        """Boundary: ``a[0]``/``a[-1]`` on a parameter or list nobody checked for emptiness."""
        scope = ctx.scope
        if name in scope.guarded or name in scope.loop_targets:
            return
        if name in scope.params or self.kinds.get(name) == "list":
            scope.guarded.add(name)  # report each name once per function
            self._find("boundary_risk", node, self._excerpt(node) + " without an emptiness check")

    def _call(self, node: ast.Call, ctx: _Ctx) -> _Ctx:
        func = node.func
        scope = ctx.scope
        name = _func_name(node)
        if ctx.in_test and name != "len":
            # ``len(a)`` in a test guards ``a``; other calls' arguments guard nothing.
            ctx = ctx.derive(in_test="")
        if name is None:
            return ctx
        if name == scope.name and (
            isinstance(func, ast.Name)
            or (isinstance(func, ast.Attribute) and _dotted(func.value) in ("self", "cls"))
        ):
            self._recursive_call(node, ctx)
        in_loop = ctx.loop_depth > 0
        if isinstance(func, ast.Name):
            if name == "open" and id(node) not in self.managed:
                self._find("resource_risk", node, "open() outside a with block")
            elif name == "sorted":
                self._sort(node, ctx)
            elif name in _LOG_CALLS:
                self.a.uses_log = True
                self.events.append((ctx.loop, 0, 1))
            elif name == "int" and len(node.args) == 1:
                arg = node.args[0]
                if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Div):
                    self._find("overflow_risk", node, "int(a / b) loses precision on big ints")
            elif name == "float" and len(node.args) == 1:
                arg = node.args[0]
                if (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Pow)) or (
                    isinstance(arg, ast.Call) and _func_name(arg) == "factorial"
                ):
                    self._find("overflow_risk", node, "float() of a huge integer")
            elif name in _SCAN_CALLS and len(node.args) == 1:
                self._scan_call(node, ctx, name, node.args[0])
        elif isinstance(func, ast.Attribute):
            receiver = _dotted(func.value)
            if name == "sort":
                self._sort(node, ctx)
            elif name in _LOG_CALLS:
                self.a.uses_log = True
                self.events.append((ctx.loop, 0, 1))
            elif name == "pow" and receiver == "math":
                self._find("overflow_risk", node, "math.pow() float overflow/precision")
            if in_loop and receiver is not None:
                first = _const_int(node.args[0]) if node.args else None
                linear = name in _LINEAR_METHODS or (name in ("pop", "insert") and first == 0)
                if linear and self.kinds.get(receiver) != "map":
                    self._find("inefficiency", node, f".{name}() inside a loop")
                    self.events.append((ctx.loop, 1, 0))
                if name in _MUTATORS and any(x.iter_name == receiver for x in _enclosing(ctx.loop)):
                    self._find("mutation_risk", node, f"{receiver} mutated while iterated")
        return ctx

    def _recursive_call(self, node: ast.Call, ctx: _Ctx) -> None:
        structural = bool(node.args)
        for arg in node.args:
            if isinstance(arg, ast.Attribute):
                continue
            if isinstance(arg, ast.Name):
                loop = next((x for x in _enclosing(ctx.loop) if arg.id in x.targets), None)
                if loop is not None and loop.structural:
                    continue
            structural = False
            break
        ctx.scope.sites.append((node.lineno, ctx.loop_depth > 0, structural))
        self._find("recursion", node, f"{ctx.scope.name}() calls itself")

    def _sort(self, node: ast.Call, ctx: _Ctx) -> None:
        self.a.uses_sort = True
        self.events.append((ctx.loop, 1, 1))
        if ctx.loop_depth > 0:
            self._find("inefficiency", node, "sort inside a loop")

    def _scan_call(self, node: ast.Call, ctx: _Ctx, name: str, arg: ast.AST) -> None:
        """``max(a)`` on an unchecked parameter; ``sum(a[:i])``/``max(a)`` in a loop over ``a``."""
        if (
            name != "sum"
            and isinstance(arg, ast.Name)
            and arg.id in ctx.scope.params
            and not any(k.arg == "default" for k in node.keywords)
        ):
            self._check_unguarded(node, ctx, arg.id)
        if ctx.loop_depth == 0:
            return
        sliced = isinstance(arg, ast.Subscript) and isinstance(arg.slice, ast.Slice)
        key = _dotted(arg)
        if sliced or (key is not None and any(x.iter_key == key for x in _enclosing(ctx.loop))):
            self._find("inefficiency", node, f"{name}() rescans inside a loop")
            self.events.append((ctx.loop, 1, 0))

    def _attribute(self, node: ast.Attribute, ctx: _Ctx) -> _Ctx:
        value = node.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in _MAYBE_NONE_METHODS
        ):
            self._find("null_risk", node, f".{value.func.attr}() result used without None check")
        return ctx

    def _binop(self, node: ast.BinOp, ctx: _Ctx) -> _Ctx:
        op, left, right = node.op, node.left, node.right
        if isinstance(left, ast.Name) and _const_int(right) == 1:
            self._justify_shift(ctx, left.id, op)
        if (isinstance(op, ast.FloorDiv) and _const_int(right) == 2) or (
            isinstance(op, ast.RShift) and _const_int(right) == 1
        ):
            self._mark_halving(ctx)
        elif isinstance(op, ast.Pow):
            exponent = _const_int(right)
            if (exponent is None and not isinstance(right, ast.Constant)) or (
                exponent is not None and exponent >= _LARGE_EXPONENT
            ):
                self._find("overflow_risk", node)
        elif isinstance(op, ast.Mult):
            for side in (left, right):
                if isinstance(side, ast.List) and any(
                    isinstance(e, (ast.List, ast.ListComp, ast.Dict, ast.Set))
                    or (isinstance(e, ast.BinOp) and isinstance(e.left, ast.List))
                    for e in side.elts
                ):
                    self._find("mutation_risk", node, "aliased rows " + self._excerpt(node))
                    break
        elif isinstance(op, ast.Add):
            for x, y in ((left, right), (right, left)):
                if (isinstance(x, ast.Constant) and isinstance(x.value, str)) and (
                    _is_number(y)
                    or (
                        isinstance(y, ast.Call)
                        and isinstance(y.func, ast.Name)
                        and y.func.id in _NUMBER_CALLS
                    )
                ):
                    self._find("type_risk", node, "str + number " + self._excerpt(node))
                    break
        if not isinstance(op, (ast.Pow, ast.Mult)) and (
            (
                isinstance(left, ast.Name)
                and self.kinds.get(left.id) == "input"
                and _is_number(right)
            )
            or (
                isinstance(right, ast.Name)
                and self.kinds.get(right.id) == "input"
                and _is_number(left)
            )
        ):
            self._find("type_risk", node, "arithmetic on an unconverted input() string")
        return ctx

    def _justify_shift(self, ctx: _Ctx, name: str, op: ast.operator) -> None:
        """``i + 1`` under ``range(n - 1)`` or ``i - 1`` under ``range(1, n)`` explains it."""
        loop = next((x for x in _enclosing(ctx.loop) if x.index_var == name), None)
        if loop is None or not loop.suspect:
            return
        if (isinstance(op, ast.Add) and loop.stop_shift == -1) or (
            isinstance(op, ast.Sub) and loop.start_shift == 1
        ):
            loop.suspect = ""

    def _augassign(self, node: ast.AugAssign, ctx: _Ctx) -> _Ctx:
        op, value, target = node.op, node.value, node.target
        factor = _const_int(value)
        if (isinstance(op, (ast.FloorDiv, ast.Div, ast.Mult)) and factor == 2) or (
            isinstance(op, (ast.RShift, ast.LShift)) and factor == 1
        ):
            self._mark_halving(ctx)
        if (
            isinstance(op, ast.Add)
            and ctx.loop_depth > 0
            and isinstance(target, ast.Name)
            and (self.kinds.get(target.id) == "str" or _is_str_expr(value))
        ):
            self._find("inefficiency", node, f"string concatenation {target.id} += in a loop")
        return ctx

    def _assign(self, node: ast.Assign, ctx: _Ctx) -> _Ctx:
        value = node.value
        kind = _value_kind(value)
        for target in node.targets:
            if not isinstance(target, ast.Name):
                continue
            if kind is None:
                self.kinds.pop(target.id, None)
            else:
                self.kinds[target.id] = kind
            if target.id == "mid":
                self._mark_halving(ctx)
            if (
                ctx.loop_depth > 0
                and isinstance(value, ast.BinOp)
                and isinstance(value.op, ast.Add)
                and isinstance(value.left, ast.Name)
                and value.left.id == target.id
                and (
                    isinstance(value.right, ast.List)
                    or _is_str_expr(value.right)
                    or self.kinds.get(target.id) == "str"
                )
            ):
                self._find("inefficiency", node, f"{target.id} = {target.id} + … copies in a loop")
        return ctx


def _is_str_expr(node: ast.AST) -> bool:
    return (
        (isinstance(node, ast.Constant) and isinstance(node.value, str))
        or isinstance(node, ast.JoinedStr)
        or (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in _STR_CALLS
        )
    )


def _value_kind(value: ast.AST) -> str | None:
    """What an assignment binds: a list, a small constant list, a str, raw input(), a map."""
    if isinstance(value, (ast.List, ast.Tuple)):
        if value.elts and all(
            isinstance(e, ast.Constant)
            or (isinstance(e, ast.Tuple) and all(isinstance(x, ast.Constant) for x in e.elts))
            for e in value.elts
        ):
            return "const"
        return "list"
    if isinstance(value, ast.ListComp):
        return "list"
    if isinstance(value, (ast.Dict, ast.Set, ast.DictComp, ast.SetComp)):
        return "map"
    if _is_str_expr(value):
        return "str"
    if isinstance(value, ast.BinOp) and isinstance(value.left, ast.List):
        return "list"
    if isinstance(value, ast.Call):
        func = value.func
        if isinstance(func, ast.Name):
            if func.id == "input" and not value.args:
                return "input"
            if func.id in _LIST_CALLS:
                return "list"
            if func.id in _MAP_CALLS:
                return "map"
        elif isinstance(func, ast.Attribute) and func.attr == "split":
            return "list"
    return None


# ---------------------------------------------------------------------------------------------
# Fallback: brace (C++/Java/JavaScript/unknown) or indent (broken Python) structure, then
# per-line patterns. Comments and string literals are blanked first, keeping line numbers.

_C_STRIP = re.compile(
    r"//[^\n]*|/\*[\s\S]*?(?:\*/|\Z)"
    r"|\"(?:\\.|[^\"\\\n])*\"?|'(?:\\.|[^'\\\n])*'?|`(?:\\[\s\S]|[^`\\])*`?"
)
_PY_STRIP = re.compile(
    r"#[^\n]*|\"\"\"[\s\S]*?(?:\"\"\"|\Z)|'''[\s\S]*?(?:'''|\Z)"
    r"|\"(?:\\.|[^\"\\\n])*\"?|'(?:\\.|[^'\\\n])*'?"
)
_C_TOKEN = re.compile(
    r"(?P<nl>\n)"
    r"|(?P<jsdef>\b(?:const|let|var)[ \t]+(?P<jsname>[A-Za-z_$][\w$]*)[ \t]*=[ \t]*"
    r"(?:async[ \t]+)?(?:function\b|(?=\([^()\n]*\)[ \t]*=>)|(?=[A-Za-z_$][\w$]*[ \t]*=>)))"
    r"|(?P<kw>\b(?:for|while|if|else|do|switch|catch|function|return|new)\b)"
    r"|(?<![\w$])(?P<call>[A-Za-z_$][\w$]*)(?=[ \t]*\()"
    r"|(?P<arrow>=>)"
    r"|(?P<punct>[{}();])"
)
_C_KEYWORDS = frozenset(
    {"for", "while", "if", "else", "do", "switch", "catch", "return", "new", "sizeof", "typeof"}
)
_LOOP_CALLS = {
    "javascript": frozenset(
        {"forEach", "map", "filter", "reduce", "reduceRight", "some", "every", "find"}
        | {"findIndex", "flatMap"}
    ),
    "java": frozenset({"forEach"}),
}
_HALVING_LINE = re.compile(
    r"/=?[ \t]*2\b|>>=?[ \t]*1\b|\*=[ \t]*2\b|<<=[ \t]*1\b|\bmid\b|//=?[ \t]*2\b"
)
_HALVING_HEADER = re.compile(
    r"[*/]=[ \t]*2\b|>>=[ \t]*1\b|<<=[ \t]*1\b|=[ \t]*\w+[ \t]*[*/][ \t]*2\b"
)
_CONST_BOUND = re.compile(r"<=?[ \t]*(\d+)[ \t]*$")
_BOUND_KEY = re.compile(r"[<>]=?[ \t]*([\w$.]+(?:\(\))?)")
_FOREACH_KEY = re.compile(r"(?::|\bof\b|\bin\b)[ \t]*([\w$.]+)[ \t]*\)?[ \t]*:?$")
_STRUCTURAL_ITER = re.compile(r"(?::|\bof\b|\bin\b)[ \t]*[\w$]+[ \t]*(?:\[|\.|->)")
_SORT = re.compile(r"\bsort\s*\(|\.sort\s*\(|\bsorted\s*\(|Arrays\.sort|Collections\.sort")
_LOG_OP = re.compile(
    r"\b(?:lower_bound|upper_bound|binarySearch|bisect\w*|heappush|heappop|insort)\s*\("
)
_MEMO_LINE = re.compile(
    r"\b(?:memo|cache|dp)\w*[ \t]*[\[.]|\bmemo\w*\b|@(?:functools\.)?(?:lru_)?cache\b",
    re.IGNORECASE,
)
_MAP_LOOKUP = re.compile(r"\.(?:count|find|containsKey|has|get)\s*\(")
_MAP_TYPE = re.compile(r"\bunordered_map\b|\bmap\s*<|\bHashMap\b|\bTreeMap\b|\bnew Map\b|\bMap\s*<")
_PY_HEADER = re.compile(
    r"(?:async[ \t]+)?(for|while|if|elif|else|def|class|try|except|finally|with)\b"
)
_PY_DEF = re.compile(r"(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)")
_PY_CALL = re.compile(r"(?<![\w.])(?:self\.)?([A-Za-z_]\w*)[ \t]*\(")
_PY_INNER_FOR = re.compile(r"(?<=.)\bfor\b")

_FOR_C = re.compile(r"\bfor\s*\(([^;]*);([^;]*);")
_WHILE_C = re.compile(r"\bwhile\s*\((.*)\)")
_LEN_LE = re.compile(
    r"<=\s*[\w$.]*?(?:\.length\b|\.size\(\)|\.length\(\))|<=\s*(?:strlen|len|size)\s*\("
)
_ZERO_INIT = re.compile(r"=\s*0\s*$")
_LE_NAME = re.compile(r"^\s*[\w$]+\s*<=\s*[A-Za-z_$][\w$]*\s*$")
_LT_MINUS_ONE = re.compile(r"<\s*[\w$.()]+\s*-\s*1\b")
_END_INIT = re.compile(r"=\s*[\w$.]+(?:\.length|\.size\(\)|\.length\(\))\s*$")
_GE_ZERO = re.compile(r">=\s*0\b")
_INDEX_PAST_END = re.compile(r"(?<![\w$])([\w$]+)\s*\[\s*\1\s*\.\s*(?:length|size\(\))\s*\]")
_PY_RANGE_OBO = re.compile(
    r"range\(\s*len\([^()]*\)\s*-\s*1\s*\)"
    r"|range\(\s*1\s*,\s*[A-Za-z_][\w.]*(?:\([^()]*\))?\s*\)"
    r"|range\(\s*[A-Za-z_][\w.]*(?:\([^()]*\))?\s*\+\s*1\s*\)"
)
_PY_WHILE_LEN_LE = re.compile(r"^while\b.*<=\s*len\(")
_INT_DECL = re.compile(r"\bint\b[ \t]+([^;{}()\n]*)")
_DECL_NAME = re.compile(r"\s*(?:int\s+)?\*?\s*([A-Za-z_]\w*)")
_INT_PRODUCT = re.compile(r"\bint\s+[\w$]+\s*=\s*[^;]*[\w)\]]\s*\*\s*[\w(]")
_MUL_ASSIGN = re.compile(r"(?<![\w$])([\w$]+)\s*\*=")
_ADD_PRODUCT = re.compile(r"(?<![\w$])([\w$]+)\s*\+=\s*[^;]*\*")
_ACCUMULATE = re.compile(r"(?<![\w$])([\w$]+)\s*\+=\s*(?!1\s*[;)])")
_MID_SUM = re.compile(r"\(\s*([\w$]+)\s*\+\s*([\w$]+)\s*\)\s*(?:/\s*2|>>\s*1)")
_LONG_PRODUCT = re.compile(r"\blong(?:\s+long)?\s+[\w$]+\s*=\s*([\w$]+)\s*\*\s*([\w$]+)\s*;")
_WIDE_SHIFT = re.compile(r"\b1\s*<<\s*(?:3[1-9]|[4-6]\d)\b")
_JS_MOD_PRODUCT = re.compile(r"[\w$\])]\s*\*\s*[\w$(\[][^;%]*%")
_C_EDGE_ACCESS = re.compile(
    r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?:\[\s*0\s*\]"
    r"|\.(?:back|front|top|peek|getFirst|getLast)\s*\(\s*\)|\.get\(\s*0\s*\)"
    r"|\[\s*\1\s*\.\s*(?:length|size\(\))\s*-\s*1\s*\])"
)
_PY_EDGE_ACCESS = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\[\s*(?:0|-1)\s*\]")
_C_SIZE_DIVISION = re.compile(r"/\s*([\w$]+)\s*\.\s*(?:length|size\(\))")
_PY_LEN_DIVISION = re.compile(r"/\s*len\(\s*([A-Za-z_]\w*)\s*\)")
_GUARD_LINE = re.compile(r"\bif\b|\bwhile\b|\?|&&|\|\||\breturn\b|\band\b|\bor\b|\bassert\b")
_GUARD_NAME = re.compile(
    r"(?<![\w$])([A-Za-z_$][\w$]*)\s*(?:\.|->)\s*(?:empty|isEmpty|size|length)\b"
    r"|len\(\s*([A-Za-z_]\w*)\s*\)|\bnot\s+([A-Za-z_]\w*)|!\s*([A-Za-z_$][\w$]*)\b"
    r"|\bif\s*\(?\s*([A-Za-z_$][\w$]*)\s*\)?\s*[:{)]"
)
_SIZE_UNDERFLOW = re.compile(r"\.size\(\)\s*-\s*\d")
_LOOSE_EQUALITY = re.compile(r"(?<![=!<>])[=!]=(?!=)")
_STRING_EQ = re.compile(r"(?<![\w$])([\w$]+)\s*[=!]=\s*\"\"|\"\"\s*[=!]=\s*[\w$]+")
_INT_DIVISION_TO_DOUBLE = re.compile(r"\bdouble\s+[\w$]+\s*=\s*([\w$]+)\s*/\s*([\w$]+)\s*;")
_JS_MAYBE_NULL = re.compile(r"\.(?:find|getElementById|querySelector|match)\([^;]*?\)\s*\.\s*[\w$]")
_PY_NONE_EQ = re.compile(r"[=!]=\s*None\b")
_JAVA_LIST_DECL = re.compile(r"\b(?:List|ArrayList|LinkedList|Vector)\s*<[^;=\n]*?>\s+([\w$]+)")
_JAVA_MAP_DECL = re.compile(r"\b(?:Map|HashMap|TreeMap|LinkedHashMap)\s*<[^;=\n]*?>\s+([\w$]+)")
_CPP_VECTOR_DECL = re.compile(r"\bvector\s*<[^;=\n]*?>\s*&?\s*([A-Za-z_]\w*)")
_JS_ARRAY_DECL = re.compile(r"\b(?:const|let|var)\s+([\w$]+)\s*=\s*(?:\[|new Array\b|Array\.)")
_STRING_DECL = {
    "java": re.compile(r"\bString\s+([\w$]+)"),
    "cpp": re.compile(r"\bstring\s+([A-Za-z_]\w*)"),
}
_LINEAR_METHOD = re.compile(
    r"(?<![\w$])([\w$]+)\s*\.\s*(indexOf|contains|includes|lastIndexOf|remove|erase|insert|shift"
    r"|unshift|splice)\s*\("
)
_ARRAY_ONLY_METHODS = frozenset({"shift", "unshift", "splice"})
_STD_LINEAR = re.compile(r"\b(?:std::)?(?:find|count)\s*\(\s*[\w$]+\s*\.\s*begin\(\)")
_PY_LINEAR = re.compile(r"\.(?:index|count|remove)\(|\.pop\(\s*0\s*\)|\.insert\(\s*0\s*,")
_PY_STR_CONCAT = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s*\+=\s*(?:\"\"|str\(|f\"\")")
_BY_VALUE_CONTAINER = re.compile(
    r"\b(?:vector|string)\b(?:\s*<[^()]*?>)?\s+(?!&)[A-Za-z_]\w*\s*[,)]"
)
_MUTATOR_CALL = (
    r"\s*\.\s*(?:remove|add|clear|splice|push|push_back|erase|insert|pop|pop_back|shift"
    r"|unshift|append|extend)\s*\("
)
_PY_MUTABLE_DEFAULT = re.compile(r"^def\b.*=\s*(?:\[\s*\]|\{\s*\}|list\(\)|dict\(\)|set\(\))")
_PY_ALIASED_ROWS = re.compile(r"\[\s*\[[^\[\]]*\]\s*\]\s*\*")
_CPP_NEW = re.compile(r"\bnew\s+[\w:]+|\bmalloc\s*\(")
_JAVA_FILE_OPEN = re.compile(
    r"new\s+(?:FileReader|FileInputStream|FileWriter|FileOutputStream|BufferedWriter)\s*\("
)
_PY_OPEN = re.compile(r"(?<![\w.])open\s*\(")


class _Func:
    """A function found by the fallback; ``end`` is its last line."""

    __slots__ = ("base_depth", "end", "line", "name", "sites")

    def __init__(self, name: str, line: int, base_depth: int) -> None:
        self.name = name
        self.line = line
        self.end = line
        self.base_depth = base_depth
        # (line, inside a loop of this function, innermost loop at the call)
        self.sites: list[tuple[int, bool, _Loop | None]] = []


class _Structure:
    """Per-line loop depth, innermost loop and function; plus every loop and function."""

    __slots__ = ("funcs", "line_depth", "line_func", "line_loop", "loops")

    def __init__(self, n_lines: int) -> None:
        self.line_depth = [0] * (n_lines + 2)
        self.line_loop: list[_Loop | None] = [None] * (n_lines + 2)
        self.line_func: list[_Func | None] = [None] * (n_lines + 2)
        self.loops: list[_Loop] = []
        self.funcs: list[_Func] = []


class _Paren(NamedTuple):
    """An open parenthesis: a control header (name = loop/cond/block/dotail), a call, a
    callback-taking call that loops (``arr.forEach(``), or a plain group."""

    kind: str
    loop: _Loop | None
    name: str
    is_while: bool
    start: int
    line: int


class _Awaiting(NamedTuple):
    """A finished header (or ``else``/``do``/``=>``/call) whose body starts at the next lexeme."""

    kind: str
    name: str | None
    line: int
    loop: _Loop | None = None


class _Frame:
    """A block on the brace/indent stack; braceless frames end with their single statement."""

    __slots__ = (
        "braced",
        "cdepth",
        "depth",
        "func",
        "indent",
        "is_do",
        "kind",
        "loop",
        "own",
        "saved_lc",
        "saved_parens",
    )

    def __init__(
        self,
        kind: str,
        *,
        braced: bool,
        depth: int,
        cdepth: int,
        func: _Func | None,
        loop: _Loop | None,
    ) -> None:
        self.kind = kind
        self.braced = braced
        self.depth = depth
        self.cdepth = cdepth
        self.func = func
        self.loop = loop
        self.own: _Loop | _Func | None = None
        self.is_do = False
        self.indent = 0
        self.saved_parens: list[_Paren] = []
        self.saved_lc = 0


def _analyse_fallback(text: str, lines: list[str], lang: str, analysis: _Analysis) -> None:
    python = lang == "python"
    stripped_text = (_PY_STRIP if python else _C_STRIP).sub(_blank, text)
    stripped = [_cap_line(line) for line in stripped_text.split("\n")]
    if python:
        structure = _IndentScanner(stripped, analysis).scan()
    else:
        structure = _BraceScanner(stripped_text, len(stripped), lang, analysis).scan()
    _FallbackPatterns(stripped, stripped_text, lang, structure, analysis).run()
    analysis.loop_lines.extend(
        (lineno, lineno) for lineno, depth in enumerate(structure.line_depth) if depth > 0
    )


def _cap_line(line: str) -> str:
    """Keep the indentation and at most MAX_LINE_CHARS characters after it."""
    if len(line) <= MAX_LINE_CHARS:
        return line
    return line[: len(line) - len(line.lstrip()) + MAX_LINE_CHARS]


def _blank(match: re.Match[str]) -> str:
    lexeme = match.group()
    newlines = "\n" * lexeme.count("\n")
    if lexeme.startswith(("//", "/*", "#")):
        return " " + newlines
    return '""' + newlines


def _new_loop(
    analysis: _Analysis,
    structure: _Structure,
    *,
    parent: _Loop | None,
    line: int,
    depth: int,
    header: str,
    is_while: bool,
) -> _Loop:
    """Count a loop found by a fallback scanner and classify its header."""
    loop = _Loop(parent, line, is_while=is_while)
    analysis.loop_count += 1
    analysis.max_loop_depth = max(analysis.max_loop_depth, depth)
    if depth >= 2:
        analysis.add("nested_loop", line, f"loop depth {depth}")
    header = header[:MAX_LINE_CHARS].strip()
    parts = header.split(";")
    condition = parts[1] if len(parts) >= 3 else header
    bound = _CONST_BOUND.search(condition.strip())
    if bound is not None and int(bound.group(1)) <= CONSTANT_LOOP_BOUND:
        loop.constant = True
    if not is_while and _HALVING_HEADER.search(header):
        loop.halving = True
    foreach = _FOREACH_KEY.search(header) if len(parts) < 3 else None
    if foreach is not None:
        loop.iter_key = loop.iter_name = foreach.group(1)
        loop.structural = _STRUCTURAL_ITER.search(header) is not None
    else:
        key = _BOUND_KEY.search(condition)
        loop.iter_key = key.group(1) if key is not None else None
    if loop.iter_key is not None and not loop.constant and not loop.halving:
        for outer in _enclosing(parent):
            if outer.iter_key == loop.iter_key and not outer.constant:
                analysis.add("inefficiency", line, f"nested loops over {loop.iter_key}")
                break
    structure.loops.append(loop)
    return loop


class _BraceScanner:
    """Token walk over C-like code tracking braces, braceless bodies, headers and calls."""

    def __init__(self, text: str, n_lines: int, lang: str, analysis: _Analysis) -> None:
        self.text = text
        self.n_lines = n_lines
        self.a = analysis
        self.s = _Structure(n_lines)
        self.loop_calls = _LOOP_CALLS.get(lang, frozenset())
        root = _Frame("block", braced=True, depth=0, cdepth=0, func=None, loop=None)
        self.stack = [root]
        self.parens: list[_Paren] = []
        self.lc = 0
        self.line = 1
        self.pending_kw: tuple[str, bool] | None = None
        self.pending_call: str | None = None
        self.js_name: str | None = None
        self.awaiting: _Awaiting | None = None
        self.after_do = False

    def scan(self) -> _Structure:
        for match in _C_TOKEN.finditer(self.text):
            kind = match.lastgroup
            if kind == "nl":
                self.line = min(self.line + 1, self.n_lines)
                continue
            lexeme = match.group("jsname") if kind == "jsdef" else match.group()
            self._token(kind or "", lexeme, match.start())
            self._record()
        for frame in self.stack:
            self._close(frame)
        return self.s

    # -- state helpers ------------------------------------------------------------------------

    def _depth(self) -> int:
        return self.stack[-1].depth + self.lc

    def _inner_loop(self) -> _Loop | None:
        if self.lc:
            for paren in reversed(self.parens):
                if paren.loop is not None:
                    return paren.loop
        return self.stack[-1].loop

    def _record(self) -> None:
        s, line = self.s, self.line
        depth = self._depth()
        if depth > s.line_depth[line] or (depth and s.line_loop[line] is None):
            s.line_depth[line] = depth
            s.line_loop[line] = self._inner_loop()
        if s.line_func[line] is None:
            s.line_func[line] = self.stack[-1].func

    def _push_frame(
        self, kind: str, *, braced: bool, own: _Loop | _Func | None = None, named: bool = False
    ) -> _Frame:
        top = self.stack[-1]
        if named:
            depth, func, loop = 0, own if isinstance(own, _Func) else None, None
        else:
            depth = top.depth + (self.lc if braced else 0) + (1 if kind == "loop" else 0)
            func = top.func
            loop = own if isinstance(own, _Loop) else self._inner_loop()
        frame = _Frame(
            kind,
            braced=braced,
            depth=depth,
            cdepth=top.cdepth + (1 if kind == "cond" else 0),
            func=func,
            loop=loop,
        )
        frame.own = own
        if braced:
            frame.saved_parens, frame.saved_lc = self.parens, self.lc
            self.parens, self.lc = [], 0
        self.stack.append(frame)
        return frame

    def _close(self, frame: _Frame) -> None:
        if frame.own is not None:
            frame.own.end = self.line

    def _pop_braceless(self) -> None:
        stack = self.stack
        while len(stack) > 1 and not stack[-1].braced:
            self._close(stack.pop())

    # -- tokens -------------------------------------------------------------------------------

    def _token(self, kind: str, lexeme: str, pos: int) -> None:
        if self.awaiting is not None:
            awaiting, self.awaiting = self.awaiting, None
            if self._resolve(awaiting, lexeme):
                return
        if lexeme != "(":
            self.pending_kw = None
            self.pending_call = None
        after_do, self.after_do = self.after_do, False
        if kind == "punct":
            self._punct(lexeme, pos)
        elif kind == "kw":
            self._keyword(lexeme, after_do=after_do)
        elif kind == "call":
            self._call(lexeme)
        elif kind == "jsdef":
            self.js_name = lexeme
        elif kind == "arrow":
            self.awaiting = _Awaiting("arrow", self.js_name, self.line)
            self.js_name = None

    def _keyword(self, lexeme: str, *, after_do: bool) -> None:
        if lexeme in ("for", "while"):
            self.pending_kw = ("dotail", False) if after_do else ("loop", lexeme == "while")
        elif lexeme in ("if", "switch"):
            self.pending_kw = ("cond", False)
        elif lexeme == "catch":
            self.pending_kw = ("block", False)
        elif lexeme in ("else", "do"):
            self.awaiting = _Awaiting(lexeme, None, self.line)

    def _call(self, name: str) -> None:
        if name in _C_KEYWORDS:
            return
        func = self.stack[-1].func
        if func is not None and func.name == name:
            func.sites.append((self.line, self._depth() > func.base_depth, self._inner_loop()))
            self.a.add("recursion", self.line, f"{name}() calls itself")
        self.pending_call = name

    def _punct(self, lexeme: str, pos: int) -> None:
        if lexeme == "(":
            self._open_paren(pos)
        elif lexeme == ")":
            self._close_paren(pos)
        elif lexeme == "{":
            self._push_frame("block", braced=True)
        elif lexeme == "}":
            self._pop_braceless()
            if len(self.stack) > 1:
                frame = self.stack.pop()
                self.parens, self.lc = frame.saved_parens, frame.saved_lc
                self._close(frame)
                self.after_do = frame.is_do
                self._pop_braceless()
        elif lexeme == ";":
            self.js_name = None
            if not self.parens:
                self._pop_braceless()

    def _open_paren(self, pos: int) -> None:
        if self.pending_kw is not None:
            kind, is_while = self.pending_kw
            self.parens.append(_Paren("hdr", None, kind, is_while, pos, self.line))
        elif self.pending_call is not None:
            name = self.pending_call
            if name in self.loop_calls:
                loop = _new_loop(
                    self.a,
                    self.s,
                    parent=self._inner_loop(),
                    line=self.line,
                    depth=self._depth() + 1,
                    header="",
                    is_while=False,
                )
                self.parens.append(_Paren("loopcall", loop, name, False, pos, self.line))
                self.lc += 1
            else:
                self.parens.append(_Paren("call", None, name, False, pos, self.line))
        else:
            self.parens.append(_Paren("group", None, "", False, pos, self.line))
        self.pending_kw = None
        self.pending_call = None

    def _close_paren(self, pos: int) -> None:
        if not self.parens:
            return
        paren = self.parens.pop()
        if paren.kind == "loopcall" and paren.loop is not None:
            self.lc -= 1
            paren.loop.end = self.line
        elif paren.kind == "call":
            self.awaiting = _Awaiting("maybe_def", paren.name, paren.line)
        elif paren.kind == "group" and self.js_name is not None:
            self.awaiting = _Awaiting("maybe_def", self.js_name, self.line)
        elif paren.kind == "hdr":
            self._header(paren, pos)

    def _header(self, paren: _Paren, pos: int) -> None:
        a, s = self.a, self.s
        if paren.name == "loop":
            depth = self._depth() + 1
            loop = _new_loop(
                a,
                s,
                parent=self._inner_loop(),
                line=paren.line,
                depth=depth,
                header=self.text[paren.start + 1 : min(pos, paren.start + 1 + MAX_LINE_CHARS)],
                is_while=paren.is_while,
            )
            # A one-line body (``for (...) s += x;``) lies on the header line.
            if depth >= s.line_depth[self.line]:
                s.line_depth[self.line] = depth
                s.line_loop[self.line] = loop
            self.awaiting = _Awaiting("loop", None, paren.line, loop)
        elif paren.name == "cond":
            a.condition_count += 1
            a.max_condition_depth = max(a.max_condition_depth, self.stack[-1].cdepth + 1)
            self.awaiting = _Awaiting("cond", None, paren.line)
        elif paren.name == "block":
            self.awaiting = _Awaiting("block", None, paren.line)

    def _resolve(self, awaiting: _Awaiting, lexeme: str) -> bool:
        """Open the body of a finished header; True when ``lexeme`` (a ``{``) was consumed."""
        kind = awaiting.kind
        if kind in ("loop", "cond", "block", "else", "do"):
            own = awaiting.loop
            if kind == "do":
                own = _new_loop(
                    self.a,
                    self.s,
                    parent=self._inner_loop(),
                    line=self.line,
                    depth=self._depth() + 1,
                    header="",
                    is_while=True,
                )
            frame_kind = "loop" if own is not None else ("cond" if kind != "block" else "block")
            if kind == "else" and lexeme == "if":
                return False
            if kind == "else" and lexeme == "{":
                self.a.max_condition_depth = max(
                    self.a.max_condition_depth, self.stack[-1].cdepth + 1
                )
            if lexeme == "{":
                frame = self._push_frame(frame_kind, braced=True, own=own)
                frame.is_do = kind == "do"
                return True
            if lexeme != ";":
                self._push_frame(frame_kind, braced=False, own=own)
            return False
        name = awaiting.name
        if kind == "maybe_def":
            if lexeme == "{" and name is not None and name not in _C_KEYWORDS:
                self._push_function(name, awaiting.line, braced=True)
                return True
            return False
        # An arrow: a block body opens a function frame, an expression body only when named.
        if lexeme == "{":
            if name is not None:
                self._push_function(name, self.line, braced=True)
            else:
                self._push_frame("block", braced=True)
            return True
        if name is not None:
            self._push_function(name, self.line, braced=False)
        return False

    def _push_function(self, name: str, line: int, *, braced: bool) -> None:
        func = _Func(name, line, 0)
        self.a.function_count += 1
        self.s.funcs.append(func)
        self._push_frame("func", braced=braced, own=func, named=True)


class _IndentScanner:
    """Line walk over Python that did not parse: indentation opens and closes blocks."""

    def __init__(self, lines: list[str], analysis: _Analysis) -> None:
        self.lines = lines
        self.a = analysis
        self.s = _Structure(len(lines))

    def scan(self) -> _Structure:
        a, s = self.a, self.s
        root = _Frame("block", braced=True, depth=0, cdepth=0, func=None, loop=None)
        stack: list[_Frame] = [root]
        root.indent = -1
        last = 1
        for lineno, raw in enumerate(self.lines, 1):
            body = raw.strip()
            if not body:
                continue
            indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip())
            while len(stack) > 1 and stack[-1].indent >= indent:
                frame = stack.pop()
                if frame.own is not None:
                    frame.own.end = last
            last = lineno
            top = stack[-1]
            header = _PY_HEADER.match(body)
            keyword = header.group(1) if header is not None else ""
            frame: _Frame | None = None
            if keyword in ("for", "while"):
                loop = _new_loop(
                    a,
                    s,
                    parent=top.loop,
                    line=lineno,
                    depth=top.depth + 1,
                    header=body[len(keyword) :].rstrip(":"),
                    is_while=keyword == "while",
                )
                frame = _Frame(
                    "loop",
                    braced=True,
                    depth=top.depth + 1,
                    cdepth=top.cdepth,
                    func=top.func,
                    loop=loop,
                )
                frame.own = loop
            elif keyword in ("if", "elif", "else"):
                if keyword != "else":
                    a.condition_count += 1
                a.max_condition_depth = max(a.max_condition_depth, top.cdepth + 1)
                frame = _Frame(
                    "cond",
                    braced=True,
                    depth=top.depth,
                    cdepth=top.cdepth + 1,
                    func=top.func,
                    loop=top.loop,
                )
            elif keyword == "def":
                match = _PY_DEF.match(body)
                func = _Func(match.group(1) if match else "", lineno, 0)
                a.function_count += 1
                s.funcs.append(func)
                frame = _Frame("func", braced=True, depth=0, cdepth=0, func=func, loop=None)
                frame.own = func
            elif keyword:
                frame = _Frame(
                    "block",
                    braced=True,
                    depth=top.depth,
                    cdepth=top.cdepth,
                    func=top.func,
                    loop=top.loop,
                )
            current = frame if frame is not None else top
            if frame is not None:
                frame.indent = indent
                stack.append(frame)
            depth, loop = current.depth, current.loop
            for count, inner in enumerate(_PY_INNER_FOR.finditer(body)):
                if count >= MAX_INLINE_LOOPS:
                    break
                depth += 1
                loop = _new_loop(
                    a,
                    s,
                    parent=loop,
                    line=lineno,
                    depth=depth,
                    header=body[inner.end() : inner.end() + MAX_LINE_CHARS],
                    is_while=False,
                )
            s.line_depth[lineno] = depth
            s.line_loop[lineno] = loop
            s.line_func[lineno] = current.func
            func = current.func
            if func is not None and keyword != "def":
                for call in _PY_CALL.finditer(body):
                    if call.group(1) == func.name:
                        func.sites.append((lineno, depth > func.base_depth, loop))
                        a.add("recursion", lineno, f"{func.name}() calls itself")
        for frame in stack:
            if frame.own is not None:
                frame.own.end = last
        return s


class _FallbackPatterns:
    """Per-line regex heuristics over comment- and string-free code, using the structure."""

    def __init__(
        self,
        lines: list[str],
        text: str,
        lang: str,
        structure: _Structure,
        analysis: _Analysis,
    ) -> None:
        self.lines = lines
        self.text = text
        self.lang = lang
        self.python = lang == "python"
        self.s = structure
        self.a = analysis
        self.events: list[tuple[_Loop | None, int, int]] = [
            (loop, 0, 0) for loop in structure.loops
        ]
        self.reported: set[tuple[str, str]] = set()

    def _once(self, kind: str, key: str, line: int, detail: str) -> None:
        if (kind, key) not in self.reported:
            self.reported.add((kind, key))
            self.a.add(kind, line, detail)

    def run(self) -> None:
        lines, s, a = self.lines, self.s, self.a
        n = len(lines)
        text = self.text
        ints: set[str] = set()
        if self.lang in ("cpp", "java"):
            for decl in _INT_DECL.finditer(text):
                for piece in decl.group(1).split(","):
                    name = _DECL_NAME.match(piece)
                    if name is not None:
                        ints.add(name.group(1))
        lists = self._declared_lists()
        maps = set(_JAVA_MAP_DECL.findall(text)) if self.lang == "java" else set()
        strings = self._string_concat_pattern()
        guarded = self._guarded_names()
        memo_lines = [0] * (n + 2)
        halving_lines = [0] * (n + 2)
        lookup_lines = [0] * (n + 2)
        has_map_type = _MAP_TYPE.search(text) is not None
        first_memo = 0
        for lineno, raw in enumerate(lines, 1):
            line = raw.strip()
            memo_hit = bool(line) and _MEMO_LINE.search(line) is not None
            memo_lines[lineno] = memo_lines[lineno - 1] + memo_hit
            halving_lines[lineno] = halving_lines[lineno - 1] + (
                bool(line) and _HALVING_LINE.search(line) is not None
            )
            lookup_lines[lineno] = lookup_lines[lineno - 1] + (
                has_map_type and bool(line) and _MAP_LOOKUP.search(line) is not None
            )
            if not line:
                continue
            if memo_hit and not first_memo:
                first_memo = lineno
            depth = s.line_depth[lineno]
            self._off_by_one(lineno, line)
            self._boundary(lineno, line, guarded)
            self._inefficiency(lineno, line, depth, lists, strings)
            self._language_risks(lineno, line, depth, ints, maps)
        memo_lines[n + 1] = memo_lines[n]
        halving_lines[n + 1] = halving_lines[n]
        lookup_lines[n + 1] = lookup_lines[n]
        if first_memo:
            a.has_memoization = True
            a.add("memoization", first_memo, lines[first_memo - 1].strip())
        self._resources()
        self._mutation_while_iterating()
        self._finish(memo_lines, halving_lines, lookup_lines)

    def _declared_lists(self) -> set[str]:
        if self.lang == "java":
            return set(_JAVA_LIST_DECL.findall(self.text))
        if self.lang == "cpp":
            return set(_CPP_VECTOR_DECL.findall(self.text))
        if self.lang == "javascript":
            return set(_JS_ARRAY_DECL.findall(self.text))
        return set()

    def _string_concat_pattern(self) -> re.Pattern[str] | None:
        """``s = s + x`` on a declared string (and ``s += x`` in Java, where it copies too)."""
        declaration = _STRING_DECL.get(self.lang)
        names = sorted(set(declaration.findall(self.text))) if declaration is not None else []
        if not names:
            return None
        alternatives = "|".join(re.escape(name) for name in names[:MAX_FINDINGS])
        plus_assign = r"|\+=" if self.lang == "java" else ""
        return re.compile(rf"(?<![\w$])({alternatives})\s*(?:=\s*\1\s*\+(?!\+){plus_assign})")

    def _guarded_names(self) -> set[str]:
        """Names whose size/emptiness is tested anywhere: their edge accesses count as checked."""
        guarded: set[str] = set()
        for line in self.lines:
            if _GUARD_LINE.search(line):
                for match in _GUARD_NAME.finditer(line):
                    guarded.update(g for g in match.groups() if g)
        return guarded

    def _off_by_one(self, lineno: int, line: str) -> None:
        add = self.a.add
        if self.python:
            for match in _PY_RANGE_OBO.finditer(line):
                add("off_by_one", lineno, match.group())
            if _PY_WHILE_LEN_LE.search(line):
                add("off_by_one", lineno, line)
            return
        header = _FOR_C.search(line) if line.count(";") >= 2 else None
        if header is not None:
            init, cond = header.group(1), header.group(2)
            if (
                _LEN_LE.search(cond)
                or (_ZERO_INIT.search(init) and _LE_NAME.search(cond))
                or _LT_MINUS_ONE.search(cond)
                or (_END_INIT.search(init) and _GE_ZERO.search(cond))
            ):
                add("off_by_one", lineno, header.group())
        loop = _WHILE_C.search(line) if ")" in line else None
        if loop is not None and _LEN_LE.search(loop.group(1)):
            add("off_by_one", lineno, loop.group())
        past_end = _INDEX_PAST_END.search(line)
        if past_end is not None:
            add("off_by_one", lineno, past_end.group())

    def _boundary(self, lineno: int, line: str, guarded: set[str]) -> None:
        edge = _PY_EDGE_ACCESS if self.python else _C_EDGE_ACCESS
        division = _PY_LEN_DIVISION if self.python else _C_SIZE_DIVISION
        for pattern in (edge, division):
            for match in pattern.finditer(line):
                name = match.group(1)
                if name in guarded or _is_memo_name(name) or name in ("args", "argv", "self"):
                    continue
                self._once("boundary_risk", name, lineno, match.group() + " without a size check")

    def _inefficiency(
        self,
        lineno: int,
        line: str,
        depth: int,
        lists: set[str],
        strings: re.Pattern[str] | None,
    ) -> None:
        loop = self.s.line_loop[lineno]
        if _SORT.search(line):
            self.a.uses_sort = True
            self.events.append((loop, 1, 1))
            if depth > 0 and not line.startswith(("for", "while")):
                self.a.add("inefficiency", lineno, "sort inside a loop")
        if _LOG_OP.search(line):
            self.a.uses_log = True
            self.events.append((loop, 0, 1))
        if depth == 0:
            return
        hits: list[str] = []
        if self.python:
            hits += [m.group() for m in _PY_LINEAR.finditer(line)]
            concat = _PY_STR_CONCAT.search(line)
            if concat is not None:
                self.a.add("inefficiency", lineno, "string concatenation in a loop")
        else:
            for match in _LINEAR_METHOD.finditer(line):
                if match.group(1) in lists or (
                    self.lang == "javascript" and match.group(2) in _ARRAY_ONLY_METHODS
                ):
                    hits.append(match.group())
            if self.lang == "cpp":
                hits += [m.group() for m in _STD_LINEAR.finditer(line)]
            concat = strings.search(line) if strings is not None else None
            if concat is not None:
                self.a.add(
                    "inefficiency", lineno, f"string concatenation {concat.group(1)} in a loop"
                )
        for hit in hits:
            self.a.add("inefficiency", lineno, hit + " inside a loop")
            self.events.append((loop, 1, 0))

    def _language_risks(
        self, lineno: int, line: str, depth: int, ints: set[str], maps: set[str]
    ) -> None:
        add, lang = self.a.add, self.lang
        if self.python:
            if _PY_NONE_EQ.search(line):
                add("null_risk", lineno, "== None instead of is None")
            if _PY_MUTABLE_DEFAULT.search(line):
                add("mutation_risk", lineno, "mutable default argument")
            if _PY_ALIASED_ROWS.search(line):
                add("mutation_risk", lineno, "aliased rows [[…]] * n")
            if _PY_OPEN.search(line) and not line.startswith(("with ", "async with ")):
                add("resource_risk", lineno, "open() outside a with block")
            return
        if lang in ("cpp", "java"):
            self._int_overflow(lineno, line, depth, ints)
            division = _INT_DIVISION_TO_DOUBLE.search(line)
            if division is not None and {division.group(1), division.group(2)} <= ints:
                add("type_risk", lineno, "integer division assigned to double")
        if lang == "cpp" and _SIZE_UNDERFLOW.search(line):
            add("type_risk", lineno, "unsigned size() - k underflows when empty")
        if lang == "java":
            if _STRING_EQ.search(line):
                add("type_risk", lineno, "String compared with ==")
            for name in sorted(maps):
                if f"{name}.get(" in line and not re.search(
                    r"getOrDefault|containsKey|[!=]=\s*null", line
                ):
                    add("null_risk", lineno, f"{name}.get() may return null")
        if lang == "javascript":
            if _LOOSE_EQUALITY.search(line):
                add("type_risk", lineno, "loose equality == / !=")
            maybe_null = _JS_MAYBE_NULL.search(line)
            if maybe_null is not None:
                add("null_risk", lineno, maybe_null.group())
            if "%" in line and "BigInt" not in self.text:
                product = _JS_MOD_PRODUCT.search(line)
                if product is not None:
                    add("overflow_risk", lineno, "product beyond 2^53 before %")

    def _int_overflow(self, lineno: int, line: str, depth: int, ints: set[str]) -> None:
        """C++/Java ``int`` arithmetic that can pass 2^31: products, accumulators, ``(lo+hi)/2``."""
        risky = ("*" in line and _INT_PRODUCT.search(line) is not None) or (
            _WIDE_SHIFT.search(line) is not None
        )
        risky = risky or any(
            match.group(1) in ints
            for pattern in ((_MUL_ASSIGN, _ADD_PRODUCT) if "*" in line else ())
            for match in pattern.finditer(line)
        )
        mid = _MID_SUM.search(line)
        risky = risky or (mid is not None and bool({mid.group(1), mid.group(2)} & ints))
        widened = _LONG_PRODUCT.search(line)
        risky = risky or (widened is not None and {widened.group(1), widened.group(2)} <= ints)
        if risky:
            self.a.add("overflow_risk", lineno, line)
        elif depth > 0 and not line.startswith("for"):
            for match in _ACCUMULATE.finditer(line):
                if match.group(1) in ints:
                    self._once("overflow_risk", match.group(1), lineno, line)

    def _resources(self) -> None:
        text, lang = self.text, self.lang
        if lang == "cpp":
            leaks = _CPP_NEW.search(text)
            if leaks is not None and not re.search(r"\bdelete\b|\bfree\s*\(", text):
                self.a.add("resource_risk", _line_of(text, leaks.start()), "new/malloc never freed")
        elif lang == "java" and ".close()" not in text:
            for match in _JAVA_FILE_OPEN.finditer(text):
                line = _line_of(text, match.start())
                if "try" not in self.lines[line - 1]:
                    self.a.add("resource_risk", line, match.group() + " never closed")
        elif lang == "javascript" and "openSync(" in text and "closeSync(" not in text:
            self.a.add(
                "resource_risk", _line_of(text, text.index("openSync(")), "openSync unclosed"
            )

    def _mutation_while_iterating(self) -> None:
        scanned = 0
        for loop in self.s.loops:
            if loop.iter_name is None or scanned >= MAX_FINDINGS:
                continue
            scanned += 1
            name = loop.iter_name.rsplit(".", 1)[-1]
            pattern = re.compile(rf"(?<![\w$]){re.escape(name)}{_MUTATOR_CALL}")
            end = min(loop.end, loop.line + MAX_MUTATION_SCAN_LINES, len(self.lines))
            for lineno in range(loop.line + 1, end + 1):
                if pattern.search(self.lines[lineno - 1]):
                    self.a.add("mutation_risk", lineno, f"{name} mutated while iterated")
                    break

    def _finish(
        self, memo_lines: list[int], halving_lines: list[int], lookup_lines: list[int]
    ) -> None:
        a = self.a

        def any_in(prefix: list[int], first: int, last: int) -> bool:
            first, last = max(first, 1), min(last, len(prefix) - 1)
            return first <= last and prefix[last] - prefix[first - 1] > 0

        for loop in self.s.loops:
            if loop.is_while and any_in(halving_lines, loop.line, loop.end):
                loop.halving = True
            if loop.halving:
                a.uses_log = True
        rank = 0
        for loop, extra_n, extra_log in self.events:
            rank = max(rank, _path_rank(loop, extra_n, extra_log))
        for func in self.s.funcs:
            if not func.sites:
                continue
            a.has_recursion = True
            memo = any_in(memo_lines, func.line - 1, func.end) or any_in(
                lookup_lines, func.line, func.end
            )
            if memo:
                a.has_memoization = True
            halving = any_in(halving_lines, func.line, func.end)
            branching = len(func.sites) >= 2 or any(in_loop for _, in_loop, _ in func.sites)
            arg_pattern = re.compile(rf"\b{re.escape(func.name)}\s*\(\s*[\w$]+\s*(?:\.|->)\s*\w")
            structural = all(
                arg_pattern.search(self.lines[line - 1]) is not None
                or (loop is not None and loop.structural)
                for line, _, loop in func.sites
            )
            func_rank = _recursion_rank(
                memo=memo, halving=halving, branching=branching, structural=structural
            )
            if halving:
                a.uses_log = True
            if func_rank == _RANK_EXP:
                a.add("inefficiency", func.sites[0][0], f"{func.name}() recursion without memo")
                if self.lang == "cpp" and _BY_VALUE_CONTAINER.search(self.lines[func.line - 1]):
                    a.add("inefficiency", func.line, "container passed by value to recursion")
            rank = max(rank, func_rank)
        a.complexity_rank = rank


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


# ---------------------------------------------------------------------------------------------
# Code profile: language-neutral static-analysis counts over comment-free code (strings are
# blanked to ``""``). Every language goes through the same token patterns, each scanned once
# over the whole text; the analysers only contribute which lines sit inside a loop body.

# Caps keep every count small and finite whatever the input.
MAX_PROFILE_COUNT = 100
MAX_LITERAL_LOG10 = 18.0
# A modulus at least this large is a "result modulo M" requirement, not arithmetic.
LARGE_MODULUS = 1000
# How many lines after a running max/min update a comparison of it still counts as its test.
UPDATE_TEST_WINDOW = 3
MAX_PARAMS = 16

_M = re.MULTILINE
_NAME = r"[A-Za-z_$][\w$]*"
_P_GENERIC = re.compile(r"(?<=[\w:])[ \t]*<[\w \t,.:?*&\[\]<>]{0,80}>(?![=>])")
# A name whose first character leads the pattern (so the scan skips to candidates in C) and
# whose quantifiers never give back what the next token cannot start with: same matches, fewer
# attempts.
_LED_NAME = r"[A-Za-z_$](?<![\w$.].)[\w$]*+"
_P_CMP_OPERANDS = re.compile(
    rf"({_LED_NAME})[ \t]*+(<=|>=|<|>)(?![<>=])[ \t]*+(-?\d++\b|[A-Za-z_$][\w$]*+)"
)
# A name that a blank, ``=``, ``;`` or the line end follows: it never gives back characters.
_LINE_NAME = r"[A-Za-z_$][\w$]*+"
# Patterns led by ``\n`` hold for a whole line and run over _Lines.after_newline, so the scan
# jumps from line start to line start instead of trying ``^`` at every offset.
_P_CONST_ASSIGN = re.compile(
    r"\n[ \t]*+(?:(?:int|long|long long|double|float|let|var|auto)[ \t]+)?"
    rf"({_LINE_NAME})[ \t]*=[ \t]*"
    r"(?:-?\d+(?:\.\d+)?|\"\"|\[[ \t]*\]|\{[ \t]*\}|true|false|True|False)[ \t]*;?[ \t]*$",
    _M,
)
# ``name op=`` (group 2 unset) or ``name = source op`` (group 2 the source).
_P_ACCUMULATE = re.compile(
    rf"({_LED_NAME})[ \t]*+(?:[+\-*|^]=|=[ \t]*+([A-Za-z_$][\w$]*+)[ \t]*+[+\-*])"
)
_P_EXTREME_UPDATE = re.compile(
    rf"({_LED_NAME})[ \t]*+=[ \t]*+(?:Math\.|std::)?(?:max|min)[ \t]*+\([ \t]*+"
    r"([A-Za-z_$][\w$]*+)"
)
_P_PRODUCT_ACC = re.compile(
    rf"({_LED_NAME})[ \t]*+(?:\*=|=[ \t]*+([A-Za-z_$][\w$]*+)[ \t]*+\*(?!\*))([^\n]*+)"
)
# What every match of the patterns above them contains, found by a cheap scan; the patterns
# themselves only run over the lines that hold it.
_P_ORDERING = re.compile(r"[<>]")
_P_EXTREME_HINT = re.compile(r"(?:max|min)[ \t]*\(")
_P_PRODUCT_HINT = re.compile(r"\*=|=[ \t]*+[A-Za-z_$][\w$]*+[ \t]*+\*(?!\*)")
_P_ASSIGNED = re.compile(
    rf"\n[ \t]*+(?:[\w$<>]++[ \t]+)?({_LINE_NAME})[ \t]*(?:[%+\-*]?=)(?!=)", _M
)
_P_SPLIT_ASSIGN = re.compile(rf"(?<![\w$])({_NAME})[ \t]*=[^=\n]*\.split[ \t]*\(")
_P_RAW_TOKEN = re.compile(rf"=[ \t]*({_NAME})[ \t]*\[[ \t]*\d+[ \t]*\][ \t]*;?[ \t]*$", _M)
_P_RAW_INPUT = re.compile(r"=[ \t]*input[ \t]*\([ \t]*\)(?:\.strip\(\))?[ \t]*$", _M)
_P_CONVERSION = re.compile(
    r"(?=[ifsbNSptBILD(m.])(?:(?<![\w$.])(?:int|float|str|bool|Number|String|parseInt|parseFloat"
    r"|stoi|stol|stoll|stod"
    r"|to_string|BigInt)[ \t]*\(|\b(?:Integer|Long|Double)\.(?:parseInt|parseLong|parseDouble"
    r"|valueOf|toString)[ \t]*\(|\bString\.valueOf[ \t]*\(|\([ \t]*(?:int|long|double|float"
    r"|long long)[ \t]*\)|\bmap[ \t]*\([ \t]*int\b|\.map[ \t]*\([ \t]*Number\b|\.toString[ \t]*\()"
)
_P_RETURN = re.compile(r"return(?<![\w]return)\b([^;\n]*+)")
_P_SENTINEL = re.compile(
    r"^[ \t]*(?:-[ \t]*1|None|null|nullptr|undefined|false|False|true|True|\"\"|-?\d+)[ \t]*$"
)
_P_SHIFTED = re.compile(r"[+-][ \t]*1[ \t]*$")
_P_GUARD = re.compile(
    r"^[ \t]*(?:\}[ \t]*)?(?:if|elif|else[ \t]+if)\b[^\n]*(?:\)[ \t]*\{?|:)[ \t]*return\b"
    r"|^[ \t]*(?:\}[ \t]*)?(?:if|elif|else[ \t]+if)\b[^\n]*\n[ \t]*(?:\{[ \t]*)?return\b",
    _M,
)
_P_BRANCH = re.compile(
    r"\n[ \t]*+(?:\}[ \t]*)?(?:(?P<cond>if|elif|else[ \t]+if)\b(?P<test>[^\n]*)"
    r"|(?P<case>case)\b|(?P<other>else|default)\b)",
    _M,
)
_P_LITERAL_TEST = re.compile(r"[=!]==?[ \t]*(?:\"\"|-?\d+\b)")
_P_PY_DEF = re.compile(r"\n[ \t]*+(?:async[ \t]+)?def[ \t]+[A-Za-z_]\w*[ \t]*\(([^)]*)\)", _M)
_P_C_FUNC = re.compile(
    r"^[ \t]*(?:(?:public|private|protected|static|final|inline|const|virtual|async|export)"
    rf"[ \t]+)*(?:function[ \t]*[\w$]*|[\w$:<>,\[\]]+(?:[ \t]*[&*]+)?[ \t]+{_NAME})[ \t]*"
    r"\(([^()\n]*)\)[ \t]*(?:const[ \t]*)?(?:throws[ \t]+[\w., ]+)?[ \t]*\{?[ \t]*$"
    r"|=[ \t]*(?:async[ \t]*)?\(([^()\n]*)\)[ \t]*=>",
    _M,
)
_P_PARAM_NAME = re.compile(rf"({_NAME})[ \t]*(?:\[[ \t]*\])*[ \t]*(?:=[^,]*)?$")
# Only lines that start in column 0.
_P_TOP_CONTAINER = re.compile(
    r"\n(?:(?:static|const|let|var|private|public|final)[ \t]+)*"
    rf"(?:[\w$:<>,\[\]]++[ \t]+)?({_LINE_NAME})[ \t]*(?:=[ \t]*(?:\[|\{{|new\b|set\(|dict\(|list\("
    r"|defaultdict\(|Counter\()|;)",
    _M,
)
_MUTATOR_METHODS = (
    r"(?:sort|append|push|push_back|pop|pop_back|remove|insert|clear|extend|add|put|set|splice"
    r"|reverse|shift|unshift|erase|update|fill)"
)
_P_MUTATION = re.compile(
    rf"({_LED_NAME})[ \t]*+(?:\.[ \t]*+{_MUTATOR_METHODS}[ \t]*\("
    r"|\[[^\]\n]{0,80}+\][ \t]*+(?:[+\-*/]?=)(?!=))"
)
# What every match of the two patterns around them contains (their lines are the only ones
# _mutation scans).
_P_MUTATION_HINT = re.compile(rf"\.[ \t]*{_MUTATOR_METHODS}[ \t]*\(|\][ \t]*[+\-*/]?=(?!=)")
_P_ALIAS_HINT = re.compile(r"=[ \t]*[A-Za-z_$][\w$]*+[ \t]*;?[ \t]*$", _M)
_P_ALIAS = re.compile(
    r"\n[ \t]*+(?:(?:let|var|const|auto|final)[ \t]+)?(?:[\w$<>,\[\]]++[ \t]*&?[ \t]+)?"
    rf"({_LINE_NAME})[ \t]*=[ \t]*({_LINE_NAME})[ \t]*;?[ \t]*$",
    _M,
)
_P_DICT = re.compile(
    r"\b(?:dict|set|Counter|defaultdict|frozenset|Map|Set|HashMap|HashSet|TreeMap|TreeSet"
    r"|unordered_map|unordered_set|map)\b|=[ \t]*\{[ \t]*\}|\{[ \t]*[\w$\"]+[ \t]*:"
)
_P_STRING_OPS = re.compile(
    r"\.(?:lower|upper|toLowerCase|toUpperCase|charAt|substr|substring|split|strip|trim"
    r"|startswith|endswith|isdigit|isalpha|reverse)[ \t]*\(|\[::-1\]|\bord[ \t]*\(|\bchr[ \t]*\("
    r"|\bstring\b|\bString\b"
)
_P_NUMBER_THEORY = re.compile(r"%|\bgcd\b|\bsqrt\b|\*\*|\bpow[ \t]*\(|//")
_P_TRAVERSAL = re.compile(
    r"\b(?:deque|queue|Queue|ArrayDeque|LinkedList|stack|Stack)\b|\.(?:popleft|poll|shift|front"
    r"|pop)[ \t]*\(|\.(?:left|right|children|next)\b"
)
_P_TABLE_HINT = re.compile(r"-[ \t]*[12]")
_P_TABLE = re.compile(
    rf"(?<![\w$])({_NAME})[ \t]*\[[ \t]*[\w$]+[ \t]*\][ \t]*=[^\n]*"
    r"\b\1[ \t]*\[[ \t]*[\w$]+[ \t]*-[ \t]*[12]"
)
_P_INCREMENT = re.compile(r"\+=[ \t]*1\b|\+\+")
_P_DECREMENT = re.compile(r"-=[ \t]*1\b|--")
_P_WINDOW = re.compile(r"-=?[ \t]*[\w$]+[ \t]*\[[ \t]*[\w$]+[ \t]*-[ \t]*[\w$]+[ \t]*\]")
_P_PREFIX = re.compile(
    r"(?<![\w$])[\w$]+[ \t]*\[[ \t]*[\w$]+[ \t]*\+[ \t]*1[ \t]*\][ \t]*=|\baccumulate\b|\+="
)
_P_FLOOR_JS = re.compile(r"Math\.(?:floor|trunc)|\|[ \t]*0\b|>>")
_P_FLOAT_OPERAND = re.compile(r"\([ \t]*(?:double|float)[ \t]*\)|\d\.\d|\bdouble\b|\bfloat\b")
_P_PY_DIVISION = re.compile(r"(?<![/])/(?![/=])")
_P_C_DIVISION = re.compile(r"(?<![/*])/(?![/*=])")
# The count-only tokens, each a list of branches that begin with one literal character. Where
# two could start at one offset the first listed wins, and the dispatch in _token_counts books
# the comparison hidden in the longer token. A branch led by a name character matches only at
# the start of a name (``(?<![\w$.])`` in front: and not after a ``.`` either).
_TOKEN_BRANCHES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "nullchk",
        (
            r"is[ \t]+(?:not[ \t]+)?None\b",
            *(rf"{op}==?[ \t]*(?:null|None|undefined|nullptr|NULL)\b" for op in ("!", "=")),
            r"null[ \t]*[!=]==?",
            r"undefined[ \t]*[!=]==?",
            r"nullptr[ \t]*[!=]==?",
            r"NULL[ \t]*[!=]==?",
            r"\?\.",
            r"\?\?",
            r"containsKey[ \t]*\(",
            r"\.has[ \t]*\(",
            r"getOrDefault[ \t]*\(",
            r"\.get[ \t]*\([^()\n]*,[^()\n]*\)",
            r"Optional\b",
        ),
    ),
    (
        "empty",
        (
            r"if[ \t]+not[ \t]+[A-Za-z_]\w*[ \t]*:",
            r"len[ \t]*\([^()\n]*\)[ \t]*(?:==|<=?)[ \t]*[012]\b",
            r"\.(?:empty|isEmpty)[ \t]*\([ \t]*\)",
            r"\.(?:length|size\(\))[ \t]*(?:==|<=?)[ \t]*[012]\b",
        ),
    ),
    ("neg", (r"abs[ \t]*\(", r"<(?<!<<)=?[ \t]*0(?![.\w])")),
    ("eq", (r"=(?<![<>=!].)==?", r"!(?<![<>=!].)==?")),
    ("nonstrict", (r"<(?<![<>=!].)=(?!=)", r">(?<![<>=!].)=(?!=)")),
    ("strict", (r"<(?<![<>=!\-].)(?![<>=])", r">(?<![<>=!\-].)(?![<>=])")),
    (
        "read",
        (
            r"input[ \t]*\(",
            r"sys\.stdin\b",
            r"readline[ \t]*\(",
            r"cin[ \t]*>>",
            r"scanf[ \t]*\(",
            r"\.next(?:Int|Long|Line|Double)?[ \t]*\(",
            r"readLine[ \t]*\(",
            r"readFileSync[ \t]*\(",
            r"getline[ \t]*\(",
            r"process\.stdin\b",
            r"\.read[ \t]*\([ \t]*\)",
        ),
    ),
    (
        "write",
        (
            r"print[ \t]*\(",
            r"cout[ \t]*<<",
            r"printf[ \t]*\(",
            r"System\.out\.",
            r"console\.log[ \t]*\(",
            r"\.write[ \t]*\(",
            r"\.println[ \t]*\(",
            r"puts[ \t]*\(",
        ),
    ),
    (
        "join",
        (r"\.join[ \t]*\(", r"String\.join[ \t]*\(", r"StringBuilder\b", r"StringJoiner\b"),
    ),
    (
        "conv",
        (
            *(
                rf"(?<![\w$.]){name}[ \t]*\("
                for name in (
                    "int",
                    "float",
                    "str",
                    "bool",
                    "Number",
                    "String",
                    "parseInt",
                    "parseFloat",
                    "stoi",
                    "stol",
                    "stoll",
                    "stod",
                    "to_string",
                    "BigInt",
                )
            ),
            *(
                rf"{name}\.(?:parseInt|parseLong|parseDouble|valueOf|toString)[ \t]*\("
                for name in ("Integer", "Long", "Double")
            ),
            r"String\.valueOf[ \t]*\(",
            r"\([ \t]*(?:int|long|double|float|long long)[ \t]*\)",
            r"map[ \t]*\([ \t]*int\b",
            r"\.map[ \t]*\([ \t]*Number\b",
            r"\.toString[ \t]*\(",
        ),
    ),
    ("concat", (r'""[ \t]*\+(?!\+)', r'\+(?<!\+\+)[ \t]*""')),
    (
        "nullsrc",
        (
            r"\.get[ \t]*\([^(),\n]*\)",
            r"\.find[ \t]*\(",
            r"next[ \t]*\(",
            r"\.(?:match|search|fullmatch)[ \t]*\(",
            r"=[ \t]*(?:None|null|nullptr|NULL|undefined)[ \t]*;?[ \t]*$",
            r"\.(?:poll|peek|pollFirst|pollLast)[ \t]*\(",
        ),
    ),
    (
        "open",
        (
            r"(?<![\w$.])open[ \t]*\(",
            r"fopen[ \t]*\(",
            r"openSync[ \t]*\(",
            r"new[ \t]+(?:File\w*|Scanner[ \t]*\([ \t]*new[ \t]+File"
            r"|PrintWriter[ \t]*\([ \t]*new[ \t]+File"
            r"|Buffered(?:Reader|Writer)[ \t]*\([ \t]*new[ \t]+File)",
            *(rf"{name}[ \t]+[\w$]+[ \t]*\(" for name in ("ifstream", "ofstream", "fstream")),
            r"malloc[ \t]*\(",
            r"createWriteStream[ \t]*\(",
        ),
    ),
    (
        "close",
        (
            r"\.close[ \t]*\(",
            r"fclose[ \t]*\(",
            r"closeSync[ \t]*\(",
            r"delete\b",
            r"free[ \t]*\(",
            r"with\b",
        ),
    ),
    (
        "snap",
        (
            r"\.(?:append|push|push_back|add)[ \t]*\([^\n]*(?:\blist[ \t]*\(|\bcopy[ \t]*\(|\[:\]"
            r"|\.\.\.|\.slice[ \t]*\(|new[ \t]+\w+[ \t]*\([ \t]*[\w$]+[ \t]*\))",
        ),
    ),
    ("lit", tuple(rf"(?<![\w$.]){digit}\d*(?:e\d+)?(?![\w.])" for digit in "0123456789")),
    ("mod", (r"%(?<!%%)=?[ \t]*\(?[ \t]*(?P<modarg>[A-Za-z_$][\w$]*|\d+(?:e\d+)?)",)),
)


def _compile_tokens(
    table: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One alternation per leading character, each branch closed by an empty group whose index
    names its kind. Branches that all begin with a literal let the scan skip in C to the next
    offset one could start at, and try there only the branches of that character."""
    not_after_dot = r"(?<![\w$.])"
    by_head: dict[str, list[tuple[str, str]]] = {}
    for kind, branches in table:
        for branch in branches:
            rest_lead = ""
            if branch.startswith(not_after_dot):
                branch, rest_lead = branch[len(not_after_dot) :], r"(?<!\..)"
            size = 2 if branch[0] == "\\" else 1
            by_head.setdefault(branch[:size], []).append((kind, rest_lead + branch[size:]))
    kinds = [""]
    heads = []
    for head, branches in by_head.items():
        for kind, rest in branches:
            kinds += [""] * re.compile(rest).groups + [kind]
        # Inside a name, one look behind the leading character rules out all its branches.
        name_start = r"(?<![\w$].)" if re.fullmatch(r"[\w$]", head) else ""
        alternatives = "|".join(rest + "()" for _, rest in branches)
        heads.append(f"{head}{name_start}(?:{alternatives})")
    return re.compile("|".join(heads), _M), tuple(kinds)


_P_TOKENS, _TOKEN_KINDS = _compile_tokens(_TOKEN_BRANCHES)
_NO_ALIAS_SOURCES = frozenset({"None", "null", "true", "false", "True", "False", "undefined"})


def _profile_zero() -> tuple[float, ...]:
    return (0.0,) * len(PROFILE_FEATURES)


class _Lines:
    """Maps offsets of the stripped text to 1-based line numbers and their loop flag."""

    __slots__ = ("after_newline", "in_loop", "rows", "starts", "text")

    def __init__(self, text: str, rows: list[str], in_loop: Sequence[bool]) -> None:
        """``rows`` is ``text.split("\n")``."""
        self.text = text
        self.rows = rows
        # Offsets of a match in ``after_newline`` that starts at its leading newline are the
        # offsets in ``text`` of the line start that follows.
        self.after_newline = "\n" + text
        self.starts = list(accumulate((len(row) + 1 for row in rows[:-1]), initial=0))
        self.in_loop = in_loop

    def line(self, pos: int) -> int:
        return bisect_right(self.starts, pos)

    def looping(self, pos: int) -> bool:
        lineno = bisect_right(self.starts, pos)
        return lineno < len(self.in_loop) and self.in_loop[lineno]

    def spans_with(self, hint: re.Pattern[str]) -> Iterator[tuple[int, int]]:
        """(start, end) offsets of each line that holds a match of a one-line ``hint``; a
        one-line pattern that only matches where its hint does finds the same matches there."""
        starts, last = self.starts, 0
        for match in hint.finditer(self.text):
            lineno = bisect_right(starts, match.start())
            if lineno > last:
                last = lineno
                yield self.span_of(lineno)

    def starts_after(self, pos: int, count: int) -> int:
        """The offset where the ``count``-th line after the one holding ``pos`` starts (the
        end of the text when there is none)."""
        lineno = bisect_right(self.starts, pos) + count
        return self.starts[lineno - 1] if lineno <= len(self.starts) else len(self.text)

    def span_of(self, lineno: int) -> tuple[int, int]:
        """(start, end) offsets of an existing line, without its newline."""
        start = self.starts[lineno - 1]
        end = self.starts[lineno] - 1 if lineno < len(self.starts) else len(self.text)
        return start, end

    def text_of(self, lineno: int) -> str:
        if not 1 <= lineno <= len(self.rows):
            return ""
        return self.rows[lineno - 1]


def _tag_traces(
    lines: _Lines, analysis: _Analysis, tags: set[str], read_in_loop: bool
) -> tuple[int, int]:
    """(tag families the problem asks for, of which the code shows no idiom)."""
    text = lines.text
    families: tuple[tuple[frozenset[str], Callable[[], bool]], ...] = (
        (frozenset({"hashing", "counting", "hash_table"}), lambda: bool(_P_DICT.search(text))),
        (_TAGS_NEEDING_SORT | {"greedy"}, lambda: analysis.uses_sort),
        (_TAGS_NEEDING_LOG, lambda: analysis.uses_log),
        (
            _TAGS_NEEDING_MEMO,
            lambda: (
                analysis.has_memoization
                or any(
                    _P_TABLE.search(text, start, end) is not None
                    for start, end in lines.spans_with(_P_TABLE_HINT)
                )
            ),
        ),
        (
            _TAGS_NEEDING_ITERATION,
            lambda: analysis.has_recursion or bool(_P_TRAVERSAL.search(text)),
        ),
        (_TAGS_NEEDING_RECURSION, lambda: analysis.has_recursion),
        (frozenset({"strings", "string"}), lambda: bool(_P_STRING_OPS.search(text))),
        (
            frozenset({"math", "number_theory"}),
            lambda: (
                "%" in text
                or "**" in text
                or "//" in text
                or (
                    ("gcd" in text or "sqrt" in text or "pow" in text)
                    and _P_NUMBER_THEORY.search(text) is not None
                )
            ),
        ),
        (
            frozenset({"two_pointers", "sliding_window"}),
            lambda: (
                bool(_P_INCREMENT.search(text) and _P_DECREMENT.search(text))
                or bool(_P_WINDOW.search(text))
            ),
        ),
        (frozenset({"prefix_sum"}), lambda: bool(_P_PREFIX.search(text))),
        (frozenset({"queries", "data_structures"}), lambda: read_in_loop),
    )
    asked = missing = 0
    for family, present in families:
        if tags & family:
            asked += 1
            missing += not present()
    return asked, missing


def _parameters(lines: _Lines, python: bool) -> set[str]:
    """Parameter names of every function header (Python ``def``, C-like, JS arrow)."""
    names: set[str] = set()
    headers = _P_PY_DEF.finditer(lines.after_newline) if python else _P_C_FUNC.finditer(lines.text)
    for match in headers:
        params = next((g for g in match.groups() if g is not None), "")
        for piece in params.split(",")[:MAX_PARAMS]:
            if python:
                piece = piece.split(":")[0]
            bare = piece.strip(" \t")
            if bare.isascii() and bare.isidentifier():
                name = bare  # what _P_PARAM_NAME finds in a plain name, without the search
            else:
                found = _P_PARAM_NAME.search(piece)
                if found is None:
                    continue
                name = found.group(1)
            if name not in ("self", "cls", "const"):
                names.add(name)
    return names


def _token_counts(text: str, lines: _Lines) -> dict[str, float]:
    """Counts of the count-only tokens (one _P_TOKENS scan), the in-loop reads, writes and
    container snapshots, the modulo profile and the integer literals."""
    counts = dict.fromkeys(
        (
            "nullchk",
            "empty",
            "neg",
            "eq",
            "nonstrict",
            "strict",
            "read",
            "write",
            "join",
            "conv",
            "concat",
            "nullsrc",
            "open",
            "close",
            "snap",
            "mod",
            "read_loop",
            "write_loop",
            "large_mod",
        ),
        0.0,
    )
    literals: set[int] = set()
    literal_tokens: set[str] = set()  # converted once each, after the scan
    for match in _P_TOKENS.finditer(text):
        kind = _TOKEN_KINDS[match.lastindex or 0]
        token = match.group()
        if kind == "lit":
            literal_tokens.add(token)
            continue
        counts[kind] += 1
        if kind in ("nullchk", "empty", "neg"):
            if "=" in token and ("==" in token or "!=" in token):
                counts["eq"] += 1
            elif "<=" in token:
                counts["nonstrict"] += 1
            elif "<" in token:
                counts["strict"] += 1
        elif kind in ("read", "write", "snap"):
            if lines.looping(match.start()):
                counts[kind + "_loop" if kind != "snap" else "snap_loop"] = (
                    counts.get(kind + "_loop" if kind != "snap" else "snap_loop", 0.0) + 1
                )
        elif kind == "mod":
            operand = match.group("modarg") or ""
            if operand[:1].isdigit():
                literals.add(_literal_value(operand))
            if (operand.isupper() and not operand.isdigit()) or (
                operand[:1].isdigit() and _literal_value(operand) >= LARGE_MODULUS
            ):
                counts["large_mod"] += 1
    literals.update(map(_literal_value, literal_tokens))
    literals = {value for value in literals if value > 2}
    largest = float(max(literals, default=0))
    counts["literals"] = float(len(literals))
    counts["largest"] = min(math.log10(largest), MAX_LITERAL_LOG10) if largest >= 1 else 0.0
    return counts


def _comparison_operands(lines: _Lines) -> tuple[int, int]:
    """Names compared both strictly and non-strictly; comparisons against a literal > 1."""
    strict_names: set[str] = set()
    nonstrict_names: set[str] = set()
    literal_bounds = 0
    operands = (
        found
        for start, end in lines.spans_with(_P_ORDERING)
        for found in _P_CMP_OPERANDS.findall(lines.text, start, end)
    )
    for left, op, right in operands:
        bucket = nonstrict_names if op in ("<=", ">=") else strict_names
        bucket.add(left)
        if right[:1].isdigit() or right[:1] == "-":
            literal_bounds += right.lstrip("-") not in ("0", "1")
        else:
            bucket.add(right)
    return len(strict_names & nonstrict_names), literal_bounds


def _loop_state(text: str, lines: _Lines) -> tuple[int, int, int]:
    """Loop-carried state: constants re-set in a loop that accumulates them, running extremes
    tested right after their update, and products never reduced with %."""
    const_in_loop = {
        m.group(1)
        for m in _P_CONST_ASSIGN.finditer(lines.after_newline)
        if lines.looping(m.start())
    }
    accumulated: set[str] = set()
    if const_in_loop:
        # Matches never cross a line: scan only loop lines that mention one of the names.
        rows, starts, in_loop = lines.rows, lines.starts, lines.in_loop
        for lineno in range(1, min(len(rows), len(in_loop) - 1) + 1):
            row = rows[lineno - 1]
            if not in_loop[lineno] or not any(name in row for name in const_in_loop):
                continue
            start = starts[lineno - 1]
            for match in _P_ACCUMULATE.finditer(text, start, start + len(row)):
                name, source = match.groups()
                if (source is None or source == name) and name in const_in_loop:
                    accumulated.add(name)
    tested = 0
    for start, end in lines.spans_with(_P_EXTREME_HINT):
        for match in _P_EXTREME_UPDATE.finditer(text, start, end):
            name = match.group(1)
            if name != match.group(2) or not lines.looping(match.start()):
                continue
            lineno = lines.line(match.start())
            pattern = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
            for later in range(lineno + 1, lineno + UPDATE_TEST_WINDOW + 1):
                candidate = lines.text_of(later).lstrip()
                if candidate.startswith(("if", "} else if", "elif")) and pattern.search(candidate):
                    tested += 1
                    break
    unreduced = 0
    product_lines = list(lines.spans_with(_P_PRODUCT_HINT))
    if product_lines:
        reduced = (
            {
                m.group(1)
                for m in _P_ASSIGNED.finditer(lines.after_newline)
                if "%" in lines.text_of(lines.line(m.start()))
            }
            if "%" in text
            else set()
        )
        for start, end in product_lines:
            for match in _P_PRODUCT_ACC.finditer(text, start, end):
                name, source, rest = match.groups()
                if (source is None or source == name) and "%" not in rest and name not in reduced:
                    unreduced += lines.looping(match.start())
    return len(accumulated), tested, unreduced


def _true_division_count(text: str, lang: str, lines: _Lines) -> int:
    divisions = 0
    seen: set[int] = set()
    position = text.find("/")
    while position >= 0:
        lineno = lines.line(position)
        if lineno not in seen:
            seen.add(lineno)
            divisions += _true_divisions(lines.text_of(lineno), lang)
        position = text.find("/", position + 1)
    return divisions


def _raw_tokens(text: str, python: bool, lines: _Lines) -> int:
    """Input tokens bound without a type conversion (``k = parts[0]``, ``n = input()``)."""
    raw = 0
    if ".split" in text:
        # Matches never cross a line: scan only the lines that mention ``.split``.
        token_lists: set[str] = set()
        split_lines: set[int] = set()
        position = text.find(".split")
        while position >= 0:
            lineno = lines.line(position)
            if lineno not in split_lines:
                split_lines.add(lineno)
                token_lists.update(_P_SPLIT_ASSIGN.findall(lines.text_of(lineno)))
            position = text.find(".split", position + 1)
        for match in _P_RAW_TOKEN.finditer(text):
            if match.group(1) in token_lists:
                raw += _P_CONVERSION.search(lines.text_of(lines.line(match.start()))) is None
    if python and "input" in text:
        raw += len(_P_RAW_INPUT.findall(text))
    return raw


def _case_handling(text: str, lines: _Lines) -> tuple[int, ...]:
    """Guards, returns (sentinel, ±1-shifted), literal dispatch branches and the bare
    else/default that closes one."""
    returns = sentinels = shifted = 0
    for match in _P_RETURN.finditer(text):
        returns += 1
        value = match.group(1)
        if _P_SENTINEL.match(value):
            sentinels += 1
        elif _P_SHIFTED.search(value):
            shifted += 1
    guards = literal_branches = catch_all = 0
    previous_literal = False
    for match in _P_BRANCH.finditer(lines.after_newline):
        if match.group("cond"):
            # A guard starts like a conditional branch, so it can only start where one does,
            # and it returns on the branch's line or the next.
            start = match.start()
            if text.find("return", start, lines.starts_after(start, 2)) >= 0:
                guards += _P_GUARD.match(text, start) is not None
        if match.group("other"):
            catch_all += previous_literal
            previous_literal = False
            continue
        literal = bool(match.group("case")) or bool(_P_LITERAL_TEST.search(match.group("test")))
        literal_branches += literal
        previous_literal = literal
    return guards, returns, sentinels, shifted, literal_branches, catch_all


def _mutation(text: str, python: bool, lines: _Lines) -> tuple[int, int]:
    """In-place mutations of a parameter (or a plain alias of one), and of a top-level
    container from inside a function."""
    params = _parameters(lines, python)
    arguments = set(params)
    if params:
        for start, _ in lines.spans_with(_P_ALIAS_HINT):
            alias_match = _P_ALIAS.match(lines.after_newline, start)
            if alias_match is None:
                continue
            alias, source = alias_match.groups()
            if source in params and source not in _NO_ALIAS_SOURCES:
                arguments.add(alias)
    shared = set(_P_TOP_CONTAINER.findall(lines.after_newline)) - params
    on_arguments = on_shared = 0
    if arguments or shared:
        for start, end in lines.spans_with(_P_MUTATION_HINT):
            for match in _P_MUTATION.finditer(text, start, end):
                name = match.group(1)
                if name in arguments:
                    on_arguments += 1
                elif name in shared:
                    on_shared += text[start : start + 1] in (" ", "\t")
    return on_arguments, on_shared


def _code_profile(
    text: str, lang: str, in_loop: Sequence[bool], analysis: _Analysis, problem_tags: object
) -> tuple[float, ...]:
    """The PROFILE_FEATURES values of one submission, counts capped at MAX_PROFILE_COUNT."""
    python = lang == "python"
    stripped = (_PY_STRIP if python else _C_STRIP).sub(_blank, text)
    rows = stripped.split("\n")
    if max(map(len, rows)) > MAX_LINE_CHARS:
        # Bounded lines keep every pattern linear however the input is shaped.
        rows = [_cap_line(row) for row in rows]
        stripped = "\n".join(rows)
    if not python and "<" in stripped:
        stripped = _P_GENERIC.sub(" ", stripped)
        rows = stripped.split("\n")
    lines = _Lines(stripped, rows, in_loop)
    c = _token_counts(stripped, lines)
    try:
        tags = {"_".join(str(tag).lower().replace("-", " ").split()) for tag in problem_tags}  # type: ignore[attr-defined]
    except TypeError:
        tags = set()
    asked, missing = _tag_traces(lines, analysis, tags, c["read_loop"] > 0)
    guards, returns, sentinels, shifted, literal_branches, catch_all = _case_handling(
        stripped, lines
    )
    values = (
        c["strict"],
        c["nonstrict"],
        c["eq"],
        *_comparison_operands(lines),
        *_loop_state(stripped, lines),
        c["mod"],
        c["large_mod"],
        _true_division_count(stripped, lang, lines) if "/" in stripped else 0,
        c["literals"],
        c["largest"],
        c["read"],
        c["read_loop"],
        c["write"],
        c["write_loop"],
        c["join"],
        _raw_tokens(stripped, python, lines),
        guards,
        c["empty"],
        c["neg"],
        returns,
        sentinels,
        shifted,
        literal_branches,
        catch_all,
        c["conv"],
        c["concat"],
        c["nullchk"],
        c["nullsrc"],
        *_mutation(stripped, python, lines),
        c["open"],
        c["close"],
        c.get("snap_loop", 0.0),
        missing,
        (asked - missing) / asked if asked else 1.0,
    )
    return tuple(float(min(v, MAX_PROFILE_COUNT)) for v in values)


def _literal_value(token: str) -> int:
    """An integer literal such as ``1000000007`` or ``1e9``, capped at 10**18."""
    if len(token) <= 18 and token.isdigit():
        return int(token)  # the common case; below 10**18 by its length
    mantissa, _, exponent = token.lower().partition("e")
    value = int(mantissa) if mantissa.isdigit() and len(mantissa) <= 19 else 10**18
    power = min(int(exponent), 18) if exponent.isdigit() and len(exponent) <= 3 else 0
    return min(value * 10**power, 10**18)


def _true_divisions(line: str, lang: str) -> int:
    """Divisions that produce a float: ``/`` in Python and JavaScript (unless floored), and in
    C++/Java when an operand is a floating literal or cast."""
    if lang == "python":
        return len(_P_PY_DIVISION.findall(line))
    if lang == "javascript" and _P_FLOOR_JS.search(line):
        return 0
    if lang == "javascript" or _P_FLOAT_OPERAND.search(line):
        return len(_P_C_DIVISION.findall(line))
    return 0
